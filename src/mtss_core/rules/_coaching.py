"""COA: systems coaching: a coach on school leadership teams, the coaching skills covered."""

from __future__ import annotations

import pendulum

from ..graph import AlignmentGraph
from ..model import (
    CoachingSkill,
    Membership,
    OrgUnit,
    Person,
    Role,
    Team,
    TeamKind,
    UnitKind,
    label,
)
from ._protocol import Edit, MemoKey, RuleContext, Setting, Violation, among, rule
from ._teams import unit_context
from ._walk import empty_since
from .reads import ITS_UNIT, ITSELF, ids_in, with_person

__all__ = ['coaching_skill_uncovered', 'school_leadership_team_without_coach']

#: The family of codes this module declares.
PREFIX = "COA"


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
    if team.kind is not TeamKind.SCHOOL_LEADERSHIP:
        return None
    if any(Role.COACH in m.roles for m in graph.members(team.id, ctx.as_of)):
        return None
    return Violation(subject=team.id,
                     message=f"{label(team)} has "
                             + empty_since(graph, (team,), Role.COACH, "no coach", ctx.as_of),
                     hint="seat a systems coach on the team (role 'coach')",
                     related=(team.unit,))


def _is_coach(graph: AlignmentGraph, seat: Membership) -> bool:
    """Whether a seat is a systems coach's: the role ``coach``, or a leader who records
    coaching skills (all leaders take part in systems coaching: an MTSS lead who coaches)."""
    return Role.COACH in seat.roles or bool(graph.node(seat.person).coaching_skills)


def _coaches_by_district(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """district id -> the systems coaches in it, in one pass."""
    coaches_of: dict[str, set[str]] = {}
    skilled = {p.id for p in graph.people() if p.coaching_skills}
    seats = [*graph.memberships_with_role(Role.COACH, ctx.as_of),
             *(m for p in skilled for m in graph.memberships_of(p, ctx.as_of))]
    for m in seats:
        unit = graph.node(m.team).unit
        district = graph.nearest(unit, UnitKind.DISTRICT)
        if district is not None:
            coaches_of.setdefault(district.id, set()).add(m.person)
    ctx.memo[MemoKey("coaches_by_district")] = coaches_of


def _coach_seat(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A coach's seat changes what their district's coaches cover."""
    seat = edit.versions[0]
    if seat.team not in graph or seat.person not in graph or not _is_coach(graph, seat):
        return set()
    district = graph.nearest(graph.node(seat.team).unit, UnitKind.DISTRICT)
    return set() if district is None else {district.id}


def _person_changed(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A person changed in place: the districts they sit in, when their coaching skills
    changed (recording skills makes a member a coach, and changes what is covered)."""
    old, new = edit.old, edit.new
    if (not isinstance(old, Person) or not isinstance(new, Person)
            or old.coaching_skills == new.coaching_skills):
        return set()
    found = set()
    for seat in graph.memberships_of(new.id, history=True):
        district = graph.nearest(graph.node(seat.team).unit, UnitKind.DISTRICT)
        if district is not None:
            found.add(district.id)
    return found


def coaches_in(graph: AlignmentGraph, district_id: str, as_of: pendulum.Date | None = None
               ) -> set[str]:
    """The systems coaches of a district on ``as_of``: members of a team serving it or a
    unit in it who hold the role coach or record coaching skills."""
    units = [district_id, *(u.id for u in graph.descendants(district_id))]
    return {m.person for unit in units for team in graph.teams_of(unit)
            for m in graph.members(team.id, as_of) if _is_coach(graph, m)}


def skills_uncovered(graph: AlignmentGraph, district_id: str, coaches: set[str],
                     skills: list[str]) -> Violation | None:
    """COA002 for one district: the skills none of its coaches covers (all, with none)."""
    if not coaches:
        return Violation(
            subject=district_id,
            message=(f"{label(graph.node(district_id))} has no systems coach: no member of "
                     "any of its teams, or its schools' teams, holds the role 'coach' or "
                     "records coaching skills"),
            hint="designate systems coaches (role 'coach', or the leaders who coach) and "
                 "record their coaching_skills",
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
    about_absence=True,
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
         "them all. All leaders take part in systems coaching: a coach is anyone on the "
         "district's or its schools' teams who holds the role coach or records coaching "
         "skills (an MTSS lead who coaches)."),
    fix="Record the coaches' skills (coaching_skills), and plan professional learning or "
        "recruiting for the missing ones.",
    example=("No coach of 'dist-oak' lists evaluating-coaching-impact: COA002 fires on it; "
             "'dist-elm' has no coach at all: COA002 fires on it too."),
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.DISTRICT),
    prepare=lambda graph, ctx: _coaches_by_district(graph, ctx),
    reads={"membership": _coach_seat,
           "person": _person_changed,
           # names the district's teams when it has no coach
           "unit": ITSELF,
           "team": ITS_UNIT},
    labels_only=True,
)
def coaching_skill_uncovered(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                             ) -> Violation | None:
    """A district whose coaches together leave a systems-coaching skill uncovered (or that
    has no coach at all)."""
    if unit.kind is not UnitKind.DISTRICT:
        return None
    by_district = ctx.memo.get(MemoKey("coaches_by_district"))
    coaches = (by_district.get(unit.id, set()) if by_district is not None
               else coaches_in(graph, unit.id, ctx.as_of))
    return skills_uncovered(graph, unit.id, coaches, ctx["skills"])


#: The family's rules, in code order.
RULES = (school_leadership_team_without_coach, coaching_skill_uncovered)
