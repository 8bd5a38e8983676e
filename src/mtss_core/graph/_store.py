"""The alignment graph: the library's own store of objects and the references between
them, given to networkx as a ``MultiDiGraph`` on request (:attr:`AlignmentGraph.view`).

Every object is a node whose id is the object's id; memberships are edges.
Edges point from the part to the whole, or from the lower level to the
higher one, and their key names the relation (see :class:`EdgeKind`)::

    school --parent--> district          team --serves--> unit
    person --member--> team              person --based_at--> unit
    vision --owned_by--> unit|team|person
    vision --aligns_to--> vision         focus area --focus_of--> district

Which fields make which edges is declared once, in :data:`~mtss_core.model.TYPES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pendulum

from .._gc import collector_paused
from ..errors import (
    IntegrityError,
    InUseError,
    ModelTypeError,
    UnknownIdError,
)
from ..model import (
    TYPES,
    EdgeKind,
    Membership,
    ModelObject,
    OrgUnit,
    Person,
    Product,
    Registry,
    Team,
    ref,
)
from ..model.fields import to_date
from ._compact import NO_EDGES, link, unlink
from ._integrity import (
    batch_errors,
    kind_change_errors,
    lenient_batch,
    move_errors,
    reference_errors,
)
from ._level_index import (
    Level,
    LevelProducts,
    add_product,
    drop_product,
    move_owners,
    team_level,
)
from ._queries import INDEXED, MEMBER, OWNED_BY, SERVES, Queries

if TYPE_CHECKING:
    import networkx as nx

    from ._describe import Description

__all__ = ["AlignmentGraph", "EdgeKind"]


Edges = dict[type[Any], tuple[tuple[str, str, bool], ...]]


def _refs(obj: ModelObject, edges: Edges) -> Iterator[tuple[str, str, str]]:
    """The edges an object makes: (source id, edge key, target id); ``edges`` is the
    registry's table of references per class."""
    if isinstance(obj, Membership):
        yield obj.person, MEMBER, obj.team
        return
    for field, key, many in edges[type(obj)]:
        value = getattr(obj, field)
        if many:
            for target in value:
                yield obj.id, key, target
        elif value is not None:
            yield obj.id, key, value


class AlignmentGraph(Queries):
    """Org units, people, teams and their products, kept consistent.

    The graph refuses anything that would break its invariants: every id is
    unique, every reference names an existing object of the right type, every
    unit sits under a sensible kind of parent and the unit tree has no cycles.
    A refused change leaves the graph as it was.

    Objects may be given in any order to the constructor or to
    :meth:`add_all`; :meth:`add` adds one object whose references already exist.
    ``types`` is the registry of object types the graph holds: :data:`~mtss_core.model.TYPES`,
    or one extended with types of one's own (:meth:`~mtss_core.model.Registry.extend`).

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

    __slots__ = (
        "_by_role",
        "_by_type",
        "_edges",
        "_level_products",
        "_n_ended",
        "_n_members",
        "_node",
        "_pred",
        "_problems",
        "_refd",
        "_succ",
        "_unit_kinds",
        "_version",
        "_view",
        "as_of",
        "types",
    )

    def __init__(self, objects: Iterable[ModelObject] = (), *, strict: bool = True,
                 as_of: pendulum.Date | str | None = None, types: Registry = TYPES) -> None:
        if not isinstance(types, Registry):
            raise ModelTypeError(f"types must be a Registry (mtss_core.model.TYPES or one "
                                 f"extended from it), got {type(types).__name__}")
        #: The object types the graph holds.
        self.types = types
        self._edges = types.edges
        #: The date the data describe (a document's ``as_of``); :func:`~mtss_core.validate`
        #: uses it for time-based rules when its :class:`~mtss_core.Config` names none.
        self.as_of: pendulum.Date | None = to_date(as_of)
        # id -> object, in the order they were added; the edges out of and into each
        # node: ``succ[u][v]`` / ``pred[v][u]`` map edge keys to their data (a seat, or
        # None), kept compact (see _compact)
        self._node: dict[str, Any] = {}
        self._succ: dict[str, dict[str, Any]] = {}
        self._pred: dict[str, dict[str, Any]] = {}
        # id -> object, per type, in insertion order
        self._by_type: dict[str, dict[str, Any]] = {t.name: {} for t in types.nodes}
        # the networkx graph built for ``view``, and the version it was built at
        self._view: tuple[int, nx.MultiDiGraph] | None = None
        self._n_members = 0
        self._n_ended = 0  # seats with an until date: none, and no query filters them
        # role -> {id(membership): membership}: ordered like a list, O(1) to remove from
        self._by_role: dict[str, dict[int, Membership]] = {}
        # edge key -> target -> {source: None}, for the keys the level above reads in bulk
        # (products by owner, teams by unit): their referrers without scanning every edge
        # into the target (a school's teachers), in the adjacency dicts' order.  People
        # are left out (a teacher's vision: millions of one-entry dicts at nation scale;
        # a person's own edges in are few, scanned instead)
        self._refd: dict[str, dict[str, dict[str, None]]] = {k: {} for k in INDEXED}
        self._problems: list[IntegrityError] = []
        # kind -> the units of the kind, in the order they were added: made when first
        # asked for, dropped when a unit is added, replaced or removed
        self._unit_kinds: dict[Any, tuple[OrgUnit, ...]] = {}
        # (level, kind) -> the level's products of the kind (people's left out): what
        # the level above of every product is read from (see _level_index)
        self._level_products: LevelProducts = {}
        # counts every change, so a Session can tell edits made behind its back
        self._version = 0
        if strict:
            self.add_all(objects)
        else:
            with collector_paused():
                kept, problems = lenient_batch(list(objects), self._node,
                                               self.integrity_errors, types)
                self._insert(kept)
            self._problems.extend(problems)

    @classmethod
    def lenient(cls, objects: Iterable[ModelObject], *,
                as_of: pendulum.Date | str | None = None,
                types: Registry = TYPES) -> AlignmentGraph:
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
        return cls(objects, strict=False, as_of=as_of, types=types)

    @property
    def integrity_problems(self) -> tuple[IntegrityError, ...]:
        """The problems a lenient build recorded (always empty for a strict graph)."""
        return tuple(self._problems)

    @property
    def version(self) -> int:
        """A number that changes with every change to the graph (for caches)."""
        return self._version

    # --- building -----------------------------------------------------------------------------

    def add(self, obj: ModelObject) -> None:
        """Add one object; raise an :class:`~mtss_core.IntegrityError` subclass if it can't be.

        >>> from mtss_core import AlignmentGraph, OrgUnit
        >>> g = AlignmentGraph()
        >>> g.add(OrgUnit(id="sch-1", kind="school", parent="dist-1"))
        Traceback (most recent call last):
        ...
        mtss_core.errors.DanglingReferenceError: school 'sch-1': parent 'dist-1' is not in the \
graph
        """
        self.add_all((obj,))

    def add_all(self, objects: Iterable[ModelObject]) -> None:
        """Add many objects given in any order, all or nothing.

        Raises the first :class:`~mtss_core.IntegrityError` found;
        :meth:`integrity_errors` lists them all without raising.
        """
        batch = list(objects)
        with collector_paused():
            errors = self.integrity_errors(batch)
            if errors:
                raise errors[0]
            self._insert(batch)

    def try_add_all(self, objects: Iterable[ModelObject]) -> list[IntegrityError]:
        """Add many objects given in any order, all or nothing, and return every invariant
        they would break instead of raising: an empty list means they were added.

        A loader that maps each problem back to where it came from (a line of a file)
        checks and adds in one pass with it.

        >>> from mtss_core import AlignmentGraph, OrgUnit
        >>> g = AlignmentGraph()
        >>> [e.field for e in g.try_add_all([OrgUnit(id="s1", kind="school", parent="d9")])]
        ['parent']
        >>> g.try_add_all([OrgUnit(id="d9", kind="district")]), len(g)
        ([], 1)
        """
        batch = list(objects)
        with collector_paused():
            errors = self.integrity_errors(batch)
            if not errors:
                self._insert(batch)
        return errors

    def integrity_errors(self, objects: Iterable[ModelObject]) -> list[IntegrityError]:
        """Every invariant that adding ``objects`` would break, in input order; adds nothing.

        >>> from mtss_core import AlignmentGraph, OrgUnit
        >>> errs = AlignmentGraph().integrity_errors([
        ...     OrgUnit(id="a", kind="district"), OrgUnit(id="a", kind="district")])
        >>> [type(e).__name__ for e in errs]
        ['DuplicateIdError']
        """
        batch = objects if isinstance(objects, list) else list(objects)
        classes = self.types.classes
        for obj in batch:
            if type(obj) not in classes:
                raise ModelTypeError(f"cannot add {type(obj).__name__} to an AlignmentGraph: "
                                     "it is no object type of the graph's registry")
        return batch_errors(batch, self._node,
                            lambda team, person: self.membership(team, person) is not None,
                            self.types)

    def _insert(self, batch: list[ModelObject]) -> None:
        """Add objects :meth:`integrity_errors` has checked."""
        node, succ, pred = self._node, self._succ, self._pred
        by_type, edges, refd = self._by_type, self._edges, self._refd
        n_units = len(by_type["unit"])
        for obj in batch:
            if not isinstance(obj, Membership):
                i = obj.id
                node[i] = obj
                succ[i] = {}
                pred[i] = NO_EDGES
                by_type[obj.type_name][i] = obj
        for obj in batch:
            if isinstance(obj, Membership):
                data: Membership | None = obj
                self._n_members += 1
                if obj.until is not None:
                    self._n_ended += 1
                for role in obj.roles:
                    self._by_role.setdefault(role, {})[id(obj)] = obj
            else:
                data = None
            for u, key, v in _refs(obj, edges):
                link(succ, pred, u, key, v, data)
                if key in refd:
                    self._index(u, key, v)
                    if key == OWNED_BY and isinstance(obj, Product):
                        add_product(self._level_products, node, obj)
        if len(by_type["unit"]) != n_units:
            self._unit_kinds.clear()
        self._changed()

    def _changed(self) -> None:
        self._version += 1

    def replace(self, obj: ModelObject) -> None:
        """Put ``obj`` in place of the object with its id (of the same type), all or nothing.

        The new object's references are checked like an added object's; a unit may
        not be moved under its own descendant, nor change to a kind that what refers to
        it (units below, teams, focus areas) cannot sit under.  Memberships are changed
        with :meth:`add` and :meth:`remove_membership`.

        >>> import attrs
        >>> from mtss_core import example, validate, Config
        >>> g = example()
        >>> g.replace(attrs.evolve(g["v-cedar-high"], aligned_to="v-cedar"))
        >>> [f.subject for f in validate(g, Config(select=["ALN001"]))]
        ['v-cedar-elem-k', 'v-garcia']
        """
        if isinstance(obj, Membership):
            self._replace_membership(obj)
            return
        if type(obj) not in self.types.classes:  # (a check that leaves obj's declared type)
            raise ModelTypeError(f"replace takes a model object (a unit, a team, a vision, "
                                 f"...), got {type(obj).__name__} {obj!r:.60}")
        node = self._node
        old = node.get(obj.id)
        if old is None:
            raise UnknownIdError(obj.id)
        if type(old) is not type(obj):
            raise ModelTypeError(f"{obj.id!r} is {ref(old)}; it cannot be replaced by a "
                                 f"{type(obj).__name__}")

        def find(target: str) -> object | None:
            if target == obj.id:
                return obj
            return node.get(target)

        errors = reference_errors(obj, find, self.types)
        if isinstance(obj, OrgUnit):
            errors.extend(move_errors(obj, find))
            if isinstance(old, OrgUnit) and obj.kind is not old.kind:
                # what refers to it (units, teams, focus areas) must still fit under it
                errors.extend(kind_change_errors(obj, (
                    node[u] for u in self._pred[obj.id]), find, self.types))
        if errors:
            raise errors[0]
        succ, pred, edges = self._succ, self._pred, self._edges
        levels = self._level_products
        moves = self._level_moves(old, obj)
        if isinstance(old, Product):
            drop_product(levels, node, old)
        before, after = set(_refs(old, edges)), set(_refs(obj, edges))
        # only the references that changed are touched: the others keep their place in
        # the adjacency dicts, so every query answers in the same order as before
        for u, key, v in _refs(old, edges):
            if (u, key, v) in after:
                continue
            unlink(succ, pred, u, key, v)
            self._unindex(u, key, v)
        node[obj.id] = obj
        self._by_type[obj.type_name][obj.id] = obj
        if type(obj) is OrgUnit:
            self._unit_kinds.clear()
        if isinstance(obj, Product):
            add_product(levels, node, obj)
        move_owners(levels, node, moves)
        for u, key, v in _refs(obj, edges):
            if (u, key, v) in before:
                continue
            link(succ, pred, u, key, v)
            if key in self._refd:
                self._index(u, key, v)
        self._changed()

    def _level_moves(self, old: ModelObject, new: ModelObject
                     ) -> list[tuple[Level, Level, list[str]]]:
        """The owners whose level a team's or unit's replacement changes: (old level, new
        level, their products) each (a team's kind or unit; a unit becoming a grade,
        department or course, or no longer one, for the grade teams serving it)."""
        node, owned = self._node, self._refd[OWNED_BY]
        if type(old) is Team and type(new) is Team:
            if old.kind is new.kind and old.unit == new.unit:
                return []
            return [(team_level(old, node[old.unit]), team_level(new, node[new.unit]),
                     list(owned.get(old.id, ())))]
        if type(old) is OrgUnit and type(new) is OrgUnit:
            if old.kind.is_subunit == new.kind.is_subunit:
                return []
            teams = [node[t] for t in self._refd[SERVES].get(old.id, ())]
            return [(team_level(t, old), team_level(t, new), list(owned.get(t.id, ())))
                    for t in teams]
        return []

    def _index(self, u: str, key: str, v: str) -> None:
        """Note ``u`` among the referrers of ``v`` through ``key`` (an indexed key; people
        are not indexed)."""
        if type(self._node[v]) is not Person:
            self._refd[key].setdefault(v, {})[u] = None

    def _unindex(self, u: str, key: str, v: str) -> None:
        index = self._refd.get(key)
        if index is None:
            return
        found = index.get(v)
        if found is not None:
            found.pop(u, None)
            if not found:
                del index[v]

    def remove(self, id: str) -> ModelObject:
        """Take an object out of the graph and return it; memberships go with
        :meth:`remove_membership`.

        Refused with an :class:`~mtss_core.errors.InUseError` while anything refers to
        the object (a person's seats included): the graph never holds a dangling
        reference.

        >>> from mtss_core import example
        >>> g = example()
        >>> g.remove("fa-maple-literacy")
        Traceback (most recent call last):
        ...
        mtss_core.errors.InUseError: focus area 'fa-maple-literacy' cannot be removed: \
vision 'v-maple' (addresses), improvement-plan 'cip-lincoln' (focus_areas) refer to it
        >>> g.remove("b-cedar-screener-licenses").title
        'Screener licenses expire before spring screening'
        >>> "b-cedar-screener-licenses" in g
        False
        """
        obj: ModelObject | None = self._node.get(id)
        if obj is None:
            raise UnknownIdError(id)
        users = [(u, key) for u, keys in self._pred[id].items() for key in keys]
        if isinstance(obj, Person):
            users.extend((team, MEMBER) for team, keys in self._succ[id].items()
                         if MEMBER in keys)
        if users:
            node = self._node
            named = []
            for u, key in users:
                if key == MEMBER:
                    named.append(f"team {u!r} (members)" if isinstance(obj, Person)
                                 else f"person {u!r} (a member)")
                    continue
                user = node[u]
                field = next(f for f, k, _many in self._edges[type(user)] if k == key)
                named.append(f"{ref(user)} ({field})")
            verb = "refers" if len(named) == 1 else "refer"
            raise InUseError(f"{ref(obj)} cannot be removed: {', '.join(named)} "
                             f"{verb} to it", subject=id,
                             related=tuple(dict.fromkeys(u for u, _ in users)), obj=obj)
        if isinstance(obj, Product):
            drop_product(self._level_products, self._node, obj)
        for u, key, v in _refs(obj, self._edges):
            self._unindex(u, key, v)
        succ, pred = self._succ, self._pred
        for v in succ.pop(id):  # its own edges go with it (nothing refers to it)
            into = pred[v]
            del into[id]
            if not into:
                pred[v] = NO_EDGES
        del pred[id], self._node[id]
        del self._by_type[obj.type_name][id]
        if type(obj) is OrgUnit:
            self._unit_kinds.clear()
        self._changed()
        return obj

    def remove_membership(self, team_id: str, person_id: str) -> Membership:
        """Take a person off a team; return the membership removed."""
        m = self.membership(team_id, person_id)
        if m is None:
            raise UnknownIdError(f"{team_id}/{person_id}", "membership")
        unlink(self._succ, self._pred, person_id, MEMBER, team_id)
        self._n_members -= 1
        if m.until is not None:
            self._n_ended -= 1
        for role in m.roles:
            del self._by_role[role][id(m)]
        self._changed()
        return m

    def _replace_membership(self, seat: Membership) -> Membership:
        """Put ``seat`` in place of the seat with its key (its roles, since or until
        changed), keeping its place in the team's and the person's order."""
        old = self.membership(seat.team, seat.person)
        if old is None:
            raise UnknownIdError(f"{seat.team}/{seat.person}", "membership")
        keys = self._succ[seat.person][seat.team]
        if type(keys) is dict:  # another key joined the member edge
            keys[MEMBER] = seat
        else:
            keys.value = seat
        self._n_ended += (seat.until is not None) - (old.until is not None)
        for role in old.roles:
            del self._by_role[role][id(old)]
        for role in seat.roles:
            self._by_role.setdefault(role, {})[id(seat)] = seat
        self._changed()
        return old

    def copy(self) -> AlignmentGraph:
        """A graph of the same objects, in the same order (the objects are immutable and
        shared): edits of one do not touch the other.

        >>> from mtss_core import example
        >>> g = example()
        >>> h = g.copy()
        >>> _ = h.remove("b-cedar-screener-licenses")
        >>> "b-cedar-screener-licenses" in g, len(g) - len(h)
        (True, 1)
        """
        members = [m for t in self.teams() for m in self.members(t.id, history=True)]
        return _rebuild_graph([*self, *members], self.as_of, list(self._problems), self.types)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the objects themselves (for process pools and Dask)."""
        members = [m for t in self.teams()  # keeps their order
                   for m in self.members(t.id, history=True)]
        return (_rebuild_graph, ([*self, *members], self.as_of, self._problems, self.types))

    # --- display ------------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        from ._describe import graph_html

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
        from ._describe import describe

        return describe(self, id)

    def __iter__(self) -> Iterator[ModelObject]:
        """Every object except memberships, in the order they were added."""
        return iter(self._node.values())

    def __repr__(self) -> str:
        types = self.types
        parts = [types[name].count(len(ids)) for name, ids in self._by_type.items() if ids]
        if self._n_members:
            parts.append(types["membership"].count(self._n_members))
        return f"<AlignmentGraph: {', '.join(parts) or 'empty'}>"

    # --- networkx -----------------------------------------------------------------------------

    @property
    def view(self) -> nx.MultiDiGraph:
        """The graph as a networkx ``MultiDiGraph``, for any networkx algorithm.

        Node attributes: ``obj`` (the model object) and ``type``; edge keys are
        :class:`EdgeKind` values; member edges carry ``membership``.  **Edges point from
        the object that refers to the one it names: child to parent** (a school to its
        district, a team to its unit, a product to its owner, a seat from person to
        team): ``nx.descendants(view, "d-1")`` gives the district's ISD and state, and
        ``nx.ancestors(view, "d-1")`` everything that refers to it, directly or not (for a
        district's schools, teams and products as a graph of their own, see
        :func:`~mtss_core.graph.subtree_view`).

        It is built through networkx's own API when first asked for and kept until the
        graph changes: the same object while the graph is unchanged, a new one after an
        edit (a view taken earlier keeps showing the graph as it was).  It is frozen
        (``nx.freeze``): it refuses structural changes, and, since it is shared by every
        caller until the next edit, its attribute dicts are to be read, not written;
        ``view.copy()`` gives a graph of your own to change.  It copies, deep-copies,
        pickles and converts like any networkx graph.

        >>> import networkx as nx
        >>> from mtss_core import example
        >>> g = example()
        >>> v = g.view
        >>> nx.is_directed_acyclic_graph(v), v is g.view
        (True, True)
        >>> v.add_node("x")
        Traceback (most recent call last):
        ...
        networkx.exception.NetworkXError: Frozen graph can't be modified
        """
        cached = self._view
        if cached is not None and cached[0] == self._version:
            return cached[1]
        built = self._networkx()
        self._view = (self._version, built)
        return built

    def _networkx(self, within: frozenset[str] | None = None) -> nx.MultiDiGraph:
        """A frozen networkx graph of the objects (those ``within``, if given) and the
        edges among them, in the store's order."""
        import networkx as nx  # (imported when a view is first asked for)

        node, succ = self._node, self._succ
        ids: Iterable[str] = node if within is None else [i for i in node if i in within]
        out = nx.MultiDiGraph()
        out.add_nodes_from((i, {"obj": node[i], "type": node[i].type_name}) for i in ids)
        out.add_edges_from(
            (u, v, key, {} if data is None else {"membership": data})
            for u in ids for v, keys in succ[u].items()
            if within is None or v in within
            for key, data in keys.items())
        return nx.freeze(out)


def _rebuild_graph(objects: list[ModelObject], as_of: pendulum.Date | None,
                   problems: list[IntegrityError], types: Registry = TYPES) -> AlignmentGraph:
    graph = AlignmentGraph(as_of=as_of, types=types)
    with collector_paused():
        graph._insert(objects)
    graph._problems.extend(problems)
    return graph

