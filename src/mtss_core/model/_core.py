"""The domain model: frozen, keyword-only attrs value objects with stable ids.

Objects name each other by id (``parent="district-maple"``), never by Python
reference, so they can be built in any order, serialised as plain data and
checked by the :class:`~mtss_core.AlignmentGraph` that holds them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from ..errors import ModelError, ModelTypeError
from ._kinds import (
    CoachingSkill,
    Department,
    Domain,
    ProductKind,
    Role,
    TeamKind,
    UnitKind,
    _to_departments,
    _to_domains,
    _to_roles,
    _to_seat_roles,
    _to_skills,
    _to_team_kind,
    _to_unit_kind,
)
from .fields import (
    Choice,
    choice,
    items_of,
    normalised,
    optional_bool,
    optional_id,
    to_date,
    to_float,
    to_ids,
    to_optional_duration,
    to_texts,
    valid_id,
    valid_text,
)

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
    "content_field",
    "written",
]


# (the vocabularies are in _kinds)


# --- the objects -----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class OrgUnit:
    """A level of the school system: a state, an ISD, a district, a school, a grade...

    ``parent`` is the id of the unit directly above; states, ISDs and districts
    may be roots of a graph.

    ``source`` says where an imported unit came from (``oneroster:orgs.csv``): a unit
    with a source belongs to the roster a refresh replaces; one without was added by
    people.  ``closed_on`` marks a unit that closed (absent from a later roster) but is
    kept because the MTSS layer refers to it: findings about it and what it holds are not
    reported from that date.

    >>> OrgUnit(id="sch-lincoln", kind="school", name="Lincoln Elementary", parent="dist-maple")
    OrgUnit(id='sch-lincoln', kind=<UnitKind.SCHOOL: 'school'>, name='Lincoln Elementary', \
parent='dist-maple', code=None, formal_partner=None, grades='', closed_on=None, source='')
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    kind: UnitKind = attrs.field(converter=_to_unit_kind)
    name: str = attrs.field(default="", validator=valid_text)
    parent: str | None = attrs.field(default=None, validator=optional_id)
    #: An external identifier (NCES id, Ed-Fi EducationOrganizationId, ...).
    code: str | None = attrs.field(default=None, validator=optional_id)
    #: For an ISD: whether it is a formal partner of the state's MTSS program (e.g. MIBLSI).
    formal_partner: bool | None = attrs.field(default=None, validator=optional_bool)
    #: The grades a school serves, as a directory writes them (``K-5``, ``9-12``).
    grades: str = attrs.field(default="", validator=valid_text)
    #: When the unit closed (a refresh sets it for a unit absent from the new roster).
    closed_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: Where an imported unit came from (``oneroster:orgs.csv``); empty for one added by
    #: people.
    source: str = attrs.field(default="", validator=valid_text)


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
    found = normalised(value, Role, "position") if value else ()
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

    unit: str = attrs.field(validator=valid_id)
    position: str = attrs.field(default="", converter=_to_position,
                                metadata={"choices": Role, "free": True, "blank": True})
    title: str = attrs.field(default="", validator=valid_text)
    begins_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    ends_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    fte: float | None = attrs.field(default=None, validator=_optional_fte,
                                    metadata={"range": (0, 10)})
    order: int | None = attrs.field(default=None, validator=_optional_order,
                                    metadata={"range": (1, 1000)})
    #: Where the assignment came from (``edfi:Interchange-StaffAssociation.xml``).
    source: str = attrs.field(default="", validator=valid_text)

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
    for i, item in enumerate(items_of(value, "assignments")):
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

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    name: str = attrs.field(default="", validator=valid_text)
    unit: str | None = attrs.field(default=None, validator=optional_id)
    departments: tuple[str, ...] = attrs.field(default=(), converter=_to_departments,
                                               metadata={"choices": Department, "free": True})
    domains: tuple[Domain, ...] = attrs.field(default=(), converter=_to_domains)
    #: For a coach: the systems-coaching skills they bring (Leadership elements).
    coaching_skills: tuple[CoachingSkill, ...] = attrs.field(default=(), converter=_to_skills)
    #: The positions the person holds at their unit (from rostering or HR data:
    #: ``principal``, ``teacher``, ...), as opposed to the roles they hold on teams.
    positions: tuple[str, ...] = attrs.field(default=(), converter=_to_roles)
    #: Every position held at every unit, with dates, as the source recorded them (a
    #: teacher shared by two schools keeps both); ``unit`` is the primary one's.
    assignments: tuple[Assignment, ...] = attrs.field(default=(), converter=_to_assignments)
    #: When the person left (a refresh sets it for someone absent from the new roster who
    #: is kept because seats or products refer to them); findings about them and their
    #: products are not reported from that date.
    left_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: Where an imported person came from (``oneroster:users.csv``); empty for one added
    #: by people.
    source: str = attrs.field(default="", validator=valid_text)

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

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    kind: TeamKind = attrs.field(converter=_to_team_kind)
    unit: str = attrs.field(validator=valid_id)
    name: str = attrs.field(default="", validator=valid_text)
    #: How often the team means to meet, as an ISO 8601 duration (``P1M``); rules that
    #: check meeting cadence use it instead of their default.
    cadence: pendulum.Duration | None = attrs.field(default=None, converter=to_optional_duration)

    def __reduce__(self) -> tuple[Any, ...]:
        # pendulum pickles a Duration as a timedelta, turning one month into 30 days;
        # carry the cadence as its ISO 8601 text instead
        from .fields import duration_iso

        cadence = None if self.cadence is None else duration_iso(self.cadence)
        return (_team, (self.id, self.kind, self.unit, self.name, cadence))


def _team(id: str, kind: TeamKind, unit: str, name: str, cadence: str | None) -> Team:
    return Team(id=id, kind=kind, unit=unit, name=name, cadence=cadence)


@attrs.frozen(kw_only=True)
class Membership:
    """A person's seat on a team, with the roles they hold there.

    A membership is identified by its ``(team, person)`` pair.  Known roles are
    normalised to :class:`Role` members; any other role is kept as written.  ``since`` is
    when the seat was taken, ``until`` when it ended: an ended seat is kept as history
    (who held the seat, and since when it is empty), and is not *current* on any date
    from ``until`` on (:meth:`current`).

    >>> m = Membership(team="t-dlt", person="p-ruiz", roles=["Superintendent", "Liaison"])
    >>> m.roles
    (<Role.SUPERINTENDENT: 'superintendent'>, <Role.LIAISON: 'liaison'>)
    >>> m.key
    ('t-dlt', 'p-ruiz')
    >>> left = Membership(team="t-dlt", person="p-ruiz", since="2021-08-01", until="2027-06-30")
    >>> left.current("2027-06-29"), left.current("2027-06-30"), left.current(None)
    (True, False, False)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    team: str = attrs.field(validator=valid_id)
    person: str = attrs.field(validator=valid_id)
    roles: tuple[str, ...] = attrs.field(default=(), converter=_to_seat_roles,
                                         metadata={"choices": Role, "free": True})
    since: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: When the seat ended (the person left the team, the school or the district).
    until: pendulum.Date | None = attrs.field(default=None, converter=to_date)

    def __attrs_post_init__(self) -> None:
        if self.until is not None and self.since is not None and self.until < self.since:
            raise ModelError(f"membership {self.team}/{self.person}: until ({self.until}) "
                             f"is before since ({self.since})", field="until")

    @property
    def key(self) -> tuple[str, str]:
        """The ``(team, person)`` pair that identifies the membership."""
        return (self.team, self.person)

    def current(self, as_of: pendulum.Date | str | None = None) -> bool:
        """Whether the seat is held on ``as_of``: it has not ended by then (without a
        date: it has no ``until``)."""
        if self.until is None:
            return True
        day = to_date(as_of)
        return day is not None and self.until > day

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

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it
    kind: ClassVar[ProductKind]

    id: str = attrs.field(validator=valid_id)
    owner: str = attrs.field(validator=valid_id)
    aligned_to: str | None = attrs.field(default=None, validator=optional_id)
    title: str = attrs.field(default="", validator=valid_text)
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

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it
    kind: ClassVar[ProductKind] = ProductKind.VISION

    statement: str = attrs.field(default="", validator=valid_text)
    #: Ids of the priority focus areas this vision addresses (for a district's vision).
    addresses: tuple[str, ...] = attrs.field(default=(), converter=to_ids)


@attrs.frozen(kw_only=True)
class NonNegotiables(Product):
    """The non-negotiable practices of a level.

    >>> NonNegotiables(id="nn-maple", owner="dist-maple", practices="Universal screening").practices
    ('Universal screening',)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it
    kind: ClassVar[ProductKind] = ProductKind.NON_NEGOTIABLES

    practices: tuple[str, ...] = attrs.field(default=(), converter=to_texts)


@attrs.frozen(kw_only=True)
class ImprovementPlan(Product):
    """A continuous improvement plan (process) driven by data.

    >>> ImprovementPlan(id="cip-maple", owner="dist-maple", goals=["Reduce chronic absence"]).goals
    ('Reduce chronic absence',)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it
    kind: ClassVar[ProductKind] = ProductKind.IMPROVEMENT_PLAN

    goals: tuple[str, ...] = attrs.field(default=(), converter=to_texts)
    #: Ids of the data sources that drive the plan.
    data_sources: tuple[str, ...] = attrs.field(default=(), converter=to_ids)
    #: Ids of the district priority focus areas the plan works on.
    focus_areas: tuple[str, ...] = attrs.field(default=(), converter=to_ids)


@attrs.frozen(kw_only=True)
class FocusArea:
    """One of a district's priority focus areas.

    >>> FocusArea(id="fa-literacy", district="dist-maple", name="Early literacy").name
    'Early literacy'
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    district: str = attrs.field(validator=valid_id)
    name: str = attrs.field(default="", validator=valid_text)
    description: str = attrs.field(default="", validator=valid_text)


@attrs.frozen(kw_only=True)
class DataSource:
    """A source of data a unit holds and its improvement plans use (a screener, ...).

    >>> DataSource(id="ds-screen", unit="dist-maple", name="Fall/winter/spring screener",
    ...            kind="universal-screening").kind
    'universal-screening'
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    name: str = attrs.field(default="", validator=valid_text)
    #: What kind of data: universal-screening, progress-monitoring, fidelity, attendance, ...
    kind: str = attrs.field(default="", validator=valid_text)


class Direction(Choice):
    """Which side of a threshold marks a student at risk."""

    BELOW = "below"
    ABOVE = "above"


def _to_direction(value: Direction | str) -> Direction:
    return choice(Direction, value)


@attrs.frozen(kw_only=True)
class RiskThreshold:
    """A rule that marks a student at risk on one measure, set by a unit (usually a district).

    >>> t = RiskThreshold(id="rt-reading", unit="dist-maple", measure="reading-screener",
    ...                   value=25, direction="below")
    >>> t.value, t.direction
    (25.0, <Direction.BELOW: 'below'>)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    measure: str = attrs.field(validator=valid_id)
    value: float = attrs.field(converter=to_float)
    direction: Direction = attrs.field(default=Direction.BELOW, converter=_to_direction)
    name: str = attrs.field(default="", validator=valid_text)


PRODUCT_CLASSES: dict[ProductKind, type[Product]] = {
    ProductKind.VISION: Vision,
    ProductKind.NON_NEGOTIABLES: NonNegotiables,
    ProductKind.IMPROVEMENT_PLAN: ImprovementPlan,
}


def content_field(product: Any) -> str | None:
    """The field that says what a product commits to: a vision's ``statement``,
    non-negotiables' ``practices``, a plan's ``goals`` (``None`` for another object)."""
    return _CONTENT.get(type(product))


def written(product: Any) -> bool:
    """Whether a product says something: its :func:`content_field` filled.  A starter's
    placeholder ("Vision (to write)", a title alone) is not written yet.

    >>> written(Vision(id="v", owner="d", title="Vision (to write)"))
    False
    >>> written(Vision(id="v", owner="d", statement="Every student reads by grade 3."))
    True
    """
    field = content_field(product)
    if field is None:
        return True
    value = getattr(product, field)
    return bool(value.strip()) if isinstance(value, str) else any(v.strip() for v in value)


_CONTENT: dict[type[Any], str] = {Vision: "statement", NonNegotiables: "practices",
                                  ImprovementPlan: "goals"}
