"""Alignment rules: each level's products align with those of the level above (Equitable MLSS).

The ladder, bottom up: a teacher aligns to their team; a grade, department or
course team (or unit) to its school; a school to its district (or the ISD that
runs it); a district to its ISD and an ISD to its state when those have a
product of the same kind to align to.  "The school's vision" is a vision owned
by the school itself or by one of its (non-instructional) leadership teams.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._engine import RuleContext, Setting, Violation, present, rule
from ._graph import MEMBER, OWNED_BY, SERVES, AlignmentGraph
from ._model import INSTRUCTIONAL_TEAMS, OrgUnit, Person, Product, ProductKind, Team, UnitKind

__all__ = [
    "alignment_loop",
    "alignment_skips_level",
    "improvement_plan_not_aligned",
    "label",
    "misalignments",
    "non_negotiables_not_aligned",
    "vision_not_aligned",
]


def label(obj: object) -> str:
    """A short human label: ``school 'Lincoln Elementary' (sch-lincoln)``."""
    if isinstance(obj, OrgUnit):
        word = "ISD" if obj.kind is UnitKind.ISD else obj.kind.value
    elif isinstance(obj, Team):
        word = obj.kind.label
    elif isinstance(obj, Person):
        word = "person"
    elif isinstance(obj, Product):
        word = obj.kind.value
    else:
        word = type(obj).__name__.lower()
    name = getattr(obj, "name", "")
    ident = getattr(obj, "id", "?")
    return f"{word} {name!r} ({ident})" if name else f"{word} {ident}"


#: (anchors, targets): the units or teams one level up, and their products of the kind.
_Expected = tuple[tuple[str, ...], tuple[str, ...]]


class _Ladder:
    """Works out, with memoisation, the level above each product's owner."""

    def __init__(self, graph: AlignmentGraph, kind: ProductKind, above_district: bool) -> None:
        self.graph = graph
        self.kind = kind
        self.above_district = above_district
        self._level_memo: dict[str, tuple[str, ...]] = {}
        self._owned_memo: dict[str, tuple[str, ...]] = {}
        self._teams_memo: dict[tuple[str, ...], _Expected] = {}
        self._school_memo: dict[str, str | None] = {}
        # networkx's node and adjacency dicts, read directly on the hottest path
        self._node = graph._g._node
        self._succ = graph._succ

    def owned(self, owner_id: str) -> tuple[str, ...]:
        """Products of this kind owned by a unit, team or person."""
        found = self._owned_memo.get(owner_id)
        if found is None:
            g, kind = self.graph, self.kind
            found = tuple(sorted(p for p in g._in(owner_id, OWNED_BY) if g._obj(p).kind is kind))
            self._owned_memo[owner_id] = found
        return found

    def level_products(self, unit_id: str) -> tuple[str, ...]:
        """Products of this kind owned by a unit or by its leadership teams."""
        found = self._level_memo.get(unit_id)
        if found is None:
            g = self.graph
            ids = list(self.owned(unit_id))
            for team_id in g._in(unit_id, SERVES):
                if g._obj(team_id).kind not in INSTRUCTIONAL_TEAMS:
                    ids.extend(self.owned(team_id))
            found = self._level_memo[unit_id] = tuple(sorted(ids))
        return found

    def expected(self, owner: OrgUnit | Team | Person) -> _Expected | None:
        g = self.graph
        if type(owner) is Person:
            team_ids = tuple(t for t, keys in self._succ[owner.id].items() if MEMBER in keys)
            found = self._teams_memo.get(team_ids)
            if found is None:
                teams = sorted(t for t in team_ids if g._obj(t).kind in INSTRUCTIONAL_TEAMS)
                teams = teams or sorted(team_ids)
                found = (tuple(teams), tuple(sorted(p for t in teams for p in self.owned(t))))
                self._teams_memo[team_ids] = found
            return found
        if type(owner) is Team:
            unit = g._obj(owner.unit)
            if owner.kind in INSTRUCTIONAL_TEAMS:
                return self._school_level(unit)
            owner = unit
        assert isinstance(owner, OrgUnit)
        if owner.kind.is_subunit:
            return None if owner.parent is None else self._school_level(g._obj(owner.parent))
        if owner.kind is UnitKind.SCHOOL:
            parent = owner.parent
            return None if parent is None else ((parent,), self.level_products(parent))
        if not self.above_district:
            return None
        # district or ISD: the nearest unit above that has a product of this kind, if any
        for above in g.ancestors(owner.id):
            targets = self.level_products(above.id)
            if targets:
                return ((above.id,), targets)
        return None

    def _school_level(self, unit: OrgUnit) -> _Expected | None:
        school = self._school_of(unit.id)
        return None if school is None else ((school,), self.level_products(school))

    def _school_of(self, unit_id: str) -> str | None:
        found = self._school_memo.get(unit_id, "")
        if found == "":
            school = self.graph.nearest(unit_id, UnitKind.SCHOOL)
            found = self._school_memo[unit_id] = None if school is None else school.id
        return found

    def accepts(self, product: Product, owner: OrgUnit | Team | Person) -> bool:
        """A quick yes for the common case: aligned to a product one level up.

        Never says yes where :meth:`expected` would not list the target; a
        ``False`` only means "work it out in full".
        """
        target = product.aligned_to
        if target is None:
            return False
        node = self._node
        target_owner_id = node[target]["obj"].owner
        if type(owner) is Person:
            keys = self._succ[owner.id].get(target_owner_id)
            return (keys is not None and MEMBER in keys
                    and node[target_owner_id]["obj"].kind in INSTRUCTIONAL_TEAMS)
        if type(owner) is Team:
            if owner.kind in INSTRUCTIONAL_TEAMS:
                anchor = self._school_of(owner.unit)
            else:
                owner = node[owner.unit]["obj"]
                anchor = None
        if type(owner) is OrgUnit:
            if owner.kind.is_subunit:
                anchor = None if owner.parent is None else self._school_of(owner.parent)
            elif owner.kind is UnitKind.SCHOOL or self.above_district:
                anchor = owner.parent
            else:
                anchor = None
        if anchor is None:
            return False
        if target_owner_id == anchor:
            return True
        target_owner = node[target_owner_id]["obj"]
        return (type(target_owner) is Team and target_owner.unit == anchor
                and target_owner.kind not in INSTRUCTIONAL_TEAMS)


def products_below(graph: AlignmentGraph, owner_id: str, kind: ProductKind,
                   above_district: bool) -> list[Product]:
    """The products of ``kind`` whose level above includes ``owner_id``'s products.

    The inverse of :meth:`_Ladder.expected`: when ``owner_id`` gains or loses a product
    of ``kind``, only these can be judged differently (besides the product itself).
    """
    owner = graph._obj(owner_id)
    owners: list[str] = []
    if isinstance(owner, Person):
        return []
    if isinstance(owner, Team):
        owners.extend(m.person for m in graph.members(owner.id))  # people look to their teams
        if owner.kind in INSTRUCTIONAL_TEAMS:
            return _owned(graph, owners, kind)
        owner = graph._obj(owner.unit)
    assert isinstance(owner, OrgUnit)

    def level(unit: OrgUnit) -> None:  # a unit and its leadership teams
        owners.append(unit.id)
        owners.extend(t.id for t in graph.teams_of(unit.id)
                      if t.kind not in INSTRUCTIONAL_TEAMS)

    if owner.kind is UnitKind.SCHOOL:  # its subunits and instructional teams
        owners.extend(t.id for t in graph.teams_of(owner.id) if t.kind in INSTRUCTIONAL_TEAMS)
        for sub in graph.descendants(owner.id):
            level(sub)
            owners.extend(t.id for t in graph.teams_of(sub.id) if t.kind in INSTRUCTIONAL_TEAMS)
    elif not owner.kind.is_subunit:  # district, ISD or state: the schools just below
        frontier = [owner]
        while frontier:
            below = [c for u in frontier for c in graph.children(u.id)]
            for child in below:
                if child.kind is UnitKind.SCHOOL and child.parent == owner.id:
                    level(child)
                elif above_district and child.kind in _ABOVE_SCHOOLS:
                    level(child)  # it may look up to ``owner`` (nearest with a product)
            frontier = [c for c in below if above_district and c.kind in _ABOVE_SCHOOLS]
    return _owned(graph, owners, kind)


_ABOVE_SCHOOLS = frozenset({UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT})


def _owned(graph: AlignmentGraph, owners: list[str], kind: ProductKind) -> list[Product]:
    return [p for o in dict.fromkeys(owners) for p in graph.products_of(o, kind)]


def _skips(graph: AlignmentGraph, target: Product, anchor_ids: tuple[str, ...]) -> bool:
    """Whether ``target`` sits higher up the same chain as the expected anchors."""
    owner = graph._obj(target.owner)
    if isinstance(owner, Team):
        if owner.kind in INSTRUCTIONAL_TEAMS:
            return False
        level = owner.unit
    elif isinstance(owner, OrgUnit):
        level = owner.id
    else:
        return False
    for anchor_id in anchor_ids:
        anchor = graph._obj(anchor_id)
        start = anchor.unit if isinstance(anchor, Team) else anchor_id
        chain = [start, *(u.id for u in graph.ancestors(start))]
        if level in chain[1:] or (isinstance(anchor, Team) and level == start):
            return True
    return False


def misalignments(graph: AlignmentGraph, kind: ProductKind, above_district: bool,
                  memo: dict[Any, Any] | None = None) -> list[tuple[Violation, bool]]:
    """Every product of ``kind`` out of line with the level above, each with a skip flag.

    The flag is true when the product aligns to a product higher up its own chain,
    skipping the level above (ALN005); otherwise the finding belongs to the
    kind's own rule.  Shared through ``memo`` so the rules compute it once a run.
    """
    key = ("misalignments", kind, above_district)
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[no-any-return]
    found = list(_misalignments(graph, kind, above_district))
    if memo is not None:
        memo[key] = found
    return found


def _misalignments(graph: AlignmentGraph, kind: ProductKind, above_district: bool
                   ) -> Iterator[tuple[Violation, bool]]:
    ladder = _Ladder(graph, kind, above_district)
    yield from present(misalignment_of(graph, ladder, product) for product in graph.products(kind))


def misalignment_of(graph: AlignmentGraph, ladder: _Ladder, product: Product
                    ) -> tuple[Violation, bool] | None:
    """One product's misalignment (with its skip flag), or ``None`` when it is in line."""
    word = ladder.kind.value
    above_district = ladder.above_district
    owner = ladder._node[product.owner]["obj"]
    if ladder.accepts(product, owner):
        return None
    expected = ladder.expected(owner)
    if expected is None:
        # nothing above to align to: only an alignment to something else is wrong
        if product.aligned_to is None or not above_district:
            return None
        target = graph._obj(product.aligned_to)
        return Violation(
            subject=product.id,
            message=(f"{word} {product.id!r} of {label(owner)} is aligned to "
                     f"{target.id!r} of {label(graph._obj(target.owner))}, but no unit "
                     f"above {owner.id!r} has a {word}"),
            hint="remove aligned_to, or place the owner under the unit it aligns with",
            related=(owner.id, target.id),
        ), False
    anchor_ids, targets = expected
    if product.aligned_to is not None and product.aligned_to in targets:
        return None
    anchors = " or ".join(label(graph._obj(a)) for a in anchor_ids)
    if isinstance(owner, Person) and not anchor_ids:
        where = f"{label(owner)} sits on no team"
        hint = f"add {owner.id!r} to their grade, department or course team"
    elif targets:
        where = f"it should align to the {word} of {anchors}: " + ", ".join(
            repr(t) for t in targets)
        hint = f"set aligned_to to {targets[0]!r}"
    else:
        where = f"{anchors} has no {word} to align to"
        hint = f"adopt a {word} for {anchors}, then align {product.id!r} to it"
    skip = False
    if product.aligned_to is None:
        message = f"{word} {product.id!r} of {label(owner)} is not aligned to any {word}; "
        related = (owner.id, *anchor_ids, *targets)
    else:
        target = graph._obj(product.aligned_to)
        skip = _skips(graph, target, anchor_ids)
        what = "skips the level above" if skip else "is not the level above"
        message = (f"{word} {product.id!r} of {label(owner)} is aligned to {target.id!r} of "
                   f"{label(graph._obj(target.owner))}, which {what}; ")
        related = (owner.id, target.id, *anchor_ids, *targets)
    return Violation(subject=product.id, message=message + where, hint=hint,
                     related=tuple(dict.fromkeys(related))), skip


def loop_from(graph: AlignmentGraph, start: str) -> Violation | None:
    """The alignment loop through ``start``, if its chain of alignments returns to it."""
    chain = [start]
    nxt = graph._obj(start).aligned_to
    while nxt is not None and nxt not in chain:
        chain.append(nxt)
        nxt = graph._obj(nxt).aligned_to
    if nxt != start:
        return None
    kind = graph._obj(start).kind
    first = chain.index(min(chain))
    ordered = chain[first:] + chain[:first]
    return Violation(
        subject=ordered[0],
        message=(f"{kind.value}s align to each other in a loop: "
                 + " -> ".join([*ordered, ordered[0]])),
        hint=f"align {ordered[0]!r} to the {kind.value} of the level above instead",
        related=tuple(ordered[1:]),
    )


ABOVE_DISTRICT = Setting(
    name="above_district",
    default=True,
    doc=("Also check districts and ISDs: a district's (ISD's) product must align to the "
         "product of the nearest unit above it that has one. Units above with no product "
         "of that kind never cause a finding."),
)

_SOURCE = "Equitable MLSS: Leadership Structures, Processes, and Products"
_LADDER = ("a teacher's with their team's, a grade, department or course team's with its "
           "school's, a school's with its district's (Equitable MLSS), and a district's with "
           "its ISD's where an ISD supports it")


def _kind_rule(kind: ProductKind, code: str, name: str, what: str) -> Any:
    def check(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
        return (v for v, skip in misalignments(graph, kind, bool(ctx["above_district"]),
                                                ctx.memo) if not skip)

    article = "An" if what[0] in "aeiou" else "A"
    check.__doc__ = f"{article} {what} that is not aligned with the {what} of the level above."
    return rule(
        code=code, name=name, severity="error", settings=[ABOVE_DISTRICT], source=_SOURCE,
        why=(f"Each level's {what} is aligned with the level above: {_LADDER}. A {what} "
             f"aligned to nothing, or to another district's, breaks the line of sight from "
             "the classroom to the district's priorities. (An alignment that skips a level "
             "is reported by ALN005.)"),
        fix=(f"Set the {what}'s aligned_to to the {what} of the level above (the hint names "
             "it); if that level has none yet, its leadership team adopts one first."),
        example=(f"School 'Cedar Creek High' (district 'dist-cedar') has a {what} aligned to "
                 f"one of district 'dist-maple': {code} fires on the school's {what}."),
    )(check)


vision_not_aligned = _kind_rule(ProductKind.VISION, "ALN001", "vision-not-aligned", "vision")
non_negotiables_not_aligned = _kind_rule(
    ProductKind.NON_NEGOTIABLES, "ALN002", "non-negotiables-not-aligned",
    "set of non-negotiables")
improvement_plan_not_aligned = _kind_rule(
    ProductKind.IMPROVEMENT_PLAN, "ALN003", "improvement-plan-not-aligned", "improvement plan")


@rule(
    code="ALN004",
    name="alignment-loop",
    severity="error",
    source=_SOURCE,
    why=("Alignment runs one way, up the levels. Products that align to each other in a "
         "loop have no anchor in the district's vision at all."),
    fix="Break the loop: align the lowest of the products to the level above it.",
    example="'v-a' aligns to 'v-b' and 'v-b' to 'v-a': ALN004 fires once, on 'v-a'.",
)
def alignment_loop(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
    """Products whose alignment leads back to themselves."""
    # every valid alignment climbs a level, so a loop holds at least one misaligned product:
    # it is enough to walk the chains that start at those
    seen: set[str] = set()
    for kind in ProductKind:
        for violation, _ in misalignments(graph, kind, True, ctx.memo):
            loop = loop_from(graph, violation.subject)
            if loop is not None and loop.subject not in seen:
                seen.add(loop.subject)
                yield loop


@rule(
    code="ALN005",
    name="alignment-skips-level",
    severity="warning",
    settings=[ABOVE_DISTRICT],
    source=_SOURCE,
    why=("Each level aligns with the one directly above it, which aligns in turn with the "
         "level above that (Equitable MLSS). A school aligned straight to its ISD, or a "
         "teacher straight to their school, bypasses the level that should translate the "
         "vision for them."),
    fix="Align the product to the level directly above; that level aligns upwards in turn.",
    example=("School 'sch-lincoln' aligns its vision to 'v-isd', its ISD's: ALN005 fires; "
             "the school should align to its district's vision."),
)
def alignment_skips_level(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
    """A product aligned to a level higher than the one directly above it."""
    for kind in ProductKind:
        for violation, skip in misalignments(graph, kind, bool(ctx["above_district"]),
                                             ctx.memo):
            if skip:
                yield violation
