"""Rich display for Jupyter: HTML for the graph, a unit or team, and a report.

Everything user-provided is escaped.  Only the standard library is used.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import TYPE_CHECKING, Any

import attrs

from ._model import Membership, OrgUnit, Person, Product, Team

if TYPE_CHECKING:
    from ._engine import Report
    from ._graph import AlignmentGraph
    from ._scorecard import Scorecard

__all__ = ["Description", "RULE_DOCS_URL", "describe", "graph_html", "heat_colour",
           "report_html", "scorecard_html"]

#: Where each rule's page lives; ``{code}`` is replaced.
RULE_DOCS_URL = "https://mtss-core.readthedocs.io/en/latest/rules/{code}/"

_STYLE = ("<style>.mtss td,.mtss th{text-align:left;padding:2px 8px;vertical-align:top}"
          ".mtss .error{color:#b00020}.mtss .warning{color:#a15c00}.mtss .info{color:#35608f}"
          "</style>")
#: Graphs up to this many objects get a findings summary in their HTML repr.
SUMMARY_LIMIT = 20_000


def _table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def graph_html(graph: AlignmentGraph) -> str:
    """HTML for a graph: objects by type, units by level, and a findings summary."""
    from ._engine import validate
    from ._graph import _PLURAL

    counts = [[escape(_PLURAL[name]), str(len(ids))]
              for name, ids in graph._by_type.items() if ids]
    counts.append(["memberships", str(graph.count_memberships())])
    levels = Counter(u.kind.value for u in graph.units())
    level_rows = [[escape(k), str(n)] for k, n in levels.items()]
    parts = [_STYLE, '<div class="mtss"><b>AlignmentGraph</b>',
             f" as of {escape(str(graph.as_of))}" if graph.as_of else "",
             _table(["objects", "count"], counts),
             _table(["level", "units"], level_rows) if level_rows else ""]
    if len(graph) <= SUMMARY_LIMIT:
        report = validate(graph)
        parts.append(f"<p>Findings: {escape(report.summary())}; verdict "
                     f"<b>{escape(report.verdict)}</b>.</p>")
    else:
        parts.append("<p>Run <code>validate(graph)</code> for findings.</p>")
    parts.append("</div>")
    return "".join(parts)


def report_html(report: Report) -> str:
    """HTML for a report: findings grouped by severity, codes linked to their rule pages."""
    from ._engine import Severity

    parts = [_STYLE, '<div class="mtss">',
             f"<p><b>Report: {escape(report.verdict)}</b> — {escape(report.summary())}"
             + (f" as of {escape(str(report.as_of))}" if report.as_of else "") + "</p>"]
    for severity in sorted(Severity, reverse=True):
        found = [f for f in report if f.severity is severity]
        if not found:
            continue
        rows = []
        for f in found:
            link = escape(RULE_DOCS_URL.format(code=f.code), quote=True)
            name = report.names.get(f.subject)
            subject = escape(f.subject) + (f"<br><small>{escape(name)}</small>" if name else "")
            rows.append([f'<a href="{link}" title="{escape(f.name, quote=True)}">'
                         f"{escape(f.code)}</a>", subject, escape(f.message),
                         escape(f.hint)])
        parts.append(f'<h4 class="{severity.value}">{escape(severity.value)} '
                     f"({len(found)})</h4>")
        parts.append(_table(["rule", "subject", "finding", "how to fix"], rows))
    if report.skipped:
        parts.append("<p>Not run without an as-of date: "
                     + escape(", ".join(report.skipped)) + "</p>")
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
    from ._rules_alignment import label

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
        members: list[Membership] = graph.members(id)
        sections = (
            ("serves", ("", ""), (("unit", label(graph[obj.unit])),)),
            ("members", ("person", "name", "roles"),
             tuple((m.person, getattr(graph[m.person], "name", ""),
                    ", ".join(str(r) for r in m.roles)) for m in members)),
            ("products", _PRODUCT_HEAD, _products(graph, id)),
        )
    elif isinstance(obj, Person):
        sections = (
            ("teams", ("team", "roles"),
             tuple((m.team, ", ".join(str(r) for r in m.roles))
                   for m in graph.memberships_of(id))),
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


#: Heat-map colours (background, text) by share aligned: light enough that the dark text
#: keeps a contrast ratio above 7:1, and the share is always written in the cell too.
_HEAT = ((0.8, "#cdebd3", "#0b3d17"), (0.5, "#fff0c2", "#4a3500"), (0.0, "#f7d0d3", "#5c0b12"))


def heat_colour(share: float | None) -> tuple[str, str]:
    """(background, text) colours for a share aligned; grey for none.

    >>> heat_colour(0.9), heat_colour(None)
    (('#cdebd3', '#0b3d17'), ('#eeeeee', '#333333'))
    """
    if share is None:
        return "#eeeeee", "#333333"
    for floor, background, text in _HEAT:
        if share >= floor:
            return background, text
    return _HEAT[-1][1], _HEAT[-1][2]  # pragma: no cover - shares are never negative


def heatmap_table(card: Scorecard) -> str:
    """The heat map: units by kind of product, each cell the share aligned, coloured."""
    from ._model import ProductKind

    kinds = [k.value for k in ProductKind]
    head = "".join(f'<th scope="col">{escape(k)}</th>' for k in kinds)
    rows = []
    for unit in card.heatmap:
        r = card.rollup(unit)
        cells = []
        for kind in kinds:
            share = r.share(kind)
            have, levels = r.coverage(kind)
            background, text = heat_colour(share)
            label = "n/a" if share is None else f"{share:.0%}"
            cells.append(f'<td class="heat" style="background:{background};color:{text}" '
                         f'title="{have} of {levels} levels have one">{label}'
                         f"<br><small>{have}/{levels} have one</small></td>")
        rows.append(f'<tr><th scope="row">{escape(r.name or r.unit)} '
                    f"<small>({escape(r.unit)})</small></th>{''.join(cells)}</tr>")
    return ('<table class="heatmap"><caption>Aligned to the level above (of the levels '
            "below that have the product)</caption>"
            f'<thead><tr><th scope="col">unit</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def scorecard_html(card: Scorecard) -> str:
    """HTML for a scorecard: the level table, the heat map and focus-area coverage."""
    head = ["level", "product", "levels", "with it", "aligned", "misaligned", "waiting",
            "without", "aligned (of those with it)"]
    rows = [[escape(r.level), escape(r.kind), str(r.levels), str(r.with_product),
             str(r.aligned), str(r.misaligned), str(r.waiting), str(r.without),
             "n/a" if r.share_aligned is None else f"{r.share_aligned:.0%}"]
            for r in card.rows if r.levels]
    focus = [[f"{escape(f.name or f.area)} <small>({escape(f.area)})</small>",
              escape(f.district), "yes" if f.in_vision else "<b>no</b>",
              escape(", ".join(f.worked_on_by)) or "<b>nobody (orphaned)</b>"]
             for f in card.focus]
    parts = [_STYLE, _HEAT_STYLE, '<div class="mtss">',
             f"<p><b>Alignment scorecard</b>{' of ' + escape(card.root) if card.root else ''}"
             "</p>", _table(head, rows)]
    if card.heatmap:
        parts.append(heatmap_table(card))
    if focus:
        parts.append(_table(["focus area", "district", "in the vision", "worked on by"],
                            focus))
    parts.append("</div>")
    return "".join(parts)


_HEAT_STYLE = ("<style>.mtss .heat{text-align:center;min-width:4em;font-variant-numeric:"
               "tabular-nums}.mtss .heatmap caption{text-align:left;font-weight:bold}</style>")
