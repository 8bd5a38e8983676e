"""Rules about the designated MTSS leads (seed: Who owns MTSS)."""

from __future__ import annotations

from collections.abc import Iterable

import pendulum

from ..graph import AlignmentGraph
from ..model import Department, Domain, OrgUnit, Person, Role, Team, UnitKind, label
from ._protocol import Edit, MemoKey, RuleContext, Setting, Violation, among, rule
from ._teams import index_teams, teams_serving, unit_context
from ._walk import empty_since, leads_by_unit
from .reads import ITS_UNIT, ITSELF, UNCHANGED, with_person

__all__ = ["lead_housed_in_special_education", "lead_missing_domain", "no_mtss_lead"]

#: The family of codes this module declares.
PREFIX = "LED"

_SOURCE = "Who owns MTSS"


LEVELS = Setting(name="levels", default=["district", "school"],
                 check=among(UnitKind.values(), "unit kinds"),
                 doc="The kinds of unit that must have a designated MTSS lead.")


def _lead_units(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """Each MTSS lead with the first unit they lead (the unit their findings name), for a
    full run: every lead once, in one pass."""
    leads = leads_by_unit(graph, ctx.memo, ctx.as_of)
    first: dict[str, str] = {}
    for kind in ctx["levels"]:
        for unit in graph.units(kind):
            for person_id in leads.get(unit.id, ()):
                first.setdefault(person_id, unit.id)
    ctx.memo[("lead_units", tuple(ctx["levels"]))] = first


def _lead_of(graph: AlignmentGraph, ctx: RuleContext, person: Person) -> str | None:
    """The unit LED002 and LED003 name for ``person``, if they lead one."""
    first = ctx.memo.get(("lead_units", tuple(ctx["levels"])))
    if first is not None:
        return first.get(person.id)  # type: ignore[no-any-return]
    return lead_unit(graph, person.id, ctx["levels"], ctx.as_of)


def _lead_seat(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A lead's seat re-checks the lead (and so the unit their finding names)."""
    seat = edit.versions[0]
    return {seat.person} if Role.MTSS_LEAD in seat.roles else set()


def _unit_lead(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A lead's seat re-checks the unit the seat's team serves."""
    seat = edit.versions[0]
    if Role.MTSS_LEAD not in seat.roles or seat.team not in graph:
        return set()
    return {graph.node(seat.team).unit}


def _lead_selection(graph: AlignmentGraph, ctx: RuleContext) -> list[Person]:
    _lead_units(graph, ctx)
    return [graph.node(p) for p in ctx.memo[("lead_units", tuple(ctx["levels"]))]]


_LEAD_READS = with_person({"membership": _lead_seat,
                           "unit": UNCHANGED,
                           "team": UNCHANGED})


@rule(
    code="LED001",
    about_absence=True,
    name="no-mtss-lead",
    severity="error",
    settings=[LEVELS],
    subjects="unit",
    select=lambda graph, ctx: [u for kind in ctx["levels"] for u in graph.units(kind)],
    reads=with_person({"membership": _unit_lead,
                       "unit": ITSELF,
                       "team": ITS_UNIT}),
    prepare=lambda graph, ctx: _index_leads(graph, ctx),
    labels_only=True,
    source=_SOURCE,
    why=("MTSS needs an owner: one designated MTSS lead at the district and one at each "
         "school, who keeps the system coherent across teams (Who owns MTSS)."),
    fix=("Designate a lead: give one member of a team serving the unit the role "
         "'mtss-lead'."),
    example="School 'sch-annex' has no member with the role mtss-lead: LED001 fires on it.",
)
def no_mtss_lead(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Violation | None:
    """A district or school with no designated MTSS lead."""
    leads = ctx.memo.get(MemoKey("leads_by_unit"))
    if leads is None:
        return unit_without_lead(graph, unit, ctx["levels"], ctx.as_of)
    if unit.kind not in ctx["levels"] or unit.id in leads:
        return None
    return _no_lead(graph, unit, teams_serving(graph, ctx, unit.id), ctx.as_of)


def _index_leads(graph: AlignmentGraph, ctx: RuleContext) -> None:
    leads_by_unit(graph, ctx.memo, ctx.as_of)
    index_teams(graph, ctx)


def _no_lead(graph: AlignmentGraph, unit: OrgUnit, teams: Iterable[Team],
             as_of: pendulum.Date | None) -> Violation:
    teams = list(teams)
    return Violation(
        subject=unit.id,
        message=(f"{label(unit)} has "
                 + empty_since(graph, teams, Role.MTSS_LEAD, "no designated MTSS lead",
                               as_of)),
        hint=f"give one member of a team serving {unit.id!r} the role 'mtss-lead'",
        related=unit_context(unit, teams),
    )


def unit_without_lead(graph: AlignmentGraph, unit: OrgUnit, levels: list[str],
                      as_of: pendulum.Date | None = None) -> Violation | None:
    """LED001 for one unit: of a kind in ``levels``, with no MTSS lead on its teams (on
    ``as_of``: a seat that ended does not count)."""
    if unit.kind not in levels:
        return None
    teams = graph.teams_of(unit.id)
    if any(Role.MTSS_LEAD in m.roles for t in teams for m in graph.members(t.id, as_of)):
        return None
    return _no_lead(graph, unit, teams, as_of)


def lead_unit(graph: AlignmentGraph, person_id: str, levels: list[str],
              as_of: pendulum.Date | None = None) -> str | None:
    """The unit LED002 and LED003 name for a person: the first (in ``levels`` order, then
    the graph's) of the units they are an MTSS lead of, or ``None`` if they lead none."""
    units = {graph.node(m.team).unit for m in graph.memberships_of(person_id, as_of)
             if Role.MTSS_LEAD in m.roles}
    for kind in levels:
        for unit in graph.units(kind):
            if unit.id in units:
                return unit.id
    return None


@rule(
    code="LED002",
    name="lead-housed-in-special-education",
    severity="warning",
    settings=[LEVELS],
    subjects="person",
    select=_lead_selection,
    reads=_LEAD_READS,
    labels_only=True,
    source=_SOURCE,
    why=("MTSS is a framework for every student, not a special education process: the "
         "lead lives in Teaching and Learning or Student Supports, never solely in Special "
         "Education (Who owns MTSS)."),
    fix=("House the lead in Teaching and Learning or Student Supports (their departments), "
         "or designate a lead who is."),
    example=("The district's MTSS lead 'p-ruiz' has departments ['special-education'] only: "
             "LED002 fires on 'p-ruiz'."),
)
def lead_housed_in_special_education(graph: AlignmentGraph, ctx: RuleContext, person: Person
                                     ) -> Violation | None:
    """An MTSS lead housed solely in Special Education."""
    unit_id = _lead_of(graph, ctx, person)
    return None if unit_id is None else housed_in_special_education(graph, person, unit_id)


def housed_in_special_education(graph: AlignmentGraph, person: Person, unit_id: str
                                ) -> Violation | None:
    """LED002 for one lead of ``unit_id``."""
    if set(person.departments) != {Department.SPECIAL_EDUCATION}:
        return None
    return Violation(
        subject=person.id,
        message=(f"MTSS lead {label(person)} of {label(graph.node(unit_id))} is "
                 "housed solely in Special Education"),
        hint="house the lead in teaching-and-learning or student-supports",
        related=(unit_id,),
    )


def _check_domains(value: list[object]) -> str | None:
    for v in value:
        try:
            Domain(v)
        except ValueError:
            return f"expected domains among {list(Domain.values())}, got {value!r}"
    return None


DOMAINS = Setting(name="domains", default=["academic", "behavior", "social-emotional"],
                  check=_check_domains, doc="The domains every MTSS lead must cover.")


@rule(
    code="LED003",
    name="lead-missing-domain",
    severity="warning",
    settings=[LEVELS, DOMAINS],
    subjects="person",
    select=_lead_selection,
    reads=_LEAD_READS,
    labels_only=True,
    source=_SOURCE,
    why=("An integrated MTSS spans academics, behavior and social-emotional learning; a "
         "lead who covers only one of them splits the system back into silos "
         "(Who owns MTSS)."),
    fix="Record the lead's domains, and widen the role to cover the missing ones.",
    example=("The lead 'p-ruiz' covers academic only: LED003 fires, naming behavior and "
             "social-emotional."),
)
def lead_missing_domain(graph: AlignmentGraph, ctx: RuleContext, person: Person
                        ) -> Violation | None:
    """An MTSS lead whose work does not cover the academic, behavior and SEL domains."""
    unit_id = _lead_of(graph, ctx, person)
    return None if unit_id is None else missing_domains(graph, person, unit_id,
                                                         ctx["domains"])


def missing_domains(graph: AlignmentGraph, person: Person, unit_id: str, domains: list[str]
                    ) -> Violation | None:
    """LED003 for one lead of ``unit_id``."""
    missing = [d for d in domains if Domain(d) not in person.domains]
    if not missing:
        return None
    what = ("records no domains" if not person.domains
            else "does not cover " + ", ".join(missing))
    return Violation(
        subject=person.id,
        message=f"MTSS lead {label(person)} of {label(graph.node(unit_id))} {what}",
        hint=f"record and cover the domains: {', '.join(missing)}",
        related=(unit_id,),
    )


#: The family's rules, in code order.
RULES = (no_mtss_lead, lead_housed_in_special_education, lead_missing_domain)
