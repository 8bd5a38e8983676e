"""Small helpers the rules share for finding their way around the graph."""

from __future__ import annotations

from ._graph import SERVES, AlignmentGraph
from ._model import INSTRUCTIONAL_TEAMS, OrgUnit, Person, ProductKind, Team, UnitKind

__all__ = ["district_products", "level_unit", "owner_district", "unit_members"]


def level_unit(graph: AlignmentGraph, owner_id: str) -> str | None:
    """The unit an owner (unit, team or person) works at: a team's unit, a person's base."""
    owner = graph._obj(owner_id)
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
    for team_id in graph._in(unit_id, SERVES):
        if graph._obj(team_id).kind not in INSTRUCTIONAL_TEAMS:
            ids.extend(p.id for p in graph.products_of(team_id, kind))
    return sorted(ids)


def unit_members(graph: AlignmentGraph, unit_id: str) -> dict[str, list[tuple[str, str]]]:
    """person id -> [(team id, role)] over every team serving ``unit_id``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for team_id in graph._in(unit_id, SERVES):
        for m in graph.members(team_id):
            out.setdefault(m.person, []).extend((team_id, r) for r in m.roles)
    return out
