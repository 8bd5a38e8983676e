"""IMP: schools implementing MTSS with no implementation team to support them."""

from __future__ import annotations

from ..graph import AlignmentGraph
from ..model import (
    OrgUnit,
    Team,
    TeamKind,
    UnitKind,
    label,
)
from ._dates import FROM_STAGE, _group_all, _implementing
from ._protocol import RuleContext, Violation, rule
from .reads import UNCHANGED, ids_in, structural

__all__ = ['school_without_implementation_team']

#: The family of codes this module declares.
PREFIX = "IMP"


@rule(
    code="IMP001",
    about_absence=True,
    name="school-without-implementation-team",
    severity="error",
    needs_as_of=True,
    settings=[FROM_STAGE],
    source="Who owns MTSS (citing Fixsen et al.)",
    why=("With competent implementation teams over 80% of sites used the practices with "
         "fidelity, without them only 30%, and the time to fidelity fell from 7 to 3.6 years "
         "(Who owns MTSS, citing Fixsen et al. 2001). A school implementing MTSS needs a "
         "district implementation team behind it."),
    fix="Form a district implementation team serving the school's district.",
    example="'sch-annex' is in initial implementation but 'dist-oak' has no implementation "
            "team: IMP001 fires on the school.",
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.SCHOOL),
    prepare=_group_all,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED,
           "team": structural(lambda graph, ctx, team: _schools_below(graph, team))},
    labels_only=True,
)
def school_without_implementation_team(graph: AlignmentGraph, ctx: RuleContext,
                                       school: OrgUnit) -> Violation | None:
    """A school in implementation without a district implementation team behind it."""
    if school.kind is not UnitKind.SCHOOL or _implementing(graph, school.id, ctx) is None:
        return None
    district = graph.nearest(school.id, UnitKind.DISTRICT)
    above = district or graph.nearest(school.id, UnitKind.ISD)
    if above is None or graph.teams_of(above.id, TeamKind.DISTRICT_IMPLEMENTATION):
        return None
    return Violation(
        subject=school.id,
        message=(f"{label(school)} is implementing MTSS but {label(above)} has no "
                 "implementation team behind it"),
        hint=f"form a district implementation team serving {above.id!r}",
        related=(above.id,))


def _schools_below(graph: AlignmentGraph, team: Team) -> list[str]:
    """IMP001 looks to a district's implementation team from its schools."""
    if team.kind is not TeamKind.DISTRICT_IMPLEMENTATION or team.unit not in graph:
        return []
    return [u.id for u in (graph.node(team.unit), *graph.descendants(team.unit))
            if u.kind is UnitKind.SCHOOL]


#: The family's rules, in code order.
RULES = (school_without_implementation_team,)
