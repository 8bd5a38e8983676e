"""A starter MTSS layer for an imported structure: the teams, products and focus areas a
district needs, empty, to fill in."""

from __future__ import annotations

from typing import Any

from ..errors import UnknownIdError
from ..graph import AlignmentGraph, Levels
from ..model import (
    FocusArea,
    ImprovementPlan,
    ModelObject,
    NonNegotiables,
    OrgUnit,
    ProductKind,
    Team,
    TeamKind,
    UnitKind,
    Vision,
)

__all__ = ["starter_layer"]

#: The teams each level gets (Equitable MLSS, MIBLSI, Who owns MTSS).
DISTRICT_TEAMS = (TeamKind.EXECUTIVE_LEADERSHIP, TeamKind.DISTRICT_LEADERSHIP,
                  TeamKind.DISTRICT_IMPLEMENTATION)
SCHOOL_TEAMS = (TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS)
_SHORT = {TeamKind.EXECUTIVE_LEADERSHIP: "exec", TeamKind.DISTRICT_LEADERSHIP: "dlt",
          TeamKind.DISTRICT_IMPLEMENTATION: "dit", TeamKind.SCHOOL_LEADERSHIP: "slt",
          TeamKind.SCHOOLWIDE_MTSS: "mtss"}
_PRODUCTS: tuple[tuple[ProductKind, type[Any], str, str], ...] = (
    (ProductKind.VISION, Vision, "v", "Vision (to write)"),
    (ProductKind.NON_NEGOTIABLES, NonNegotiables, "nn", "Non-negotiable practices (to list)"),
    (ProductKind.IMPROVEMENT_PLAN, ImprovementPlan, "cip",
     "Continuous improvement plan (to write)"),
)


def starter_layer(graph: AlignmentGraph, district: str, *, focus_areas: int = 5
                  ) -> list[ModelObject]:
    """What a district needs to start MTSS, as new objects to add (``graph.add_all``):

    - the district's executive leadership, leadership and implementation teams, and each
      school's leadership and schoolwide MTSS teams, with no one seated yet;
    - ``focus_areas`` placeholder priority focus areas for the district;
    - a vision, non-negotiables and an improvement plan for the district and each school,
      each aligned to the level above (the district's to its ISD's or the state's, where
      those have one), the district's vision addressing the focus areas.

    What exists is kept: a kind of team a unit already has, a product it already owns.
    Validated afterwards, the structure asks only for real content: who sits on each
    team and in which role (the lead, coach, liaison and each constituency), the data
    behind the plans, the protocol between each school's teams and the implementation
    team.  The district counts as started from then on: every finding is reported.

    >>> from mtss_core import AlignmentGraph, OrgUnit, validate
    >>> g = AlignmentGraph([OrgUnit(id="d1", kind="district", name="Maple"),
    ...                     OrgUnit(id="s1", kind="school", parent="d1")])
    >>> layer = starter_layer(g, "d1")
    >>> sorted(o.id for o in layer if o.type_name == "team")
    ['d1-dit', 'd1-dlt', 'd1-exec', 's1-mtss', 's1-slt']
    >>> g.add_all(layer)
    >>> report = validate(g)
    >>> sorted({f.code for f in report})
    ['ALN007', 'COA001', 'COA002', 'COM001', 'DAT001', 'LED001', 'SUP002', 'TEA003', 'TEA004']
    >>> [(p.unit, p.status) for p in report.progress], report.notices
    ([('d1', 'started')], ())
    """
    unit = graph.get(district)
    if not isinstance(unit, OrgUnit) or unit.kind is not UnitKind.DISTRICT:
        raise UnknownIdError(district, "district")
    taken: set[str] = {getattr(o, "id", "") for o in graph}
    out: list[ModelObject] = []

    def fresh(ident: str) -> str:
        n, found = 2, ident
        while found in taken:
            found, n = f"{ident}-{n}", n + 1
        taken.add(found)
        return found

    areas = [a.id for a in graph.focus_areas(district)]
    for i in range(len(areas), focus_areas):
        area = FocusArea(id=fresh(f"{district}-fa{i + 1}"), district=district,
                         name=f"Priority focus area {i + 1} (to name)")
        out.append(area)
        areas.append(area.id)
    levels = Levels(graph)
    schools = [u for u in graph.descendants(district) if u.kind is UnitKind.SCHOOL]
    mine: dict[tuple[str, ProductKind], str] = {}
    for level in (unit, *schools):
        have = {t.kind for t in graph.teams_of(level.id)}
        for team_kind in (DISTRICT_TEAMS if level is unit else SCHOOL_TEAMS):
            if team_kind not in have:
                name = f"{level.name or level.id} {team_kind.label}"
                out.append(Team(id=fresh(f"{level.id}-{_SHORT[team_kind]}"), kind=team_kind,
                                unit=level.id, name=name))
        for kind, cls, prefix, title in _PRODUCTS:
            own = graph.products_of(level.id, kind)
            if own:
                mine[(level.id, kind)] = own[0].id
                continue
            if level is unit:
                expected = levels.expected(level.id, kind)
                above = expected.targets[0] if expected and expected.targets else None
            else:
                above = mine.get((district, kind))
            extra: dict[str, Any] = {}
            if kind is ProductKind.VISION and level is unit:
                extra["addresses"] = tuple(areas)
            if kind is ProductKind.IMPROVEMENT_PLAN:
                extra["focus_areas"] = tuple(areas[:1])
            product = cls(id=fresh(f"{prefix}-{level.id}"), owner=level.id, aligned_to=above,
                          title=title, **extra)
            out.append(product)
            mine[(level.id, kind)] = product.id
    return out
