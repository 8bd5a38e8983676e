"""Leadership in practice: coaching, resources, barriers and communication protocols."""

from __future__ import annotations

import itertools

from ..graph import AlignmentGraph, EdgeKind
from ..model import (
    Barrier,
    BarrierStatus,
    CoachingSkill,
    OrgUnit,
    Protocol,
    ResourceCategory,
    Role,
    Team,
    TeamKind,
    UnitKind,
    label,
    to_duration,
)
from ._protocol import ALL, Edit, RuleContext, Setting, Violation, among, rule
from ._teams import unit_context
from ._time import FROM_STAGE, _as_of, _check_duration, _group_all, _implementing
from .reads import ITS_UNIT, ITSELF, UNCHANGED, ids_in, itself, structural, with_person

__all__ = [
    "barrier_escalation_skipped_liaison",
    "barrier_open_at_executive_level",
    "barrier_without_owner",
    "coaching_skill_uncovered",
    "missing_allocation",
    "no_protected_meeting_time",
    "protocol_review_overdue",
    "school_leadership_team_without_coach",
    "school_team_without_protocol",
]

_ELEMENTS = "Essential Leadership Elements and Skills (systems coaching)"


@rule(
    code="COA001",
    name="school-leadership-team-without-coach",
    severity="warning",
    source=f"{_ELEMENTS}; Equitable MLSS",
    why=("School leadership teams include coaches (Equitable MLSS), and all leaders take "
         "part in the systems coaching process that supports educators in learning and "
         "improving their practices (Leadership elements)."),
    fix="Seat a coach (role 'coach') on the school leadership team.",
    example="'t-annex-slt' has no member with the role coach: COA001 fires on it.",
    subjects="team",
    select=lambda graph, ctx: graph.teams(TeamKind.SCHOOL_LEADERSHIP),
    reads=with_person({"membership": ids_in("team"),
                       "team": ITSELF}),
    labels_only=True,
)
def school_leadership_team_without_coach(graph: AlignmentGraph, ctx: RuleContext, team: Team
                                         ) -> Violation | None:
    """A school leadership team with no coach."""
    return team_without_coach(graph, team)


def team_without_coach(graph: AlignmentGraph, team: Team) -> Violation | None:
    """COA001 for one school leadership team."""
    if team.kind is not TeamKind.SCHOOL_LEADERSHIP:
        return None
    if any(Role.COACH in m.roles for m in graph.members(team.id)):
        return None
    return Violation(subject=team.id, message=f"{label(team)} has no coach",
                     hint="seat a systems coach on the team (role 'coach')",
                     related=(team.unit,))


def _coaches_by_district(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """district id -> the people holding the coach role in it, in one pass."""
    coaches_of: dict[str, set[str]] = {}
    for m in graph.memberships_with_role(Role.COACH):
        unit = graph.node(m.team).unit
        district = graph.nearest(unit, UnitKind.DISTRICT)
        if district is not None:
            coaches_of.setdefault(district.id, set()).add(m.person)
    ctx.memo["coaches_by_district"] = coaches_of


def _coach_seat(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A coach's seat changes what their district's coaches cover."""
    seat = edit.versions[0]
    if Role.COACH not in seat.roles or seat.team not in graph:
        return set()
    district = graph.nearest(graph.node(seat.team).unit, UnitKind.DISTRICT)
    return set() if district is None else {district.id}


def coaches_in(graph: AlignmentGraph, district_id: str) -> set[str]:
    """The people holding the coach role on a team serving the district or a unit in it."""
    units = [district_id, *(u.id for u in graph.descendants(district_id))]
    return {m.person for unit in units for team in graph.teams_of(unit)
            for m in graph.members(team.id) if Role.COACH in m.roles}


def skills_uncovered(graph: AlignmentGraph, district_id: str, coaches: set[str],
                     skills: list[str]) -> Violation | None:
    """COA002 for one district: the skills none of its coaches covers (all, with none)."""
    if not coaches:
        return Violation(
            subject=district_id,
            message=(f"{label(graph.node(district_id))} has no systems coach: no member of "
                     "any of its teams, or its schools' teams, holds the role 'coach'"),
            hint="designate systems coaches (role 'coach') and record their coaching_skills",
            related=unit_context(graph.node(district_id), graph.teams_of(district_id)))
    covered = {s.value for c in coaches for s in graph.node(c).coaching_skills}
    missing = [s for s in skills if s not in covered]
    if not missing:
        return None
    return Violation(
        subject=district_id,
        message=(f"the coaches of {label(graph.node(district_id))} "
                 f"({', '.join(sorted(coaches))}) do not cover: " + ", ".join(missing)),
        hint="record coaching_skills, and plan learning or hiring for the gaps",
        related=tuple(sorted(coaches)))


@rule(
    code="COA002",
    name="coaching-skill-uncovered",
    severity="warning",
    settings=[Setting(name="skills", default=list(CoachingSkill.values()),
                      check=among(CoachingSkill.values(), "skills"),
                      doc="The systems-coaching skills a district's coaches must cover "
                          "between them.")],
    source=_ELEMENTS,
    why=("Systems coaching needs interpersonal communication, data-based problem solving, "
         "content knowledge (organizational change, integrated multi-tiered systems, "
         "academic/behavioral/emotional/life-skills instruction, families and communities), "
         "team facilitation, supporting leadership, facilitating professional learning and "
         "evaluating the coaching's impact. A district's coaches between them should cover "
         "them all."),
    fix="Record the coaches' skills (coaching_skills), and plan professional learning or "
        "recruiting for the missing ones.",
    example=("No coach of 'dist-oak' lists evaluating-coaching-impact: COA002 fires on it; "
             "'dist-elm' has no coach at all: COA002 fires on it too."),
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.DISTRICT),
    prepare=lambda graph, ctx: _coaches_by_district(graph, ctx),
    reads=with_person({"membership": _coach_seat,
                       # names the district's teams when it has no coach
                       "unit": ITSELF,
                       "team": ITS_UNIT}),
    labels_only=True,
)
def coaching_skill_uncovered(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                             ) -> Violation | None:
    """A district whose coaches together leave a systems-coaching skill uncovered (or that
    has no coach at all)."""
    if unit.kind is not UnitKind.DISTRICT:
        return None
    by_district = ctx.memo.get("coaches_by_district")
    coaches = (by_district.get(unit.id, set()) if by_district is not None
               else coaches_in(graph, unit.id))
    return skills_uncovered(graph, unit.id, coaches, ctx["skills"])


@rule(
    code="RES001",
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
    return allocation_missing(graph, ctx, unit)


def allocation_missing(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                       ) -> Violation | None:
    """RES001 for one unit: of a kind checked, implementing, a category not allocated."""
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
    return meeting_time_missing(graph, ctx, school)


def meeting_time_missing(graph: AlignmentGraph, ctx: RuleContext, school: OrgUnit
                         ) -> Violation | None:
    """RES002 for one unit: a school implementing with no schedule allocation current."""
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


_BARRIERS = "MIBLSI executive leadership"


@rule(
    code="BAR001",
    name="barrier-open-at-executive-level",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="window", default="P60D", check=_check_duration,
                      doc="How long a barrier may stay open with the executive team.")],
    source=_BARRIERS,
    why=("The executive team removes barriers, including ones other teams identify "
         "(MIBLSI). A barrier that sits with it unresolved stalls the teams below."),
    fix="Remove the barrier (and record it resolved), or record why it stays.",
    example="A barrier escalated to 't-maple-exec' on 2026-05-04 is still open on 2026-09-01: "
            "BAR001 fires.",
    subjects="barrier",
    # a team's kind decides the level a barrier is at
    reads={"barrier": itself, "team": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def barrier_open_at_executive_level(graph: AlignmentGraph, ctx: RuleContext, b: Barrier
                                    ) -> Violation | None:
    """A barrier open with the executive team longer than the window."""
    as_of = _as_of(ctx)
    window = to_duration(ctx["window"])
    if not b.open_on(as_of):
        return None
    level, since = graph.node(b.level_on(as_of)), b.since_on(as_of)
    if level.kind is not TeamKind.EXECUTIVE_LEADERSHIP or since + window >= as_of:
        return None
    return Violation(
        subject=b.id,
        message=(f"barrier {b.title!r} ({b.id}) has been open with {label(level)} "
                 f"since {since}; it was due to be removed by {since + window}"),
        hint="remove the barrier and record it resolved",
        related=(level.id, b.raised_by))


@rule(
    code="BAR002",
    name="barrier-without-owner",
    severity="warning",
    source=_BARRIERS,
    why="A barrier nobody owns is a barrier nobody removes.",
    fix="Name the person who owns removing it.",
    example="Barrier 'b-schedule' is open with no owner: BAR002 fires.",
    subjects="barrier",
    # a team's kind decides the level a barrier is at
    reads={"barrier": itself, "team": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def barrier_without_owner(graph: AlignmentGraph, ctx: RuleContext, b: Barrier
                          ) -> Violation | None:
    """An open barrier with no owner."""
    if b.status is not BarrierStatus.OPEN or b.owner is not None:
        return None
    return Violation(subject=b.id, message=f"open barrier {b.title!r} ({b.id}) has no owner",
                     hint="name the person who owns removing it",
                     related=(b.level, b.raised_by))


@rule(
    code="BAR003",
    name="barrier-escalation-skipped-liaison",
    severity="warning",
    source=_BARRIERS,
    why=("The liaison carries the implementation team's needs to the executive team "
         "(MIBLSI): needs travel from school teams to the implementation team, and from it "
         "to the executive team. Going around it leaves the implementation team unaware."),
    fix="Route the barrier through the district implementation team.",
    example="A barrier raised by 't-lincoln-slt' goes straight to 't-maple-exec' though "
            "'t-maple-dit' exists: BAR003 fires.",
    subjects="barrier",
    # a team's kind decides the level a barrier is at
    reads={"barrier": itself, "team": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def barrier_escalation_skipped_liaison(graph: AlignmentGraph, ctx: RuleContext, b: Barrier
                                       ) -> Violation | None:
    """A barrier escalated to the executive team around the implementation team."""
    path = [b.raised_by, *b.escalated_teams]
    for before, after in itertools.pairwise(path):
        lower, upper = graph.node(before), graph.node(after)
        if (upper.kind is not TeamKind.EXECUTIVE_LEADERSHIP
                or lower.kind is TeamKind.DISTRICT_IMPLEMENTATION):
            continue
        district = graph.nearest(upper.unit, UnitKind.DISTRICT) or graph.node(upper.unit)
        impl = graph.teams_of(district.id, TeamKind.DISTRICT_IMPLEMENTATION)
        if impl:
            return Violation(
                subject=b.id,
                message=(f"barrier {b.title!r} ({b.id}) went from {label(lower)} straight "
                         f"to {label(upper)}, around {label(impl[0])} and its liaison"),
                hint=f"route it through {impl[0].id!r}",
                related=(before, after, impl[0].id))
    return None


_OWNS = "Who owns MTSS"
_SCHOOL_TEAMS = frozenset({TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS})


@rule(
    code="COM001",
    name="school-team-without-protocol",
    severity="warning",
    source=_OWNS,
    why=("There should be a district implementation team and schoolwide teams with a "
         "built-in mechanism to share information across levels (Who owns MTSS)."),
    fix="Record the protocol linking the school team and the district implementation team "
        "(a designee and a cadence).",
    example="'t-annex-mtss' has no protocol with 't-oak-dit': COM001 fires.",
    subjects="team",
    select=lambda graph, ctx: [t for t in graph.teams() if t.kind in _SCHOOL_TEAMS],
    prepare=lambda graph, ctx: _links_of(graph, ctx),
    reads={"protocol": ids_in("from_team", "to_team"),
           "team": structural(lambda graph, ctx, team: _team_and_school_teams(graph, team)),
           "unit": UNCHANGED},
    labels_only=True,
)
def school_team_without_protocol(graph: AlignmentGraph, ctx: RuleContext, team: Team
                                 ) -> Violation | None:
    """A school leadership or MTSS team with no link to its district's implementation team."""
    if team.kind not in (TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS):
        return None
    links = ctx.memo.get("protocol_links")
    linked = links.get(team.id, set()) if links is not None else team_links(graph, team.id)
    return unlinked_team(graph, team, linked)


def _links_of(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """team -> the teams it has a protocol with, in one pass."""
    links: dict[str, set[str]] = {}
    for p in graph.protocols():
        links.setdefault(p.from_team, set()).add(p.to_team)
        links.setdefault(p.to_team, set()).add(p.from_team)
    ctx.memo["protocol_links"] = links


def _team_and_school_teams(graph: AlignmentGraph, team: Team) -> set[str]:
    """COM001: the team itself, and for an implementation team every team below it."""
    found = {team.id}
    if team.kind is TeamKind.DISTRICT_IMPLEMENTATION and team.unit in graph:
        found.update(t.id for u in graph.descendants(team.unit) for t in graph.teams_of(u.id))
    return found


def team_links(graph: AlignmentGraph, team_id: str) -> set[str]:
    """The teams ``team_id`` has a communication protocol with (as in COM001's pass)."""
    linked = {graph.node(p).to_team for p in graph.referrers(team_id, EdgeKind.LINKS_FROM)}
    return linked | {graph.node(p).from_team for p in graph.referrers(team_id, EdgeKind.LINKS_TO)}


def unlinked_team(graph: AlignmentGraph, team: Team, linked: set[str]) -> Violation | None:
    """COM001 for one team, given the teams it has a protocol with."""
    if team.kind not in (TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS):
        return None
    district = graph.nearest(team.unit, UnitKind.DISTRICT)
    if district is None:
        return None
    impl = {t.id for t in graph.teams_of(district.id, TeamKind.DISTRICT_IMPLEMENTATION)}
    if not impl or linked & impl:
        return None  # without an implementation team, TEA001 reports it
    return Violation(
        subject=team.id,
        message=(f"{label(team)} has no communication protocol with the district "
                 f"implementation team ({', '.join(sorted(impl))})"),
        hint=f"record a protocol between {team.id!r} and {sorted(impl)[0]!r}",
        related=tuple(sorted(impl)))


@rule(
    code="COM002",
    name="protocol-review-overdue",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="period", default="P12M", check=_check_duration,
                      doc="How often a communication protocol is reviewed.")],
    source=_OWNS,
    why="A protocol nobody has looked at in a year no longer matches how the teams work.",
    fix="Review the protocol with both teams and record reviewed_on.",
    example="Protocol 'cp-lincoln' was reviewed on 2025-05-01: as of 2026-09-01 COM002 fires.",
    subjects="protocol",
    reads={"protocol": itself},
    labels_only=True,
)
def protocol_review_overdue(graph: AlignmentGraph, ctx: RuleContext, p: Protocol
                            ) -> Violation | None:
    """A communication protocol past its review date."""
    return protocol_overdue(p, ctx)


def protocol_overdue(p: Protocol, ctx: RuleContext) -> Violation | None:
    """COM002 for one protocol."""
    as_of = _as_of(ctx)
    period = to_duration(ctx["period"])
    if p.reviewed_on is None or p.reviewed_on > as_of or p.reviewed_on + period >= as_of:
        return None
    return Violation(
        subject=p.id,
        message=(f"communication protocol {p.id!r} ({p.from_team} -> {p.to_team}) was "
                 f"last reviewed on {p.reviewed_on}; due by {p.reviewed_on + period}"),
        hint="review it with both teams and set reviewed_on",
        related=(p.from_team, p.to_team))
