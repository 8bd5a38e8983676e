"""Rich display of a graph and its objects, for Jupyter and ``print``.

Everything user-provided is escaped.  Only the standard library is used.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING, Any

import attrs

from .._html import STYLE as _STYLE
from .._html import table as _table
from ..model import Membership, OrgUnit, Person, Product, Team, label

if TYPE_CHECKING:
    from ._store import AlignmentGraph

__all__ = ["Description", "describe", "graph_html"]

def graph_html(graph: AlignmentGraph) -> str:
    """HTML for a graph: objects by type and units by level (findings come from
    ``validate``: displaying a graph never runs the rules)."""
    counts = [[escape(t.plural), str(n)] for t in graph.types.nodes
              if (n := graph.count(t.name))]
    counts.append(["memberships", str(graph.count_memberships())])
    levels = Counter(u.kind.value for u in graph.units())
    level_rows = [[escape(k), str(n)] for k, n in levels.items()]
    parts = [_STYLE, '<div class="mtss"><b>AlignmentGraph</b>',
             f" as of {escape(str(graph.as_of))}" if graph.as_of else "",
             _table(["objects", "count"], counts),
             _table(["level", "units"], level_rows) if level_rows else ""]
    parts.append("<p>Run <code>validate(graph)</code> for its findings.</p>")
    parts.append("</div>")
    return "".join(parts)


@attrs.frozen
class Description:
    """A unit, team, person or product seen in its graph: plain text and HTML.

    Made by :meth:`AlignmentGraph.describe`.
    """

    title: str
    sections: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...]

    def __str__(self) -> str:
        lines = [self.title]
        for name, head, rows in self.sections:
            lines.append(f"  {name}:")
            if not rows:
                lines.append("    (none)")
            for row in rows:
                lines.append("    " + " | ".join(c for c in row if c))
            del head
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        parts = [_STYLE, f'<div class="mtss"><b>{escape(self.title)}</b>']
        for name, head, rows in self.sections:
            parts.append(f"<h4>{escape(name)}</h4>")
            parts.append(_table(list(head), [[escape(c) for c in row] for row in rows])
                         if rows else "<p>(none)</p>")
        parts.append("</div>")
        return "".join(parts)


def _products(graph: AlignmentGraph, owner_id: str) -> tuple[tuple[str, ...], ...]:
    rows = []
    for p in graph.products_of(owner_id):
        target = "" if p.aligned_to is None else p.aligned_to
        rows.append((p.kind.value, p.id, target or "(not aligned)",
                     str(p.reviewed_on or p.adopted_on or "")))
    return tuple(rows)


_PRODUCT_HEAD = ("kind", "id", "aligned to", "last reviewed")


def describe(graph: AlignmentGraph, id: str) -> Description:
    """A description of one object in its context (see :meth:`AlignmentGraph.describe`)."""

    obj: Any = graph[id]
    sections: tuple[Any, ...]
    if isinstance(obj, OrgUnit):
        parent = graph.parent(id)
        sections = (
            ("place", ("", ""), (("parent", label(parent) if parent else "(top)"),
                                 *(("child", label(c)) for c in graph.children(id)))),
            ("teams", ("kind", "team", "members"),
             tuple((t.kind.label, t.name or t.id, str(len(graph.members(t.id))))
                   for t in graph.teams_of(id))),
            ("products", _PRODUCT_HEAD, _products(graph, id)),
        )
    elif isinstance(obj, Team):
        members: tuple[Membership, ...] = graph.members(id, history=True)
        sections = (
            ("serves", ("", ""), (("unit", label(graph[obj.unit])),)),
            ("members", ("person", "name", "roles"),
             tuple((m.person, getattr(graph[m.person], "name", ""), _seat_roles(m))
                   for m in members)),
            ("products", _PRODUCT_HEAD, _products(graph, id)),
        )
    elif isinstance(obj, Person):
        sections = (
            ("teams", ("team", "roles"),
             tuple((m.team, _seat_roles(m)) for m in graph.memberships_of(id, history=True))),
            ("products", _PRODUCT_HEAD, _products(graph, id)),
        )
    elif isinstance(obj, Product):
        target = graph.aligned_to(id)
        sections = (
            ("alignment", ("", ""), (("owner", label(graph.owner(id))),
                                     ("aligned to", label(target) if target else "(nothing)"),
                                     *(("aligned from", label(p))
                                       for p in graph.aligned_from(id)))),
        )
    else:
        sections = (("fields", ("field", "value"),
                     tuple((a.name, str(getattr(obj, a.name)))
                           for a in attrs.fields(type(obj)))),)
    return Description(title=label(obj), sections=sections)




def _seat_roles(m: Membership) -> str:
    """The roles of a seat, and when it ended if it did."""
    roles = ", ".join(str(r) for r in m.roles)
    return roles if m.until is None else f"{roles} (until {m.until})".lstrip()
