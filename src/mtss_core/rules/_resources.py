"""RES: resources allocated for MTSS, protected meeting time in schools."""

from __future__ import annotations

from ..graph import AlignmentGraph
from ..model import (
    OrgUnit,
    ResourceCategory,
    UnitKind,
    label,
)
from ._dates import FROM_STAGE, _as_of, _group_all, _implementing
from ._protocol import RuleContext, Setting, Violation, among, rule
from ._teams import unit_context
from .reads import ITS_UNIT, UNCHANGED, ids_in

__all__ = ['missing_allocation', 'no_protected_meeting_time']

#: The family of codes this module declares.
PREFIX = "RES"


@rule(
    code="RES001",
    about_absence=True,
    name="missing-allocation",
    severity="warning",
    needs_as_of=True,
    settings=[FROM_STAGE,
              Setting(name="categories", default=list(ResourceCategory.values()),
                      check=among(ResourceCategory.values(), "categories"),
                      doc="The categories a unit in implementation must allocate."),
              Setting(name="levels", default=["district"],
                      check=among(UnitKind.values(), "unit kinds"),
                      doc="The kinds of unit checked.")],
    source="Leadership personnel; MIBLSI executive leadership",
    why=("Leaders allocate the necessary resources — budget, staffing, schedule and "
         "professional learning — to show that MTSS is a priority (Leadership personnel); "
         "the executive team allocates resources for MTSS (MIBLSI)."),
    fix="Record the allocation the unit makes in the missing category.",
    example="'dist-oak' is implementing but has no professional-learning allocation current: "
            "RES001 fires.",
    subjects="unit",
    select=lambda graph, ctx: [u for kind in ctx["levels"] for u in graph.units(kind)],
    prepare=_group_all,
    reads={"resource_allocation": ids_in("unit"), "stage_record": ids_in("unit"),
           "unit": UNCHANGED,
           "team": ITS_UNIT},
    labels_only=True,
)
def missing_allocation(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                       ) -> Violation | None:
    """A unit in implementation with no current allocation in a required category."""
    if unit.kind not in ctx["levels"] or _implementing(graph, unit.id, ctx) is None:
        return None
    as_of = _as_of(ctx)
    current = {a.category.value for a in graph.allocations(unit.id) if a.current(as_of)}
    missing = [c for c in ctx["categories"] if c not in current]
    if not missing:
        return None
    return Violation(
        subject=unit.id,
        message=(f"{label(unit)} is implementing MTSS with no current allocation "
                 "for: " + ", ".join(missing)),
        hint="record what the unit allocates: " + ", ".join(missing),
        related=(*(a.id for a in graph.allocations(unit.id)),
                 *unit_context(unit, graph.teams_of(unit.id))))


@rule(
    code="RES002",
    about_absence=True,
    name="no-protected-meeting-time",
    severity="warning",
    needs_as_of=True,
    settings=[FROM_STAGE],
    source="Leadership personnel; Who owns MTSS",
    why=("School leaders decide the schedule so that staff have the time to implement MTSS "
         "(Leadership personnel); school teams orchestrate when grade, content and schoolwide "
         "MTSS meetings happen (Who owns MTSS). Without protected time they do not happen."),
    fix="Record the schedule allocation (minutes per week) protected for MTSS team meetings.",
    example="'sch-annex' is implementing with no current schedule allocation: RES002 fires.",
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.SCHOOL),
    prepare=_group_all,
    reads={"resource_allocation": ids_in("unit"), "stage_record": ids_in("unit"),
           "unit": UNCHANGED,
           "team": ITS_UNIT},
    labels_only=True,
)
def no_protected_meeting_time(graph: AlignmentGraph, ctx: RuleContext, school: OrgUnit
                              ) -> Violation | None:
    """A school in implementation whose schedule protects no time for MTSS team meetings."""
    if school.kind is not UnitKind.SCHOOL or _implementing(graph, school.id, ctx) is None:
        return None
    as_of = _as_of(ctx)
    if any(a.category is ResourceCategory.SCHEDULE and a.current(as_of)
           for a in graph.allocations(school.id)):
        return None
    return Violation(
        subject=school.id,
        message=(f"{label(school)} is implementing MTSS but its schedule protects no "
                 "time for MTSS team meetings"),
        hint="record a schedule allocation for MTSS team meetings",
        related=unit_context(school, graph.teams_of(school.id)))


#: The family's rules, in code order.
RULES = (missing_allocation, no_protected_meeting_time)
