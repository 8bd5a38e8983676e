"""The model's vocabularies: kinds of unit and team, roles, departments, domains,
coaching skills and kinds of product, with the converters that normalise them."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable

from ..errors import ModelError
from .fields import Choice, choice, items_of, normalised

__all__ = ["INSTRUCTIONAL_TEAMS", "PARENT_KINDS", "TEAM_UNIT_KINDS", "CoachingSkill",
           "Department", "Domain", "ProductKind", "Role", "TeamKind", "UnitKind"]


class UnitKind(Choice):
    """The level of an org unit, top down.

    >>> UnitKind("school") is UnitKind.SCHOOL
    True
    >>> UnitKind.SCHOOL.rank > UnitKind.DISTRICT.rank
    True
    """

    STATE = "state"
    ISD = "isd"
    DISTRICT = "district"
    SCHOOL = "school"
    GRADE = "grade"
    DEPARTMENT = "department"
    COURSE = "course"

    @property
    def rank(self) -> int:
        """Depth of the level: 0 for a state, growing downwards."""
        return _UNIT_RANK[self]

    @property
    def is_subunit(self) -> bool:
        """True for the levels inside a school: grade, department and course."""
        return self in (UnitKind.GRADE, UnitKind.DEPARTMENT, UnitKind.COURSE)


_UNIT_RANK = {kind: i for i, kind in enumerate(UnitKind)}
_UNIT_RANK[UnitKind.DEPARTMENT] = _UNIT_RANK[UnitKind.GRADE]
_UNIT_RANK[UnitKind.COURSE] = _UNIT_RANK[UnitKind.GRADE] + 1

#: The kinds of parent each kind of unit may have.  ``None`` means "may be a root".
PARENT_KINDS: dict[UnitKind, frozenset[UnitKind | None]] = {
    UnitKind.STATE: frozenset({None}),
    UnitKind.ISD: frozenset({None, UnitKind.STATE}),
    UnitKind.DISTRICT: frozenset({None, UnitKind.STATE, UnitKind.ISD}),
    # a standalone school (a charter, a one-school export) may be a root
    UnitKind.SCHOOL: frozenset({None, UnitKind.DISTRICT, UnitKind.ISD}),
    UnitKind.GRADE: frozenset({UnitKind.SCHOOL}),
    # a school's department, or a central-office department of a district, ISD or state
    UnitKind.DEPARTMENT: frozenset({UnitKind.SCHOOL, UnitKind.DISTRICT, UnitKind.ISD,
                                    UnitKind.STATE, UnitKind.DEPARTMENT}),
    UnitKind.COURSE: frozenset({UnitKind.SCHOOL, UnitKind.GRADE, UnitKind.DEPARTMENT}),
}


class TeamKind(Choice):
    """The kinds of team the source documents name.

    >>> TeamKind.GRADE_TEAM.is_instructional
    True
    >>> TeamKind("district-leadership").is_instructional
    False
    """

    EXECUTIVE_LEADERSHIP = "executive-leadership"
    DISTRICT_LEADERSHIP = "district-leadership"
    DISTRICT_IMPLEMENTATION = "district-implementation"
    SCHOOL_LEADERSHIP = "school-leadership"
    SCHOOLWIDE_MTSS = "schoolwide-mtss"
    GRADE_TEAM = "grade-team"
    DEPARTMENT_TEAM = "department-team"
    COURSE_TEAM = "course-team"

    @property
    def label(self) -> str:
        """A readable name: ``"schoolwide MTSS team"``, ``"grade team"``.

        >>> TeamKind.SCHOOLWIDE_MTSS.label
        'schoolwide MTSS team'
        """
        words = self.value.replace("-team", "").replace("-", " ").replace("mtss", "MTSS")
        return f"{words} team"

    @property
    def is_instructional(self) -> bool:
        """True for grade, department and course teams (teachers and coaches)."""
        return self in INSTRUCTIONAL_TEAMS


#: Grade, department and course teams.
INSTRUCTIONAL_TEAMS = frozenset({TeamKind.GRADE_TEAM, TeamKind.DEPARTMENT_TEAM,
                                 TeamKind.COURSE_TEAM})

#: The unit kinds each team kind may serve.
TEAM_UNIT_KINDS: dict[TeamKind, frozenset[UnitKind]] = {
    TeamKind.EXECUTIVE_LEADERSHIP: frozenset({UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT}),
    TeamKind.DISTRICT_LEADERSHIP: frozenset({UnitKind.DISTRICT}),
    TeamKind.DISTRICT_IMPLEMENTATION: frozenset({UnitKind.ISD, UnitKind.DISTRICT}),
    TeamKind.SCHOOL_LEADERSHIP: frozenset({UnitKind.SCHOOL}),
    TeamKind.SCHOOLWIDE_MTSS: frozenset({UnitKind.SCHOOL}),
    TeamKind.GRADE_TEAM: frozenset({UnitKind.SCHOOL, UnitKind.GRADE}),
    TeamKind.DEPARTMENT_TEAM: frozenset({UnitKind.SCHOOL, UnitKind.DEPARTMENT}),
    TeamKind.COURSE_TEAM: frozenset({UnitKind.SCHOOL, UnitKind.DEPARTMENT, UnitKind.COURSE}),
}


class Role(Choice):
    """Roles the source documents name.  Memberships also accept free-form roles.

    >>> Role("liaison") == "liaison"
    True
    """

    SUPERINTENDENT = "superintendent"
    ASSISTANT_SUPERINTENDENT = "assistant-superintendent"
    DIRECTOR = "director"
    LIAISON = "liaison"
    MTSS_LEAD = "mtss-lead"
    PRINCIPAL = "principal"
    ADMINISTRATOR = "administrator"
    COACH = "coach"
    #: Leadership personnel who support instruction across classrooms (named beside
    #: coaches among the leaders a district's MTSS needs).
    INSTRUCTIONAL_SPECIALIST = "instructional-specialist"
    TEACHER_LEADER = "teacher-leader"
    GENERAL_EDUCATION_TEACHER = "general-education-teacher"
    SPECIAL_EDUCATION_TEACHER = "special-education-teacher"
    TEACHER = "teacher"
    INTERVENTIONIST = "interventionist"
    SERVICE_PROVIDER = "service-provider"
    PARENT = "parent"


class Department(Choice):
    """Where a person is housed in the central office or school (free-form values allowed)."""

    TEACHING_AND_LEARNING = "teaching-and-learning"
    STUDENT_SUPPORTS = "student-supports"
    SPECIAL_EDUCATION = "special-education"
    GENERAL_EDUCATION = "general-education"
    CENTRAL_OFFICE = "central-office"


class Domain(Choice):
    """The domains an MTSS integrates: academic, behavior and social-emotional learning.

    >>> Domain("sel") is Domain.SOCIAL_EMOTIONAL
    True
    """

    ACADEMIC = "academic"
    BEHAVIOR = "behavior"
    SOCIAL_EMOTIONAL = "social-emotional"

    @classmethod
    def accepted(cls) -> tuple[str, ...]:
        """The domains, and ``sel`` for social-emotional learning."""
        return (*cls.values(), "sel")

    @classmethod
    def _missing_(cls, value: object) -> Domain | None:
        aliases = {"sel": cls.SOCIAL_EMOTIONAL, "social-emotional-learning": cls.SOCIAL_EMOTIONAL,
                   "behavioral": cls.BEHAVIOR, "academics": cls.ACADEMIC}
        return aliases.get(str(value).strip().lower().replace("_", "-").replace(" ", "-"))


class CoachingSkill(Choice):
    """The systems-coaching skills of the Problem Solving / RtI project (Leadership elements)."""

    INTERPERSONAL_COMMUNICATION = "interpersonal-communication"
    DATA_BASED_PROBLEM_SOLVING = "data-based-problem-solving"
    CONTENT_ORGANIZATIONAL_CHANGE = "content-organizational-change"
    CONTENT_INTEGRATED_MTSS = "content-integrated-mtss"
    CONTENT_INSTRUCTION = "content-instruction"  # academic/behavioral/emotional/life skills
    CONTENT_FAMILIES_COMMUNITIES = "content-families-communities"
    TEAM_FACILITATION = "team-facilitation"
    SUPPORTING_LEADERSHIP = "supporting-leadership"
    FACILITATING_PROFESSIONAL_LEARNING = "facilitating-professional-learning"
    EVALUATING_COACHING_IMPACT = "evaluating-coaching-impact"


def _to_skills(value: Iterable[CoachingSkill | str] | str) -> tuple[CoachingSkill, ...]:
    return tuple(dict.fromkeys(choice(CoachingSkill, v) for v in items_of(value, "skills")))


class ProductKind(Choice):
    """What a level produces: a vision, non-negotiable practices, an improvement plan."""

    VISION = "vision"
    NON_NEGOTIABLES = "non-negotiables"
    IMPROVEMENT_PLAN = "improvement-plan"



























def _to_unit_kind(value: UnitKind | str) -> UnitKind:
    return choice(UnitKind, value)


def _to_team_kind(value: TeamKind | str) -> TeamKind:
    return choice(TeamKind, value)




def _to_roles(value: Iterable[Role | str] | str) -> tuple[str, ...]:
    return normalised(value, Role, "role")


def _to_seat_roles(value: Iterable[Role | str] | str) -> tuple[str, ...]:
    """A seat's roles: the known ones as :class:`Role` members; a role of one's own kept
    as written, unless it is a known role misspelt (``princpal``), which is refused with
    the role meant, wherever a seat is made (code, a document, a workbook, an edit)."""
    roles = normalised(value, Role, "role")
    for role in roles:
        if not isinstance(role, Role):
            near = _misspelt(role)
            if near is not None:
                raise ModelError(f"unknown role {role!r} (did you mean {near!r}?); a role "
                                 "of your own must not be spelt like a known one")
    return roles


@functools.lru_cache(maxsize=1024)
def _misspelt(role: str) -> str | None:
    key = role.lower().replace("_", "-").replace(" ", "-")
    near = difflib.get_close_matches(key, [r.value for r in Role], n=1, cutoff=0.85)
    return near[0] if near else None






def _to_departments(value: Iterable[str] | str) -> tuple[str, ...]:
    return normalised(value, Department, "department")


def _to_domains(value: Iterable[Domain | str] | str) -> tuple[Domain, ...]:
    if isinstance(value, str) and not value:
        return ()
    out: list[Domain] = []
    for item in items_of(value, "domains"):
        try:
            domain = Domain(item)
        except ValueError:
            choices = ", ".join(repr(v) for v in Domain.values())
            raise ModelError(f"expected domains among {choices} (or 'sel'); got {item!r}"
                             ) from None
        if domain not in out:
            out.append(domain)
    return tuple(out)
