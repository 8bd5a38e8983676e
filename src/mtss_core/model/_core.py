"""The domain model: frozen, keyword-only attrs value objects with stable ids.

Objects name each other by id (``parent="district-maple"``), never by Python
reference, so they can be built in any order, serialised as plain data and
checked by the :class:`~mtss_core.AlignmentGraph` that holds them.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, TypeVar

import attrs
import pendulum

from ..errors import ModelError, ModelTypeError

__all__ = [
    "Assignment",
    "CoachingSkill",
    "DataSource",
    "Department",
    "Direction",
    "Domain",
    "FocusArea",
    "ImprovementPlan",
    "Membership",
    "NonNegotiables",
    "OrgUnit",
    "Person",
    "Product",
    "ProductKind",
    "RiskThreshold",
    "Role",
    "Team",
    "TeamKind",
    "UnitKind",
    "Vision",
]


class _Choice(str, enum.Enum):
    """A string enum whose members compare equal to their values."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def values(cls) -> tuple[str, ...]:
        """All accepted values, in declaration order."""
        return tuple(m.value for m in cls)


class UnitKind(_Choice):
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


class TeamKind(_Choice):
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


class Role(_Choice):
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
    TEACHER_LEADER = "teacher-leader"
    GENERAL_EDUCATION_TEACHER = "general-education-teacher"
    SPECIAL_EDUCATION_TEACHER = "special-education-teacher"
    TEACHER = "teacher"
    INTERVENTIONIST = "interventionist"
    SERVICE_PROVIDER = "service-provider"
    PARENT = "parent"


class Department(_Choice):
    """Where a person is housed in the central office or school (free-form values allowed)."""

    TEACHING_AND_LEARNING = "teaching-and-learning"
    STUDENT_SUPPORTS = "student-supports"
    SPECIAL_EDUCATION = "special-education"
    GENERAL_EDUCATION = "general-education"
    CENTRAL_OFFICE = "central-office"


class Domain(_Choice):
    """The domains an MTSS integrates: academic, behavior and social-emotional learning.

    >>> Domain("sel") is Domain.SOCIAL_EMOTIONAL
    True
    """

    ACADEMIC = "academic"
    BEHAVIOR = "behavior"
    SOCIAL_EMOTIONAL = "social-emotional"

    @classmethod
    def _missing_(cls, value: object) -> Domain | None:
        aliases = {"sel": cls.SOCIAL_EMOTIONAL, "social-emotional-learning": cls.SOCIAL_EMOTIONAL,
                   "behavioral": cls.BEHAVIOR, "academics": cls.ACADEMIC}
        return aliases.get(str(value).strip().lower().replace("_", "-").replace(" ", "-"))


class CoachingSkill(_Choice):
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
    return tuple(dict.fromkeys(_choice(CoachingSkill, v) for v in _items(value, "skills")))


class ProductKind(_Choice):
    """What a level produces: a vision, non-negotiable practices, an improvement plan."""

    VISION = "vision"
    NON_NEGOTIABLES = "non-negotiables"
    IMPROVEMENT_PLAN = "improvement-plan"


# --- field helpers -------------------------------------------------------------------------

_E = TypeVar("_E", bound=_Choice)


#: The dates the model holds: wide enough for any school record, narrow enough that date
#: arithmetic (an as-of date plus a review period) can never overflow.
FIRST_DAY = pendulum.Date(1900, 1, 1)
LAST_DAY = pendulum.Date(2199, 12, 31)


#: Characters no XML document may hold (XML 1.0 section 2.2): control characters other
#: than tab and line ends, and the noncharacters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _check_text(value: str, what: str) -> None:
    """Refuse text that cannot be written back: a lone surrogate (from a broken decoder)
    fails to encode as UTF-8, and a control character such as NUL or U+0001 cannot appear
    in any XML output (GraphML, JUnit, the HTML report)."""
    if value.isprintable():  # the common case, checked in C: neither of the two
        return
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ModelError(f"{what} contains {value[exc.start]!r} at position {exc.start}, "
                             "which is not a character (a lone surrogate)") from None
    found = _NOT_XML.search(value)
    if found is not None:
        raise ModelError(f"{what} contains the control character {found.group()!r} at "
                         f"position {found.start()}, which no text may hold (only tab and "
                         "line breaks are kept)")


def _valid_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (type(value) is str and value and value.isascii() and value.isprintable()
            and value[0] != " " and value[-1] != " "):
        return  # the common case, checked cheaply
    if not isinstance(value, str):
        raise ModelTypeError(f"{attribute.name} must be a string id, got {type(value).__name__}")
    if not value or value != value.strip():
        raise ModelError(
            f"{attribute.name} must be a non-empty id without surrounding spaces, got {value!r}"
        )
    _check_text(value, attribute.name)


def _optional_id(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _valid_id(inst, attribute, value)


def _optional_bool(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise ModelTypeError(f"{attribute.name} must be true, false or null, got {value!r}")


def _text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise ModelTypeError(f"{attribute.name} must be a string, got {type(value).__name__}")
    _check_text(value, attribute.name)


def _items(value: Any, what: str) -> tuple[Any, ...]:
    """The items of a list field: a string is one item; an object (a mapping) or a number
    is refused rather than read as its keys or digits."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ModelTypeError(f"expected a list of {what}, got {_kind_of(value)} {value!r}")
    return tuple(value)


def _kind_of(value: object) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def in_range(day: pendulum.Date) -> pendulum.Date:
    """``day``, if the model can hold it (1900-01-01 to 2199-12-31)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ModelError(f"expected a date from {FIRST_DAY} to {LAST_DAY}, got {day}")
    return day


def _choice(enum_cls: type[_E], value: _E | str) -> _E:
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(repr(v) for v in enum_cls.values())
        raise ModelError(f"expected one of {choices}; got {value!r}") from None


def _to_unit_kind(value: UnitKind | str) -> UnitKind:
    return _choice(UnitKind, value)


def _to_team_kind(value: TeamKind | str) -> TeamKind:
    return _choice(TeamKind, value)


def to_date(value: pendulum.Date | _dt.date | str | None) -> pendulum.Date | None:
    """Convert an ISO 8601 date string or a ``datetime.date`` to a ``pendulum.Date``.

    >>> to_date("2024-08-15")
    Date(2024, 8, 15)
    >>> to_date(None) is None
    True
    """
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        raise ModelTypeError(f"expected a date, got a date-time {value.isoformat()!r}")
    if isinstance(value, pendulum.Date):
        return in_range(value)
    if isinstance(value, _dt.date):
        return in_range(pendulum.Date(value.year, value.month, value.day))
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value, exact=True)
        except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
            parsed = None
        if isinstance(parsed, pendulum.Date) and not isinstance(parsed, pendulum.DateTime):
            return in_range(parsed)
        raise ModelError(f"expected an ISO 8601 date such as '2024-08-15', got {value!r}")
    raise ModelTypeError(f"expected an ISO 8601 date, got {type(value).__name__}")


def _to_roles(value: Iterable[Role | str] | str) -> tuple[str, ...]:
    return _normalised(value, Role, "role")


def _normalised(value: Iterable[str] | str, known: type[_Choice], what: str
                ) -> tuple[str, ...]:
    if isinstance(value, str) and not value:
        return ()
    out: list[str] = []
    for item in _items(value, f"{what}s"):
        if not isinstance(item, str) or not item.strip():
            raise ModelError(f"each {what} must be a non-empty string, got {item!r}")
        _check_text(item, what)
        normal = _normal(item, known)
        if normal not in out:
            out.append(normal)
    return tuple(out)


@functools.lru_cache(maxsize=1024)
def _normal(item: str, known: type[_Choice]) -> str:
    """``item`` as a member of ``known`` when it names one (any case, spaces or
    underscores), else as written; cached, as importers normalise the same few titles
    hundreds of thousands of times."""
    key = item.strip()
    try:
        return known(key.lower().replace("_", "-").replace(" ", "-"))
    except ValueError:
        return key


def _to_departments(value: Iterable[str] | str) -> tuple[str, ...]:
    return _normalised(value, Department, "department")


def _to_domains(value: Iterable[Domain | str] | str) -> tuple[Domain, ...]:
    if isinstance(value, str) and not value:
        return ()
    out: list[Domain] = []
    for item in _items(value, "domains"):
        try:
            domain = Domain(item)
        except ValueError:
            choices = ", ".join(repr(v) for v in Domain.values())
            raise ModelError(f"expected domains among {choices} (or 'sel'); got {item!r}"
                             ) from None
        if domain not in out:
            out.append(domain)
    return tuple(out)


def _to_ids(value: Iterable[str] | str) -> tuple[str, ...]:
    items = _items(value, "ids")
    for item in items:
        if not isinstance(item, str) or not item or item != item.strip():
            raise ModelError(f"expected a list of ids, got an item {item!r}")
        _check_text(item, "an id")
    return tuple(dict.fromkeys(items))


#: The largest magnitude of a number the model holds (a budget, a score, a threshold).
MAX_NUMBER = 1e15


def _to_float(value: float | int | str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelTypeError(f"expected a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise ModelError(f"expected a finite number of at most {MAX_NUMBER:g} in size, "
                         f"got {value!r}")
    return number


def _to_cadence(value: pendulum.Duration | str | None) -> pendulum.Duration | None:
    if value is None:
        return None
    from ._time import to_duration

    return to_duration(value)


def _to_texts(value: Iterable[str] | str) -> tuple[str, ...]:
    items = _items(value, "strings")
    for item in items:
        if not isinstance(item, str):
            raise ModelTypeError(f"expected a list of strings, got an item {item!r}")
        _check_text(item, "a string")
    return items


# --- the objects -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OrgUnit:
    """A level of the school system: a state, an ISD, a district, a school, a grade...

    ``parent`` is the id of the unit directly above; states, ISDs and districts
    may be roots of a graph.

    >>> OrgUnit(id="sch-lincoln", kind="school", name="Lincoln Elementary", parent="dist-maple")
    OrgUnit(id='sch-lincoln', kind=<UnitKind.SCHOOL: 'school'>, name='Lincoln Elementary', \
parent='dist-maple', code=None, formal_partner=None, grades='')
    """

    type_name: ClassVar[str] = "unit"

    id: str = attrs.field(validator=_valid_id)
    kind: UnitKind = attrs.field(converter=_to_unit_kind)
    name: str = attrs.field(default="", validator=_text)
    parent: str | None = attrs.field(default=None, validator=_optional_id)
    #: An external identifier (NCES id, Ed-Fi EducationOrganizationId, ...).
    code: str | None = attrs.field(default=None, validator=_optional_id)
    #: For an ISD: whether it is a formal partner of the state's MTSS program (e.g. MIBLSI).
    formal_partner: bool | None = attrs.field(default=None, validator=_optional_bool)
    #: The grades a school serves, as a directory writes them (``K-5``, ``9-12``).
    grades: str = attrs.field(default="", validator=_text)


def _optional_fte(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelTypeError(f"{attribute.name} must be a number, got {value!r}")
    if not 0 <= value <= 10:
        raise ModelError(f"{attribute.name} must be a full-time equivalency from 0 to 10, "
                         f"got {value!r}")


def _optional_order(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ModelError(f"{attribute.name} must be a whole number from 1 to 1000, "
                         f"got {value!r}")


def _to_position(value: Role | str) -> str:
    found = _normalised(value, Role, "position") if value else ()
    return found[0] if found else ""


@attrs.frozen(kw_only=True)
class Assignment:
    """A position a person holds at an org unit, as HR or rostering data record it.

    ``position`` is normalised like a team role (``principal``, ``teacher``, ...; any
    other title is kept as written); ``title`` keeps the source's own wording when it
    differs.  ``order`` is 1 for the primary assignment (Ed-Fi ``OrderOfAssignment``,
    OneRoster's ``primary`` role).

    >>> a = Assignment(unit="sch-lincoln", position="Principal", begins_on="2021-07-01",
    ...                fte=1.0, order=1)
    >>> a.position, a.current("2026-09-01")
    (<Role.PRINCIPAL: 'principal'>, True)
    """

    unit: str = attrs.field(validator=_valid_id)
    position: str = attrs.field(default="", converter=_to_position)
    title: str = attrs.field(default="", validator=_text)
    begins_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    ends_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    fte: float | None = attrs.field(default=None, validator=_optional_fte)
    order: int | None = attrs.field(default=None, validator=_optional_order)

    def current(self, on: pendulum.Date | str) -> bool:
        """Whether the assignment covers the date ``on`` (begun by then, not yet ended)."""
        day = to_date(on)
        assert day is not None
        return ((self.begins_on is None or self.begins_on <= day)
                and (self.ends_on is None or day <= self.ends_on))


def _to_assignments(value: Iterable[Assignment | Mapping[str, Any]]) -> tuple[Assignment, ...]:
    if isinstance(value, str):
        raise ModelTypeError(f"expected a list of assignments, got {type(value).__name__}")
    out: list[Assignment] = []
    for i, item in enumerate(_items(value, "assignments")):
        if isinstance(item, Assignment):
            out.append(item)
        elif isinstance(item, Mapping):
            names = {a.name for a in attrs.fields(Assignment)}
            unknown = sorted(str(k) for k in item if k not in names)
            if unknown or "unit" not in item:
                raise ModelError(f"assignment {i} must have a 'unit' and optional "
                                 f"{', '.join(sorted(names - {'unit'}))}; got keys "
                                 f"{sorted(str(k) for k in item)}")
            try:
                out.append(Assignment(**item))
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"assignment {i}: {exc}") from None
        else:
            raise ModelTypeError(f"assignment {i} must be an object with a unit, got {item!r}")
    return tuple(out)


@attrs.frozen(kw_only=True)
class Person:
    """A person who leads, teaches or serves; ``unit`` is where they are based, if known.

    ``departments`` says where they are housed (``teaching-and-learning``,
    ``student-supports``, ``special-education``, ...); ``domains`` which MTSS
    domains their work covers (academic, behavior, social-emotional).

    >>> p = Person(id="p-ruiz", name="Ana Ruiz", unit="sch-lincoln",
    ...            departments=["Student Supports"], domains=["academic", "SEL"])
    >>> p.departments
    (<Department.STUDENT_SUPPORTS: 'student-supports'>,)
    >>> [str(d) for d in p.domains]
    ['academic', 'social-emotional']
    """

    type_name: ClassVar[str] = "person"

    id: str = attrs.field(validator=_valid_id)
    name: str = attrs.field(default="", validator=_text)
    unit: str | None = attrs.field(default=None, validator=_optional_id)
    departments: tuple[str, ...] = attrs.field(default=(), converter=_to_departments)
    domains: tuple[Domain, ...] = attrs.field(default=(), converter=_to_domains)
    #: For a coach: the systems-coaching skills they bring (Leadership elements).
    coaching_skills: tuple[CoachingSkill, ...] = attrs.field(default=(), converter=_to_skills)
    #: The positions the person holds at their unit (from rostering or HR data:
    #: ``principal``, ``teacher``, ...), as opposed to the roles they hold on teams.
    positions: tuple[str, ...] = attrs.field(default=(), converter=_to_roles)
    #: Every position held at every unit, with dates, as the source recorded them (a
    #: teacher shared by two schools keeps both); ``unit`` is the primary one's.
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_to_assignments)

    @property
    def assigned_units(self) -> tuple[str, ...]:
        """The units of the person's assignments, each once, in order."""
        return tuple(dict.fromkeys(a.unit for a in self.assignments))


@attrs.frozen(kw_only=True)
class Team:
    """A team serving an org unit: an executive leadership team, a grade team...

    >>> Team(id="t-dlt", kind="district-leadership", unit="dist-maple").kind
    <TeamKind.DISTRICT_LEADERSHIP: 'district-leadership'>
    """

    type_name: ClassVar[str] = "team"

    id: str = attrs.field(validator=_valid_id)
    kind: TeamKind = attrs.field(converter=_to_team_kind)
    unit: str = attrs.field(validator=_valid_id)
    name: str = attrs.field(default="", validator=_text)
    #: How often the team means to meet, as an ISO 8601 duration (``P1M``); rules that
    #: check meeting cadence use it instead of their default.
    cadence: pendulum.Duration | None = attrs.field(default=None, converter=_to_cadence)

    def __reduce__(self) -> tuple[Any, ...]:
        # pendulum pickles a Duration as a timedelta, turning one month into 30 days;
        # carry the cadence as its ISO 8601 text instead
        from ._time import duration_iso

        cadence = None if self.cadence is None else duration_iso(self.cadence)
        return (_team, (self.id, self.kind, self.unit, self.name, cadence))


def _team(id: str, kind: TeamKind, unit: str, name: str, cadence: str | None) -> Team:
    return Team(id=id, kind=kind, unit=unit, name=name, cadence=cadence)


@attrs.frozen(kw_only=True)
class Membership:
    """A person's seat on a team, with the roles they hold there.

    A membership is identified by its ``(team, person)`` pair.  Known roles are
    normalised to :class:`Role` members; any other role is kept as written.

    >>> m = Membership(team="t-dlt", person="p-ruiz", roles=["Superintendent", "Liaison"])
    >>> m.roles
    (<Role.SUPERINTENDENT: 'superintendent'>, <Role.LIAISON: 'liaison'>)
    >>> m.key
    ('t-dlt', 'p-ruiz')
    """

    type_name: ClassVar[str] = "membership"

    team: str = attrs.field(validator=_valid_id)
    person: str = attrs.field(validator=_valid_id)
    roles: tuple[str, ...] = attrs.field(default=(), converter=_to_roles)
    since: pendulum.Date | None = attrs.field(default=None, converter=to_date)

    @property
    def key(self) -> tuple[str, str]:
        """The ``(team, person)`` pair that identifies the membership."""
        return (self.team, self.person)

    def has_role(self, role: Role | str) -> bool:
        """Whether the member holds ``role`` on this team."""
        return role in self.roles


@attrs.frozen(kw_only=True)
class Product:
    """What a level produces, owned by an org unit, a team or a person (a teacher).

    ``aligned_to`` is the id of the product of the same kind at the level above
    that this one is aligned with.  Use the concrete classes :class:`Vision`,
    :class:`NonNegotiables` and :class:`ImprovementPlan`.
    """

    type_name: ClassVar[str] = "product"
    kind: ClassVar[ProductKind]

    id: str = attrs.field(validator=_valid_id)
    owner: str = attrs.field(validator=_valid_id)
    aligned_to: str | None = attrs.field(default=None, validator=_optional_id)
    title: str = attrs.field(default="", validator=_text)
    adopted_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: When the owning team last reviewed it.
    reviewed_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)


@attrs.frozen(kw_only=True)
class Vision(Product):
    """A vision for improved student learning.

    >>> v = Vision(id="v-maple", owner="dist-maple", statement="Every student reads by grade 3.",
    ...            adopted_on="2024-08-15")
    >>> v.kind, v.adopted_on
    (<ProductKind.VISION: 'vision'>, Date(2024, 8, 15))
    """

    type_name: ClassVar[str] = "vision"
    kind: ClassVar[ProductKind] = ProductKind.VISION

    statement: str = attrs.field(default="", validator=_text)
    #: Ids of the priority focus areas this vision addresses (for a district's vision).
    addresses: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)


@attrs.frozen(kw_only=True)
class NonNegotiables(Product):
    """The non-negotiable practices of a level.

    >>> NonNegotiables(id="nn-maple", owner="dist-maple", practices="Universal screening").practices
    ('Universal screening',)
    """

    type_name: ClassVar[str] = "non_negotiables"
    kind: ClassVar[ProductKind] = ProductKind.NON_NEGOTIABLES

    practices: tuple[str, ...] = attrs.field(default=(), converter=_to_texts)


@attrs.frozen(kw_only=True)
class ImprovementPlan(Product):
    """A continuous improvement plan (process) driven by data.

    >>> ImprovementPlan(id="cip-maple", owner="dist-maple", goals=["Reduce chronic absence"]).goals
    ('Reduce chronic absence',)
    """

    type_name: ClassVar[str] = "improvement_plan"
    kind: ClassVar[ProductKind] = ProductKind.IMPROVEMENT_PLAN

    goals: tuple[str, ...] = attrs.field(default=(), converter=_to_texts)
    #: Ids of the data sources that drive the plan.
    data_sources: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)
    #: Ids of the district priority focus areas the plan works on.
    focus_areas: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)


@attrs.frozen(kw_only=True)
class FocusArea:
    """One of a district's priority focus areas.

    >>> FocusArea(id="fa-literacy", district="dist-maple", name="Early literacy").name
    'Early literacy'
    """

    type_name: ClassVar[str] = "focus_area"

    id: str = attrs.field(validator=_valid_id)
    district: str = attrs.field(validator=_valid_id)
    name: str = attrs.field(default="", validator=_text)
    description: str = attrs.field(default="", validator=_text)


@attrs.frozen(kw_only=True)
class DataSource:
    """A source of data a unit holds and its improvement plans use (a screener, ...).

    >>> DataSource(id="ds-screen", unit="dist-maple", name="Fall/winter/spring screener",
    ...            kind="universal-screening").kind
    'universal-screening'
    """

    type_name: ClassVar[str] = "data_source"

    id: str = attrs.field(validator=_valid_id)
    unit: str = attrs.field(validator=_valid_id)
    name: str = attrs.field(default="", validator=_text)
    #: What kind of data: universal-screening, progress-monitoring, fidelity, attendance, ...
    kind: str = attrs.field(default="", validator=_text)


class Direction(_Choice):
    """Which side of a threshold marks a student at risk."""

    BELOW = "below"
    ABOVE = "above"


def _to_direction(value: Direction | str) -> Direction:
    return _choice(Direction, value)


@attrs.frozen(kw_only=True)
class RiskThreshold:
    """A rule that marks a student at risk on one measure, set by a unit (usually a district).

    >>> t = RiskThreshold(id="rt-reading", unit="dist-maple", measure="reading-screener",
    ...                   value=25, direction="below")
    >>> t.value, t.direction
    (25.0, <Direction.BELOW: 'below'>)
    """

    type_name: ClassVar[str] = "risk_threshold"

    id: str = attrs.field(validator=_valid_id)
    unit: str = attrs.field(validator=_valid_id)
    measure: str = attrs.field(validator=_valid_id)
    value: float = attrs.field(converter=_to_float)
    direction: Direction = attrs.field(default=Direction.BELOW, converter=_to_direction)
    name: str = attrs.field(default="", validator=_text)


PRODUCT_CLASSES: dict[ProductKind, type[Product]] = {
    ProductKind.VISION: Vision,
    ProductKind.NON_NEGOTIABLES: NonNegotiables,
    ProductKind.IMPROVEMENT_PLAN: ImprovementPlan,
}
