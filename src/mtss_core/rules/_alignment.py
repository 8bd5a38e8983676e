"""Alignment rules: each level's products align with those of the level above (Equitable MLSS).

What "the level above" is, for every kind of product and owner, is defined once in
:mod:`mtss_core.graph` and read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..graph import AlignmentGraph, Levels
from ..model import (
    INSTRUCTIONAL_TEAMS,
    PRODUCT_CLASSES,
    TYPES,
    OrgUnit,
    Person,
    Product,
    ProductKind,
    TeamKind,
    UnitKind,
    a,
    content_field,
    label,
    written,
)
from ._fix import Change, Fix
from ._protocol import Affects, Edit, RuleContext, Setting, Violation, rule
from .reads import ITSELF, UNCHANGED, itself, structural, with_person

__all__ = [
    "alignment_loop",
    "alignment_skips_level",
    "improvement_plan_not_aligned",
    "missing_product",
    "non_negotiables_not_aligned",
    "product_not_written",
    "vision_not_aligned",
]

#: The family of codes this module declares.
PREFIX = "ALN"


def levels_for(graph: AlignmentGraph, ctx: RuleContext) -> Levels:
    """The run's :class:`Levels` for the alignment settings in ``ctx`` (shared by memo)."""
    above, partners = bool(ctx["above_district"]), bool(ctx["isd_partners_only"])
    key = ("levels", above, partners)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = Levels(graph, above_district=above,
                                       isd_partners_only=partners, as_of=ctx.as_of)
    return found


def misalignment_of(graph: AlignmentGraph, levels: Levels, product: Product
                    ) -> tuple[Violation, bool] | None:
    """One product's misalignment (with its skip flag), or ``None`` when it is in line.

    A product with nothing to align to (the level above has no product of its kind) is
    in line; the level's absence is the missing-product rule's finding, once.
    """
    if levels.accepts(product):
        return None
    word = product.kind.value
    owner = graph.node(product.owner)
    expected = levels.expected(product.owner, product.kind)
    is_person = type(owner) is Person
    if expected is None or (not expected.anchors and not is_person):
        # nothing above to align to: only an alignment to something else is wrong, where
        # alignment is checked at all (districts and ISDs: only with above_district)
        level = levels.of(owner.id)
        checked = levels.above_district or not (
            level[0] == "unit" and graph.node(level[1]).kind in _ABOVE_SCHOOLS)
        if product.aligned_to is None or not checked:
            return None
        target = graph.node(product.aligned_to)
        return Violation(
            subject=product.id,
            message=(f"{word} {product.id!r} of {label(owner)} is aligned to "
                     f"{target.id!r} of {label(graph.node(target.owner))}, but no unit "
                     f"above {owner.id!r} has a {word}"),
            hint="remove aligned_to, or place the owner under the unit it aligns with",
            related=(owner.id, target.id),
            fix=Fix(title=f"remove what {product.id!r} is aligned to",
                    changes=[Change(target=product.id, field="aligned_to", value=None)],
                    safe=False),
        ), False
    anchor_ids, targets = expected.anchors, expected.targets
    if product.aligned_to is None and not targets and anchor_ids:
        return None  # the level above has none: reported once, on that level
    anchors = " or ".join(label(graph.node(a)) for a in anchor_ids)
    fix: Fix | None = None
    if is_person and not anchor_ids:
        where = f"{label(owner)} sits on no team"
        hint = f"add {owner.id!r} to their grade, department or course team"
    elif targets:
        where = f"it should align to the {word} of {anchors}: " + ", ".join(
            repr(t) for t in targets)
        hint = f"set aligned_to to {targets[0]!r}"
        # safe when the level above has one product of the kind: the message names it
        fix = Fix(title=f"align {product.id!r} to {targets[0]!r}",
                  changes=[Change(target=product.id, field="aligned_to", value=targets[0])],
                  safe=len(targets) == 1)
    else:
        where = f"{anchors} has no {word} to align to"
        hint = f"adopt {a(word)} for {anchors}, then align {product.id!r} to it"
    skip = False
    if product.aligned_to is None:
        message = f"{word} {product.id!r} of {label(owner)} is not aligned to any {word}; "
        related = (owner.id, *anchor_ids, *targets)
    else:
        target = graph.node(product.aligned_to)
        target_level = levels.of(target.owner)
        skip = any(target_level in levels.chain(levels.of(a)) for a in anchor_ids)
        what = "skips the level above" if skip else "is not the level above"
        message = (f"{word} {product.id!r} of {label(owner)} is aligned to {target.id!r} of "
                   f"{label(graph.node(target.owner))}, which {what}; ")
        related = (owner.id, target.id, *anchor_ids, *targets)
    return Violation(subject=product.id, message=message + where, hint=hint,
                     related=tuple(dict.fromkeys(related)),
                     fix=fix if targets and anchor_ids else None), skip


def loop_from(graph: AlignmentGraph, start: str) -> Violation | None:
    """The alignment loop through ``start``, if its chain of alignments returns to it."""
    chain = [start]
    nxt = graph.node(start).aligned_to
    while nxt is not None and nxt not in chain:
        chain.append(nxt)
        nxt = graph.node(nxt).aligned_to
    if nxt != start:
        return None
    kind = graph.node(start).kind
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

ISD_PARTNERS_ONLY = Setting(
    name="isd_partners_only",
    default=True,
    doc=("A district must align to its ISD's product only when the ISD is a formal partner "
         "of the state's MTSS program (formal_partner true); aligning to another ISD above "
         "it is accepted, never required (MIBLSI: not every ISD supports its districts). "
         "Set false to make every ISD above a district a level it must align to."),
)

_SOURCE = "Equitable MLSS: Leadership Structures, Processes, and Products"
_LADDER = ("a teacher's with their team's, a grade, department or course team's with its "
           "school's, a school's with its district's (Equitable MLSS), and a district's with "
           "its ISD's where an ISD supports it")


def _index_key(ctx: RuleContext, type_name: str) -> tuple[Any, ...]:
    return ("misaligned", type_name, bool(ctx["above_district"]),
            bool(ctx["isd_partners_only"]))


def _misaligned(graph: AlignmentGraph, ctx: RuleContext, type_name: str
                ) -> dict[str, tuple[Violation, bool]]:
    """Every product of one type out of line (with its skip flag), in one pass a run:
    the kind's rule, ALN005 and ALN004 share it through the memo."""
    key = _index_key(ctx, type_name)
    found: dict[str, tuple[Violation, bool]] | None = ctx.memo.get(key)
    if found is None:
        levels = levels_for(graph, ctx)
        found = ctx.memo[key] = {}
        # most products are aligned as expected: only the others are worked out in full
        # (a kind's products are its type's: both come from PRODUCT_CLASSES)
        for product in levels.unaccepted(None, _TYPE_KINDS[type_name]):
            misaligned = misalignment_of(graph, levels, product)
            if misaligned is not None:
                found[product.id] = misaligned
    return found


def _misalignment(graph: AlignmentGraph, ctx: RuleContext, product: Product
                  ) -> tuple[Violation, bool] | None:
    """A product's misalignment under the run's settings: from the run's index when a
    full run made one, else worked out for the product alone (a Session's re-check)."""
    index = ctx.memo.get(_index_key(ctx, product.type_name))
    if index is not None:
        found: tuple[Violation, bool] | None = index.get(product.id)
        return found
    return misalignment_of(graph, levels_for(graph, ctx), product)


def _prepare_misaligned(types: tuple[str, ...]) -> Any:
    def prepare(graph: AlignmentGraph, ctx: RuleContext) -> None:
        for type_name in types:
            _misaligned(graph, ctx, type_name)
    return prepare


def _select_misaligned(types: tuple[str, ...], skip: bool) -> Any:
    """In a full run, only the products the index found out of line (of one flag)."""
    def select(graph: AlignmentGraph, ctx: RuleContext) -> list[Any]:
        return [graph.node(pid) for type_name in types
                for pid, (_v, flag) in _misaligned(graph, ctx, type_name).items()
                if flag is skip]
    return select


def _affected_products(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A product edited: itself; added, removed or moved to another owner, also the
    products whose level above it belongs to (and those aligned to it)."""
    product: Any = edit.new if edit.new is not None else edit.old
    ids = {product.id}
    if edit.changed("owner"):
        levels = levels_for(graph, ctx)
        for version in edit.versions:
            if version.owner in graph:
                ids.update(p.id for p in levels.below(version.owner, version.kind))
        if edit.new is not None:
            ids.update(p.id for p in graph.aligned_from(product.id))
    return ids


def _seat_products(kinds: tuple[str, ...]) -> Affects:
    """A seat moves what its person's products look up to (their level follows it)."""
    def affects(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
        person = edit.versions[0].person
        if person not in graph:
            return set()
        return {p.id for p in graph.products_of(person) if p.type_name in kinds}
    return affects


_PRODUCT_TYPES = TYPES.group("product")


def _alignment_reads(kinds: tuple[str, ...]) -> dict[str, Affects]:
    return with_person({
        **dict.fromkeys(kinds, _affected_products),
        "membership": _seat_products(kinds),
        # a unit or team added or removed has no products, and nothing refers to it
        "unit": UNCHANGED,
        "team": UNCHANGED,
    })


def _kind_rule(kind: ProductKind, code: str, name: str, what: str) -> Any:
    def check(graph: AlignmentGraph, ctx: RuleContext, product: Product) -> Violation | None:
        found = _misalignment(graph, ctx, product)
        return None if found is None or found[1] else found[0]

    article = "An" if what[0] in "aeiou" else "A"
    check.__doc__ = f"{article} {what} that is not aligned with the {what} of the level above."
    type_name = _KIND_TYPES[kind]
    return rule(
        code=code, name=name, severity="error", settings=[ABOVE_DISTRICT, ISD_PARTNERS_ONLY],
        subjects=type_name, reads=_alignment_reads((type_name,)), labels_only=True,
        prepare=_prepare_misaligned((type_name,)),
        select=_select_misaligned((type_name,), False),
        source=_SOURCE,
        why=(f"Each level's {what} is aligned with the level above: {_LADDER}. A {what} "
             f"aligned to nothing, or to another district's, breaks the line of sight from "
             "the classroom to the district's priorities. (An alignment that skips a level "
             "is reported by ALN005.)"),
        fix=(f"Set the {what}'s aligned_to to the {what} of the level above (the hint names "
             "it); if that level has none yet, its leadership team adopts one first."),
        example=(f"School 'Cedar Creek High' (district 'dist-cedar') has a {what} aligned to "
                 f"one of district 'dist-maple': {code} fires on the school's {what}."),
    )(check)


_KIND_TYPES = {kind: cls.type_name for kind, cls in PRODUCT_CLASSES.items()}
_TYPE_KINDS = {name: kind for kind, name in _KIND_TYPES.items()}

vision_not_aligned = _kind_rule(ProductKind.VISION, "ALN001", "vision-not-aligned", "vision")
non_negotiables_not_aligned = _kind_rule(
    ProductKind.NON_NEGOTIABLES, "ALN002", "non-negotiables-not-aligned",
    "set of non-negotiables")
improvement_plan_not_aligned = _kind_rule(
    ProductKind.IMPROVEMENT_PLAN, "ALN003", "improvement-plan-not-aligned", "improvement plan")


def _chain(graph: AlignmentGraph, start: str | None) -> list[str]:
    """The products reached from ``start`` by following aligned_to, until it ends or
    comes back to one already reached."""
    out: list[str] = []
    seen: set[str] = set()
    while start is not None and start not in seen and start in graph:
        seen.add(start)
        out.append(start)
        start = graph.node(start).aligned_to
    return out


def _loop_affects(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A loop through a product is made of products on its chain of alignments: the chains
    from the product before and after the edit hold every loop it joins or leaves."""
    ids: set[str] = set()
    for version in edit.versions:
        ids.add(version.id)
        ids.update(_chain(graph, version.aligned_to))
    return ids


_EVERY_LEVEL = {"above_district": True, "isd_partners_only": True}


def _loop_members(graph: AlignmentGraph, ctx: RuleContext) -> list[Any]:
    """Every product on an alignment loop, for a full run.  Every valid alignment climbs
    a level, so a loop holds at least one product out of line: it is enough to walk the
    chains that start at those (the index the alignment rules share, every level
    checked)."""
    every = RuleContext(settings=_EVERY_LEVEL, as_of=ctx.as_of, memo=ctx.memo)
    members: dict[str, None] = {}
    for type_name in _PRODUCT_TYPES:
        for pid in _misaligned(graph, every, type_name):
            loop = loop_from(graph, pid)
            if loop is not None:
                members.update(dict.fromkeys((loop.subject, *loop.related)))
    return [graph.node(pid) for pid in members]


@rule(
    code="ALN004",
    name="alignment-loop",
    severity="error",
    subjects=_PRODUCT_TYPES,
    reads=dict.fromkeys(_PRODUCT_TYPES, _loop_affects),
    select=_loop_members,
    labels_only=True,
    source=_SOURCE,
    why=("Alignment runs one way, up the levels. Products that align to each other in a "
         "loop have no anchor in the district's vision at all."),
    fix="Break the loop: align the lowest of the products to the level above it.",
    example="'v-a' aligns to 'v-b' and 'v-b' to 'v-a': ALN004 fires once, on 'v-a'.",
)
def alignment_loop(graph: AlignmentGraph, ctx: RuleContext, product: Product
                   ) -> Violation | None:
    """Products whose alignment leads back to themselves."""
    loop = loop_from(graph, product.id)
    if loop is None or loop.subject != product.id:
        return None
    every = RuleContext(settings=_EVERY_LEVEL, as_of=ctx.as_of, memo=ctx.memo)
    expected = levels_for(graph, every).expected(product.owner, product.kind)
    targets = () if expected is None else expected.targets
    if not targets or targets[0] == product.aligned_to:
        return loop
    # breaking the loop is a choice of which product to move: never a safe fix
    return attrs.evolve(loop, fix=Fix(
        title=f"break the loop: align {product.id!r} to {targets[0]!r}",
        changes=[Change(target=product.id, field="aligned_to", value=targets[0])],
        safe=False))


@rule(
    code="ALN005",
    name="alignment-skips-level",
    severity="warning",
    settings=[ABOVE_DISTRICT, ISD_PARTNERS_ONLY],
    subjects=_PRODUCT_TYPES,
    reads=_alignment_reads(_PRODUCT_TYPES),
    prepare=_prepare_misaligned(_PRODUCT_TYPES),
    select=_select_misaligned(_PRODUCT_TYPES, True),
    labels_only=True,
    source=_SOURCE,
    why=("Each level aligns with the one directly above it, which aligns in turn with the "
         "level above that (Equitable MLSS). A school aligned straight to its ISD, or a "
         "teacher straight to their school, bypasses the level that should translate the "
         "vision for them."),
    fix="Align the product to the level directly above; that level aligns upwards in turn.",
    example=("School 'sch-lincoln' aligns its vision to 'v-isd', its ISD's: ALN005 fires; "
             "the school should align to its district's vision."),
)
def alignment_skips_level(graph: AlignmentGraph, ctx: RuleContext, product: Product
                          ) -> Violation | None:
    """A product aligned to a level higher than the one directly above it."""
    found = _misalignment(graph, ctx, product)
    return found[0] if found is not None and found[1] else None


#: The teams that create a level's products (Equitable MLSS), named in the hint.
_CREATORS = frozenset({TeamKind.DISTRICT_LEADERSHIP, TeamKind.SCHOOL_LEADERSHIP})
_ABOVE_SCHOOLS = frozenset({UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT})
_KIND_WORDS = {ProductKind.VISION: "vision", ProductKind.NON_NEGOTIABLES:
               "set of non-negotiables", ProductKind.IMPROVEMENT_PLAN: "improvement plan"}
_ALL_KINDS = [k.value for k in ProductKind]
_KINDS = tuple(ProductKind)


def _check_required(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "expected a table from unit kind to a list of product kinds"
    for unit_kind, kinds in value.items():
        if unit_kind not in UnitKind.values():
            return f"unknown unit kind {unit_kind!r}; expected among {list(UnitKind.values())}"
        if not isinstance(kinds, list) or any(k not in _ALL_KINDS for k in kinds):
            return (f"{unit_kind!r} must list product kinds among {_ALL_KINDS}, "
                    f"got {kinds!r}")
    return None


REQUIRED_PRODUCTS = Setting(
    name="required",
    default={"district": list(_ALL_KINDS), "school": list(_ALL_KINDS)},
    check=_check_required,
    doc=("For each kind of unit, the products every such level must have (owned by the unit "
         "or its leadership team). Any level also needs a product that products below it "
         "align to: a grade team whose teachers have visions needs a vision of its own."))


def _needed_index(graph: AlignmentGraph, ctx: RuleContext, kind: ProductKind
                  ) -> dict[Any, list[str]]:
    """level -> the products below it left with nothing to align to, in one pass over
    every product (a full run makes it once and shares it through the memo)."""
    levels = levels_for(graph, ctx)
    found: dict[Any, list[str]] = {}
    for product, expected in levels.of_kind(kind):
        if expected is not None and not expected.targets:
            for level in dict.fromkeys(map(levels.of, expected.anchors)):
                found.setdefault(level, []).append(product.id)
    return found


def _waiting(graph: AlignmentGraph, ctx: RuleContext, subject: str, kind: ProductKind
             ) -> list[str]:
    """The products of ``kind`` below ``subject``'s level that have nothing to align to."""
    levels = levels_for(graph, ctx)
    level = levels.of(subject)
    index = ctx.memo.get(("needed", kind, levels.above_district, levels.isd_partners_only))
    if index is not None:
        return index.get(level, [])  # type: ignore[no-any-return]
    out = []  # one level (an edit's re-check): only the products that can look to it
    for product in levels.below(subject, kind):
        expected = levels.expected(product.owner, kind)
        if (expected is not None and not expected.targets
                and any(levels.of(a) == level for a in expected.anchors)):
            out.append(product.id)
    return out


def level_subjects(graph: AlignmentGraph) -> Iterator[str]:
    """Every level's id: each unit, and each instructional team serving a school directly."""
    yield from (u.id for u in graph.units())
    for team in graph.teams():
        if team.kind in INSTRUCTIONAL_TEAMS and not graph.node(team.unit).kind.is_subunit:
            yield team.id


def _prepare_needed(graph: AlignmentGraph, ctx: RuleContext) -> None:
    levels = levels_for(graph, ctx)
    for kind in _KINDS:  # what each level is waited on for, in one pass a kind
        ctx.memo[("needed", kind, levels.above_district, levels.isd_partners_only)] = (
            _needed_index(graph, ctx, kind))


def _select_missing(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Any]:
    """In a full run, only the levels that can lack a product: those waited on by a
    product below, and the units missing one their kind requires (in the order of
    :func:`level_subjects`; every other level has nothing to report)."""
    levels = levels_for(graph, ctx)
    wanted: set[str] = set()
    for kind in _KINDS:
        index = ctx.memo[("needed", kind, levels.above_district, levels.isd_partners_only)]
        wanted.update(level[1] for level in index)
    required = {k: [ProductKind(v) for v in kinds] for k, kinds in ctx["required"].items()}
    for unit in graph.units():
        kinds = required.get(unit.kind.value)
        if kinds and any(not levels.products(("unit", unit.id), k) for k in kinds):
            wanted.add(unit.id)
    node = graph.node
    return (node(i) for i in level_subjects(graph) if i in wanted)


def _levels_of(graph: AlignmentGraph, ctx: RuleContext, owners: Iterable[str]) -> set[str]:
    """The ids of the levels (units, or teams that are levels) of ``owners``."""
    levels = levels_for(graph, ctx)
    return {lvl[1] for lvl in map(levels.of, owners) if lvl[0] != "person"}


def _product_levels(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A product's own level, the level(s) it looks up to (waited on, or not), and every
    level that the products below it wait on with it (a teacher on two leadership teams
    waits on both levels: a product at one of them ends the wait at the other too)."""
    levels = levels_for(graph, ctx)
    found: set[str] = set()
    for product in edit.versions:
        if product.owner not in graph:
            continue
        expected = levels.expected(product.owner, product.kind)
        anchors = () if expected is None else expected.anchors
        found |= _levels_of(graph, ctx, (product.owner, *anchors))
        for below in levels.below(product.owner, product.kind):
            waits = levels.expected(below.owner, below.kind)
            if waits is not None and len(waits.anchors) > 1:
                found |= _levels_of(graph, ctx, waits.anchors)
    return found


def _seat_levels(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A seat moves what a person's products look up to: their teams' levels."""
    seat = edit.versions[0]
    if seat.person not in graph or not graph.products_of(seat.person):
        return set()
    teams = [m.team for m in graph.memberships_of(seat.person, history=True)]
    return _levels_of(graph, ctx, {seat.team, *teams})


@rule(
    code="ALN006",
    about_absence=True,
    name="missing-product",
    severity="warning",
    settings=[ABOVE_DISTRICT, ISD_PARTNERS_ONLY, REQUIRED_PRODUCTS],
    subjects=("unit", "team"),
    reads=with_person({
        **dict.fromkeys(_PRODUCT_TYPES, _product_levels),
        "membership": _seat_levels,
        "unit": ITSELF,
        # a team is a level of its own (an instructional team serving a school) or one of
        # its unit's level's owners (named in the hint)
        "team": structural(lambda graph, ctx, team: (team.id, team.unit)),
    }),
    select=_select_missing,
    prepare=_prepare_needed,
    labels_only=True,
    source=_SOURCE,
    why=("Every level creates and communicates its own vision, non-negotiable practices and "
         "continuous improvement process, aligned with the level above (Equitable MLSS). A "
         "level without one leaves the levels below nothing to align to; reported once, on "
         "the level, rather than on each product below it."),
    fix="Have the level's leadership team adopt the product, aligned to the level above.",
    example=("School 'sch-cedar-high' has a vision and a plan but no non-negotiables: "
             "ALN006 fires on 'sch-cedar-high'."),
)
def missing_product(graph: AlignmentGraph, ctx: RuleContext, level: Any
                    ) -> Iterator[Violation]:
    """A district, school or team level without a product it needs."""
    subject = level.id
    levels = levels_for(graph, ctx)
    level = levels.of(subject)
    if level != ("unit", subject) and level != ("team", subject):
        return
    obj = graph.node(subject)
    unit = obj if isinstance(obj, OrgUnit) else None
    required = ctx["required"].get(unit.kind.value, ()) if unit is not None else ()
    for kind in _KINDS:
        if levels.products(level, kind):
            continue
        waiting = _waiting(graph, ctx, subject, kind)
        if kind.value not in required and not waiting:
            continue
        word = _KIND_WORDS[kind]
        leaders = list(levels.owners(level)[1:])
        creators = [t for t in leaders if graph.node(t).kind in _CREATORS] or leaders
        who = label(graph.node(creators[0])) if creators else label(obj)
        why = (f"; {len(waiting)} product(s) below have nothing to align to: "
               + ", ".join(sorted(waiting)[:5]) + (", ..." if len(waiting) > 5 else "")
               if waiting else f"; every {unit.kind.value if unit else 'level'} "
               f"needs one")
        yield Violation(
            subject=subject,
            message=f"{label(obj)} has no {word}" + why,
            hint=f"have {who} adopt {a(word)}" + (
                ", aligned to the level above" if unit is None or unit.parent else ""),
            related=(*leaders, *sorted(waiting)[:20],
                     *(() if unit is None or unit.parent is None else (unit.parent,)),
                     *(() if unit is not None else (graph.node(subject).unit,))))


@rule(
    code="ALN007",
    name="product-not-written",
    severity="warning",
    subjects=_PRODUCT_TYPES,
    reads=dict.fromkeys(_PRODUCT_TYPES, itself),
    labels_only=True,
    source=_SOURCE,
    why=("A vision, a set of non-negotiables or a plan is what a level commits to; one "
         "whose statement, practices or goals are still blank (a starter's placeholder "
         "such as 'Vision (to write)') commits to nothing, and nothing can align to it in "
         "substance. It does not count as aligned in the scorecard."),
    fix=("Write the statement (a vision), the practices (non-negotiables) or the goals "
         "(a plan)."),
    example="Vision 'v-birch' is titled 'Vision (to write)' and has no statement: ALN007 "
            "fires on 'v-birch'.",
)
def product_not_written(graph: AlignmentGraph, ctx: RuleContext, product: Product
                        ) -> Violation | None:
    """A product whose statement, practices or goals are blank."""
    if written(product):
        return None
    field = content_field(product) or "content"
    what = product.title or product.id
    return Violation(
        subject=product.id,
        message=(f"{label(product)} of {label(graph.node(product.owner))} is not written "
                 f"yet: {what!r} has no {field.replace('_', ' ')}"),
        hint=f"write its {field.replace('_', ' ')}",
        related=(product.owner,),
    )


#: The family's rules, in code order.
RULES = (
    vision_not_aligned,
    non_negotiables_not_aligned,
    improvement_plan_not_aligned,
    alignment_loop,
    alignment_skips_level,
    missing_product,
    product_not_written,
)
