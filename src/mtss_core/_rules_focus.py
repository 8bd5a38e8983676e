"""Focus rules: a district keeps a workable number of priority focus areas (seed 002)."""

from __future__ import annotations

from collections.abc import Iterator

from ._engine import RuleContext, Setting, Violation, rule
from ._graph import AlignmentGraph
from ._model import UnitKind
from ._rules_alignment import label

__all__ = ["too_many_focus_areas"]

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
def too_many_focus_areas(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
    """A district with more priority focus areas than a workable number."""
    limit = ctx["max_focus_areas"]
    for district in graph.units(UnitKind.DISTRICT):
        areas = graph.focus_areas(district.id)
        if len(areas) > limit:
            yield Violation(
                subject=district.id,
                message=(f"{label(district)} has {len(areas)} priority focus areas; "
                         f"a workable number is at most {limit}"),
                hint=(f"merge or retire {len(areas) - limit} of them so the rest form one "
                      "cohesive whole"),
                related=tuple(sorted(a.id for a in areas)),
            )
