"""Rules about the designated MTSS leads (seed: Who owns MTSS)."""

from __future__ import annotations

from collections.abc import Iterator

from ._engine import RuleContext, Setting, Violation, present, rule
from ._graph import AlignmentGraph
from ._model import Department, Domain, OrgUnit, Person, Role, Team, UnitKind
from ._rules_alignment import label
from ._rules_teams import unit_context
from ._walk import leads_by_unit, teams_by_unit

__all__ = ["lead_housed_in_special_education", "lead_missing_domain", "no_mtss_lead"]

_SOURCE = "Who owns MTSS"


def _check_levels(value: object) -> str | None:
    assert isinstance(value, list)
    bad = [v for v in value if v not in UnitKind.values()]
    return f"unknown unit kinds {bad}" if bad else None


LEVELS = Setting(name="levels", default=["district", "school"], check=_check_levels,
                 doc="The kinds of unit that must have a designated MTSS lead.")


def _leads(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[tuple[str, list[str]]]:
    """(unit id, [lead person ids]) for every unit of the kinds the ``levels`` setting names."""
    leads = leads_by_unit(graph, ctx.memo)
    for kind in ctx["levels"]:
        for unit in graph.units(kind):
            yield unit.id, leads.get(unit.id, [])


def _each_lead(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[tuple[Person, str]]:
    """Each MTSS lead once, with the first unit they lead (the unit their findings name)."""
    seen: set[str] = set()
    for unit_id, leads in _leads(graph, ctx):
        for person_id in leads:
            if person_id not in seen:
                seen.add(person_id)
                yield graph._obj(person_id), unit_id


@rule(
    code="LED001",
    name="no-mtss-lead",
    severity="error",
    settings=[LEVELS],
    source=_SOURCE,
    why=("MTSS needs an owner: one designated MTSS lead at the district and one at each "
         "school, who keeps the system coherent across teams (Who owns MTSS)."),
    fix=("Designate a lead: give one member of a team serving the unit the role "
         "'mtss-lead'."),
    example="School 'sch-annex' has no member with the role mtss-lead: LED001 fires on it.",
)
def no_mtss_lead(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
    """A district or school with no designated MTSS lead."""
    teams = teams_by_unit(graph, ctx.memo)
    for unit_id, leads in _leads(graph, ctx):
        if not leads:
            yield _no_lead(graph._obj(unit_id), teams.get(unit_id, []))


def _no_lead(unit: OrgUnit, teams: list[Team]) -> Violation:
    return Violation(
        subject=unit.id,
        message=f"{label(unit)} has no designated MTSS lead",
        hint=f"give one member of a team serving {unit.id!r} the role 'mtss-lead'",
        related=unit_context(unit, teams),
    )


def unit_without_lead(graph: AlignmentGraph, unit: OrgUnit, levels: list[str]
                      ) -> Violation | None:
    """LED001 for one unit: of a kind in ``levels``, with no MTSS lead on its teams."""
    if unit.kind not in levels:
        return None
    teams = graph.teams_of(unit.id)
    if any(Role.MTSS_LEAD in m.roles for t in teams for m in graph.members(t.id)):
        return None
    return _no_lead(unit, teams)


def lead_unit(graph: AlignmentGraph, person_id: str, levels: list[str]) -> str | None:
    """The unit LED002 and LED003 name for a person: the first (in ``levels`` order, then
    the graph's) of the units they are an MTSS lead of, or ``None`` if they lead none."""
    units = {graph._obj(m.team).unit for m in graph.memberships_of(person_id)
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
    source=_SOURCE,
    why=("MTSS is a framework for every student, not a special education process: the "
         "lead lives in Teaching and Learning or Student Supports, never solely in Special "
         "Education (Who owns MTSS)."),
    fix=("House the lead in Teaching and Learning or Student Supports (their departments), "
         "or designate a lead who is."),
    example=("The district's MTSS lead 'p-ruiz' has departments ['special-education'] only: "
             "LED002 fires on 'p-ruiz'."),
)
def lead_housed_in_special_education(graph: AlignmentGraph, ctx: RuleContext
                                     ) -> Iterator[Violation]:
    """An MTSS lead housed solely in Special Education."""
    yield from present(housed_in_special_education(graph, person, unit_id)
                       for person, unit_id in _each_lead(graph, ctx))


def housed_in_special_education(graph: AlignmentGraph, person: Person, unit_id: str
                                ) -> Violation | None:
    """LED002 for one lead of ``unit_id``."""
    if set(person.departments) != {Department.SPECIAL_EDUCATION}:
        return None
    return Violation(
        subject=person.id,
        message=(f"MTSS lead {label(person)} of {label(graph._obj(unit_id))} is "
                 "housed solely in Special Education"),
        hint="house the lead in teaching-and-learning or student-supports",
        related=(unit_id,),
    )


def _check_domains(value: object) -> str | None:
    assert isinstance(value, list)
    try:
        [Domain(v) for v in value]
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
    source=_SOURCE,
    why=("An integrated MTSS spans academics, behavior and social-emotional learning; a "
         "lead who covers only one of them splits the system back into silos "
         "(Who owns MTSS)."),
    fix="Record the lead's domains, and widen the role to cover the missing ones.",
    example=("The lead 'p-ruiz' covers academic only: LED003 fires, naming behavior and "
             "social-emotional."),
)
def lead_missing_domain(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
    """An MTSS lead whose work does not cover the academic, behavior and SEL domains."""
    yield from present(missing_domains(graph, person, unit_id, ctx["domains"])
                       for person, unit_id in _each_lead(graph, ctx))


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
        message=f"MTSS lead {label(person)} of {label(graph._obj(unit_id))} {what}",
        hint=f"record and cover the domains: {', '.join(missing)}",
        related=(unit_id,),
    )
