"""What can be asked of an alignment graph: every query answers with a tuple (or one
object), in the order the objects were added unless it says otherwise.

The two primitive, fast accessors every rule may use are :meth:`Queries.node` (the
object with an id) and :meth:`Queries.referrers` (the ids that refer to one through one
kind of reference); the rest are built on the same adjacency dicts.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar, cast, overload

import pendulum

from ..errors import ModelError, ModelTypeError, UnknownIdError
from ..model import (
    PRODUCT_CLASSES,
    Barrier,
    DataSource,
    EdgeKind,
    FidelityAssessment,
    FocusArea,
    ImprovementPlan,
    Meeting,
    Membership,
    ModelObject,
    NonNegotiables,
    OrgUnit,
    Person,
    Product,
    ProductKind,
    Protocol,
    ReadinessAssessment,
    Registry,
    ResourceAllocation,
    RiskThreshold,
    Role,
    StageRecord,
    StatusUpdate,
    Team,
    TeamKind,
    UnitKind,
    Vision,
    to_date,
)

__all__ = ["Queries"]

_T = TypeVar("_T")
_D = TypeVar("_D")
_E = TypeVar("_E", bound=enum.Enum)

PARENT = EdgeKind.PARENT.value
SERVES = EdgeKind.SERVES.value
MEMBER = EdgeKind.MEMBER.value
OWNED_BY = EdgeKind.OWNED_BY.value
#: The edge keys whose referrers the graph indexes by target (products by owner, teams by
#: unit): what the level above reads for every product of a full run.
INDEXED = tuple(k.value for k in (
    EdgeKind.OWNED_BY, EdgeKind.SERVES, EdgeKind.STAGE_OF, EdgeKind.ASSESSES,
    EdgeKind.MEETING_OF, EdgeKind.UPDATE_TO, EdgeKind.ALLOCATED_BY, EdgeKind.FOCUS_OF))
ALIGNS_TO = EdgeKind.ALIGNS_TO.value
FOCUS_OF = EdgeKind.FOCUS_OF.value
HELD_BY = EdgeKind.HELD_BY.value
SET_BY = EdgeKind.SET_BY.value
MEETING_OF = EdgeKind.MEETING_OF.value
UPDATE_TO = EdgeKind.UPDATE_TO.value
STAGE_OF = EdgeKind.STAGE_OF.value
ASSESSES = EdgeKind.ASSESSES.value
ALLOCATED_BY = EdgeKind.ALLOCATED_BY.value
#: Each kind of product's type name (``vision``): from the classes the registry stamped.
_PRODUCT_TYPE = {kind: cls.type_name for kind, cls in PRODUCT_CLASSES.items()}


def _word(cls: type[Any]) -> str:
    """What one calls an object of ``cls``: its type's singular, or the class's name."""
    if cls is OrgUnit:
        return "org unit"
    declared = getattr(cls, "__mtss_type__", None)
    if declared is not None and getattr(declared, "cls", None) is cls:
        return str(declared.singular)
    if cls is Product:
        return "product"
    return cls.__name__


def _a(word: str) -> str:
    vowel = word[:1] in "aeiou" and not word.startswith(("uni", "use"))
    return f"{'an' if vowel else 'a'} {word}"


def _kind(enum_cls: type[_E], value: _E | str, what: str) -> _E:
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        raise ModelError(f"unknown {what} {value!r}; expected one of "
                         + ", ".join(repr(m.value) for m in enum_cls)) from None


class Queries:
    """The queries of :class:`~mtss_core.AlignmentGraph` (a mixin over its storage)."""

    __slots__ = ()
    _node: dict[str, Any]
    # u -> v -> the edge's keys and their data (a dict, or a compact stand-in: _compact)
    _succ: dict[str, dict[str, Any]]
    _pred: dict[str, dict[str, Any]]
    _by_type: dict[str, dict[str, Any]]
    _by_role: dict[str, dict[int, Membership]]
    _refd: dict[str, dict[str, dict[str, None]]]
    _unit_kinds: dict[Any, tuple[OrgUnit, ...]]
    _n_members: int
    _n_ended: int
    types: Registry

    # --- the primitives -----------------------------------------------------------------------

    def node(self, id: str) -> Any:
        """The object with ``id``; :class:`~mtss_core.errors.UnknownIdError` if none.

        The fast accessor for rules (typed ``Any`` so a rule can read the fields of the
        type it knows it holds).

        >>> from mtss_core import example
        >>> example().node("sch-lincoln").kind
        <UnitKind.SCHOOL: 'school'>
        """
        try:
            return self._node[id]
        except KeyError:
            raise UnknownIdError(id) from None

    def referrers(self, id: str, kind: EdgeKind | str) -> tuple[str, ...]:
        """The ids of the objects that refer to ``id`` through references of ``kind``
        (an :class:`~mtss_core.graph.EdgeKind`), in the order they were added.

        >>> from mtss_core import example
        >>> example().referrers("dist-maple", "parent")
        ('sch-lincoln', 'sch-maple-ms')
        """
        key = kind.value if isinstance(kind, EdgeKind) else kind
        try:
            pred = self._pred[id]
        except KeyError:
            raise UnknownIdError(id) from None
        if key not in self.types.edge_keys:
            raise ModelError(f"unknown kind of reference {key!r}; expected one of "
                             + ", ".join(repr(k) for k in sorted(self.types.edge_keys)))
        return tuple([u for u, keys in pred.items() if key in keys])

    @overload
    def objects(self, type_name: str) -> tuple[Any, ...]: ...

    @overload
    def objects(self, type_name: type[_T]) -> tuple[_T, ...]: ...

    def objects(self, type_name: str | type[Any]) -> tuple[Any, ...]:
        """Every object of one type, in the order they were added: name the type
        (``"unit"``, ``"vision"``, ... as in :data:`~mtss_core.model.TYPES`), or pass its
        class for results typed as that class.

        >>> from mtss_core import example
        >>> from mtss_core.model import Cohort
        >>> [c.id for c in example().objects(Cohort)]
        ['miblsi-c11']
        """
        if isinstance(type_name, type):
            declared = getattr(type_name, "__mtss_type__", None)
            if declared is None or declared.cls is not type_name:
                raise ModelTypeError(f"{type_name.__name__} is not a type of object the "
                                     "graph holds")
            name: str = declared.name
        else:
            name = type_name
        try:
            return tuple(self._by_type[name].values())
        except KeyError:
            raise ModelError(f"unknown type of object {name!r}; expected one of "
                             + ", ".join(t.name for t in self.types.nodes)) from None

    def _typed(self, id: str, cls: type[_T], word: str) -> _T:
        obj = self._node.get(id)
        if not isinstance(obj, cls):  # (none, or of another type)
            raise UnknownIdError(id, word)
        return obj

    def _in(self, id: str, key: str) -> list[str]:
        """The ids whose ``key`` reference points at ``id``: from the index for the keys
        it holds (people are not indexed), else by scanning the edges into ``id``."""
        index = self._refd.get(key)
        if index is not None and type(self._node[id]) is not Person:
            return list(index.get(id, ()))
        return [u for u, keys in self._pred[id].items() if key in keys]

    # --- listing ------------------------------------------------------------------------------

    def units(self, kind: UnitKind | str | None = None) -> tuple[OrgUnit, ...]:
        """Org units, optionally of one kind, in the order they were added."""
        units = self._by_type["unit"].values()
        if kind is None:
            return tuple(units)
        wanted = _kind(UnitKind, kind, "kind of unit")
        index = self._unit_kinds
        if not index:  # every kind's in one pass, kept until a unit changes
            lists: dict[UnitKind, list[OrgUnit]] = {k: [] for k in UnitKind}
            for u in units:
                lists[u.kind].append(u)
            index.update((k, tuple(found)) for k, found in lists.items())
        return index[wanted]

    def people(self) -> tuple[Person, ...]:
        """People, in the order they were added."""
        return tuple(self._by_type["person"].values())

    def teams(self, kind: TeamKind | str | None = None) -> tuple[Team, ...]:
        """Teams, optionally of one kind."""
        teams = self._by_type["team"].values()
        if kind is None:
            return tuple(teams)
        wanted = _kind(TeamKind, kind, "kind of team")
        return tuple([t for t in teams if t.kind is wanted])

    def products(self, kind: ProductKind | str | None = None) -> tuple[Product, ...]:
        """Visions, non-negotiables and improvement plans, optionally of one kind."""
        if kind is not None:
            wanted = _kind(ProductKind, kind, "kind of product")
            return tuple(self._by_type[_PRODUCT_TYPE[wanted]].values())
        by_type = self._by_type
        return tuple([p for t in self.types.group("product") for p in by_type[t].values()])

    def visions(self) -> tuple[Vision, ...]:
        """Visions, in the order they were added."""
        return tuple(self._by_type["vision"].values())

    def non_negotiables(self) -> tuple[NonNegotiables, ...]:
        """Sets of non-negotiable practices, in the order they were added."""
        return tuple(self._by_type["non_negotiables"].values())

    def improvement_plans(self) -> tuple[ImprovementPlan, ...]:
        """Continuous improvement plans, in the order they were added."""
        return tuple(self._by_type["improvement_plan"].values())

    def all_focus_areas(self) -> tuple[FocusArea, ...]:
        """Every priority focus area of every district."""
        return tuple(self._by_type["focus_area"].values())

    def memberships(self, as_of: pendulum.Date | str | None = None, *,
                    history: bool = True) -> tuple[Membership, ...]:
        """Every membership, grouped by person in the order people were added: with
        ``history`` (the default, as a document holds them) ended seats too; without,
        the seats current on ``as_of`` (see :meth:`members`)."""
        succ = self._succ
        return self._current([data for pid in self._by_type["person"]
                              for keys in succ[pid].values()
                              if (data := keys.get(MEMBER)) is not None], as_of, history)

    def _current(self, seats: list[Membership], as_of: pendulum.Date | str | None,
                 history: bool) -> tuple[Membership, ...]:
        """``seats`` without those ended on ``as_of`` (unless ``history``)."""
        if history or not self._n_ended:
            return tuple(seats)
        day = to_date(as_of)
        return tuple([m for m in seats
                      if m.until is None or (day is not None and m.until > day)])

    def count(self, type_name: str) -> int:
        """How many objects of a type (``"unit"``, ``"vision"``, ``"membership"``, ...)
        the graph holds.

        >>> from mtss_core import example
        >>> example().count("unit"), example().count("membership")
        (11, 67)
        """
        if type_name == "membership":
            return self._n_members
        try:
            return len(self._by_type[type_name])
        except KeyError:
            raise ModelError(f"unknown type of object {type_name!r}; expected one of "
                             + ", ".join(self.types.names)) from None

    def count_ended_seats(self) -> int:
        """How many seats have an ``until`` date (ended, or ending): none means every
        query about seats can skip the history.

        >>> from mtss_core import example
        >>> example().count_ended_seats()
        0
        """
        return self._n_ended

    def count_memberships(self) -> int:
        """How many memberships the graph holds."""
        return self._n_members

    # --- the org tree -------------------------------------------------------------------------

    def parent(self, unit_id: str) -> OrgUnit | None:
        """The unit directly above ``unit_id``, or ``None`` for a root."""
        unit = self._typed(unit_id, OrgUnit, "org unit")
        return None if unit.parent is None else cast(OrgUnit, self._node[unit.parent])

    def children(self, unit_id: str) -> tuple[OrgUnit, ...]:
        """The units directly below ``unit_id``, in the order they were added."""
        self._typed(unit_id, OrgUnit, "org unit")
        node = self._node
        return tuple([node[src] for src, keys in self._pred[unit_id].items()
                     if PARENT in keys])

    def ancestors(self, unit_id: str) -> tuple[OrgUnit, ...]:
        """The units above ``unit_id``, nearest first.

        >>> from mtss_core import example
        >>> [u.id for u in example().ancestors("sch-lincoln")]
        ['dist-maple', 'isd-lakeshore']
        """
        unit = self._typed(unit_id, OrgUnit, "org unit")
        chain: list[OrgUnit] = []
        node = self._node
        while unit.parent is not None:
            unit = node[unit.parent]
            chain.append(unit)
        return tuple(chain)

    def descendants(self, unit_id: str) -> tuple[OrgUnit, ...]:
        """Every unit below ``unit_id``, breadth first."""
        out: list[OrgUnit] = []
        frontier = [self._typed(unit_id, OrgUnit, "org unit")]
        while frontier:
            nxt = [c for u in frontier for c in self.children(u.id)]
            out.extend(nxt)
            frontier = nxt
        return tuple(out)

    def nearest(self, unit_id: str, kind: UnitKind | str) -> OrgUnit | None:
        """``unit_id`` itself or its nearest ancestor of ``kind``, or ``None``.

        >>> from mtss_core import example
        >>> example().nearest("sch-lincoln", "district").name
        'Maple Valley Public Schools'
        """
        wanted = _kind(UnitKind, kind, "kind of unit")
        unit: OrgUnit | None = self._typed(unit_id, OrgUnit, "org unit")
        node = self._node
        while unit is not None:
            if unit.kind is wanted:
                return unit
            unit = None if unit.parent is None else node[unit.parent]
        return None

    # --- teams and people ---------------------------------------------------------------------

    def teams_of(self, unit_id: str, kind: TeamKind | str | None = None) -> tuple[Team, ...]:
        """Teams serving ``unit_id`` (optionally of one kind)."""
        self._typed(unit_id, OrgUnit, "org unit")
        wanted = None if kind is None else _kind(TeamKind, kind, "kind of team")
        node = self._node
        return tuple([t for t in (node[src] for src in self._refd[SERVES].get(unit_id, ()))
                     if wanted is None or t.kind is wanted])

    def members(self, team_id: str, as_of: pendulum.Date | str | None = None, *,
                history: bool = False) -> tuple[Membership, ...]:
        """The seats of a team current on ``as_of``, in the order they were added: those
        with no ``until``, and those ending after ``as_of``.  Without a date, every seat
        with no ``until``; with ``history``, ended seats too.

        >>> from mtss_core import Membership, example
        >>> g = example()
        >>> len(g.members("t-lincoln-slt"))
        6
        >>> old = g.membership("t-lincoln-slt", "p-kim")
        >>> g.replace(Membership(team=old.team, person=old.person, roles=old.roles,
        ...                      until="2027-06-30"))
        >>> len(g.members("t-lincoln-slt")), len(g.members("t-lincoln-slt", "2027-01-04"))
        (5, 6)
        >>> len(g.members("t-lincoln-slt", history=True))
        6
        """
        self._typed(team_id, Team, "team")
        return self._current([keys[MEMBER] for keys in self._pred[team_id].values()
                              if MEMBER in keys], as_of, history)

    def iter_members(self, team_id: str, as_of: pendulum.Date | str | None = None
                     ) -> Iterator[Membership]:
        """The seats :meth:`members` returns, one at a time: for a check that stops at the
        first seat it was looking for (a team of forty reads one or two).

        >>> from mtss_core import example
        >>> next(example().iter_members("t-lincoln-slt")).person
        'p-kim'
        """
        self._typed(team_id, Team, "team")
        every = not self._n_ended  # as in _current: no seat has ended, none is filtered
        day = None if every else to_date(as_of)
        for keys in self._pred[team_id].values():
            data = keys.get(MEMBER)
            if data is not None:
                m = data
                if every or m.until is None or (day is not None and m.until > day):
                    yield m

    def roles(self, team_id: str, person_id: str,
              as_of: pendulum.Date | str | None = None) -> tuple[str, ...]:
        """The roles ``person_id`` holds on ``team_id`` on ``as_of`` (empty if not a
        current member)."""
        self._typed(team_id, Team, "team")
        m = self.membership(team_id, person_id)
        return () if m is None or not m.current(as_of) else m.roles

    def memberships_with_role(self, role: Role | str, as_of: pendulum.Date | str | None = None,
                              *, history: bool = False) -> tuple[Membership, ...]:
        """Every seat holding ``role``, current on ``as_of`` (see :meth:`members`), in the
        order they were added.

        >>> from mtss_core import example
        >>> [m.person for m in example().memberships_with_role("liaison")][:2]
        ['p-ostrowski', 'p-ostrowski']
        """
        return self._current(list(self._by_role.get(role, {}).values()), as_of, history)

    def memberships_of(self, person_id: str, as_of: pendulum.Date | str | None = None, *,
                       history: bool = False) -> tuple[Membership, ...]:
        """The seats ``person_id`` holds on ``as_of``, one per team (see :meth:`members`)."""
        self._typed(person_id, Person, "person")
        return self._current([keys[MEMBER]
                              for keys in self._succ[person_id].values() if MEMBER in keys],
                             as_of, history)

    def teams_of_person(self, person_id: str, as_of: pendulum.Date | str | None = None
                        ) -> tuple[Team, ...]:
        """The teams ``person_id`` sits on, on ``as_of`` (see :meth:`members`)."""
        node = self._node
        return tuple([node[m.team] for m in self.memberships_of(person_id, as_of)])

    def membership(self, team_id: str, person_id: str) -> Membership | None:
        """The seat ``person_id`` holds or held on ``team_id``, if any (current or
        ended: one seat per team and person)."""
        keys = self._succ.get(person_id, {}).get(team_id)
        if keys is None or MEMBER not in keys:
            return None
        return cast(Membership, keys[MEMBER])

    # --- products and focus areas -------------------------------------------------------------

    def owner(self, product_id: str) -> OrgUnit | Team | Person:
        """The unit, team or person that owns a product."""
        product = self._typed(product_id, Product, "product")
        return cast("OrgUnit | Team | Person", self._node[product.owner])

    def aligned_to(self, product_id: str) -> Product | None:
        """The product at the level above that ``product_id`` aligns to, if any."""
        product = self._typed(product_id, Product, "product")
        return (None if product.aligned_to is None
                else cast(Product, self._node[product.aligned_to]))

    def aligned_from(self, product_id: str) -> tuple[Product, ...]:
        """The products that align to ``product_id``."""
        self._typed(product_id, Product, "product")
        node = self._node
        return tuple([node[src] for src, keys in self._pred[product_id].items()
                     if ALIGNS_TO in keys])

    def products_of(self, owner_id: str, kind: ProductKind | str | None = None
                    ) -> tuple[Product, ...]:
        """The products owned by a unit, team or person (optionally of one kind)."""
        if owner_id not in self._node:
            raise UnknownIdError(owner_id, "owner")
        wanted = None if kind is None else _kind(ProductKind, kind, "kind of product")
        node = self._node
        owned: Iterable[str] = (
            [u for u, keys in self._pred[owner_id].items() if OWNED_BY in keys]
            if type(node[owner_id]) is Person  # people are not indexed
            else self._refd[OWNED_BY].get(owner_id, ()))
        return tuple([p for p in (node[src] for src in owned)
                     if wanted is None or p.kind is wanted])

    def focus_areas(self, district_id: str) -> tuple[FocusArea, ...]:
        """The priority focus areas of a district.

        >>> from mtss_core import example
        >>> len(example().focus_areas("dist-maple"))
        5
        """
        self._typed(district_id, OrgUnit, "org unit")
        node = self._node
        return tuple([node[src] for src in self._in(district_id, FOCUS_OF)])

    def data_sources(self, unit_id: str) -> tuple[DataSource, ...]:
        """The data sources a unit holds."""
        return self._pointing(unit_id, HELD_BY)

    def risk_thresholds(self, unit_id: str) -> tuple[RiskThreshold, ...]:
        """The at-risk thresholds a unit sets."""
        return self._pointing(unit_id, SET_BY)

    def all_data_sources(self) -> tuple[DataSource, ...]:
        """Every data source, in the order they were added."""
        return tuple(self._by_type["data_source"].values())

    def all_risk_thresholds(self) -> tuple[RiskThreshold, ...]:
        """Every at-risk threshold, in the order they were added."""
        return tuple(self._by_type["risk_threshold"].values())

    def _pointing(self, unit_id: str, key: str) -> tuple[Any, ...]:
        self._typed(unit_id, OrgUnit, "org unit")
        node = self._node
        return tuple([node[u] for u in self._in(unit_id, key)])

    # --- time -----------------------------------------------------------------------------------

    def meetings(self, team_id: str | None = None) -> tuple[Meeting, ...]:
        """Meetings (of one team, if given), earliest first."""
        found: list[Meeting] = self._records("meeting", team_id, Team, "team", MEETING_OF)
        return tuple(sorted(found, key=lambda m: (m.starts_at, m.id)))

    def status_updates(self, team_id: str | None = None) -> tuple[StatusUpdate, ...]:
        """Liaison status updates (to one team, if given), earliest first."""
        found: list[StatusUpdate] = self._records("status_update", team_id, Team, "team",
                                                  UPDATE_TO)
        return tuple(sorted(found, key=lambda u: (u.given_on, u.id)))

    def stage_records(self, unit_id: str | None = None, innovation: str | None = None
                      ) -> tuple[StageRecord, ...]:
        """Stage records (of one unit and innovation, if given), earliest first."""
        found: list[StageRecord] = self._records("stage_record", unit_id, OrgUnit, "org unit",
                                                 STAGE_OF)
        if innovation is not None:
            found = [r for r in found if r.innovation == innovation]
        return tuple(sorted(found, key=lambda r: (r.entered_on, r.stage.order, r.id)))

    def readiness_assessments(self, unit_id: str | None = None
                              ) -> tuple[ReadinessAssessment, ...]:
        """Readiness assessments (of one unit, if given), earliest first."""
        found: list[ReadinessAssessment] = [
            o for o in self._records("readiness_assessment", unit_id, OrgUnit, "org unit",
                                     ASSESSES) if isinstance(o, ReadinessAssessment)]
        return tuple(sorted(found, key=lambda a: (a.assessed_on, a.id)))

    def fidelity_assessments(self, unit_id: str | None = None,
                             instrument: str | None = None) -> tuple[FidelityAssessment, ...]:
        """Fidelity and capacity assessments (of one unit / instrument), earliest first."""
        found: list[FidelityAssessment] = [
            o for o in self._records("fidelity_assessment", unit_id, OrgUnit, "org unit",
                                     ASSESSES) if isinstance(o, FidelityAssessment)]
        if instrument is not None:
            found = [a for a in found if a.instrument == instrument]
        return tuple(sorted(found, key=lambda a: (a.assessed_on, a.id)))

    def allocations(self, unit_id: str | None = None) -> tuple[ResourceAllocation, ...]:
        """Resource allocations (of one unit, if given), in the order they were added."""
        return tuple(self._records("resource_allocation", unit_id, OrgUnit, "org unit",
                                   ALLOCATED_BY))

    def barriers(self, team_id: str | None = None) -> tuple[Barrier, ...]:
        """Barriers (raised by or escalated to one team, if given), earliest raised first."""
        found: list[Barrier] = list(self._by_type["barrier"].values())
        if team_id is not None:
            self._typed(team_id, Team, "team")
            found = [b for b in found if team_id == b.raised_by
                     or any(e.team == team_id for e in b.escalations)]
        return tuple(sorted(found, key=lambda b: (b.raised_on, b.id)))

    def protocols(self, team_id: str | None = None) -> tuple[Protocol, ...]:
        """Communication protocols (from or to one team, if given)."""
        found: list[Protocol] = list(self._by_type["protocol"].values())
        if team_id is not None:
            self._typed(team_id, Team, "team")
            found = [p for p in found if team_id in (p.from_team, p.to_team)]
        return tuple(found)

    def _records(self, type_name: str, of: str | None, cls: type[Any], word: str,
                 key: str) -> list[Any]:
        """Every object of ``type_name``, or those pointing at ``of`` with ``key``."""
        if of is None:
            return list(self._by_type[type_name].values())
        self._typed(of, cls, word)
        node = self._node
        return [node[u] for u in self._in(of, key)]

    # --- the store's own record ---------------------------------------------------------------

    def __contains__(self, id: object) -> bool:
        return id in self._node

    def __len__(self) -> int:
        """The number of objects (memberships, which are edges, not counted)."""
        return len(self._node)

    @overload
    def get(self, id: str) -> ModelObject | None: ...

    @overload
    def get(self, id: str, cls: type[_T]) -> _T: ...

    @overload
    def get(self, id: str, *, default: _D) -> ModelObject | _D: ...

    def get(self, id: str, cls: Any = None, *, default: Any = None) -> Any:
        """The object with ``id``: typed as ``cls`` when a class is given (it raises
        :class:`~mtss_core.errors.UnknownIdError` when there is none and
        :class:`~mtss_core.errors.ModelTypeError` when the object is of another type),
        else ``default`` (``None``) when there is none, like :meth:`dict.get`.

        >>> from mtss_core import example
        >>> from mtss_core.model import OrgUnit, Vision
        >>> g = example()
        >>> g.get("v-lincoln", Vision).aligned_to
        'v-maple'
        >>> g.get("nobody") is None
        True
        >>> g.get("v-lincoln", OrgUnit)
        Traceback (most recent call last):
        ...
        mtss_core.errors.ModelTypeError: 'v-lincoln' is a vision, not an org unit
        """
        obj = self._node.get(id)
        if cls is None:
            return default if obj is None else obj
        if not isinstance(cls, type):  # the 0.1 spelling get(id, default), gone in 0.4.0
            raise ModelTypeError(f"get(id, cls) takes a class, got {cls!r:.40}; for a value "
                                 "when there is no such object, pass get(id, default=...)")
        if obj is None:
            raise UnknownIdError(id, _word(cls))
        if not isinstance(obj, cls):
            raise ModelTypeError(f"{id!r} is {_a(_word(type(obj)))}, not {_a(_word(cls))}")
        return obj

    def __getitem__(self, id: str) -> ModelObject:
        try:
            return cast(ModelObject, self._node[id])
        except KeyError:
            raise UnknownIdError(id) from None
