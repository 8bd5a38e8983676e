"""What belongs to a unit's subtree: the unit and everything below it.

The units under it, the teams serving them, the people based at them or seated on those
teams, and every object that hangs off one of those (products by their owner, focus areas
by their district, records by their unit or team, a barrier by the team that raised it, a
protocol by either of its teams).  Reports, status packs and ``validate(root=...)`` use it.
"""

from __future__ import annotations

from typing import Any

from ..errors import UnknownIdError
from ..model import OrgUnit
from ._store import AlignmentGraph

__all__ = ["subtree", "subtree_view"]

def subtree(graph: AlignmentGraph, root: str) -> frozenset[str]:
    """The ids of everything in ``root``'s subtree (``root`` an org unit).

    >>> from mtss_core import example
    >>> from mtss_core.graph import subtree
    >>> ids = subtree(example(), "sch-lincoln")
    >>> "t-lincoln-g3" in ids, "v-okafor" in ids, "sch-cedar-high" in ids
    (True, True, False)
    """
    top = graph.get(root)
    if not isinstance(top, OrgUnit):
        raise UnknownIdError(root, "org unit")
    units = {root, *(u.id for u in graph.descendants(root))}
    teams = {t.id for t in graph.teams() if t.unit in units}
    people = {p.id for p in graph.people() if p.unit in units}
    people.update(m.person for t in teams for m in graph.members(t, history=True))
    inside = units | teams | people
    ids = set(inside)
    for kind in graph.types.nodes:
        fields = kind.home_fields
        if not fields:
            continue
        for obj in graph.objects(kind.name):
            if any(getattr(obj, f) in inside for f in fields):
                ids.add(obj.id)
    return frozenset(ids)


def subtree_view(graph: AlignmentGraph, root: str) -> Any:
    """``root``'s subtree (see :func:`subtree`) as a read-only networkx subgraph view of
    :attr:`AlignmentGraph.view`: the unit, everything below it, and every team, person and
    record there, with the edges among them (still child to parent).

    >>> import networkx as nx
    >>> from mtss_core import example
    >>> part = subtree_view(example(), "dist-maple")
    >>> "sch-lincoln" in part, "dist-cedar" in part, nx.is_directed_acyclic_graph(part)
    (True, False, True)
    >>> {"sch-lincoln", "v-maple", "t-maple-dlt"} <= nx.ancestors(part, "dist-maple")
    True
    """
    return graph._networkx(within=subtree(graph, root))
