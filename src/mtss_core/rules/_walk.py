"""Small helpers the rules share for finding their way around the graph."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pendulum

from ..graph import AlignmentGraph, EdgeKind
from ..model import INSTRUCTIONAL_TEAMS, OrgUnit, Person, ProductKind, Role, Team, UnitKind
from ._protocol import MemoKey

__all__ = [
    "district_products",
    "empty_since",
    "leads_by_unit",
    "level_unit",
    "owner_district",
    "teams_by_unit",
]


def level_unit(graph: AlignmentGraph, owner_id: str, as_of: pendulum.Date | None = None
               ) -> str | None:
    """The unit an owner (unit, team or person) works at: a team's unit, a person's base
    (or the unit of their first team on ``as_of``)."""
    owner = graph.node(owner_id)
    if isinstance(owner, OrgUnit):
        return owner.id
    if isinstance(owner, Team):
        return owner.unit
    if isinstance(owner, Person):
        if owner.unit is not None:
            return owner.unit
        teams = graph.teams_of_person(owner.id, as_of)
        return teams[0].unit if teams else None
    return None


def owner_district(graph: AlignmentGraph, owner_id: str, as_of: pendulum.Date | None = None
                   ) -> str | None:
    """The district an owner belongs to, or ``None`` above or outside any district."""
    unit = level_unit(graph, owner_id, as_of)
    if unit is None:
        return None
    district = graph.nearest(unit, UnitKind.DISTRICT)
    return None if district is None else district.id


def district_products(graph: AlignmentGraph, unit_id: str, kind: ProductKind
                      ) -> list[str]:
    """Products of ``kind`` owned by a unit or by its non-instructional teams, sorted."""
    ids = [p.id for p in graph.products_of(unit_id, kind)]
    for team_id in graph.referrers(unit_id, EdgeKind.SERVES):
        if graph.node(team_id).kind not in INSTRUCTIONAL_TEAMS:
            ids.extend(p.id for p in graph.products_of(team_id, kind))
    return sorted(ids)


def teams_by_unit(graph: AlignmentGraph, memo: dict[Any, Any]) -> dict[str, list[Team]]:
    """unit id -> the teams serving it, in one pass over the teams (shared through memo)."""
    found = memo.get(MemoKey("teams_by_unit"))
    if found is None:
        found = {}
        for team in graph.teams():
            found.setdefault(team.unit, []).append(team)
        memo[MemoKey("teams_by_unit")] = found
    return found


def leads_by_unit(graph: AlignmentGraph, memo: dict[Any, Any],
                  as_of: pendulum.Date | None = None) -> dict[str, list[str]]:
    """unit id -> the people holding the mtss-lead role on a team serving it on ``as_of``
    (one run's date: the memo is the run's), sorted."""
    found = memo.get(MemoKey("leads_by_unit"))
    if found is None:
        found = {}
        for m in graph.memberships_with_role(Role.MTSS_LEAD, as_of):
            unit = graph.node(m.team).unit
            found.setdefault(unit, set()).add(m.person)
        found = {unit: sorted(people) for unit, people in found.items()}
        memo[MemoKey("leads_by_unit")] = found
    return found


def empty_since(graph: AlignmentGraph, teams: Iterable[Team], role: Role, what: str,
                as_of: pendulum.Date | None) -> str:
    """``what`` ("no designated MTSS lead"), or, when a seat holding ``role`` on one of
    ``teams`` has ended, since when and who held it: "had no designated MTSS lead since
    2027-06-30 (was p-kim)"."""
    ended = [m for t in teams for m in graph.members(t.id, history=True)
             if role in m.roles and m.until is not None and not m.current(as_of)]
    if not ended:
        return what
    last = max(m.until for m in ended if m.until is not None)
    who = sorted({m.person for m in ended if m.until == last})
    return f"had {what} since {last} (was {', '.join(who)})"
