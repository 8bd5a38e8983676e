"""Where an object is shown in a tree of units and teams: the node a finding about it
belongs under.

A report, a drawing or a status pack shows units and their teams; everything else a
finding can be about is placed under one of them: a product under its owner (a person's
under the team they sit on), a person under their team (or the unit they are based at), a
focus area under its district, a barrier, threshold, protocol or record under the unit or
team it belongs to (its home reference, as the registry declares it).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from ..model import INSTRUCTIONAL_TEAMS
from ._store import AlignmentGraph

__all__ = ["PATH_LEVELS", "place", "unit_path"]


def place(graph: AlignmentGraph, id: str, shown: Container[str] | None = None) -> str | None:
    """The unit or team that ``id`` is shown under (``id`` itself for a unit or team),
    ``None`` when it leads to neither.  A person goes under their first grade, department
    or course team, else their first team, else their base unit; with ``shown`` (the
    units and teams drawn), the first of those that is shown.

    >>> from mtss_core import example
    >>> g = example()
    >>> place(g, "v-garcia"), place(g, "fa-maple-literacy"), place(g, "sch-lincoln")
    ('t-cedar-high-ela', 'dist-maple', 'sch-lincoln')
    >>> place(g, "b-cedar-screener-licenses"), place(g, "rt-maple-ms-reading")
    ('t-cedar-elem-slt', 'sch-maple-ms')
    """
    return follow_home(graph, id, lambda person: _place_person(graph, person, shown))


def follow_home(graph: AlignmentGraph, id: str, person: Callable[[Any], str | None]
                ) -> str | None:
    """The unit or team ``id`` leads to by its home references (a product's owner, a
    meeting's team, a focus area's district, ...): ``id`` itself for a unit or team, and
    ``person(obj)`` when it reaches a person; ``None`` when it leads nowhere."""
    node = graph._node
    seen: set[str] = set()
    while id not in seen:
        seen.add(id)
        obj = node.get(id)
        if obj is None:
            return None
        name = obj.type_name
        if name in ("unit", "team"):
            return str(id)
        if name == "person":
            return person(obj)
        homes = graph.types[name].home_fields
        target = next((getattr(obj, f) for f in homes if getattr(obj, f) is not None), None)
        if target is None:
            return None
        id = target
    return None


def _place_person(graph: AlignmentGraph, person: object,
                  shown: Container[str] | None) -> str | None:
    pid = person.id  # type: ignore[attr-defined]
    base = person.unit  # type: ignore[attr-defined]
    seats = [m.team for m in graph.memberships_of(pid)]
    # a teacher's products are judged against their grade, department or course team's
    teams = sorted(seats, key=lambda t: graph._node[t].kind not in INSTRUCTIONAL_TEAMS)
    for team in teams:
        if shown is None or team in shown:
            return str(team)
    if base is not None and (shown is None or base in shown):
        return str(base)
    return None


#: The levels of a unit path, top down: the columns frames add for each row.
PATH_LEVELS = ("state", "isd", "district", "school")


def unit_path(graph: AlignmentGraph, id: str,
              cache: dict[str, dict[str, str | None]] | None = None
              ) -> dict[str, str | None]:
    """The state, ISD, district and school an object belongs to (the ids; ``None`` for a
    level it is not under): a unit's own, a team's unit's, a product's owner's, a
    person's team's or base unit's.  ``cache`` keeps each unit's answer between calls.

    >>> from mtss_core import example
    >>> unit_path(example(), "v-garcia")
    {'state': None, 'isd': 'isd-lakeshore', 'district': 'dist-cedar', 'school': 'sch-cedar-high'}
    """
    where = place(graph, id)
    if where is None:
        return dict.fromkeys(PATH_LEVELS)
    obj = graph._node[where]
    unit = obj.unit if obj.type_name == "team" else where
    if cache is not None and unit in cache:
        return cache[unit]
    out: dict[str, str | None] = dict.fromkeys(PATH_LEVELS)
    for u in (graph._node[unit], *graph.ancestors(unit)):
        kind = u.kind.value
        if kind in out and out[kind] is None:
            out[kind] = u.id
    if cache is not None:
        cache[unit] = out
    return out
