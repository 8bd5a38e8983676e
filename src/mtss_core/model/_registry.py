"""Every type of object the graph holds, declared once.

An :class:`ObjectType` says everything about one type: its class, its name (stamped on
the class as ``type_name``), its document section, how messages call it (singular and
plural), its references (the fields that name other objects, the edge each makes in the
graph, the types or groups of types they may name, and whether the object can live
without one), the groups it belongs to (``product``) and whether a finding about it can
be waived.  The graph, the document loader and dumper, the JSON Schema, the workbook,
DataFrames, exports, labels, waivers, diffs and the incremental session all read the
:class:`Registry`; nothing else names a type.

A registry is a value: :meth:`Registry.extend` gives a new one with more types (as
:meth:`~mtss_core.RuleSet.with_rules` gives more rules), and a graph built with
``types=`` holds them like the shipped ones.

>>> from mtss_core.model import TYPES
>>> TYPES["focus_area"].section, TYPES["focus_area"].plural
('focus_areas', 'focus areas')
>>> [(r.field, r.edge, r.targets) for r in TYPES["team"].references]
[('unit', 'serves', ('unit',))]
>>> TYPES.group("product")
('vision', 'non_negotiables', 'improvement_plan')
>>> TYPES["vision"].reference("aligned_to").targets
('vision', 'non_negotiables', 'improvement_plan')
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeAlias

import attrs

from ..errors import ModelError, UnknownIdError
from ._capacity import (
    BuyIn,
    CapacityAssessment,
    Cohort,
    CohortApplication,
    SuccessHighlight,
)
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

__all__ = ["OBJECT_CLASSES", "TYPES", "WAIVABLE", "EdgeKind", "ModelObject", "ObjectType",
           "Reference", "Registry", "group"]

#: Any object the graph holds (of the shipped types; a registry extended with types of
#: one's own holds those too).
ModelObject: TypeAlias = (
    OrgUnit | Person | Team | Membership | Vision | NonNegotiables | ImprovementPlan | FocusArea
    | DataSource | RiskThreshold | Meeting | StatusUpdate | StageRecord | ReadinessAssessment
    | FidelityAssessment | LeadershipSelfAssessment | ResourceAllocation | Barrier | Protocol
    | Evidence | CapacityAssessment | Cohort | CohortApplication | BuyIn | SuccessHighlight
    | Waiver
)


class EdgeKind(str, enum.Enum):
    """The key of each edge the shipped types make in the underlying networkx graph.

    The graph itself reads edge keys from the registry (``Registry.edge_keys``); this
    enum names the shipped ones for code that asks for them (a test keeps the two equal).
    """

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
    CAPACITY_OF = "capacity_of"
    ADMINISTERED_BY = "administered_by"
    RESPONDED = "responded"
    RUN_BY = "run_by"
    APPLIES_TO = "applies_to"
    APPLICANT = "applicant"
    SIGNED_BY = "signed_by"
    BUY_IN_OF = "buy_in_of"
    SUCCESS_OF = "success_of"
    SHARED_BY = "shared_by"
    WAIVES = "waives"

    def __str__(self) -> str:
        return str(self.value)


Drop = Callable[[Any, "set[str]"], Any]


def group(name: str) -> str:
    """A reference target naming every type of a group (``group("product")``) rather than
    one type; the registry resolves it, so a type added later to the group is a valid
    target too."""
    return f"@{name}"


#: A reference target naming every type a finding can be about (waivers name them).
WAIVABLE = group("waivable")


def _frozen(value: Iterable[str] | str) -> frozenset[str]:
    return frozenset((value,) if isinstance(value, str) else value)


def _strs(value: Iterable[str] | str) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@attrs.frozen
class Reference:
    """One field of an object that names other objects by id."""

    #: The attribute holding the id (or, with ``many``, the ids).
    field: str
    #: The key of the edge it makes, from the object to the one it names.
    edge: str
    #: The types of object it may name (a type's name, or :func:`group` of types).
    targets: tuple[str, ...] = attrs.field(converter=_strs)
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
    """One type of object: its class, names, document section, references and groups.

    ``edge`` types (memberships) are edges of the graph rather than nodes.  ``nested``
    says where a document lists the objects of a type inside another's entries: (the
    field naming the container, the key of the list in its entry), so memberships are
    ``("team", "members")``: a team's entry lists its members, each without its team.
    ``groups`` name families a reference may target as a whole (:func:`group`);
    ``waivable`` says whether a waiver may name an object of the type (every node type
    but waivers themselves, by default).
    """

    name: str
    cls: type[Any]
    #: The document's top-level list of these objects (memberships sit in their team).
    section: str
    singular: str
    plural: str
    references: tuple[Reference, ...] = ()
    #: Whether the objects are edges of the graph (memberships) rather than nodes.
    edge: bool = False
    groups: frozenset[str] = attrs.field(default=frozenset(), converter=_frozen)
    waivable: bool = True
    nested: tuple[str, str] | None = None

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
        raise UnknownIdError(field, "reference field", within=f"the type {self.name!r}")

    @property
    def home_fields(self) -> tuple[str, ...]:
        """The fields that place an object of this type in a subtree."""
        return tuple(r.field for r in self.references if r.home)

    @property
    def id_lists(self) -> tuple[str, ...]:
        """The fields that hold lists of ids (the references with ``many``): a list in a
        document and the JSON Schema, a comma-separated cell in a workbook."""
        return tuple(r.field for r in self.references if r.many)

    def count(self, n: int) -> str:
        """``"1 unit"``, ``"2 sets of non-negotiables"``."""
        return f"{n} {self.singular if n == 1 else self.plural}"


class Registry:
    """The object types, by name, in the order a document lists them.

    Building a registry resolves the group targets of references and stamps each class
    with its ``type_name``; a class declared under two names is refused.
    """

    def __init__(self, types: Iterable[ObjectType]) -> None:
        declared = list(types)
        odd = [t.name for t in declared if t.edge and t.cls is not Membership]
        if odd:
            raise ModelError(f"object type {odd[0]!r} is declared an edge: memberships are "
                             "the graph's only edges; declare it as a node type")
        names = [t.name for t in declared]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ModelError(f"two object types are named {twice[0]!r}")
        #: The types as declared (group targets unresolved), for :meth:`extend`.
        self._declarations = tuple(declared)
        sections = [t.section for t in declared]
        twice = sorted({s for s in sections if sections.count(s) > 1})
        if twice:
            raise ModelError(f"two object types share the document section {twice[0]!r}")
        groups: dict[str, list[str]] = {}
        for t in declared:
            for g in sorted(t.groups):
                groups.setdefault(g, []).append(t.name)
        groups["waivable"] = [t.name for t in declared if t.waivable and not t.edge]
        self._groups = {g: tuple(found) for g, found in groups.items()}
        self._types = {t.name: self._resolved(t) for t in declared}
        self._by_class = {t.cls: t for t in self._types.values()}
        self._by_section = {t.section: t for t in self._types.values()}
        #: The type names, in document order.
        self.names: tuple[str, ...] = tuple(self._types)
        #: The types that are nodes of the graph (all but memberships), in order.
        self.nodes: tuple[ObjectType, ...] = tuple(t for t in self._types.values()
                                                   if not t.edge)
        #: Every class the registry holds.
        self.classes: tuple[type[Any], ...] = tuple(self._by_class)
        #: Per node class: (field, edge key, is_many) for each reference (the graph's
        #: hot path reads this table).
        self.edges: dict[type[Any], tuple[tuple[str, str, bool], ...]] = {
            t.cls: tuple((r.field, r.edge, r.many) for r in t.references) for t in self.nodes}
        #: Every edge key the types' references make (and ``member``, for memberships).
        self.edge_keys: frozenset[str] = frozenset(
            {r.edge for t in self._types.values() for r in t.references if not t.edge}
            | {"member"})
        unknown = sorted({target for t in self._types.values() for r in t.references
                          for target in r.targets if target not in self._types})
        if unknown:
            raise ModelError(f"a reference names {unknown[0]!r}, which is no object type of "
                             "the registry")
        for t in self._types.values():  # all checked: now each class gets its name
            current = t.cls.__dict__.get("type_name")
            if current is not None and current != t.name:
                raise ModelError(f"{t.cls.__name__} is already the object type {current!r}; "
                                 f"it cannot also be {t.name!r}")
        for t in declared:  # the declaration, the same in every registry that holds it
            _stamp(t)

    def _resolved(self, t: ObjectType) -> ObjectType:
        """``t`` with each group target (``@product``) replaced by the group's types."""
        def targets(r: Reference) -> tuple[str, ...]:
            out: list[str] = []
            for target in r.targets:
                if target.startswith("@"):
                    if target[1:] not in self._groups:
                        raise ModelError(f"{t.name}.{r.field} names the group {target[1:]!r}, "
                                         "which no object type belongs to")
                    out.extend(self._groups[target[1:]])
                else:
                    out.append(target)
            return tuple(dict.fromkeys(out))

        if not any(x.startswith("@") for r in t.references for x in r.targets):
            return t
        return attrs.evolve(t, references=tuple(attrs.evolve(r, targets=targets(r))
                                                for r in t.references))

    def __getitem__(self, name: str) -> ObjectType:
        return self._types[name]

    def __contains__(self, name: object) -> bool:
        return name in self._types

    def __iter__(self) -> Iterator[ObjectType]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)

    def __repr__(self) -> str:
        return f"<Registry: {len(self)} object types>"

    def __reduce__(self) -> tuple[Any, ...]:
        if self is TYPES:  # the shipped registry pickles by reference
            return (_shipped, ())
        return (Registry, (list(self._declarations),))

    def of(self, obj: Any) -> ObjectType:
        """The type of ``obj`` (a model object or its class)."""
        return self._by_class[obj if isinstance(obj, type) else type(obj)]

    def nested_in(self, container: str) -> tuple[ObjectType, ...]:
        """The types a document lists inside entries of ``container`` (a team's members)."""
        return tuple(t for t in self._types.values() if t.nested is not None
                     and t.reference(t.nested[0]).targets == (container,))

    def section(self, name: str) -> ObjectType:
        """The type whose document section is ``name``."""
        return self._by_section[name]

    def find(self, name: str) -> ObjectType | None:
        """The type named ``name`` or whose section is ``name``, if any."""
        return self._types.get(name) or self._by_section.get(name)

    def group(self, name: str) -> tuple[str, ...]:
        """The names of the types in a group (``product``; ``waivable``: what a waiver
        may name), in document order."""
        return self._groups.get(name, ())

    @property
    def sections(self) -> dict[str, type[Any]]:
        """Document section -> class, for the node types, in document order."""
        return {t.section: t.cls for t in self.nodes}

    def extend(self, types: Iterable[ObjectType]) -> Registry:
        """A new registry: these types, then ``types`` (new names only; the same class or
        section twice is refused).  Groups grow with them: a new type in the ``product``
        group is a valid ``aligned_to`` target, every new node type is waivable unless it
        says otherwise.

        >>> import attrs
        >>> from mtss_core.model import TYPES, ObjectType, Reference, fields
        >>> @attrs.frozen(kw_only=True)
        ... class Cohort:
        ...     id: str = attrs.field(validator=fields.valid_id)
        ...     district: str = attrs.field(validator=fields.valid_id)
        >>> types = TYPES.extend([ObjectType("cohort", Cohort, "cohorts", "cohort",
        ...     "cohorts", (Reference("district", "cohort_of", "unit", home=True),))])
        >>> Cohort.type_name, "cohort" in types["waiver"].reference("subject").targets
        ('cohort', True)
        """
        added = list(types)
        taken = [t.name for t in added if t.name in self._types]
        if taken:
            raise ModelError(f"the registry already has an object type named {taken[0]!r}")
        return Registry([*self._declarations, *added])


def _stamp(t: ObjectType) -> None:
    """Give the class its type's name (``OrgUnit.type_name == "unit"``) and its
    declaration (its words, what it refers to before groups are resolved): the same in
    every registry that holds the class, so building one registry never changes what
    another's classes say (a registry's own view is ``registry[name]``)."""
    t.cls.type_name = t.name
    if t.cls.__dict__.get("__mtss_type__") is None:
        t.cls.__mtss_type__ = t


_R = Reference
_PRODUCT = ("product",)


def _assignments_without(person: Person, units: set[str]) -> Person:
    return attrs.evolve(person, assignments=tuple(a for a in person.assignments
                                                  if a.unit not in units))


def _escalations_without(barrier: Barrier, teams: set[str]) -> Barrier:
    return attrs.evolve(barrier, escalations=tuple(e for e in barrier.escalations
                                                   if e.team not in teams))


def _commitments_without(app: CohortApplication, people: set[str]) -> CohortApplication:
    return attrs.evolve(app, commitments=tuple(
        attrs.evolve(c, signed_by=None) if c.signed_by in people else c
        for c in app.commitments))


def _product(name: str, cls: type[Any], section: str, singular: str, plural: str,
             *more: Reference) -> ObjectType:
    return ObjectType(name, cls, section, singular, plural, (
        _R("owner", "owned_by", ("unit", "team", "person"), home=True),
        _R("aligned_to", "aligns_to", group("product"), optional=True), *more),
        groups=_PRODUCT)


_SHIPPED = [
    ObjectType("unit", OrgUnit, "units", "unit", "units", (
        _R("parent", "parent", "unit"),)),
    ObjectType("person", Person, "people", "person", "people", (
        _R("unit", "based_at", "unit", optional=True),
        _R("assigned_units", "assigned_to", "unit", many=True, optional=True,
           drop=_assignments_without))),
    ObjectType("team", Team, "teams", "team", "teams", (
        _R("unit", "serves", "unit"),)),
    ObjectType("membership", Membership, "memberships", "membership", "memberships", (
        _R("team", "member", "team"), _R("person", "member", "person")), edge=True,
        waivable=False, nested=("team", "members")),
    _product("vision", Vision, "visions", "vision", "visions",
             _R("addresses", "addresses", "focus_area", many=True, optional=True)),
    _product("non_negotiables", NonNegotiables, "non_negotiables", "set of non-negotiables",
             "sets of non-negotiables"),
    _product("improvement_plan", ImprovementPlan, "improvement_plans", "improvement plan",
             "improvement plans",
             _R("data_sources", "uses_data", "data_source", many=True, optional=True),
             _R("focus_areas", "works_on", "focus_area", many=True, optional=True)),
    ObjectType("focus_area", FocusArea, "focus_areas", "focus area", "focus areas", (
        _R("district", "focus_of", "unit", home=True),)),
    ObjectType("data_source", DataSource, "data_sources", "data source", "data sources", (
        _R("unit", "held_by", "unit", home=True),)),
    ObjectType("risk_threshold", RiskThreshold, "risk_thresholds", "risk threshold",
               "risk thresholds", (_R("unit", "set_by", "unit", home=True),)),
    ObjectType("meeting", Meeting, "meetings", "meeting", "meetings", (
        _R("team", "meeting_of", "team", home=True),
        _R("attendees", "attended_by", "person", many=True, optional=True))),
    ObjectType("status_update", StatusUpdate, "status_updates", "status update",
               "status updates", (
                   _R("team", "update_to", "team", home=True),
                   _R("liaison", "given_by", "person", optional=True),
                   _R("assessments", "reports", "fidelity_assessment", many=True,
                      optional=True))),
    ObjectType("stage_record", StageRecord, "stages", "stage record", "stage records", (
        _R("unit", "stage_of", "unit", home=True),)),
    ObjectType("readiness_assessment", ReadinessAssessment, "readiness_assessments",
               "readiness assessment", "readiness assessments", (
                   _R("unit", "assesses", "unit", home=True),)),
    ObjectType("fidelity_assessment", FidelityAssessment, "fidelity_assessments",
               "fidelity assessment", "fidelity assessments", (
                   _R("unit", "assesses", "unit", home=True),)),
    ObjectType("leadership_assessment", LeadershipSelfAssessment, "leadership_assessments",
               "leadership self-assessment", "leadership self-assessments", (
                   _R("subject", "assesses", ("person", "team"), home=True),)),
    ObjectType("resource_allocation", ResourceAllocation, "resource_allocations",
               "resource allocation", "resource allocations", (
                   _R("unit", "allocated_by", "unit", home=True),)),
    ObjectType("barrier", Barrier, "barriers", "barrier", "barriers", (
        _R("raised_by", "raised_by", "team", home=True),
        _R("owner", "barrier_owner", "person", optional=True),
        _R("escalated_teams", "escalated_to", "team", many=True, optional=True,
           drop=_escalations_without))),
    ObjectType("protocol", Protocol, "protocols", "communication protocol",
               "communication protocols", (
                   _R("from_team", "links_from", "team", home=True),
                   _R("to_team", "links_to", "team", home=True),
                   _R("designee", "designee", "person", optional=True))),
    ObjectType("evidence", Evidence, "evidence", "evidence record", "evidence records", (
        _R("team", "evidence_of", "team", home=True),)),
    ObjectType("capacity_assessment", CapacityAssessment, "capacity_assessments",
               "capacity assessment", "capacity assessments", (
                   _R("unit", "capacity_of", "unit", home=True),
                   _R("administrator", "administered_by", "person", optional=True),
                   _R("respondents", "responded", "person", many=True, optional=True))),
    ObjectType("cohort", Cohort, "cohorts", "cohort", "cohorts", (
        _R("unit", "run_by", "unit", optional=True, home=True),)),
    ObjectType("cohort_application", CohortApplication, "cohort_applications",
               "cohort application", "cohort applications", (
                   _R("unit", "applicant", "unit", home=True),
                   _R("cohort", "applies_to", "cohort"),
                   _R("signers", "signed_by", "person", many=True, optional=True,
                      drop=_commitments_without))),
    ObjectType("buy_in", BuyIn, "buy_in", "buy-in survey", "buy-in surveys", (
        _R("unit", "buy_in_of", "unit", home=True),)),
    ObjectType("success_highlight", SuccessHighlight, "success_highlights",
               "success highlight", "success highlights", (
                   _R("unit", "success_of", "unit", home=True),
                   _R("team", "shared_by", "team", optional=True))),
    ObjectType("waiver", Waiver, "waivers", "waiver", "waivers", (
        _R("subject", "waives", WAIVABLE, home=True),), waivable=False),
]

#: Every type of object the library ships, in the order a document lists them.
TYPES = Registry(_SHIPPED)


def _shipped() -> Registry:
    return TYPES


#: The concrete classes, in the order a document lists them.
OBJECT_CLASSES: tuple[type[Any], ...] = tuple(t.cls for t in TYPES)
