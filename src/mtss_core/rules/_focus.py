"""Focus rules: a district keeps a workable number of priority focus areas (Equitable MLSS)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..graph import AlignmentGraph, EdgeKind
from ..model import OrgUnit, Product, ProductKind, Team, TeamKind, UnitKind, label
from ._fix import Change, Fix
from ._protocol import Edit, RuleContext, Setting, Violation, rule
from ._teams import unit_context
from ._walk import district_products, owner_district
from .reads import ITS_UNIT, ITSELF, UNCHANGED, ids_in, itself, with_person

__all__ = [
    "focus_area_not_in_vision",
    "focus_area_outside_district",
    "no_focus_areas",
    "too_many_focus_areas",
]

#: The family of codes this module declares.
PREFIX = "FOC"

MAX_FOCUS_AREAS = Setting(
    name="max_focus_areas",
    default=6,
    minimum=1,
    doc=("The most priority focus areas a district may have "
         "(Equitable MLSS: 'a workable number (5-6)')."),
)


@rule(
    code="FOC001",
    name="too-many-focus-areas",
    severity="warning",
    settings=[MAX_FOCUS_AREAS],
    subjects="unit",
    select=lambda graph, ctx: _overloaded(graph, ctx),
    reads={"focus_area": ids_in("district"),
           "unit": UNCHANGED,
           "team": UNCHANGED},
    labels_only=True,
    source="Equitable MLSS: Leadership Structures, Processes, and Products",
    why=(
        "The district leadership team limits the district's priority focus areas to a "
        "workable number (5-6) and integrates them into a cohesive whole rather than "
        "separate initiatives (Equitable MLSS). More than that spreads staff, time and money "
        "too thin for any of them to reach full implementation."
    ),
    fix=(
        "Merge related focus areas, or retire the ones the district vision does not "
        "address, until no more than max_focus_areas remain."
    ),
    example="District 'dist-cedar' lists 8 priority focus areas: FOC001 fires on 'dist-cedar'.",
)
def too_many_focus_areas(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                         ) -> Violation | None:
    """A district with more priority focus areas than a workable number."""
    limit = ctx['max_focus_areas']
    if unit.kind is not UnitKind.DISTRICT:
        return None
    areas = graph.focus_areas(unit.id)
    if len(areas) <= limit:
        return None
    return Violation(
        subject=unit.id,
        message=(f"{label(unit)} has {len(areas)} priority focus areas; "
                 f"a workable number is at most {limit}"),
        hint=f"merge or retire {len(areas) - limit} of them so the rest form one cohesive whole",
        related=tuple(sorted(a.id for a in areas)),
    )


def _overloaded(graph: AlignmentGraph, ctx: RuleContext) -> list[OrgUnit]:
    """In a full run, the districts with more focus areas than the limit: counted in one
    pass over the focus areas."""
    counts = Counter(a.district for a in graph.all_focus_areas())
    limit = ctx["max_focus_areas"]
    return [graph.node(d) for d, n in counts.items() if n > limit]


_SOURCE = "Equitable MLSS: Leadership Structures, Processes, and Products"


def _districts(graph: AlignmentGraph, ctx: RuleContext) -> tuple[OrgUnit, ...]:
    return graph.units(UnitKind.DISTRICT)


def _vision_district(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """A vision counts for its district when the district or one of its teams owns it."""
    found = set()
    for vision in edit.versions:
        owner = graph.get(vision.owner)
        unit = (owner.unit if isinstance(owner, Team) else owner.id
                if isinstance(owner, OrgUnit) else None)
        if unit is not None and graph.node(unit).kind is UnitKind.DISTRICT:
            found.add(unit)
    return found


@rule(
    code="FOC002",
    about_absence=True,
    name="no-focus-areas",
    severity="warning",
    subjects="unit",
    select=_districts,
    reads={"focus_area": ids_in("district"),
           "unit": ITSELF,
           # its leadership teams are named among the related ids
           "team": ITS_UNIT},
    labels_only=True,
    source=_SOURCE,
    why=("The district leadership team identifies the district's priority focus areas "
         "(Equitable MLSS). Without them, schools' plans have nothing shared to work on."),
    fix="Have the district leadership team name its priority focus areas (five or six).",
    example="District 'dist-oak' has no focus areas: FOC002 fires on 'dist-oak'.",
)
def no_focus_areas(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                   ) -> Violation | None:
    """A district with no priority focus areas."""
    if unit.kind is not UnitKind.DISTRICT or graph.referrers(unit.id, EdgeKind.FOCUS_OF):
        return None
    return Violation(
        subject=unit.id,
        message=f"{label(unit)} has no priority focus areas",
        hint="have the district leadership team name five or six priority focus areas",
        related=unit_context(unit, graph.teams_of(unit.id, TeamKind.DISTRICT_LEADERSHIP)),
    )


@rule(
    code="FOC003",
    about_absence=True,
    name="focus-area-not-in-vision",
    severity="warning",
    subjects="unit",
    select=_districts,
    reads={"focus_area": ids_in("district"), "vision": _vision_district,
           "unit": UNCHANGED,
           "team": UNCHANGED},
    labels_only=True,
    source=_SOURCE,
    why=("Focus areas are integrated and connected into a cohesive whole rather than "
         "separate initiatives (Equitable MLSS). A focus area the district vision does not "
         "address stands apart: a separate initiative."),
    fix=("Add the focus area to the district vision's addresses (and its statement), or "
         "retire it."),
    example=("District 'dist-cedar' lists 'fa-cedar-tech' but its vision 'v-cedar' does not "
             "address it: FOC003 fires on 'fa-cedar-tech'."),
)
def focus_area_not_in_vision(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                             ) -> Iterator[Violation]:
    """A district focus area that no district vision addresses (a separate initiative)."""
    if unit.kind is not UnitKind.DISTRICT:
        return
    areas = graph.referrers(unit.id, EdgeKind.FOCUS_OF)
    if not areas:
        return
    visions = district_products(graph, unit.id, ProductKind.VISION)
    if not visions:
        yield Violation(
            subject=unit.id,
            message=(f"{label(unit)} has {len(areas)} priority focus area(s) but no vision "
                     "to integrate them: each stands alone as a separate initiative"),
            hint="adopt a district vision that addresses its focus areas",
            related=tuple(sorted(areas)))
        return
    addressed = {a for v in visions for a in graph.node(v).addresses}
    # adding one more to a vision that addresses as many as FOC001 allows would raise
    # FOC001's own concern: then retiring the area is the way, a person's choice
    room = len(graph.node(visions[0]).addresses) < MAX_FOCUS_AREAS.default
    for area in sorted(areas):
        if area not in addressed:
            yield Violation(
                subject=area,
                message=(f"focus area {area!r} of {label(unit)} is not addressed by "
                         f"the district vision ({', '.join(map(repr, visions))}): "
                         "a separate initiative"),
                hint=f"add {area!r} to the addresses of {visions[0]!r}, or retire it",
                related=(unit.id, *visions),
                # (unsafe: it changes what the vision says; retiring the area is the other
                # way out)
                fix=Fix(title=f"add {area!r} to what vision {visions[0]!r} addresses",
                        changes=[Change(target=visions[0], field="addresses", op="add",
                                        value=area)], safe=False) if room else None,
            )


def _naming_area(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """The visions and plans that name a focus area."""
    area: Any = edit.versions[-1]
    if area.id not in graph:
        return set()
    return {*graph.referrers(area.id, EdgeKind.WORKS_ON),
            *graph.referrers(area.id, EdgeKind.ADDRESSES)}


def _person_products(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    person = edit.versions[0].person
    if person not in graph:
        return set()
    return {p.id for p in graph.products_of(person)
            if p.type_name in ("vision", "improvement_plan")}


@rule(
    code="FOC004",
    name="focus-area-outside-district",
    severity="error",
    subjects=("vision", "improvement_plan"),
    select=lambda graph, ctx: [*(v for v in graph.visions() if v.addresses),
                               *(p for p in graph.improvement_plans() if p.focus_areas)],
    reads=with_person({
        "vision": itself, "improvement_plan": itself,
        "focus_area": _naming_area,
        # a person's district follows their seats when they have no unit of their own
        "membership": _person_products,
        "unit": UNCHANGED,
        "team": UNCHANGED}),
    labels_only=True,
    source=_SOURCE,
    why=("A district's schools and teams work on the district's own priority focus areas, "
         "integrated into one whole (Equitable MLSS). A vision addressing, or a plan "
         "working on, another district's focus area pulls the school away from its own "
         "district's priorities."),
    fix="Point the vision or plan at the matching focus area of its own district.",
    example=("The improvement plan of school 'sch-cedar-high' works on 'fa-maple-math', a "
             "focus area of another district: FOC004 fires on the plan."),
)
def focus_area_outside_district(graph: AlignmentGraph, ctx: RuleContext, product: Product
                                ) -> Iterator[Violation]:
    """A vision or improvement plan naming a focus area of another district."""
    field = _AREA_FIELDS.get(product.kind)
    if field is None:
        return
    named: tuple[str, ...] = getattr(product, field[0])
    if not named:
        return
    home = owner_district(graph, product.owner, ctx.as_of)
    for area_id in named:
        area = graph.node(area_id)
        if home is not None and area.district == home:
            continue
        where = ("is not under any district" if home is None
                 else f"belongs to {label(graph.node(home))}")
        yield Violation(
            subject=product.id,
            message=(f"{product.kind.value.replace('-', ' ')} {product.id!r} of "
                     f"{label(graph.node(product.owner))} {field[1]} focus area {area_id!r} "
                     f"of {label(graph.node(area.district))}, but its owner {where}"),
            hint=("replace it with the matching focus area of its own district"
                  if home is not None else f"remove the focus area from its {field[0]}"),
            related=(product.owner, area_id, area.district,
                     *(() if home is None else (home,))),
        )


#: The field of each kind of product that names focus areas, and the verb for it.
_AREA_FIELDS = {ProductKind.VISION: ("addresses", "addresses"),
                ProductKind.IMPROVEMENT_PLAN: ("focus_areas", "works on")}


#: The family's rules, in code order.
RULES = (
    too_many_focus_areas,
    no_focus_areas,
    focus_area_not_in_vision,
    focus_area_outside_district,
)
