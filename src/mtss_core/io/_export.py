"""Exports for graph tools: networkx node-link JSON, GraphML, DOT and Mermaid text."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._atomic import write_with
from .._text import mermaid_label, one_line
from ..graph import AlignmentGraph
from ..model import Membership, OrgUnit, caption
from ._document import to_entry

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["to_dot", "to_mermaid", "to_networkx", "to_node_link", "write_graphml"]


def _plain_attrs(obj: Any) -> dict[str, Any]:
    return {k: v for k, v in to_entry(obj).items() if k != "id"}


def to_networkx(graph: AlignmentGraph) -> nx.MultiDiGraph:
    """A networkx copy whose node and edge attributes are plain data (no model objects).

    Node attributes: ``type`` and the object's fields as in a document; edge keys are
    the :class:`~mtss_core.EdgeKind` values; member edges carry ``roles`` (and ``since``).
    """
    import networkx as nx

    out = nx.MultiDiGraph()
    for obj in graph:
        assert not isinstance(obj, Membership)  # memberships are edges, not nodes
        out.add_node(obj.id, type=obj.type_name, **_plain_attrs(obj))
    for u, v, key, data in graph.view.edges(keys=True, data=True):
        m = data.get("membership")
        out.add_edge(u, v, key=key, **({} if m is None else _plain_attrs(m)))
    return out


def to_node_link(graph: AlignmentGraph) -> dict[str, Any]:
    """networkx node-link data (``nodes`` and ``edges``) with plain attributes, JSON-ready.

    >>> from mtss_core import example
    >>> from mtss_core.io import to_node_link
    >>> data = to_node_link(example())
    >>> data["multigraph"], data["nodes"][0]["id"], data["edges"][0]["key"]
    (True, 'isd-lakeshore', 'parent')
    """
    import networkx as nx

    data: dict[str, Any] = nx.node_link_data(to_networkx(graph), edges="edges")
    return data


def write_graphml(graph: AlignmentGraph, path: str | os.PathLike[str]) -> None:
    """Write GraphML (lists are stored as JSON text, since GraphML holds scalars only)."""
    g = to_networkx(graph)
    for _, attrs in [*g.nodes(data=True), *((None, d) for *_, d in g.edges(data=True))]:
        for k, v in list(attrs.items()):
            if isinstance(v, (list, dict)):
                attrs[k] = json.dumps(v, ensure_ascii=False)
    import networkx as nx

    write_with(path, lambda temp: nx.write_graphml(g, temp))


def _scope(graph: AlignmentGraph, root: str | None, people: bool) -> list[Any]:
    """The objects to draw: a unit's subtree, its teams and their products."""
    if root is None:
        units = list(graph.units())
    else:
        top = graph.get(root, OrgUnit)
        units = [top, *graph.descendants(root)]
    ids = {u.id for u in units}
    teams = [t for t in graph.teams() if t.unit in ids]
    owners = ids | {t.id for t in teams}
    persons = [p for p in graph.people() if people and p.unit in ids]
    owners |= {p.id for p in persons}
    products = [p for p in graph.products() if p.owner in owners]
    focus = [f for f in graph.all_focus_areas() if f.district in ids]
    return [*units, *teams, *persons, *products, *focus]


def _edges(graph: AlignmentGraph, objs: Iterable[Any]) -> list[tuple[str, str, str]]:
    ids = {o.id for o in objs}
    out = []
    for u, v, key in graph.view.edges(keys=True):
        if u in ids and v in ids and key in _STYLE:
            out.append((u, v, key))
    return out


_STYLE = {"parent": "solid", "serves": "solid", "owned_by": "dotted", "aligns_to": "bold",
          "focus_of": "dotted", "based_at": "dotted", "addresses": "dashed",
          "works_on": "dashed"}
_SHAPE = {"unit": "box", "team": "ellipse", "person": "plaintext", "focus_area": "hexagon"}


def _shape(graph: AlignmentGraph, obj: Any) -> str:
    """A DOT node shape: products (of the registry's ``product`` group) are notes."""
    if "product" in graph.types[obj.type_name].groups:
        return "note"
    return _SHAPE.get(obj.type_name, "box")


def _dot_quote(text: str) -> str:
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: AlignmentGraph, *, root: str | None = None, people: bool = False) -> str:
    """Graphviz DOT text of the org and alignment tree (of ``root``'s subtree, if given).

    Units are boxes, teams ellipses, products notes; alignment edges are bold.

    >>> from mtss_core import example
    >>> from mtss_core.io import to_dot
    >>> print(to_dot(example(), root="grade-lincoln-3"))
    digraph mtss {
      rankdir=BT;
      node [fontname="Helvetica"];
      "grade-lincoln-3" [label="grade: Lincoln Grade 3", shape=box];
      "t-lincoln-g3" [label="grade team: Lincoln Grade 3 Team", shape=ellipse];
      "v-lincoln-g3" [label="vision: v-lincoln-g3", shape=note];
      "t-lincoln-g3" -> "grade-lincoln-3" [label="serves", style=solid];
      "v-lincoln-g3" -> "t-lincoln-g3" [label="owned_by", style=dotted];
    }
    """
    objs = _scope(graph, root, people)
    lines = ["digraph mtss {", "  rankdir=BT;", '  node [fontname="Helvetica"];']
    for o in objs:
        lines.append(f"  {_dot_quote(o.id)} [label={_dot_quote(caption(o))}, "
                     f"shape={_shape(graph, o)}];")
    for u, v, key in _edges(graph, objs):
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [label={_dot_quote(key)}, "
                     f"style={_STYLE[key]}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return mermaid_label(text)


def to_mermaid(graph: AlignmentGraph, *, root: str | None = None, people: bool = False) -> str:
    """Mermaid flowchart text of the org and alignment tree (paste into Markdown).

    >>> from mtss_core import example
    >>> from mtss_core.io import to_mermaid
    >>> print(to_mermaid(example(), root="grade-lincoln-3"))
    flowchart BT
      n0["grade: Lincoln Grade 3"]
      n1(["grade team: Lincoln Grade 3 Team"])
      n2[/"vision: v-lincoln-g3"/]
      n1 -->|serves| n0
      n2 -.->|owned_by| n1
    """
    objs = _scope(graph, root, people)
    ids = {o.id: f"n{i}" for i, o in enumerate(objs)}
    shapes = {"unit": ('["', '"]'), "team": ('(["', '"])'), "focus_area": ('{{"', '"}}'),
              "person": ('("', '")')}
    lines = ["flowchart BT"]
    for o in objs:
        left, right = shapes.get(o.type_name, ('[/"', '"/]'))
        lines.append(f"  {ids[o.id]}{left}{_mermaid_text(caption(o))}{right}")
    arrows = {"solid": "-->", "dotted": "-.->", "dashed": "-.->", "bold": "==>"}
    for u, v, key in _edges(graph, objs):
        lines.append(f"  {ids[u]} {arrows[_STYLE[key]]}|{key}| {ids[v]}")
    return "\n".join(lines) + "\n"

