"""The alignment graph: the library's own type around a ``networkx.MultiDiGraph``.

Every object is a node whose id is the object's id; memberships are edges.
Edges point from the part to the whole, or from the lower level to the
higher one, and their key names the relation (see :class:`EdgeKind`)::

    school --parent--> district          team --serves--> unit
    person --member--> team              person --based_at--> unit
    vision --owned_by--> unit|team|person
    vision --aligns_to--> vision         focus area --focus_of--> district
"""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

import attrs
import networkx as nx
import pendulum

if TYPE_CHECKING:
    from ._display import Description

from ._errors import (
    CycleError,
    DanglingReferenceError,
    DuplicateIdError,
    IntegrityError,
    InUseError,
    ParentKindError,
    UnknownIdError,
)
from ._model import (
    PARENT_KINDS,
    TEAM_UNIT_KINDS,
    DataSource,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Product,
    ProductKind,
    RiskThreshold,
    Role,
    Team,
    TeamKind,
    UnitKind,
    Vision,
    to_date,
)
from ._objects import OBJECT_CLASSES, ModelObject
from ._practice_model import (
    Barrier,
    Evidence,
    LeadershipSelfAssessment,
    Protocol,
    ResourceAllocation,
)
from ._time_model import (
    FidelityAssessment,
    Meeting,
    ReadinessAssessment,
    StageRecord,
    StatusUpdate,
)

__all__ = ["AlignmentGraph", "EdgeKind", "bulk"]

_T = TypeVar("_T")


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while many objects are made.

    Building a state-scale graph makes millions of small dicts and objects, none
    of them cyclic garbage; each automatic collection then scans them all, which
    more than doubles the build time.  The collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class EdgeKind(str, enum.Enum):
    """The key of each edge of the underlying networkx graph."""

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

    def __str__(self) -> str:
        return str(self.value)


# plain-string edge keys, for speed on hot paths
PARENT = _PARENT = EdgeKind.PARENT.value
BASED_AT = _BASED_AT = EdgeKind.BASED_AT.value
SERVES = _SERVES = EdgeKind.SERVES.value
MEMBER = _MEMBER = EdgeKind.MEMBER.value
OWNED_BY = _OWNED_BY = EdgeKind.OWNED_BY.value
ALIGNS_TO = _ALIGNS_TO = EdgeKind.ALIGNS_TO.value
FOCUS_OF = _FOCUS_OF = EdgeKind.FOCUS_OF.value
ADDRESSES = EdgeKind.ADDRESSES.value
USES_DATA = EdgeKind.USES_DATA.value
WORKS_ON = EdgeKind.WORKS_ON.value
HELD_BY = EdgeKind.HELD_BY.value
SET_BY = EdgeKind.SET_BY.value
MEETING_OF = EdgeKind.MEETING_OF.value
ATTENDED_BY = EdgeKind.ATTENDED_BY.value
UPDATE_TO = EdgeKind.UPDATE_TO.value
GIVEN_BY = EdgeKind.GIVEN_BY.value
REPORTS = EdgeKind.REPORTS.value
STAGE_OF = EdgeKind.STAGE_OF.value
ASSESSES = EdgeKind.ASSESSES.value
ALLOCATED_BY = EdgeKind.ALLOCATED_BY.value
RAISED_BY = EdgeKind.RAISED_BY.value
ESCALATED_TO = EdgeKind.ESCALATED_TO.value
BARRIER_OWNER = EdgeKind.OWNED_BY_PERSON.value
LINKS_FROM = EdgeKind.LINKS_FROM.value
LINKS_TO = EdgeKind.LINKS_TO.value
DESIGNEE = EdgeKind.DESIGNEE.value
EVIDENCE_OF = EdgeKind.EVIDENCE_OF.value
ASSIGNED_TO = EdgeKind.ASSIGNED_TO.value

#: Node type names, in the order a document lists them.
_NODE_TYPES = ("unit", "person", "team", "vision", "non_negotiables", "improvement_plan",
               "focus_area", "data_source", "risk_threshold", "meeting", "status_update",
               "stage_record", "readiness_assessment", "fidelity_assessment",
               "leadership_assessment", "resource_allocation", "barrier", "protocol",
               "evidence")


def _describe_membership(m: Membership) -> str:
    return f"membership of person {m.person!r} in team {m.team!r}"


def _describe(obj: object) -> str:
    if isinstance(obj, OrgUnit):
        return f"{obj.kind.value} {obj.id!r}"
    if isinstance(obj, Team):
        return f"{obj.kind.label} {obj.id!r}"
    if isinstance(obj, Product):
        return f"{obj.kind.value} {obj.id!r}"
    if isinstance(obj, FocusArea):
        return f"focus area {obj.id!r}"
    if isinstance(obj, DataSource):
        return f"data source {obj.id!r}"
    if isinstance(obj, RiskThreshold):
        return f"risk threshold {obj.id!r}"
    type_name = getattr(obj, "type_name", None)
    if type_name in _SINGULAR:
        return f"{_SINGULAR[type_name]} {obj.id!r}"  # type: ignore[attr-defined]
    if isinstance(obj, Person):
        return f"person {obj.id!r}"
    return repr(obj)


#: The attributes of every edge that carries none: one shared, read-only mapping
#: (a fresh dict per edge would cost ~100 MB at state scale).
_NO_DATA: Mapping[str, Any] = MappingProxyType({})


class AlignmentGraph:
    """Org units, people, teams and their products, kept consistent.

    The graph refuses anything that would break its invariants: every id is
    unique, every reference names an existing object of the right type, every
    unit sits under a sensible kind of parent and the unit tree has no cycles.
    A refused change leaves the graph as it was.

    Objects may be given in any order to the constructor or to
    :meth:`add_all`; :meth:`add` adds one object whose references already exist.

    >>> from mtss_core import AlignmentGraph, OrgUnit, Vision
    >>> g = AlignmentGraph([
    ...     Vision(id="v-lincoln", owner="sch-lincoln", aligned_to="v-maple"),
    ...     OrgUnit(id="sch-lincoln", kind="school", parent="dist-maple"),
    ...     OrgUnit(id="dist-maple", kind="district"),
    ...     Vision(id="v-maple", owner="dist-maple"),
    ... ])
    >>> g.parent("sch-lincoln").id
    'dist-maple'
    >>> g.aligned_to("v-lincoln").owner
    'dist-maple'
    >>> g
    <AlignmentGraph: 2 units, 2 visions>
    """

    __slots__ = ("_by_role", "_by_type", "_g", "_n_members", "_pred", "_problems", "_succ",
                 "_view", "as_of")

    def __init__(self, objects: Iterable[ModelObject] = (), *, strict: bool = True,
                 as_of: pendulum.Date | str | None = None) -> None:
        #: The date the data describe (a document's ``as_of``); :func:`~mtss_core.validate`
        #: uses it for time-based rules when its :class:`~mtss_core.Config` names none.
        self.as_of: pendulum.Date | None = to_date(as_of)
        self._g = nx.MultiDiGraph()
        # networkx's adjacency dicts, read directly on hot paths (stable since networkx 2.0)
        self._succ: dict[str, dict[str, dict[str, Mapping[str, Any]]]] = self._g._succ
        self._pred: dict[str, dict[str, dict[str, Mapping[str, Any]]]] = self._g._pred
        # id -> object, per type, in insertion order (an index kept beside networkx's)
        self._by_type: dict[str, dict[str, Any]] = {name: {} for name in _NODE_TYPES}
        self._view: nx.MultiDiGraph | None = None
        self._n_members = 0
        # role -> memberships holding it, in insertion order (for liaisons, leads, ...)
        # role -> {id(membership): membership}: ordered like a list, O(1) to remove from
        self._by_role: dict[str, dict[int, Membership]] = {}
        self._problems: list[IntegrityError] = []
        if strict:
            self.add_all(objects)
        else:
            self._add_leniently(list(objects))

    @classmethod
    def lenient(cls, objects: Iterable[ModelObject], *,
                as_of: pendulum.Date | str | None = None) -> AlignmentGraph:
        """Build from everything that is sound and record the rest as problems.

        A loader's "collect everything" mode: instead of raising on the first
        broken invariant, the graph keeps every object it can.  A dangling reference
        the object can do without (an entry of a list such as ``addresses``, an
        optional link such as ``aligned_to``) is dropped and the object kept; one it
        cannot live without (a parent, an owner, a team's unit) refuses the object, as
        do a second object with a taken id, units in a loop, and anything that needs a
        refused object.  A unit under the wrong kind of parent is kept.  Each problem
        is listed in :attr:`integrity_problems`, and the ``STR`` rules report them as
        findings.  No data is dropped silently: the object as given is the ``obj`` of
        its problem.

        >>> from mtss_core import AlignmentGraph, OrgUnit, Team, validate
        >>> g = AlignmentGraph.lenient([
        ...     OrgUnit(id="d1", kind="district"),
        ...     OrgUnit(id="s1", kind="school", parent="d9"),
        ...     Team(id="t1", kind="school-leadership", unit="s1")])
        >>> [u.id for u in g.units()]
        ['d1']
        >>> [(f.code, f.subject) for f in validate(g).by_code("STR002")]
        [('STR002', 's1'), ('STR002', 't1')]
        """
        return cls(objects, strict=False, as_of=as_of)

    @property
    def integrity_problems(self) -> tuple[IntegrityError, ...]:
        """The problems a lenient build recorded (always empty for a strict graph)."""
        return tuple(self._problems)

    # --- building -----------------------------------------------------------------------------

    def add(self, obj: ModelObject) -> None:
        """Add one object; raise an :class:`~mtss_core.IntegrityError` subclass if it can't be.

        >>> from mtss_core import AlignmentGraph, OrgUnit
        >>> g = AlignmentGraph()
        >>> g.add(OrgUnit(id="sch-1", kind="school", parent="dist-1"))
        Traceback (most recent call last):
        ...
        mtss_core._errors.DanglingReferenceError: school 'sch-1': parent 'dist-1' is not in the \
graph
        """
        self.add_all((obj,))

    def add_all(self, objects: Iterable[ModelObject]) -> None:
        """Add many objects given in any order, all or nothing.

        Raises the first :class:`~mtss_core.IntegrityError` found;
        :meth:`integrity_errors` lists them all without raising.
        """
        batch = list(objects)
        with bulk():
            errors = self.integrity_errors(batch)
            if errors:
                raise errors[0]
            self._insert(batch)

    def _add_leniently(self, batch: list[ModelObject]) -> None:
        node = self._g._node
        problems: list[IntegrityError] = []

        def gone(o: ModelObject, present: set[str]) -> list[tuple[str, str]]:
            """(field, id) of references to ids neither new and kept nor in the graph."""
            return [(f, t) for f, t in _fields_and_targets(o)
                    if t not in present and t not in node]

        with bulk():
            # references an object can do without (a list entry, an optional link) are
            # dropped and reported; the object is kept
            while True:
                errors = self.integrity_errors(batch)
                dropped = _drop_references(batch, errors, problems)
                if dropped is None:
                    break
                batch = dropped
            refused: set[int] = set()  # id() of refused objects
            for err in errors:
                if isinstance(err, CycleError):
                    refused.update(id(o) for o in batch
                                   if isinstance(o, OrgUnit) and o.id in err.related)
                elif not isinstance(err, ParentKindError):
                    refused.add(id(err.obj))
            # anything that needs a refused object is refused in turn; a reference it can
            # do without is dropped instead
            while True:
                present = {o.id for o in batch
                           if id(o) not in refused and not isinstance(o, Membership)}
                changed = False
                for i, o in enumerate(batch):
                    if id(o) in refused:
                        continue
                    missing = gone(o, present)
                    if not missing:
                        continue
                    changed = True
                    needed = [(f, t) for f, t in missing if (type(o), f) not in _DROPPABLE]
                    what = _describe_membership(o) if isinstance(o, Membership) else _describe(o)
                    if needed:
                        refused.add(id(o))
                        if not any(e.obj is o for e in errors):
                            errors.append(DanglingReferenceError(
                                f"{what} refers to {needed[0][1]!r}, which was refused",
                                subject=_subject(o), related=tuple(t for _, t in needed),
                                obj=o))
                        continue
                    repaired: Any = o
                    for field, target in missing:
                        repaired = _DROPPABLE[(type(o), field)](repaired, {target})
                        problems.append(DanglingReferenceError(
                            f"{what}: {field} {target!r} was refused; dropped from {field}, "
                            f"the {_word(o)} kept", subject=_subject(o), field=field,
                            related=(target,), obj=o))
                    batch[i] = repaired
                if not changed:
                    break
            self._insert([o for o in batch if id(o) not in refused])
            self._problems.extend([*problems, *errors])

    def integrity_errors(self, objects: Iterable[ModelObject]) -> list[IntegrityError]:
        """Every invariant that adding ``objects`` would break, in input order; adds nothing.

        >>> from mtss_core import AlignmentGraph, OrgUnit
        >>> errs = AlignmentGraph().integrity_errors([
        ...     OrgUnit(id="a", kind="district"), OrgUnit(id="a", kind="district")])
        >>> [type(e).__name__ for e in errs]
        ['DuplicateIdError']
        """
        batch = objects if isinstance(objects, list) else list(objects)
        errors: list[IntegrityError] = []
        new: dict[str, ModelObject] = {}
        new_members: set[tuple[str, str]] = set()
        node = self._g._node
        for obj in batch:
            if not isinstance(obj, _ALL_CLASSES):
                raise TypeError(f"cannot add {type(obj).__name__} to an AlignmentGraph")
            if isinstance(obj, Membership):
                if obj.key in new_members or self._membership(obj.team, obj.person) is not None:
                    errors.append(DuplicateIdError(
                        f"person {obj.person!r} is already a member of team {obj.team!r}",
                        subject=obj.team, field="person", related=(obj.person,), obj=obj))
                new_members.add(obj.key)
            elif obj.id in new or obj.id in node:
                other = new.get(obj.id) or node[obj.id]["obj"]
                errors.append(DuplicateIdError(
                    f"id {obj.id!r} is used twice: by {_describe(other)} and by {_describe(obj)}",
                    subject=obj.id, field="id", related=(obj.id,), obj=obj))
            else:
                new[obj.id] = obj

        def find(ref: str) -> object | None:
            found = new.get(ref)
            if found is None:
                data = node.get(ref)
                return None if data is None else data["obj"]
            return found

        for obj in batch:
            errors.extend(_reference_errors(obj, find))
        errors.extend(_unit_cycles(new, find))
        return errors

    def _insert(self, batch: list[ModelObject]) -> None:
        """Add checked objects, writing networkx's adjacency dicts directly.

        This is what ``MultiDiGraph.add_node`` / ``add_edge`` do, minus the
        checks already made by :meth:`integrity_errors`; it is several times
        faster at state scale.
        """
        node, succ, pred = self._g._node, self._succ, self._pred
        by_type = self._by_type
        for obj in batch:
            if not isinstance(obj, Membership):
                i = obj.id
                node[i] = {"obj": obj, "type": obj.type_name}
                succ[i] = {}
                pred[i] = {}
                by_type[obj.type_name][i] = obj
        for obj in batch:
            if isinstance(obj, Membership):
                data: Mapping[str, Any] = {"membership": obj}
                self._n_members += 1
                for role in obj.roles:
                    self._by_role.setdefault(role, {})[id(obj)] = obj
            else:
                data = _NO_DATA
            for u, key, v in _refs(obj):
                keys = succ[u].get(v)
                if keys is None:
                    keys = succ[u][v] = pred[v][u] = {}
                keys[key] = data
        nx._clear_cache(self._g)

    def replace(self, obj: ModelObject) -> None:
        """Put ``obj`` in place of the object with its id (of the same type), all or nothing.

        The new object's references are checked like an added object's; a unit may
        not be moved under its own descendant.  Memberships are changed with
        :meth:`add` and :meth:`remove_membership`.

        >>> import attrs
        >>> from mtss_core import example, validate, Config
        >>> g = example()
        >>> g.replace(attrs.evolve(g["v-cedar-high"], aligned_to="v-cedar"))
        >>> [f.subject for f in validate(g, Config(select=["ALN001"]))]
        ['v-cedar-elem-k', 'v-garcia']
        """
        if isinstance(obj, Membership):
            raise TypeError("replace a membership with remove_membership() and add()")
        old = self._g._node.get(obj.id, {}).get("obj")
        if old is None:
            raise UnknownIdError(obj.id)
        if type(old) is not type(obj):
            raise TypeError(f"{obj.id!r} is {_describe(old)}; it cannot be replaced by a "
                            f"{type(obj).__name__}")
        node = self._g._node

        def find(ref: str) -> object | None:
            if ref == obj.id:
                return obj
            data = node.get(ref)
            return None if data is None else data["obj"]

        errors = _reference_errors(obj, find)
        if isinstance(obj, OrgUnit) and obj.parent is not None:
            seen, cur = {obj.id}, find(obj.parent)
            while isinstance(cur, OrgUnit):
                if cur.id in seen:
                    errors.append(CycleError(
                        f"{_describe(obj)} cannot sit under {obj.parent!r}, which is below it",
                        subject=obj.id, field="parent", related=(obj.parent,), obj=obj))
                    break
                seen.add(cur.id)
                cur = None if cur.parent is None else find(cur.parent)
        if errors:
            raise errors[0]
        succ, pred = self._succ, self._pred
        before, after = set(_refs(old)), set(_refs(obj))
        # only the references that changed are touched: the others keep their place in
        # networkx's adjacency dicts, so every query answers in the same order as before
        for u, key, v in _refs(old):
            if (u, key, v) in after:
                continue
            stale = succ[u][v]
            del stale[key]
            if not stale:
                del succ[u][v]
                del pred[v][u]
        node[obj.id]["obj"] = obj
        self._by_type[obj.type_name][obj.id] = obj
        for u, key, v in _refs(obj):
            if (u, key, v) in before:
                continue
            keys = succ[u].get(v)
            if keys is None:
                keys = succ[u][v] = pred[v][u] = {}
            keys[key] = _NO_DATA
        nx._clear_cache(self._g)

    def remove(self, id: str) -> ModelObject:
        """Take an object out of the graph and return it; memberships go with
        :meth:`remove_membership`.

        Refused with an :class:`~mtss_core.InUseError` while anything refers to the
        object (a person's seats included): the graph never holds a dangling reference.

        >>> from mtss_core import example
        >>> g = example()
        >>> g.remove("fa-maple-literacy")
        Traceback (most recent call last):
        ...
        mtss_core._errors.InUseError: focus area 'fa-maple-literacy' cannot be removed: \
vision 'v-maple' (addresses), improvement-plan 'cip-lincoln' (focus_areas) refer to it
        >>> g.remove("b-cedar-screener-licenses").title
        'Screener licenses expire before spring screening'
        >>> "b-cedar-screener-licenses" in g
        False
        """
        data = self._g._node.get(id)
        if data is None:
            raise UnknownIdError(id)
        obj: ModelObject = data["obj"]
        users = [(u, key) for u, keys in self._pred[id].items() for key in keys]
        if isinstance(obj, Person):
            users.extend((team, _MEMBER) for team, keys in self._succ[id].items()
                         if _MEMBER in keys)
        if users:
            node = self._g._node
            named = []
            for u, key in users:
                if key == _MEMBER:
                    named.append(f"team {u!r} (members)" if isinstance(obj, Person)
                                 else f"person {u!r} (a member)")
                    continue
                field = next(f for f, k, _many in _REF_FIELDS[type(node[u]["obj"])]
                             if k == key)
                named.append(f"{_describe(node[u]['obj'])} ({field})")
            raise InUseError(f"{_describe(obj)} cannot be removed: {', '.join(named)} "
                             "refer to it", subject=id,
                             related=tuple(dict.fromkeys(u for u, _ in users)), obj=obj)
        self._g.remove_node(id)  # its own edges go with it
        del self._by_type[obj.type_name][id]
        nx._clear_cache(self._g)
        return obj

    def remove_membership(self, team_id: str, person_id: str) -> Membership:
        """Take a person off a team; return the membership removed."""
        m = self._membership(team_id, person_id)
        if m is None:
            raise UnknownIdError(f"{team_id}/{person_id}", "membership")
        keys = self._succ[person_id][team_id]
        del keys[MEMBER]
        if not keys:
            del self._succ[person_id][team_id]
            del self._pred[team_id][person_id]
        self._n_members -= 1
        for role in m.roles:
            del self._by_role[role][id(m)]
        nx._clear_cache(self._g)
        return m

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the objects themselves (for process pools and Dask)."""
        members = [m for t in self.teams() for m in self.members(t.id)]  # keeps their order
        return (_rebuild_graph, ([*self, *members], self.as_of, self._problems))

    # --- display ------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        from ._display import graph_html

        return graph_html(self)

    def describe(self, id: str) -> Description:
        """A unit, team, person or product in context, as text (``print``) or HTML (Jupyter).

        >>> from mtss_core import example
        >>> print(example().describe("t-cedar-elem-k"))
        grade team 'Cedar Creek Kindergarten Team' (t-cedar-elem-k)
          serves:
            unit | grade 'Cedar Creek Kindergarten' (grade-cedar-k)
          members:
            p-patel | Priya Patel | general-education-teacher
            p-yoon | Ji-woo Yoon | interventionist
          products:
            vision | v-cedar-elem-k | (not aligned) | 2026-06-15
        """
        from ._display import describe

        return describe(self, id)

    # --- container protocol -------------------------------------------------------------------

    def __contains__(self, id: object) -> bool:
        return id in self._g._node

    def __len__(self) -> int:
        """The number of objects (memberships, which are edges, not counted)."""
        return len(self._g._node)

    def __iter__(self) -> Iterator[ModelObject]:
        """Every object except memberships, in the order they were added."""
        return (data["obj"] for data in self._g._node.values())

    def __getitem__(self, id: str) -> ModelObject:
        try:
            return cast(ModelObject, self._g._node[id]["obj"])
        except KeyError:
            raise UnknownIdError(id) from None

    @overload
    def get(self, id: str) -> ModelObject | None: ...
    @overload
    def get(self, id: str, default: _T) -> ModelObject | _T: ...
    def get(self, id: str, default: object = None) -> object:
        """The object with ``id``, or ``default``."""
        data = self._g._node.get(id)
        return default if data is None else data["obj"]

    def __repr__(self) -> str:
        counts = [(len(ids), name) for name, ids in self._by_type.items() if ids]
        members = self.count_memberships()
        parts = [f"{n} {_PLURAL[name] if n != 1 else _SINGULAR[name]}" for n, name in counts]
        if members:
            parts.append(f"{members} membership{'s' if members != 1 else ''}")
        return f"<AlignmentGraph: {', '.join(parts) or 'empty'}>"

    def _typed(self, id: str, cls: type[_T], word: str) -> _T:
        data = self._g._node.get(id)
        if data is None or not isinstance(data["obj"], cls):
            raise UnknownIdError(id, word)
        found: _T = data["obj"]
        return found

    # Fast, unchecked accessors for the rules (ids are known to exist).

    def _obj(self, id: str) -> Any:
        return self._g._node[id]["obj"]

    def _in(self, id: str, key: str) -> list[str]:
        """Ids that point to ``id`` with edges of kind ``key``."""
        return [u for u, keys in self._pred[id].items() if key in keys]

    def _objs(self, type_name: str) -> Iterator[Any]:
        return iter(self._by_type[type_name].values())

    # --- listing ------------------------------------------------------------------------------

    def units(self, kind: UnitKind | str | None = None) -> Iterator[OrgUnit]:
        """Org units, optionally of one kind, in the order they were added."""
        units: Iterator[OrgUnit] = self._objs("unit")
        if kind is None:
            return units
        wanted = UnitKind(kind)
        return (u for u in units if u.kind is wanted)

    def people(self) -> Iterator[Person]:
        """People, in the order they were added."""
        return cast(Iterator[Person], self._objs("person"))

    def teams(self, kind: TeamKind | str | None = None) -> Iterator[Team]:
        """Teams, optionally of one kind."""
        teams: Iterator[Team] = self._objs("team")
        if kind is None:
            return teams
        wanted = TeamKind(kind)
        return (t for t in teams if t.kind is wanted)

    def products(self, kind: ProductKind | str | None = None) -> Iterator[Product]:
        """Visions, non-negotiables and improvement plans, optionally of one kind."""
        if kind is not None:
            return cast(Iterator[Product], self._objs(_PRODUCT_TYPE[ProductKind(kind)]))
        return (p for k in ProductKind for p in self.products(k))

    def visions(self) -> Iterator[Vision]:
        """Visions, in the order they were added."""
        return cast(Iterator[Vision], self._objs("vision"))

    def non_negotiables(self) -> Iterator[NonNegotiables]:
        """Sets of non-negotiable practices, in the order they were added."""
        return cast(Iterator[NonNegotiables], self._objs("non_negotiables"))

    def improvement_plans(self) -> Iterator[ImprovementPlan]:
        """Continuous improvement plans, in the order they were added."""
        return cast(Iterator[ImprovementPlan], self._objs("improvement_plan"))

    def all_focus_areas(self) -> Iterator[FocusArea]:
        """Every priority focus area of every district."""
        return cast(Iterator[FocusArea], self._objs("focus_area"))

    def memberships(self) -> Iterator[Membership]:
        """Every membership, grouped by person in the order people were added."""
        succ = self._succ
        for pid in self._by_type["person"]:
            for keys in succ[pid].values():
                data = keys.get(_MEMBER)
                if data is not None:
                    yield data["membership"]

    def count(self, type_name: str) -> int:
        """How many objects of a type (``"unit"``, ``"vision"``, ...) the graph holds."""
        return len(self._by_type[type_name])

    def count_memberships(self) -> int:
        """How many memberships the graph holds."""
        return self._n_members

    # --- the org tree -------------------------------------------------------------------------

    def parent(self, unit_id: str) -> OrgUnit | None:
        """The unit directly above ``unit_id``, or ``None`` for a root."""
        unit = self._typed(unit_id, OrgUnit, "org unit")
        return None if unit.parent is None else cast(OrgUnit, self[unit.parent])

    def children(self, unit_id: str) -> list[OrgUnit]:
        """The units directly below ``unit_id``, in the order they were added."""
        self._typed(unit_id, OrgUnit, "org unit")
        return [self._g._node[src]["obj"] for src, keys in self._pred[unit_id].items()
                if _PARENT in keys]

    def ancestors(self, unit_id: str) -> list[OrgUnit]:
        """The units above ``unit_id``, nearest first.

        >>> from mtss_core import example
        >>> [u.id for u in example().ancestors("sch-lincoln")]
        ['dist-maple', 'isd-lakeshore']
        """
        unit = self._typed(unit_id, OrgUnit, "org unit")
        chain: list[OrgUnit] = []
        node = self._g._node
        while unit.parent is not None:
            unit = node[unit.parent]["obj"]
            chain.append(unit)
        return chain

    def descendants(self, unit_id: str) -> list[OrgUnit]:
        """Every unit below ``unit_id``, breadth first."""
        out: list[OrgUnit] = []
        frontier = [self._typed(unit_id, OrgUnit, "org unit")]
        while frontier:
            nxt = [c for u in frontier for c in self.children(u.id)]
            out.extend(nxt)
            frontier = nxt
        return out

    def nearest(self, unit_id: str, kind: UnitKind | str) -> OrgUnit | None:
        """``unit_id`` itself or its nearest ancestor of ``kind``, or ``None``.

        >>> from mtss_core import example
        >>> example().nearest("sch-lincoln", "district").name
        'Maple Valley Public Schools'
        """
        wanted = UnitKind(kind)
        unit: OrgUnit | None = self._typed(unit_id, OrgUnit, "org unit")
        node = self._g._node
        while unit is not None:
            if unit.kind is wanted:
                return unit
            unit = None if unit.parent is None else node[unit.parent]["obj"]
        return None

    # --- teams and people ---------------------------------------------------------------------

    def teams_of(self, unit_id: str, kind: TeamKind | str | None = None) -> list[Team]:
        """Teams serving ``unit_id`` (optionally of one kind)."""
        self._typed(unit_id, OrgUnit, "org unit")
        wanted = None if kind is None else TeamKind(kind)
        node = self._g._node
        return [t for t in (node[src]["obj"] for src, keys in self._pred[unit_id].items()
                            if _SERVES in keys)
                if wanted is None or t.kind is wanted]

    def members(self, team_id: str) -> list[Membership]:
        """The memberships of a team, in the order they were added."""
        self._typed(team_id, Team, "team")
        return [keys[_MEMBER]["membership"] for keys in self._pred[team_id].values()
                if _MEMBER in keys]

    def roles(self, team_id: str, person_id: str) -> tuple[str, ...]:
        """The roles ``person_id`` holds on ``team_id`` (empty if not a member)."""
        self._typed(team_id, Team, "team")
        m = self._membership(team_id, person_id)
        return () if m is None else m.roles

    def memberships_with_role(self, role: Role | str) -> list[Membership]:
        """Every membership holding ``role``, in the order they were added.

        >>> from mtss_core import example
        >>> [m.person for m in example().memberships_with_role("liaison")][:2]
        ['p-ostrowski', 'p-ostrowski']
        """
        return list(self._by_role.get(role, {}).values())

    def memberships_of(self, person_id: str) -> list[Membership]:
        """The seats ``person_id`` holds, one per team."""
        self._typed(person_id, Person, "person")
        return [keys[_MEMBER]["membership"] for keys in self._succ[person_id].values()
                if _MEMBER in keys]

    def teams_of_person(self, person_id: str) -> list[Team]:
        """The teams ``person_id`` sits on."""
        node = self._g._node
        return [node[m.team]["obj"] for m in self.memberships_of(person_id)]

    def _membership(self, team_id: str, person_id: str) -> Membership | None:
        keys = self._succ.get(person_id, {}).get(team_id)
        if keys is None or _MEMBER not in keys:
            return None
        return cast(Membership, keys[_MEMBER]["membership"])

    # --- products and focus areas -------------------------------------------------------------

    def owner(self, product_id: str) -> OrgUnit | Team | Person:
        """The unit, team or person that owns a product."""
        product = self._typed(product_id, Product, "product")
        return cast("OrgUnit | Team | Person", self[product.owner])

    def aligned_to(self, product_id: str) -> Product | None:
        """The product at the level above that ``product_id`` aligns to, if any."""
        product = self._typed(product_id, Product, "product")
        return None if product.aligned_to is None else cast(Product, self[product.aligned_to])

    def aligned_from(self, product_id: str) -> list[Product]:
        """The products that align to ``product_id``."""
        self._typed(product_id, Product, "product")
        node = self._g._node
        return [node[src]["obj"] for src, keys in self._pred[product_id].items()
                if _ALIGNS_TO in keys]

    def products_of(self, owner_id: str, kind: ProductKind | str | None = None) -> list[Product]:
        """The products owned by a unit, team or person (optionally of one kind)."""
        if owner_id not in self._g._node:
            raise UnknownIdError(owner_id, "owner")
        wanted = None if kind is None else ProductKind(kind)
        node = self._g._node
        return [p for p in (node[src]["obj"] for src, keys in self._pred[owner_id].items()
                            if _OWNED_BY in keys)
                if wanted is None or p.kind is wanted]

    def focus_areas(self, district_id: str) -> list[FocusArea]:
        """The priority focus areas of a district.

        >>> from mtss_core import example
        >>> len(example().focus_areas("dist-maple"))
        5
        """
        self._typed(district_id, OrgUnit, "org unit")
        node = self._g._node
        return [node[src]["obj"] for src, keys in self._pred[district_id].items()
                if _FOCUS_OF in keys]

    def data_sources(self, unit_id: str) -> list[DataSource]:
        """The data sources a unit holds."""
        self._typed(unit_id, OrgUnit, "org unit")
        return [self._obj(i) for i in self._in(unit_id, HELD_BY)]

    def risk_thresholds(self, unit_id: str) -> list[RiskThreshold]:
        """The at-risk thresholds a unit sets."""
        self._typed(unit_id, OrgUnit, "org unit")
        return [self._obj(i) for i in self._in(unit_id, SET_BY)]

    def all_data_sources(self) -> Iterator[DataSource]:
        """Every data source, in the order they were added."""
        return cast(Iterator[DataSource], self._objs("data_source"))

    def all_risk_thresholds(self) -> Iterator[RiskThreshold]:
        """Every at-risk threshold, in the order they were added."""
        return cast(Iterator[RiskThreshold], self._objs("risk_threshold"))

    # --- time -----------------------------------------------------------------------------------

    def meetings(self, team_id: str | None = None) -> list[Meeting]:
        """Meetings (of one team, if given), earliest first."""
        if team_id is None:
            found: list[Meeting] = list(self._objs("meeting"))
        else:
            self._typed(team_id, Team, "team")
            found = [self._obj(i) for i in self._in(team_id, MEETING_OF)]
        return sorted(found, key=lambda m: (m.starts_at, m.id))

    def status_updates(self, team_id: str | None = None) -> list[StatusUpdate]:
        """Liaison status updates (to one team, if given), earliest first."""
        if team_id is None:
            found: list[StatusUpdate] = list(self._objs("status_update"))
        else:
            self._typed(team_id, Team, "team")
            found = [self._obj(i) for i in self._in(team_id, UPDATE_TO)]
        return sorted(found, key=lambda u: (u.given_on, u.id))

    def stage_records(self, unit_id: str | None = None, innovation: str | None = None
                      ) -> list[StageRecord]:
        """Stage records (of one unit and innovation, if given), earliest first."""
        if unit_id is None:
            found: list[StageRecord] = list(self._objs("stage_record"))
        else:
            self._typed(unit_id, OrgUnit, "org unit")
            found = [self._obj(i) for i in self._in(unit_id, STAGE_OF)]
        if innovation is not None:
            found = [r for r in found if r.innovation == innovation]
        return sorted(found, key=lambda r: (r.entered_on, r.stage.order, r.id))

    def readiness_assessments(self, unit_id: str | None = None) -> list[ReadinessAssessment]:
        """Readiness assessments (of one unit, if given), earliest first."""
        found: list[ReadinessAssessment] = (
            list(self._objs("readiness_assessment")) if unit_id is None else
            [o for o in self._assessing(unit_id) if isinstance(o, ReadinessAssessment)])
        return sorted(found, key=lambda a: (a.assessed_on, a.id))

    def fidelity_assessments(self, unit_id: str | None = None,
                             instrument: str | None = None) -> list[FidelityAssessment]:
        """Fidelity and capacity assessments (of one unit / instrument), earliest first."""
        found: list[FidelityAssessment] = (
            list(self._objs("fidelity_assessment")) if unit_id is None else
            [o for o in self._assessing(unit_id) if isinstance(o, FidelityAssessment)])
        if instrument is not None:
            found = [a for a in found if a.instrument == instrument]
        return sorted(found, key=lambda a: (a.assessed_on, a.id))

    def allocations(self, unit_id: str | None = None) -> list[ResourceAllocation]:
        """Resource allocations (of one unit, if given), in the order they were added."""
        if unit_id is None:
            return list(self._objs("resource_allocation"))
        self._typed(unit_id, OrgUnit, "org unit")
        return [self._obj(i) for i in self._in(unit_id, ALLOCATED_BY)]

    def barriers(self, team_id: str | None = None) -> list[Barrier]:
        """Barriers (raised by or escalated to one team, if given), earliest raised first."""
        found: list[Barrier] = list(self._objs("barrier"))
        if team_id is not None:
            self._typed(team_id, Team, "team")
            found = [b for b in found if team_id == b.raised_by
                     or any(e.team == team_id for e in b.escalations)]
        return sorted(found, key=lambda b: (b.raised_on, b.id))

    def protocols(self, team_id: str | None = None) -> list[Protocol]:
        """Communication protocols (from or to one team, if given)."""
        found: list[Protocol] = list(self._objs("protocol"))
        if team_id is not None:
            self._typed(team_id, Team, "team")
            found = [p for p in found if team_id in (p.from_team, p.to_team)]
        return found

    def _assessing(self, unit_id: str) -> list[Any]:
        self._typed(unit_id, OrgUnit, "org unit")
        return [self._obj(i) for i in self._in(unit_id, ASSESSES)]

    # --- networkx -----------------------------------------------------------------------------

    @property
    def view(self) -> nx.MultiDiGraph:
        """A read-only, live networkx view of the graph, for any networkx algorithm.

        Node attributes: ``obj`` (the model object) and ``type``; edge keys are
        :class:`EdgeKind` values; member edges carry ``membership``.  The view
        refuses structural changes; treat its attribute dicts as read-only too
        (``view.copy()`` gives a networkx graph of your own to change).

        >>> import networkx as nx
        >>> from mtss_core import example
        >>> v = example().view
        >>> nx.is_directed_acyclic_graph(v)
        True
        >>> v.add_node("x")
        Traceback (most recent call last):
        ...
        networkx.exception.NetworkXError: Frozen graph can't be modified
        """
        if self._view is None:
            self._view = nx.graphviews.generic_graph_view(self._g)
        return self._view


#: Per class: (field, edge key, is_many) for each reference the object makes.
_REF_FIELDS: dict[type[Any], tuple[tuple[str, str, bool], ...]] = {
    OrgUnit: (("parent", PARENT, False),),
    Person: (("unit", BASED_AT, False), ("assigned_units", ASSIGNED_TO, True)),
    Team: (("unit", SERVES, False),),
    Vision: (("owner", OWNED_BY, False), ("aligned_to", ALIGNS_TO, False),
             ("addresses", ADDRESSES, True)),
    NonNegotiables: (("owner", OWNED_BY, False), ("aligned_to", ALIGNS_TO, False)),
    ImprovementPlan: (("owner", OWNED_BY, False), ("aligned_to", ALIGNS_TO, False),
                      ("data_sources", USES_DATA, True), ("focus_areas", WORKS_ON, True)),
    FocusArea: (("district", FOCUS_OF, False),),
    DataSource: (("unit", HELD_BY, False),),
    RiskThreshold: (("unit", SET_BY, False),),
    Meeting: (("team", MEETING_OF, False), ("attendees", ATTENDED_BY, True)),
    StatusUpdate: (("team", UPDATE_TO, False), ("liaison", GIVEN_BY, False),
                   ("assessments", REPORTS, True)),
    StageRecord: (("unit", STAGE_OF, False),),
    ReadinessAssessment: (("unit", ASSESSES, False),),
    FidelityAssessment: (("unit", ASSESSES, False),),
    LeadershipSelfAssessment: (("subject", ASSESSES, False),),
    ResourceAllocation: (("unit", ALLOCATED_BY, False),),
    Barrier: (("raised_by", RAISED_BY, False), ("owner", BARRIER_OWNER, False),
              ("escalated_teams", ESCALATED_TO, True)),
    Protocol: (("from_team", LINKS_FROM, False), ("to_team", LINKS_TO, False),
               ("designee", DESIGNEE, False)),
    Evidence: (("team", EVIDENCE_OF, False),),
}


def _refs(obj: ModelObject) -> Iterator[tuple[str, str, str]]:
    """The edges an object makes: (source id, edge key, target id)."""
    if isinstance(obj, Membership):
        yield obj.person, MEMBER, obj.team
        return
    for field, key, many in _REF_FIELDS[type(obj)]:
        value = getattr(obj, field)
        if many:
            for target in value:
                yield obj.id, key, target
        elif value is not None:
            yield obj.id, key, value


def _fields_and_targets(obj: ModelObject) -> Iterator[tuple[str, str]]:
    """(field, target id) for each reference an object makes."""
    if isinstance(obj, Membership):
        yield "team", obj.team
        yield "person", obj.person
        return
    for field, _key, many in _REF_FIELDS[type(obj)]:
        value = getattr(obj, field)
        if many:
            for target in value:
                yield field, target
        elif value is not None:
            yield field, value


def _without(field: str) -> Callable[[Any, set[str]], Any]:
    def drop(obj: Any, bad: set[str]) -> Any:
        return attrs.evolve(obj, **{field: tuple(x for x in getattr(obj, field)
                                                 if x not in bad)})
    return drop


def _unset(field: str) -> Callable[[Any, set[str]], Any]:
    def drop(obj: Any, bad: set[str]) -> Any:
        return attrs.evolve(obj, **{field: None})
    return drop


#: The references an object can do without, and how to drop one: a lenient build drops a
#: dangling one (and reports it) instead of refusing the object.  Every other reference
#: (a unit's parent, a team's unit, a product's owner, a membership's team and person,
#: ...) is one the object cannot live without: a dangling one refuses the object.
_DROPPABLE: dict[tuple[type[Any], str], Callable[[Any, set[str]], Any]] = {
    **{(cls, "aligned_to"): _unset("aligned_to")
       for cls in (Vision, NonNegotiables, ImprovementPlan)},
    (Vision, "addresses"): _without("addresses"),
    (ImprovementPlan, "data_sources"): _without("data_sources"),
    (ImprovementPlan, "focus_areas"): _without("focus_areas"),
    (Person, "unit"): _unset("unit"),
    (Person, "assigned_units"): lambda o, bad: attrs.evolve(
        o, assignments=tuple(a for a in o.assignments if a.unit not in bad)),
    (Meeting, "attendees"): _without("attendees"),
    (StatusUpdate, "liaison"): _unset("liaison"),
    (StatusUpdate, "assessments"): _without("assessments"),
    (Barrier, "owner"): _unset("owner"),
    (Barrier, "escalated_teams"): lambda o, bad: attrs.evolve(
        o, escalations=tuple(e for e in o.escalations if e.team not in bad)),
    (Protocol, "designee"): _unset("designee"),
}


def _word(obj: Any) -> str:
    return _SINGULAR.get(getattr(obj, "type_name", ""), "object")


def _drop_references(batch: list[ModelObject], errors: list[IntegrityError],
                     problems: list[IntegrityError]) -> list[ModelObject] | None:
    """The batch with every droppable dangling reference dropped (and reported in
    ``problems``), or ``None`` when there is none."""
    bad: dict[int, dict[str, set[str]]] = {}
    for err in errors:
        obj = err.obj
        if (type(err) is DanglingReferenceError and err.field is not None
                and (type(obj), err.field) in _DROPPABLE):
            bad.setdefault(id(obj), {}).setdefault(err.field, set()).update(err.related)
            problems.append(DanglingReferenceError(
                f"{err.message}; dropped from {err.field}, the {_word(obj)} kept",
                subject=err.subject, field=err.field, related=err.related, obj=obj))
    if not bad:
        return None
    out = []
    for obj in batch:
        for field, targets in bad.get(id(obj), {}).items():
            obj = _DROPPABLE[(type(obj), field)](obj, targets)
        out.append(obj)
    return out


#: The types each reference field may name.
_REF_TYPES: dict[str, tuple[type[Any], ...]] = {
    "parent": (OrgUnit,), "unit": (OrgUnit,), "owner": (OrgUnit, Team, Person),
    "aligned_to": (Product,), "addresses": (FocusArea,), "data_sources": (DataSource,),
    "focus_areas": (FocusArea,), "district": (OrgUnit,), "team": (Team,), "person": (Person,),
    "attendees": (Person,), "liaison": (Person,), "assessments": (FidelityAssessment,),
    "subject": (Person, Team), "raised_by": (Team,), "escalated_teams": (Team,),
    "from_team": (Team,), "to_team": (Team,), "designee": (Person,),
    "assigned_units": (OrgUnit,),
}


def _subject(obj: ModelObject) -> str:
    return obj.team if isinstance(obj, Membership) else obj.id


def _reference_errors(obj: ModelObject, find: Any) -> list[IntegrityError]:
    """Dangling references and wrong kinds of parent, owner or district."""
    errs: list[IntegrityError] = []
    subject = _subject(obj)

    def check(field: str, target_id: str) -> Any:
        types = _REF_TYPES[field]
        target = find(target_id)
        if target is not None and isinstance(target, types):
            return target
        what = _describe_membership(obj) if isinstance(obj, Membership) else _describe(obj)
        if target is None:
            message = f"{what}: {field} {target_id!r} is not in the graph"
        else:
            expected = " or ".join(_TYPE_WORD[t] for t in types)
            message = f"{what}: {field} {target_id!r} is {_describe(target)}, expected {expected}"
        errs.append(DanglingReferenceError(message, subject=subject, field=field,
                                           related=(target_id,), obj=obj))
        return None

    if isinstance(obj, Membership):
        check("team", obj.team)
        check("person", obj.person)
        return errs
    found: dict[str, Any] = {}
    for field, _key, many in _REF_FIELDS[type(obj)]:
        value = getattr(obj, field)
        for target_id in (value if many else () if value is None else (value,)):
            found[field] = check(field, target_id)
    if isinstance(obj, OrgUnit):
        parent, allowed = found.get("parent"), PARENT_KINDS[obj.kind]
        if obj.parent is None and None not in allowed:
            errs.append(ParentKindError(
                f"{_describe(obj)} has no parent; a {obj.kind.value} must sit under "
                f"{_kinds_phrase(allowed)}", subject=obj.id, field="parent", obj=obj))
        elif parent is not None and parent.kind not in allowed:
            errs.append(ParentKindError(
                f"{_describe(obj)} cannot sit under {_describe(parent)}; "
                f"a {obj.kind.value} sits under {_kinds_phrase(allowed)}",
                subject=obj.id, field="parent", related=(parent.id,), obj=obj))
    elif isinstance(obj, Team):
        unit, allowed_units = found.get("unit"), TEAM_UNIT_KINDS[obj.kind]
        if unit is not None and unit.kind not in allowed_units:
            errs.append(ParentKindError(
                f"{_describe(obj)} cannot serve {_describe(unit)}; "
                f"a {obj.kind.label} serves {_kinds_phrase(allowed_units)}",
                subject=obj.id, field="unit", related=(unit.id,), obj=obj))
    elif isinstance(obj, Product):
        target = found.get("aligned_to")
        if target is not None and target.kind is not obj.kind:
            errs.append(DanglingReferenceError(
                f"{_describe(obj)}: aligned_to {target.id!r} is {_describe(target)}, "
                f"expected a {obj.kind.value}", subject=obj.id, field="aligned_to",
                related=(target.id,), obj=obj))
    elif isinstance(obj, FocusArea):
        district = found.get("district")
        if district is not None and district.kind is not UnitKind.DISTRICT:
            errs.append(ParentKindError(
                f"{_describe(obj)}: district {district.id!r} is {_describe(district)}; "
                "priority focus areas belong to a district", subject=obj.id, field="district",
                related=(district.id,), obj=obj))
    return errs


def _rebuild_graph(objects: list[ModelObject], as_of: pendulum.Date | None,
                   problems: list[IntegrityError]) -> AlignmentGraph:
    graph = AlignmentGraph(as_of=as_of)
    with bulk():
        graph._insert(objects)
    graph._problems.extend(problems)
    return graph


def _unit_cycles(new: dict[str, ModelObject], find: Any) -> Iterator[IntegrityError]:
    """Loops among the parents of new units (existing units cannot point at new ones)."""
    done: set[str] = set()
    for start, obj in new.items():
        if not isinstance(obj, OrgUnit) or start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        cur: Any = obj
        while isinstance(cur, OrgUnit) and cur.id in new and cur.id not in done:
            if cur.id in on_path:
                loop = path[path.index(cur.id):]
                first = min(loop)
                yield CycleError(
                    "org units form a loop through their parents: "
                    + " -> ".join([*loop, loop[0]]),
                    subject=first, field="parent", related=tuple(sorted(loop)),
                    obj=find(first))
                break
            path.append(cur.id)
            on_path.add(cur.id)
            cur = None if cur.parent is None else find(cur.parent)
        done.update(path)


def _kinds_phrase(kinds: Iterable[UnitKind | None]) -> str:
    names = sorted(("an ISD" if k is UnitKind.ISD else f"a {k.value}") if k is not None else ""
                   for k in kinds)
    return " or ".join(n for n in names if n) or "nothing"


_ALL_CLASSES = OBJECT_CLASSES
_TYPE_WORD: dict[type[Any], str] = {
    OrgUnit: "an org unit", Team: "a team", Person: "a person", Product: "a product",
    FocusArea: "a focus area", DataSource: "a data source",
    FidelityAssessment: "a fidelity assessment",
}
_PRODUCT_TYPE = {ProductKind.VISION: "vision", ProductKind.NON_NEGOTIABLES: "non_negotiables",
                 ProductKind.IMPROVEMENT_PLAN: "improvement_plan"}
_SINGULAR = {"unit": "unit", "person": "person", "team": "team", "vision": "vision",
             "non_negotiables": "set of non-negotiables", "improvement_plan": "improvement plan",
             "focus_area": "focus area", "data_source": "data source",
             "risk_threshold": "risk threshold", "meeting": "meeting",
             "status_update": "status update", "stage_record": "stage record",
             "readiness_assessment": "readiness assessment",
             "fidelity_assessment": "fidelity assessment",
             "leadership_assessment": "leadership self-assessment",
             "resource_allocation": "resource allocation", "barrier": "barrier",
             "protocol": "communication protocol", "evidence": "evidence record"}
_PLURAL = {"unit": "units", "person": "people", "team": "teams", "vision": "visions",
           "non_negotiables": "sets of non-negotiables", "improvement_plan": "improvement plans",
           "focus_area": "focus areas", "data_source": "data sources",
           "risk_threshold": "risk thresholds", "meeting": "meetings",
           "status_update": "status updates", "stage_record": "stage records",
           "readiness_assessment": "readiness assessments",
           "fidelity_assessment": "fidelity assessments",
           "leadership_assessment": "leadership self-assessments",
           "resource_allocation": "resource allocations", "barrier": "barriers",
           "protocol": "communication protocols", "evidence": "evidence records"}
