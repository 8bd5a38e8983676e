"""What each edit can change, per kind of object and per rule (read by :class:`Session`).

For every shipped rule, :data:`READS` names the kinds of object it reads; for each kind,
:data:`EDIT_SCOPE` says, per rule reading it, which subjects an edit of one such object can
change, with their fresh findings (a :data:`Patch`), or that the rule must be re-run.  The
per-subject checks are the rules' own (each rule is written as a loop over its subjects).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from ._engine import (
    RuleContext,
    Violation,
)
from ._graph import ADDRESSES, FOCUS_OF, WORKS_ON, AlignmentGraph
from ._levels import Levels
from ._model import (
    FocusArea,
    ImprovementPlan,
    Membership,
    OrgUnit,
    Person,
    Product,
    Role,
    Team,
    TeamKind,
    UnitKind,
    Vision,
)
from ._practice_model import Protocol
from ._rules_alignment import levels_for, missing_products
from ._rules_data import plan_without_sources
from ._rules_focus import (
    areas_not_in_vision,
    areas_outside_district,
    district_without_focus,
    focus_overload,
)
from ._rules_people import (
    housed_in_special_education,
    lead_unit,
    missing_domains,
    unit_without_lead,
)
from ._rules_practice import (
    allocation_missing,
    coaches_in,
    meeting_time_missing,
    protocol_overdue,
    skills_uncovered,
    team_links,
    team_without_coach,
    unlinked_team,
)
from ._rules_structure import no_isd_above, not_a_partner
from ._rules_teams import (
    district_teams_missing,
    liaison_gap,
    missing_constituency,
    school_teams_missing,
)
from ._rules_time import (
    agenda_missed,
    assessment_overdue,
    below_target,
    meeting_overdue,
    no_implementation_team,
    product_review_overdue,
    record_in_future,
    stage_conflicts,
    stage_regressions,
    stage_skips,
    unready_starts,
    update_overdue,
)
from ._time_model import StageRecord, to_duration

__all__ = ["EDIT_SCOPE", "READS", "Patch", "Scope"]

_ALN_KIND = {"ALN001": "vision", "ALN002": "non-negotiables", "ALN003": "improvement-plan"}
_PRODUCTS = frozenset({"vision", "non_negotiables", "improvement_plan"})
_TREE = frozenset({"unit", "team", "person", "membership"})
#: The objects whose names appear in messages.
_NAMES = frozenset({"unit", "team", "person"})
_TIME = frozenset({"stage_record", "unit"})

#: What each shipped rule reads, by type name; a rule not listed reads everything.
READS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("ALN001", "ALN002", "ALN003", "ALN004", "ALN005", "ALN006"),
                    _PRODUCTS | _TREE),
    "FOC001": frozenset({"focus_area", "unit"}),
    "FOC002": frozenset({"focus_area", "unit", "team"}),
    "FOC003": frozenset({"focus_area", "unit", "team", "vision"}),
    "FOC004": frozenset({"improvement_plan", "vision", "focus_area"}) | _TREE,
    "TEA001": frozenset({"unit", "team"}),
    "TEA002": frozenset({"unit", "team"}),
    "TEA003": frozenset({"team", "membership"}),
    "TEA004": frozenset({"unit", "team", "membership"}),
    **dict.fromkeys(("LED001", "LED002", "LED003"), _TREE),
    "DAT001": frozenset({"improvement_plan"}) | _NAMES,
    "DAT002": frozenset({"risk_threshold", "unit"}),
    **{c: frozenset() for c in ("STR001", "STR002", "STR003", "STR004")},
    "SUP001": frozenset({"unit"}),
    "SUP002": frozenset({"unit"}),
    "CAD001": _TIME | {"team", "meeting"},
    "CAD002": _TIME | {"team", "meeting"},
    "CAD003": _TIME | {"team", "status_update", "membership"},
    "CAD004": _PRODUCTS | _NAMES,
    **{c: _TIME | {"readiness_assessment"} for c in ("STG001", "STG002", "STG003", "STG004",
                                                     "STG005")},
    "FID001": _TIME | {"fidelity_assessment"},
    "FID002": _TIME | {"fidelity_assessment"},
    "IMP001": _TIME | {"team"},
    "COA001": frozenset({"team", "membership"}),
    "COA002": _TREE,
    "RES001": _TIME | {"resource_allocation", "team"},
    "RES002": _TIME | {"resource_allocation", "team"},
    **{c: frozenset({"barrier", "team", "unit"}) for c in ("BAR001", "BAR002", "BAR003")},
    "COM001": frozenset({"protocol", "team", "unit"}),
    "COM002": frozenset({"protocol"}),
}


#: What an edit changes for one rule: ``None`` nothing, ``"rerun"`` anything (re-run the
#: rule), or the subjects whose findings it changes with their fresh findings (``None``
#: where a subject is now clean).
Patch = tuple[set[str], list[Violation | None]]
Scope = Callable[[AlignmentGraph, RuleContext, Any], "Patch | Literal['rerun'] | None"]

#: The alignment rules, re-checked product by product (by :class:`Session` itself):
#: for a seat, the seated person's products (their level follows their seats); for a
#: product, the product and those whose level above it belongs to.
_ALN = frozenset({"ALN001", "ALN002", "ALN003", "ALN004", "ALN005"})
#: Loops (ALN004) follow ``aligned_to`` alone.
_SEAT_ALN = _ALN - {"ALN004"}


def _unchanged(graph: AlignmentGraph, ctx: RuleContext, obj: Any) -> None:
    return None


# --- ALN006: levels without a product they need ---------------------------------------


def _level_ids(levels: Levels, owner_ids: Any) -> set[str]:
    """The ids of the levels (units, or teams that are levels) of ``owner_ids``."""
    return {lvl[1] for lvl in map(levels.of, owner_ids) if lvl[0] != "person"}


def _missing_patch(graph: AlignmentGraph, ctx: RuleContext, subjects: set[str]) -> Patch:
    present_ = [s for s in subjects if s in graph]
    return subjects, [v for s in present_ for v in missing_products(graph, ctx, s)]


def _product_missing(graph: AlignmentGraph, ctx: RuleContext, product: Product) -> Patch:
    """A product's own level, and the level(s) it looks up to (waited on, or not)."""
    levels = levels_for(graph, ctx)
    expected = levels.expected(product.owner, product.kind)
    anchors = () if expected is None else expected.anchors
    return _missing_patch(graph, ctx, _level_ids(levels, (product.owner, *anchors)))


def _seat_missing(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch | None:
    """A seat moves what a person's products look up to: their teams' levels."""
    if not graph.products_of(seat.person):
        return None
    levels = levels_for(graph, ctx)
    teams = [t.id for t in graph.teams_of_person(seat.person)]
    return _missing_patch(graph, ctx, _level_ids(levels, {seat.team, *teams}))


def _unit_missing(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Patch:
    return _missing_patch(graph, ctx, {unit.id})


def _team_missing(graph: AlignmentGraph, ctx: RuleContext, team: Team) -> Patch:
    """A team is a level of its own (an instructional team serving a school) or one of
    its unit's level's owners (named in the hint)."""
    return _missing_patch(graph, ctx, {team.id, team.unit})


def _rerun_it(graph: AlignmentGraph, ctx: RuleContext, obj: Any) -> Literal["rerun"]:
    return "rerun"


# --- seats: a membership added or removed --------------------------------------------------


def _composition_of(graph: AlignmentGraph, team: Team, ctx: RuleContext) -> Violation | None:
    wanted = ctx["composition"].get(team.kind.value)
    return None if wanted is None else missing_constituency(graph, team, wanted)


def _coach_of(graph: AlignmentGraph, team: Team, ctx: RuleContext) -> Violation | None:
    return team_without_coach(graph, team) if team.kind is TeamKind.SCHOOL_LEADERSHIP else None


def _composition(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch:
    return {seat.team}, [_composition_of(graph, graph._obj(seat.team), ctx)]


def _coach(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch:
    return {seat.team}, [_coach_of(graph, graph._obj(seat.team), ctx)]


def _liaison(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch | None:
    return _liaison_gaps(graph, ctx, graph._obj(seat.team))


def _liaison_gaps(graph: AlignmentGraph, ctx: RuleContext, team: Team) -> Patch | None:
    """TEA004 for the executive teams a team's change can concern (its unit's)."""
    if team.kind not in {TeamKind.EXECUTIVE_LEADERSHIP, TeamKind.DISTRICT_IMPLEMENTATION}:
        return None
    executive = graph.teams_of(team.unit, TeamKind.EXECUTIVE_LEADERSHIP)
    return ({t.id for t in executive} | {team.id},
            [liaison_gap(graph, t) for t in executive])


def _update(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch:
    team: Team = graph._obj(seat.team)  # an executive team names its liaisons
    return {team.id}, [update_overdue(graph, team, ctx)]


def _skills(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch | None:
    district = graph.nearest(graph._obj(seat.team).unit, UnitKind.DISTRICT)
    if Role.COACH not in seat.roles or district is None:
        return None
    return _district_skills(graph, ctx, district)


def _coach_gap(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
               ) -> list[Violation | None]:
    """COA002 for a unit: a district's coaches' skills (or the lack of any coach)."""
    if unit.kind is not UnitKind.DISTRICT:
        return []
    return [skills_uncovered(graph, unit.id, coaches_in(graph, unit.id), ctx["skills"])]


def _district_skills(graph: AlignmentGraph, ctx: RuleContext, district: OrgUnit) -> Patch:
    return {district.id}, [skills_uncovered(graph, district.id,
                                            coaches_in(graph, district.id), ctx["skills"])]


def _person_plans(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch:
    # a person's district follows their seats when they have no unit of their own
    named = [p for p in graph.products_of(seat.person)
             if isinstance(p, (ImprovementPlan, Vision))]
    return {p.id for p in named}, [v for p in named for v in areas_outside_district(graph, p)]


def _unit_lead(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch | None:
    if Role.MTSS_LEAD not in seat.roles:
        return None
    unit = graph._obj(graph._obj(seat.team).unit)
    return {unit.id}, [unit_without_lead(graph, unit, ctx["levels"])]


def _lead_scope(check: Callable[[AlignmentGraph, Person, str, RuleContext], Violation | None]
                ) -> Scope:
    """LED002/LED003: a lead's seat re-checks the lead (and the unit their finding names)."""
    def scope(graph: AlignmentGraph, ctx: RuleContext, seat: Membership) -> Patch | None:
        if Role.MTSS_LEAD not in seat.roles:
            return None
        unit = lead_unit(graph, seat.person, ctx["levels"])
        return {seat.person}, [None if unit is None
                               else check(graph, graph._obj(seat.person), unit, ctx)]
    return scope


# --- focus areas -----------------------------------------------------------------------------


def _district_of(graph: AlignmentGraph, area: FocusArea) -> OrgUnit | None:
    district: OrgUnit | None = graph.get(area.district)  # type: ignore[assignment]
    return district


def _overload(graph: AlignmentGraph, ctx: RuleContext, area: FocusArea) -> Patch | None:
    unit = _district_of(graph, area)
    return None if unit is None else (
        {unit.id}, [focus_overload(graph, unit, ctx["max_focus_areas"])])


def _none_named(graph: AlignmentGraph, ctx: RuleContext, area: FocusArea) -> Patch | None:
    unit = _district_of(graph, area)
    return None if unit is None else ({unit.id}, [district_without_focus(graph, unit)])


def _areas_in_vision(graph: AlignmentGraph, ctx: RuleContext, area: FocusArea) -> Patch:
    unit = _district_of(graph, area)
    if unit is None:
        return {area.id}, []
    return ({unit.id, area.id, *graph._in(unit.id, FOCUS_OF)},
            list(areas_not_in_vision(graph, unit)))


def _plans_on(graph: AlignmentGraph, ctx: RuleContext, area: FocusArea) -> Patch:
    """FOC004 for the visions and plans that name the focus area."""
    named = ([graph._obj(p) for p, keys in graph._pred[area.id].items()
              if WORKS_ON in keys or ADDRESSES in keys] if area.id in graph else [])
    return {p.id for p in named}, [v for p in named for v in areas_outside_district(graph, p)]


# --- time records: per team or per unit --------------------------------------------------

TeamCheck = Callable[[AlignmentGraph, Team, RuleContext], Violation | None]
UnitCheck = Callable[[AlignmentGraph, RuleContext, str], Iterable[Violation]]


def _team_scope(check: TeamCheck, team_of: Callable[[Any], str]) -> Scope:
    """A team's findings, for a record of that team (a meeting, a status update)."""
    def scope(graph: AlignmentGraph, ctx: RuleContext, record: Any) -> Patch:
        team = graph._obj(team_of(record))
        return {team.id}, [check(graph, team, ctx)]
    return scope


def _unit_teams_scope(check: TeamCheck) -> Scope:
    """The findings of a unit's teams, for a stage record of that unit."""
    def scope(graph: AlignmentGraph, ctx: RuleContext, record: Any) -> Patch:
        teams = graph.teams_of(record.unit)
        return {t.id for t in teams}, [check(graph, t, ctx) for t in teams]
    return scope


def _unit_scope(check: UnitCheck, subjects: Callable[[AlignmentGraph, str], Iterable[str]]
                = lambda graph, unit_id: (unit_id,)) -> Scope:
    """A unit's findings (about ``subjects``), for a record of that unit."""
    def scope(graph: AlignmentGraph, ctx: RuleContext, record: Any) -> Patch:
        return ({record.id, *subjects(graph, record.unit)},
                list(check(graph, ctx, record.unit)))
    return scope


def _one(check: Callable[[AlignmentGraph, RuleContext, OrgUnit], Violation | None]
         ) -> UnitCheck:
    """A unit check made of one that takes the unit and finds at most one violation."""
    def per_unit(graph: AlignmentGraph, ctx: RuleContext, unit_id: str) -> list[Violation]:
        found = check(graph, ctx, graph._obj(unit_id))
        return [] if found is None else [found]
    return per_unit


def _stage_ids(graph: AlignmentGraph, unit_id: str) -> list[str]:
    return [r.id for r in graph.stage_records(unit_id)]


def _fidelity_ids(graph: AlignmentGraph, unit_id: str) -> list[str]:
    return [a.id for a in graph.fidelity_assessments(unit_id)]


def _future(graph: AlignmentGraph, ctx: RuleContext, record: StageRecord) -> Patch:
    present = _present(graph, record)
    return {record.id}, [record_in_future(graph, record, ctx) if present else None]


def _protocol_teams(graph: AlignmentGraph, ctx: RuleContext, p: Protocol) -> Patch:
    teams = [graph._obj(t) for t in {p.from_team, p.to_team}]
    return ({t.id for t in teams},
            [unlinked_team(graph, t, team_links(graph, t.id)) for t in teams])


def _protocol_review(graph: AlignmentGraph, ctx: RuleContext, p: Protocol) -> Patch:
    return {p.id}, [protocol_overdue(p, ctx) if _present(graph, p) else None]


_FIDELITY: dict[str, Scope] = {
    "FID001": _unit_scope(below_target, _fidelity_ids),
    "FID002": _unit_scope(_one(lambda g, ctx, u: assessment_overdue(g, ctx, u.id))),
}
_ALLOCATION: dict[str, Scope] = {
    "RES001": _unit_scope(_one(allocation_missing)),
    "RES002": _unit_scope(_one(meeting_time_missing)),
}
_READINESS: dict[str, Scope] = {"STG005": _unit_scope(unready_starts)}
_STAGES: dict[str, Scope] = {
    "CAD001": _unit_teams_scope(agenda_missed),
    "CAD002": _unit_teams_scope(meeting_overdue),
    "CAD003": _unit_teams_scope(update_overdue),
    "STG001": _future,
    "STG002": _unit_scope(stage_skips, _stage_ids),
    "STG003": _unit_scope(stage_regressions, _stage_ids),
    "STG004": _unit_scope(stage_conflicts, _stage_ids),
    **_READINESS, **_FIDELITY, **_ALLOCATION,
    "IMP001": _unit_scope(_one(no_implementation_team)),
}


# --- org units and teams, added (nothing refers to them yet) or removed (nothing did) ---
# A unit or team changed in place is re-run in full (a rename is patched: see Session).

OwnUnitCheck = Callable[[AlignmentGraph, RuleContext, OrgUnit], Iterable[Violation | None]]


def _own(check: OwnUnitCheck) -> Scope:
    """A unit's own findings, for the unit (added or removed) or a team serving it."""
    def scope(graph: AlignmentGraph, ctx: RuleContext, obj: OrgUnit | Team) -> Patch:
        if isinstance(obj, Team):
            unit = graph._obj(obj.unit)
        elif _present(graph, obj):
            unit = obj
        else:
            return {obj.id}, []
        return {unit.id}, list(check(graph, ctx, unit))
    return scope


def _team_own(check: TeamCheck) -> Scope:
    """A team's own findings, for the team added or removed."""
    def scope(graph: AlignmentGraph, ctx: RuleContext, team: Team) -> Patch:
        return {team.id}, [check(graph, team, ctx) if _present(graph, team) else None]
    return scope


def _implementation_team(graph: AlignmentGraph, ctx: RuleContext, team: Team
                         ) -> Patch | None:
    """IMP001 and COM001 look to a district's implementation team from its schools."""
    if team.kind is not TeamKind.DISTRICT_IMPLEMENTATION:
        return None
    below = [u for u in (graph._obj(team.unit), *graph.descendants(team.unit))
             if u.kind is UnitKind.SCHOOL]
    return {u.id for u in below}, [no_implementation_team(graph, ctx, u) for u in below]


def _school_team_links(graph: AlignmentGraph, ctx: RuleContext, team: Team) -> Patch:
    """COM001: the team itself, and for an implementation team every school team below."""
    teams = [team] if _present(graph, team) else []
    if team.kind is TeamKind.DISTRICT_IMPLEMENTATION:
        teams += [t for u in graph.descendants(team.unit) for t in graph.teams_of(u.id)]
    return ({team.id, *(t.id for t in teams)},
            [unlinked_team(graph, t, team_links(graph, t.id)) for t in teams])


def _partner(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Patch:
    """SUP001: the unit if an ISD, and the ISD above it (which lists its units)."""
    units = [u for u in (unit, graph.get(unit.parent or "")) if isinstance(u, OrgUnit)]
    present = [u for u in units if _present(graph, u)]
    return {u.id for u in units}, [not_a_partner(graph, u) for u in present]


_UNIT_CHECKS: dict[str, OwnUnitCheck] = {
    "FOC002": lambda g, ctx, u: [district_without_focus(g, u)],
    "TEA001": lambda g, ctx, u: district_teams_missing(ctx, u, g.teams_of(u.id)),
    "TEA002": lambda g, ctx, u: [school_teams_missing(ctx, u, g.teams_of(u.id))],
    "LED001": lambda g, ctx, u: [unit_without_lead(g, u, ctx["levels"])],
    "RES001": lambda g, ctx, u: [allocation_missing(g, ctx, u)],
    "RES002": lambda g, ctx, u: [meeting_time_missing(g, ctx, u)],
}
#: A unit alone (no teams, people, products, focus areas or records) appears only in its
#: own findings of these rules; the ISD rules (cheap) are re-run.
_UNIT_SCOPE: dict[str, Scope] = {
    **{code: _unchanged for code, reads in READS.items() if "unit" in reads},
    **{code: _own(_UNIT_CHECKS[code]) for code in ("FOC002", "TEA001", "TEA002", "LED001")},
    "SUP001": _partner,
    "SUP002": _own(lambda g, ctx, u: [no_isd_above(g, u)]),
    "ALN006": _unit_missing,
    "COA002": _own(_coach_gap),
}
#: A team alone (no members, products or records) changes its unit's and its own findings
#: (a meeting-less team is never off the agenda: CAD001 is unchanged).
_TEAM_SCOPE: dict[str, Scope] = {
    **{code: _unchanged for code, reads in READS.items() if "team" in reads},
    **{code: _own(_UNIT_CHECKS[code]) for code in ("FOC002", "TEA001", "TEA002", "LED001",
                                                   "RES001", "RES002")},
    "ALN006": _team_missing,
    "COA002": _own(_coach_gap),  # names the district's teams when it has no coach
    "TEA003": _team_own(_composition_of),
    "TEA004": _liaison_gaps,
    "COA001": _team_own(_coach_of),
    "CAD002": _team_own(meeting_overdue),
    "CAD003": _team_own(update_overdue),
    "IMP001": _implementation_team,
    "COM001": _school_team_links,
    **dict.fromkeys(("BAR001", "BAR002", "BAR003"), _rerun_it),
}


# --- visions, non-negotiables and plans --------------------------------------------------------


def _present(graph: AlignmentGraph, obj: Any) -> bool:
    """Whether ``obj`` itself (not an older version of it) is in the graph."""
    return graph.get(obj.id) is obj


def _vision_areas(graph: AlignmentGraph, ctx: RuleContext, vision: Vision) -> Patch | None:
    owner = graph.get(vision.owner)
    unit = (owner.unit if isinstance(owner, Team) else owner.id
            if isinstance(owner, OrgUnit) else None)
    district = None if unit is None else graph._obj(unit)
    if district is None or district.kind is not UnitKind.DISTRICT:
        return None
    return ({district.id, *graph._in(district.id, FOCUS_OF)},
            list(areas_not_in_vision(graph, district)))


def _product_areas(graph: AlignmentGraph, ctx: RuleContext, product: Product) -> Patch:
    return ({product.id},
            list(areas_outside_district(graph, product)) if _present(graph, product) else [])


def _plan_data(graph: AlignmentGraph, ctx: RuleContext, plan: ImprovementPlan) -> Patch:
    return {plan.id}, [plan_without_sources(graph, plan) if _present(graph, plan) else None]


def _review(graph: AlignmentGraph, ctx: RuleContext, product: Product) -> Patch:
    if not _present(graph, product):
        return {product.id}, []
    as_of = ctx.as_of
    assert as_of is not None  # CAD004 runs only with an as-of date
    return {product.id}, [product_review_overdue(graph, product, as_of,
                                                 to_duration(ctx["period"]))]


_PRODUCT_SCOPE: dict[str, Scope] = {**dict.fromkeys(_ALN, _unchanged), "CAD004": _review,
                                    "ALN006": _product_missing}

#: For each kind of object, and each shipped rule reading that kind, what adding,
#: removing or replacing one such object changes.  A rule that reads the kind but is
#: not listed is re-run.
EDIT_SCOPE: dict[str, dict[str, Scope]] = {
    "membership": {
        **dict.fromkeys(_ALN, _unchanged),
        "ALN006": _seat_missing,
        "TEA003": _composition,
        "TEA004": _liaison,
        "COA001": _coach,
        "COA002": _skills,
        "CAD003": _update,
        "FOC004": _person_plans,
        "LED001": _unit_lead,
        "LED002": _lead_scope(lambda g, person, unit, ctx: housed_in_special_education(
            g, person, unit)),
        "LED003": _lead_scope(lambda g, person, unit, ctx: missing_domains(
            g, person, unit, ctx["domains"])),
    },
    "focus_area": {"FOC001": _overload, "FOC002": _none_named, "FOC003": _areas_in_vision,
                   "FOC004": _plans_on},
    "vision": {**_PRODUCT_SCOPE, "FOC003": _vision_areas, "FOC004": _product_areas},
    "non_negotiables": _PRODUCT_SCOPE,
    "improvement_plan": {**_PRODUCT_SCOPE, "FOC004": _product_areas, "DAT001": _plan_data},
    # a person added has nothing referring to them yet, and one is removed only once
    # nothing does (no seats, no products): either way they are in no finding
    "meeting": {"CAD001": _team_scope(agenda_missed, lambda m: m.team),
                "CAD002": _team_scope(meeting_overdue, lambda m: m.team)},
    "status_update": {"CAD003": _team_scope(update_overdue, lambda u: u.team)},
    "stage_record": _STAGES,
    "readiness_assessment": {**dict.fromkeys(("STG001", "STG002", "STG003", "STG004"),
                                             _unchanged), **_READINESS},
    "fidelity_assessment": _FIDELITY,
    "resource_allocation": _ALLOCATION,
    "protocol": {"COM001": _protocol_teams, "COM002": _protocol_review},
    "unit": _UNIT_SCOPE,
    "team": _TEAM_SCOPE,
    "person": {code: _unchanged for code, reads in READS.items() if "person" in reads},
}
