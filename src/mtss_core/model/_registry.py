"""Every type of object the graph holds, declared once.

Each :class:`ObjectType` names its class, its document section, how messages call it
(singular and plural), and its references: the fields that name other objects, the
edge each makes in the graph, the types they may name, and whether the object can live
without one.  The graph, the document loader and dumper, the JSON Schema, DataFrames,
exports, labels and the incremental session all read this table: adding a type of
object is one declaration here plus its class.

>>> from mtss_core.model import TYPES
>>> TYPES["focus_area"].section, TYPES["focus_area"].plural
('focus_areas', 'focus areas')
>>> [(r.field, r.edge, r.targets) for r in TYPES["team"].references]
[('unit', 'serves', ('unit',))]
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias

import attrs

from ._core import (
    DataSource,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    RiskThreshold,
    Team,
    Vision,
)
from ._practice import (
    Barrier,
    Evidence,
    LeadershipSelfAssessment,
    Protocol,
    ResourceAllocation,
    Waiver,
)
from ._time import (
    FidelityAssessment,
    Meeting,
    ReadinessAssessment,
    StageRecord,
    StatusUpdate,
)

__all__ = ["OBJECT_CLASSES", "TYPES", "EdgeKind", "ModelObject", "ObjectType",
           "Reference", "Registry"]

#: Any object the graph holds.
ModelObject: TypeAlias = (
    OrgUnit | Person | Team | Membership | Vision | NonNegotiables | ImprovementPlan | FocusArea
    | DataSource | RiskThreshold | Meeting | StatusUpdate | StageRecord | ReadinessAssessment
    | FidelityAssessment | LeadershipSelfAssessment | ResourceAllocation | Barrier | Protocol
    | Evidence | Waiver
)


class EdgeKind(str, enum.Enum):
    """The key of each edge of the underlying networkx graph (one per kind of reference)."""

    PARENT = "parent"
    BASED_AT = "based_at"
    SERVES = "serves"
    MEMBER = "member"
    OWNED_BY = "owned_by"
    ALIGNS_TO = "aligns_to"
    FOCUS_OF = "focus_of"
    ADDRESSES = "addresses"
    USES_DATA = "uses_data"
    WORKS_ON = "works_on"
    HELD_BY = "held_by"
    SET_BY = "set_by"
    MEETING_OF = "meeting_of"
    ATTENDED_BY = "attended_by"
    UPDATE_TO = "update_to"
    GIVEN_BY = "given_by"
    REPORTS = "reports"
    STAGE_OF = "stage_of"
    ASSESSES = "assesses"
    ALLOCATED_BY = "allocated_by"
    RAISED_BY = "raised_by"
    ESCALATED_TO = "escalated_to"
    OWNED_BY_PERSON = "barrier_owner"
    LINKS_FROM = "links_from"
    LINKS_TO = "links_to"
    DESIGNEE = "designee"
    EVIDENCE_OF = "evidence_of"
    ASSIGNED_TO = "assigned_to"
    WAIVES = "waives"

    def __str__(self) -> str:
        return str(self.value)


Drop = Callable[[Any, "set[str]"], Any]


@attrs.frozen
class Reference:
    """One field of an object that names other objects by id."""

    #: The attribute holding the id (or, with ``many``, the ids).
    field: str
    #: The key of the edge it makes, from the object to the one it names.
    edge: str
    #: The types of object it may name.
    targets: tuple[str, ...]
    many: bool = False
    #: Whether the object can live without it: a lenient build drops a dangling optional
    #: reference (and reports it) instead of refusing the object.
    optional: bool = False
    #: How to drop targets from the object (the default unsets the field or filters it).
    drop: Drop | None = attrs.field(default=None, eq=False, repr=False)
    #: Whether the field places the object in the subtree of the unit (or team, person)
    #: it names: a product's owner, a meeting's team.
    home: bool = False

    def ids(self, obj: Any) -> tuple[str, ...]:
        """The ids ``obj`` names through this reference."""
        value = getattr(obj, self.field)
        if self.many:
            return tuple(value)
        return () if value is None else (value,)

    def without(self, obj: Any, targets: set[str]) -> Any:
        """``obj`` without the references to ``targets`` (for optional references)."""
        if self.drop is not None:
            return self.drop(obj, targets)
        if self.many:
            return attrs.evolve(obj, **{self.field: tuple(
                x for x in getattr(obj, self.field) if x not in targets)})
        return attrs.evolve(obj, **{self.field: None})


@attrs.frozen
class ObjectType:
    """One type of object: its class, names, document section and references."""

    name: str
    cls: type[Any]
    #: The document's top-level list of these objects (memberships sit in their team).
    section: str
    singular: str
    plural: str
    references: tuple[Reference, ...]
    #: Whether the objects are edges of the graph (memberships) rather than nodes.
    edge: bool = False

    def refs(self, obj: Any) -> Iterator[tuple[Reference, str]]:
        """Each (reference, target id) that ``obj`` makes, in declaration order."""
        for ref in self.references:
            for target in ref.ids(obj):
                yield ref, target

    def reference(self, field: str) -> Reference:
        """The reference declared for ``field``."""
        for ref in self.references:
            if ref.field == field:
                return ref
        raise KeyError(field)

    @property
    def home_fields(self) -> tuple[str, ...]:
        """The fields that place an object of this type in a subtree."""
        return tuple(r.field for r in self.references if r.home)

    def count(self, n: int) -> str:
        """``"1 unit"``, ``"2 sets of non-negotiables"``."""
        return f"{n} {self.singular if n == 1 else self.plural}"


class Registry:
    """The object types, by name, in the order a document lists them."""

    def __init__(self, types: Iterable[ObjectType]) -> None:
        self._types = {t.name: t for t in types}
        self._by_class = {t.cls: t for t in self._types.values()}
        self._by_section = {t.section: t for t in self._types.values()}
        #: The type names, in document order.
        self.names: tuple[str, ...] = tuple(self._types)
        #: The types that are nodes of the graph (all but memberships), in order.
        self.nodes: tuple[ObjectType, ...] = tuple(t for t in self._types.values()
                                                   if not t.edge)

    def __getitem__(self, name: str) -> ObjectType:
        return self._types[name]

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[ObjectType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def of(self, obj: Any) -> ObjectType:
        """The type of ``obj`` (a model object or its class)."""
        return self._by_class[obj if isinstance(obj, type) else type(obj)]

    def section(self, name: str) -> ObjectType:
        """The type whose document section is ``name``."""
        return self._by_section[name]

    def find(self, name: str) -> ObjectType | None:
        """The type named ``name`` or whose section is ``name``, if any."""
        return self._types.get(name) or self._by_section.get(name)

    @property
    def sections(self) -> dict[str, type[Any]]:
        """Document section -> class, for the node types, in document order."""
        return {t.section: t.cls for t in self.nodes}


_PRODUCTS = ("vision", "non_negotiables", "improvement_plan")
#: What a waiver may name: anything a finding can be about.
_WAIVABLE = ("unit", "person", "team", *_PRODUCTS, "focus_area", "data_source",
             "risk_threshold", "meeting", "status_update", "stage_record",
             "readiness_assessment", "fidelity_assessment", "leadership_assessment",
             "resource_allocation", "barrier", "protocol", "evidence")
_R = Reference


def _assignments_without(person: Person, units: set[str]) -> Person:
    return attrs.evolve(person, assignments=tuple(a for a in person.assignments
                                                  if a.unit not in units))


def _escalations_without(barrier: Barrier, teams: set[str]) -> Barrier:
    return attrs.evolve(barrier, escalations=tuple(e for e in barrier.escalations
                                                   if e.team not in teams))


def _product(name: str, cls: type[Any], section: str, singular: str, plural: str,
             *more: Reference) -> ObjectType:
    return ObjectType(name, cls, section, singular, plural, (
        _R("owner", "owned_by", ("unit", "team", "person"), home=True),
        _R("aligned_to", "aligns_to", _PRODUCTS, optional=True), *more))


#: Every type of object, in the order a document lists them.
TYPES = Registry([
    ObjectType("unit", OrgUnit, "units", "unit", "units", (
        _R("parent", "parent", ("unit",)),)),
    ObjectType("person", Person, "people", "person", "people", (
        _R("unit", "based_at", ("unit",), optional=True),
        _R("assigned_units", "assigned_to", ("unit",), many=True, optional=True,
           drop=_assignments_without))),
    ObjectType("team", Team, "teams", "team", "teams", (
        _R("unit", "serves", ("unit",)),)),
    ObjectType("membership", Membership, "memberships", "membership", "memberships", (
        _R("team", "member", ("team",)), _R("person", "member", ("person",))), edge=True),
    _product("vision", Vision, "visions", "vision", "visions",
             _R("addresses", "addresses", ("focus_area",), many=True, optional=True)),
    _product("non_negotiables", NonNegotiables, "non_negotiables", "set of non-negotiables",
             "sets of non-negotiables"),
    _product("improvement_plan", ImprovementPlan, "improvement_plans", "improvement plan",
             "improvement plans",
             _R("data_sources", "uses_data", ("data_source",), many=True, optional=True),
             _R("focus_areas", "works_on", ("focus_area",), many=True, optional=True)),
    ObjectType("focus_area", FocusArea, "focus_areas", "focus area", "focus areas", (
        _R("district", "focus_of", ("unit",), home=True),)),
    ObjectType("data_source", DataSource, "data_sources", "data source", "data sources", (
        _R("unit", "held_by", ("unit",), home=True),)),
    ObjectType("risk_threshold", RiskThreshold, "risk_thresholds", "risk threshold",
               "risk thresholds", (_R("unit", "set_by", ("unit",), home=True),)),
    ObjectType("meeting", Meeting, "meetings", "meeting", "meetings", (
        _R("team", "meeting_of", ("team",), home=True),
        _R("attendees", "attended_by", ("person",), many=True, optional=True))),
    ObjectType("status_update", StatusUpdate, "status_updates", "status update",
               "status updates", (
                   _R("team", "update_to", ("team",), home=True),
                   _R("liaison", "given_by", ("person",), optional=True),
                   _R("assessments", "reports", ("fidelity_assessment",), many=True,
                      optional=True))),
    ObjectType("stage_record", StageRecord, "stages", "stage record", "stage records", (
        _R("unit", "stage_of", ("unit",), home=True),)),
    ObjectType("readiness_assessment", ReadinessAssessment, "readiness_assessments",
               "readiness assessment", "readiness assessments", (
                   _R("unit", "assesses", ("unit",), home=True),)),
    ObjectType("fidelity_assessment", FidelityAssessment, "fidelity_assessments",
               "fidelity assessment", "fidelity assessments", (
                   _R("unit", "assesses", ("unit",), home=True),)),
    ObjectType("leadership_assessment", LeadershipSelfAssessment, "leadership_assessments",
               "leadership self-assessment", "leadership self-assessments", (
                   _R("subject", "assesses", ("person", "team"), home=True),)),
    ObjectType("resource_allocation", ResourceAllocation, "resource_allocations",
               "resource allocation", "resource allocations", (
                   _R("unit", "allocated_by", ("unit",), home=True),)),
    ObjectType("barrier", Barrier, "barriers", "barrier", "barriers", (
        _R("raised_by", "raised_by", ("team",), home=True),
        _R("owner", "barrier_owner", ("person",), optional=True),
        _R("escalated_teams", "escalated_to", ("team",), many=True, optional=True,
           drop=_escalations_without))),
    ObjectType("protocol", Protocol, "protocols", "communication protocol",
               "communication protocols", (
                   _R("from_team", "links_from", ("team",), home=True),
                   _R("to_team", "links_to", ("team",), home=True),
                   _R("designee", "designee", ("person",), optional=True))),
    ObjectType("evidence", Evidence, "evidence", "evidence record", "evidence records", (
        _R("team", "evidence_of", ("team",), home=True),)),
    ObjectType("waiver", Waiver, "waivers", "waiver", "waivers", (
        _R("subject", "waives", _WAIVABLE, home=True),)),
])

#: The concrete classes, in the order a document lists them.
OBJECT_CLASSES: tuple[type[Any], ...] = tuple(t.cls for t in TYPES)
