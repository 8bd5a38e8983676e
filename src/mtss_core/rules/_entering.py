"""ENT: entering implementation: an accepted application before installation, commitments
signed by the executive team, buy-in before installation."""

from __future__ import annotations

from typing import Any

import pendulum

from ..graph import AlignmentGraph
from ..model import (
    CohortApplication,
    OrgUnit,
    Stage,
    TeamKind,
    label,
)
from ._protocol import Edit, RuleContext, Setting, Violation, rule
from .reads import ITSELF

__all__ = ["buy_in_below_criterion", "commitment_not_signed_by_executive",
           "installation_without_application"]

#: The family of codes this module declares.
PREFIX = "ENT"

_MIBLSI = "MIBLSI: entering a cohort; Leadership personnel"


def _installation_began(graph: AlignmentGraph, unit: str) -> pendulum.Date | None:
    """When the unit first entered installation (or a later stage) of MTSS."""
    days = [r.entered_on for r in graph.stage_records(unit, "mtss")
            if r.stage.order >= Stage.INSTALLATION.order]
    return min(days) if days else None


def _applications(graph: AlignmentGraph) -> list[CohortApplication]:
    return list(graph.objects("cohort_application"))


def _apps_of_units(graph: AlignmentGraph, units: set[str]) -> set[str]:
    return {a.id for a in _applications(graph) if a.unit in units}


def _apps_of_stage(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    return _apps_of_units(graph, {r.unit for r in edit.versions})


def _apps_of_cohort(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    cohorts = {c.id for c in edit.versions}
    return {a.id for a in _applications(graph) if a.cohort in cohorts}


@rule(
    code="ENT001",
    name="installation-without-application",
    severity="warning",
    source=_MIBLSI,
    why=("A unit enters a training cohort by applying: the application guides it through "
         "exploration, and acceptance is the program's word that it is ready; installing "
         "before then skips the agreements the program relies on."),
    fix="Complete the application and have it accepted before installation begins (or "
        "record the acceptance date).",
    example=("'dist-oak' applied to cohort 'miblsi-c12' and entered installation on "
             "2025-08-01; the application was never accepted: ENT001 fires."),
    subjects="cohort_application",
    reads={"cohort_application": ITSELF, "stage_record": _apps_of_stage,
           "cohort": _apps_of_cohort},
    labels_only=True,
)
def installation_without_application(graph: AlignmentGraph, ctx: RuleContext,
                                     app: CohortApplication) -> Violation | None:
    """Installation begun before the application to a cohort that requires one was
    accepted."""
    cohort: Any = graph.get(app.cohort)
    if cohort is None or not cohort.requires_application or app.unit not in graph:
        return None
    began = _installation_began(graph, app.unit)
    if began is None or (app.accepted_on is not None and app.accepted_on <= began):
        return None
    when = ("was never accepted" if app.accepted_on is None
            else f"was accepted on {app.accepted_on}")
    return Violation(
        subject=app.id,
        message=(f"{label(graph.node(app.unit))} entered installation on {began}, but its "
                 f"application {app.id!r} to cohort {app.cohort!r} {when}"),
        hint="record the acceptance, or hold installation until the application is accepted",
        related=(app.unit, app.cohort))


def _apps_of_team(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A seat on, or a change of, an executive team: the applications of its unit."""
    units: set[str] = set()
    for version in edit.versions:
        team: Any = version if version.type_name == "team" else graph.get(version.team)
        if team is not None and team.kind is TeamKind.EXECUTIVE_LEADERSHIP:
            units.add(team.unit)
    return _apps_of_units(graph, units)


@rule(
    code="ENT002",
    name="commitment-not-signed-by-executive",
    severity="warning",
    source=_MIBLSI,
    why=("Executive leadership shows it understands and agrees to the commitment (MTSS as "
         "a regular agenda item once implementation begins, protected time, a coordinator) "
         "by signing it; a commitment no executive signed binds no one who decides."),
    fix="Have a member of the unit's executive leadership team sign each commitment, and "
        "record who and when.",
    example=("Application 'app-oak' commits to MTSS on every executive agenda, signed by "
             "the MTSS coach: ENT002 fires on it."),
    subjects="cohort_application",
    reads={"cohort_application": ITSELF, "membership": _apps_of_team,
           "team": _apps_of_team},
    labels_only=True,
)
def commitment_not_signed_by_executive(graph: AlignmentGraph, ctx: RuleContext,
                                       app: CohortApplication) -> Violation | None:
    """A commitment of an application not signed by a member of the unit's executive
    leadership team (on the day it was signed)."""
    if app.unit not in graph or not app.commitments:
        return None
    teams = graph.teams_of(app.unit, TeamKind.EXECUTIVE_LEADERSHIP)
    unsigned = []
    for c in app.commitments:
        on = c.signed_on or app.submitted_on
        executives = {m.person for t in teams for m in graph.members(t.id, on)}
        if c.signed_by is None or c.signed_by not in executives:
            who = "no one" if c.signed_by is None else repr(c.signed_by)
            unsigned.append(f"{c.text!r} (signed by {who})")
    if not unsigned:
        return None
    return Violation(
        subject=app.id,
        message=(f"application {app.id!r} of {label(graph.node(app.unit))} has commitments "
                 "no member of its executive leadership team signed: " + "; ".join(unsigned)),
        hint="have the executive team sign each commitment",
        related=(app.unit, *(t.id for t in teams)))


def _check_percent(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        return "expected a percentage above 0 and at most 100"
    return None


def _unit_of(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    return {v.unit for v in edit.versions}


@rule(
    code="ENT003",
    name="buy-in-below-criterion",
    severity="warning",
    settings=[Setting(name="criterion", default=80, check=_check_percent,
                      doc="The share of staff who must agree before installation "
                          "(80% is a common readiness criterion).")],
    source=f"{_MIBLSI}; readiness",
    why=("Installing MTSS where fewer than four in five staff agree to take it on spends "
         "the first year arguing the case instead of building the system."),
    fix="Build buy-in in exploration (share the data and the vision, answer concerns) and "
        "survey again before installation.",
    example=("'dist-oak' surveyed its staff on 2025-05-01 (64% agreeing) and entered "
             "installation on 2025-08-01: ENT003 fires on it."),
    subjects="unit",
    select=lambda graph, ctx: [graph.node(u) for u in dict.fromkeys(
        b.unit for b in graph.objects("buy_in")) if u in graph],
    reads={"buy_in": _unit_of, "stage_record": _unit_of, "unit": ITSELF},
    labels_only=True,
)
def buy_in_below_criterion(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                           ) -> Violation | None:
    """Installation begun while the last buy-in survey before it was below the
    criterion."""
    began = _installation_began(graph, unit.id)
    if began is None:
        return None
    surveys = sorted((b for b in graph.objects("buy_in")
                      if b.unit == unit.id and b.innovation == "mtss"
                      and b.surveyed_on <= began), key=lambda b: (b.surveyed_on, b.id))
    if not surveys or surveys[-1].agreeing >= ctx["criterion"]:
        return None
    last = surveys[-1]
    return Violation(
        subject=unit.id,
        message=(f"{label(unit)} entered installation on {began} with {last.agreeing:g}% of "
                 f"staff agreeing (survey {last.id!r} on {last.surveyed_on}); the criterion "
                 f"is {ctx['criterion']:g}%"),
        hint="build buy-in and survey again before going further",
        related=(last.id,))


#: The family's rules, in code order.
RULES = (installation_without_application, commitment_not_signed_by_executive,
         buy_in_below_criterion)
