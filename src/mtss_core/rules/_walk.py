"""Small helpers the rules share for finding their way around the graph."""

from __future__ import annotations

from typing import Any

from ..graph import AlignmentGraph, EdgeKind
from ..model import INSTRUCTIONAL_TEAMS, OrgUnit, Person, ProductKind, Role, Team, UnitKind

__all__ = [
    "district_products",
    "leads_by_unit",
    "level_unit",
    "owner_district",
    "teams_by_unit",
]


def level_unit(graph: AlignmentGraph, owner_id: str) -> str | None:
    """The unit an owner (unit, team or person) works at: a team's unit, a person's base."""
    owner = graph.node(owner_id)
    if isinstance(owner, OrgUnit):
        return owner.id
    if isinstance(owner, Team):
        return owner.unit
    if isinstance(owner, Person):
        if owner.unit is not None:
            return owner.unit
        teams = graph.teams_of_person(owner.id)
        return teams[0].unit if teams else None
    return None


def owner_district(graph: AlignmentGraph, owner_id: str) -> str | None:
    """The district an owner belongs to, or ``None`` above or outside any district."""
    unit = level_unit(graph, owner_id)
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
    found = memo.get("teams_by_unit")
    if found is None:
        found = {}
        for team in graph.teams():
            found.setdefault(team.unit, []).append(team)
        memo["teams_by_unit"] = found
    return found


def leads_by_unit(graph: AlignmentGraph, memo: dict[Any, Any]) -> dict[str, list[str]]:
    """unit id -> the people holding the mtss-lead role on a team serving it, sorted."""
    found = memo.get("leads_by_unit")
    if found is None:
        found = {}
        for m in graph.memberships_with_role(Role.MTSS_LEAD):
            unit = graph.node(m.team).unit
            found.setdefault(unit, set()).add(m.person)
        found = {unit: sorted(people) for unit, people in found.items()}
        memo["leads_by_unit"] = found
    return found
