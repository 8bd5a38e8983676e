"""The level above: one definition of what each product aligns to (Equitable MLSS).

Products belong to **levels**, bottom up:

- a teacher (a person's own products);
- a grade, department or course: the unit and every team serving it — or an
  instructional team serving a school directly, which is a level of its own;
- a school: the school and its leadership teams (school leadership, schoolwide MTSS);
- a district, an ISD, the state: the unit and its leadership teams.

Each level's products align with the products of the **level above**: a teacher's with
their team's level; a grade's, department's or course's with its school's (a district's
own central-office department with its district's); a school's with its district's (or
the ISD or state it sits under); a district's with its ISD's when the ISD supports it (a
formal partner of the state's program) and otherwise with the nearest level above that
has a product of the kind; an ISD's with its state's.  Alignment with a non-partner ISD
is accepted but never required.  Every rule and query that asks "what should this align
to" reads it here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs
import pendulum

from ..errors import ModelTypeError
from ..model import (
    INSTRUCTIONAL_TEAMS,
    OrgUnit,
    Person,
    Product,
    ProductKind,
    Team,
    UnitKind,
    to_date,
)
from ._compact import SeatKeys
from ._level_index import Level, team_level
from ._queries import MEMBER, SERVES
from ._store import AlignmentGraph

__all__ = ["Expected", "Levels", "expected_alignment"]

#: Not worked out yet (``None`` is an answer: nothing above).
_UNKNOWN: Any = object()


@attrs.frozen
class Expected:
    """What a product should align to.

    ``anchors`` are the ids of the units or teams that stand for the level(s) above
    (a teacher's teams, a school's district); ``targets`` their products of the kind, any
    of which the product may align to; ``also`` other products it may align to without
    being required to (an ISD that is not a formal partner).  Empty ``targets`` mean the
    level above has no product of the kind yet (the missing-product rule reports that).
    """

    anchors: tuple[str, ...]
    targets: tuple[str, ...]
    also: tuple[str, ...] = ()


class Levels:
    """Works out, with memoisation, each owner's level and the level above it.

    One instance serves one question about one graph state: build a new one after an
    edit.  ``above_district=False`` stops at schools (districts and ISDs align to
    nothing); ``isd_partners_only=False`` makes every ISD a level districts align to.
    """

    def __init__(self, graph: AlignmentGraph, *, above_district: bool = True,
                 isd_partners_only: bool = True, as_of: pendulum.Date | str | None = None
                 ) -> None:
        self.graph = graph
        #: The date whose seats place a person (a seat that ended does not).
        self.as_of = to_date(as_of)
        self.above_district = above_district
        self.isd_partners_only = isd_partners_only
        self._node = graph._node
        self._succ = graph._succ
        self._pred = graph._pred
        # the graph's index of referrers: teams by unit
        self._served = graph._refd[SERVES]
        self._of: dict[str, Level] = {}
        self._owners: dict[Level, tuple[str, ...]] = {}
        self._products: dict[tuple[Level, ProductKind], tuple[str, ...]] = {}
        self._above: dict[tuple[Any, ProductKind], Expected | None] = {}
        self._ones: dict[tuple[Level, ProductKind], Expected] = {}
        self._school: dict[str, str | None] = {}
        self._teams: dict[str, tuple[str, ...]] = {}
        self._kinds: dict[ProductKind, tuple[Sequence[Product], list[Expected | None],
                                             list[Product]]] = {}

    # --- levels ----------------------------------------------------------------------------

    def of(self, owner_id: str) -> Level:
        """The level an owner (unit, team or person) belongs to."""
        found = self._of.get(owner_id)
        if found is None:
            obj = self._node[owner_id]
            if type(obj) is Team:
                found = team_level(obj, self._node[obj.unit])
            elif type(obj) is Person:
                found = ("person", owner_id)
            else:
                found = ("unit", owner_id)
            self._of[owner_id] = found
        return found

    def owners(self, level: Level) -> tuple[str, ...]:
        """The units, teams or person whose products are the level's products."""
        found = self._owners.get(level)
        if found is None:
            how, ident = level
            if how != "unit":
                found = (ident,)
            else:
                node = self._node
                subunit = node[ident].kind.is_subunit
                teams = [t for t in self._served.get(ident, ())
                         if subunit or node[t].kind not in INSTRUCTIONAL_TEAMS]
                found = (ident, *teams)
            self._owners[level] = found
        return found

    def products(self, level: Level, kind: ProductKind) -> tuple[str, ...]:
        """The level's products of ``kind``, sorted (a unit's or team's as the graph
        keeps them; a person's read from the person)."""
        key = (level, kind)
        found = self._products.get(key)
        if found is None:
            if level[0] == "person":  # people's products are not kept by level
                found = tuple(sorted(p.id for p in self.graph.products_of(level[1], kind)))
            else:
                found = tuple(self.graph._level_products.get(key, ()))
            self._products[key] = found
        return found

    def anchor(self, level: Level) -> str:
        """The id that stands for a level in messages: its unit, team or person."""
        return level[1]

    # --- the level above ---------------------------------------------------------------------

    def _seated(self, person_id: str) -> list[str]:
        """The teams a person holds a current seat on (on the levels' as-of date)."""
        succ = self._succ[person_id]
        if not self.graph._n_ended:
            return [t for t, keys in succ.items() if MEMBER in keys]
        return [m.team for m in self.graph.memberships_of(person_id, self.as_of)]

    def _person_teams(self, person_id: str) -> tuple[str, ...]:
        """The teams whose level a person's products align with: their instructional
        teams, or all their teams if they sit on none."""
        found = self._teams.get(person_id)
        if found is None:
            found = self._teams[person_id] = self._own_teams(self._seated(person_id))
        return found

    def _own_teams(self, seats: list[str]) -> tuple[str, ...]:
        """Of the teams a person sits on, those whose level their products align with."""
        if len(seats) == 1:
            return (seats[0],)
        own = [t for t in seats if self._node[t].kind in INSTRUCTIONAL_TEAMS]
        return tuple(sorted(own or seats))

    def _school_of(self, unit_id: str) -> str | None:
        """The nearest unit at or above ``unit_id`` that is not a grade, department or
        course (a school; or a district for its central-office departments)."""
        found = self._school.get(unit_id, "")
        if found == "":
            unit: OrgUnit | None = self._node[unit_id]
            while unit is not None and unit.kind.is_subunit:
                unit = None if unit.parent is None else self._node[unit.parent]
            found = self._school[unit_id] = None if unit is None else unit.id
        return found

    def above(self, level: Level, kind: ProductKind) -> Expected | None:
        """What products of ``level`` should align to; ``None`` when nothing is above."""
        how, ident = level
        if how == "person":  # people on the same teams share the answer
            return self._for_teams(self._person_teams(ident), kind)
        found = self._above.get((level, kind), False)
        if found is False:
            found = self._work_out(how, ident, level, kind)
            self._above[(level, kind)] = found
        return found  # type: ignore[return-value]

    def _for_teams(self, teams: tuple[str, ...], kind: ProductKind) -> Expected | None:
        """What the products of a person on ``teams`` (as :meth:`_person_teams` gives
        them) should align to."""
        key = ((teams, "person"), kind)
        found = self._above.get(key, False)
        if found is False:
            found = self._above[key] = self._work_out("person", "", key[0], kind)
        return found  # type: ignore[return-value]

    def _work_out(self, how: str, ident: str, key: Any, kind: ProductKind
                  ) -> Expected | None:
        node = self._node
        if how == "person":
            teams = key[0]
            if len(teams) == 1:  # most teachers: their team's level's products, as they are
                return Expected(teams, self.products(self.of(teams[0]), kind))
            levels = dict.fromkeys(self.of(t) for t in teams)
            targets = sorted({p for lvl in levels for p in self.products(lvl, kind)})
            return Expected(tuple(teams), tuple(targets))
        if how == "team":
            unit = node[ident].unit
            return self._one(("unit", unit), kind)
        unit = node[ident]
        if unit.kind.is_subunit:
            school = None if unit.parent is None else self._school_of(unit.parent)
            return None if school is None else self._one(("unit", school), kind)
        if unit.kind is UnitKind.SCHOOL:
            return None if unit.parent is None else self._one(("unit", unit.parent), kind)
        if not self.above_district:
            return None
        # a district, ISD or state: the nearest level above with a product of the kind,
        # passing (but accepting) ISDs that do not support a district
        also: list[str] = []
        parent = unit.parent
        while parent is not None:
            above = node[parent]
            products = self.products(("unit", parent), kind)
            optional = (unit.kind is UnitKind.DISTRICT and above.kind is UnitKind.ISD
                        and self.isd_partners_only and above.formal_partner is not True)
            if optional:
                also.extend(products)
            elif products:
                return Expected((parent,), products, tuple(also))
            parent = above.parent
        return Expected((), (), tuple(also)) if also else None

    def _one(self, level: Level, kind: ProductKind) -> Expected:
        """The products of one level above (shared by every level below it: a school's
        grade teams, a district's schools)."""
        found = self._ones.get((level, kind))
        if found is None:
            found = self._ones[(level, kind)] = Expected((self.anchor(level),),
                                                         self.products(level, kind))
        return found

    def expected(self, owner_id: str, kind: ProductKind) -> Expected | None:
        """What a product of ``kind`` owned by ``owner_id`` should align to."""
        return self.above(self.of(owner_id), kind)

    def of_kind(self, kind: ProductKind) -> Iterator[tuple[Product, Expected | None]]:
        """Every product of ``kind`` in the graph with what it should align to, worked
        out once per instance (the alignment rules of a run share it)."""
        products, expected, _ = self._of_kind(kind)
        return zip(products, expected, strict=True)

    def _of_kind(self, kind: ProductKind
                 ) -> tuple[Sequence[Product], list[Expected | None], list[Product]]:
        found = self._kinds.get(kind)
        if found is None:
            products = self.graph.products(kind)
            found = self._kinds[kind] = (products, *self._expected(products, kind))
        return found

    def _expected(self, products: Sequence[Product], kind: ProductKind
                  ) -> tuple[list[Expected | None], list[Product]]:
        """What each of ``products`` should align to, in their order, and the products
        not aligned to one of those (what :meth:`unaccepted` yields), in one pass.  A
        teacher's teams are looked up here and not kept (millions of them at nation
        scale): people on the same teams share one answer."""
        succ = self._succ
        people = self.graph._by_type["person"]
        history = bool(self.graph._n_ended)  # ended seats to leave out
        by_team: dict[str, Expected | None] = {}  # most teachers sit on one team
        by_owner: dict[str, Expected | None] = {}
        out: list[Expected | None] = []
        append = out.append
        off: list[Product] = []
        seat = SeatKeys  # a member edge's keys, unless another key joined it
        for product in products:
            owner = product.owner
            if owner not in people:
                expected = by_owner.get(owner, _UNKNOWN)
                if expected is _UNKNOWN:
                    expected = by_owner[owner] = self.above(self.of(owner), kind)
            elif history:  # seats that may have ended: the as-of date decides
                expected = self._for_teams(self._own_teams(self._seated(owner)), kind)
            else:  # a teacher: their teams (one, for most: found without a list)
                one: str | None = None
                several: list[str] | None = None
                for team, keys in succ[owner].items():
                    if type(keys) is seat or MEMBER in keys:
                        if one is None:
                            one = team
                        elif several is None:
                            several = [one, team]
                        else:
                            several.append(team)
                if several is None and one is not None:
                    expected = by_team.get(one, _UNKNOWN)
                    if expected is _UNKNOWN:
                        expected = by_team[one] = self._for_teams((one,), kind)
                else:  # several teams, or none
                    expected = self._for_teams(self._own_teams(several or []), kind)
            append(expected)
            target = product.aligned_to
            if (target is None or expected is None
                    or (target not in expected.targets and target not in expected.also)):
                off.append(product)
        return out, off

    def unaccepted(self, products: Iterable[Product] | None, kind: ProductKind
                   ) -> Iterator[Product]:
        """The products of ``kind`` that :meth:`accepts` would not accept (``None``: every
        product of the kind in the graph, worked out once per instance)."""
        if products is None:
            yield from self._of_kind(kind)[2]
            return
        products = list(products)
        yield from self._expected(products, kind)[1]

    def accepts(self, product: Product) -> bool:
        """Whether the product is aligned to one its level above allows (a fast yes)."""
        target = product.aligned_to
        if target is None:
            return False
        found = self.expected(product.owner, product.kind)
        return found is not None and (target in found.targets or target in found.also)

    def chain(self, level: Level) -> list[Level]:
        """The levels structurally above ``level`` (every ancestor), nearest first."""
        how, ident = level
        node = self._node
        if how == "person":
            return [lvl for t in self._person_teams(ident) for lvl in
                    [self.of(t), *self.chain(self.of(t))]]
        unit_id = node[ident].unit if how == "team" else node[ident].parent
        out: list[Level] = []
        while unit_id is not None:
            unit = node[unit_id]
            if not unit.kind.is_subunit:
                out.append(("unit", unit_id))
            unit_id = unit.parent
        return out

    def below(self, owner_id: str, kind: ProductKind) -> list[Product]:
        """Products of ``kind`` whose level above includes ``owner_id``'s level: the ones
        a change of that level's products can judge differently (a small superset)."""
        graph, node = self.graph, self._node
        how, ident = self.of(owner_id)
        if how == "person":
            return []
        owners: list[str] = []
        for owner in self.owners((how, ident)):  # people look to their teams' level
            if type(node[owner]) is Team:
                owners.extend(m.person for m in graph.members(owner, history=True))
        unit = node[ident]
        if how == "unit":
            if not unit.kind.is_subunit:
                owners.extend(t.id for t in graph.teams_of(ident)
                              if t.kind in INSTRUCTIONAL_TEAMS)
            # (below a grade, department or course only a school left there when its
            # unit changed kind: the schools it holds look up to it all the same)
            frontier = [ident]
            while frontier:  # subunits, schools just below, and (for districts) units above
                nxt = []
                for u in frontier:
                    for child in graph.children(u):
                        look_up = (child.kind.is_subunit
                                   or (child.kind is UnitKind.SCHOOL and child.parent == ident)
                                   or (self.above_district and child.kind in _ABOVE_SCHOOLS))
                        if look_up:
                            owners.extend(self.owners(("unit", child.id)))
                            if child.kind is not UnitKind.SCHOOL:
                                nxt.append(child.id)
                frontier = nxt
        return [p for o in dict.fromkeys(owners) for p in graph.products_of(o, kind)]


_ABOVE_SCHOOLS = frozenset({UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT})


def expected_alignment(graph: AlignmentGraph, product: Product | str, *,
                       above_district: bool = True, isd_partners_only: bool = True
                       ) -> Expected | None:
    """What a product should align to: the products of the level above.

    ``None`` means nothing is above it (a root, or a district no supporting level above
    has a product of the kind for). The ALN rules use the same definition, so a product
    aligned to one of ``targets`` (or ``also``) never fires them.

    >>> from mtss_core import example
    >>> from mtss_core.graph import expected_alignment
    >>> g = example()
    >>> expected_alignment(g, "v-cedar-high")
    Expected(anchors=('dist-cedar',), targets=('v-cedar',), also=())
    >>> expected_alignment(g, "v-okafor").targets  # a teacher: their grade team's level
    ('v-lincoln-g3',)
    """
    obj = graph.get(product, Product) if isinstance(product, str) else product
    if not isinstance(obj, Product):
        raise ModelTypeError(f"{getattr(obj, 'id', obj)!r} is not a vision, set of "
                             "non-negotiables or improvement plan")
    levels = Levels(graph, above_district=above_district, isd_partners_only=isd_partners_only)
    return levels.expected(obj.owner, obj.kind)
