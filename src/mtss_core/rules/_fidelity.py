"""FID: fidelity assessments below target or overdue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..graph import AlignmentGraph
from ..model import (
    FidelityAssessment,
    OrgUnit,
    Stage,
    label,
    to_duration,
)
from ._dates import _as_of, _duration_setting, _index, _with_records
from ._protocol import RuleContext, Violation, rule
from .reads import UNCHANGED, ids_in

__all__ = ['fidelity_below_target', 'fidelity_not_assessed']

#: The family of codes this module declares.
PREFIX = "FID"


_FIXSEN = "Who owns MTSS (citing Fixsen et al.); Leadership elements"


def _in_implementation(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                       ) -> tuple[Stage, list[FidelityAssessment]] | None:
    """(current stage, its assessments by the as-of date) for a unit implementing MTSS."""
    as_of = _as_of(ctx)
    index = _index(graph, ctx)
    history = index.history(unit_id, as_of)
    if not history or history[-1].stage.order < Stage.INITIAL_IMPLEMENTATION.order:
        return None
    return history[-1].stage, [a for a in index.fidelity(unit_id) if a.assessed_on <= as_of]


@rule(
    code="FID001",
    name="fidelity-below-target",
    severity="warning",
    needs_as_of=True,
    source=_FIXSEN,
    why=("Fidelity is the measure of whether the practices are in place; with "
         "implementation teams over 80% of sites reached fidelity (Fixsen et al.). A latest "
         "score below target says where support is needed."),
    fix="Use the sub-scale scores to plan support, and reassess.",
    example="The latest TFI of 'sch-annex' is 64% against a target of 80%: FID001 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "fidelity_assessment": ids_in("unit"),
           "unit": UNCHANGED},
    labels_only=True,
)
def fidelity_below_target(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                          ) -> Iterator[Violation]:
    """A unit in implementation whose latest fidelity assessment is below its target."""
    unit_id = unit.id
    found = _in_implementation(graph, ctx, unit_id)
    if found is None:
        return
    latest: dict[str, Any] = {}
    for a in found[1]:
        latest[a.instrument] = a
    for instrument, a in sorted(latest.items()):
        if not a.reached:
            low = sorted(dict(a.subscales).items(), key=lambda kv: kv[1])[:2]
            yield Violation(
                subject=a.id,
                message=(f"the latest {instrument} of {label(graph.node(unit_id))} "
                         f"({a.assessed_on}) scored {a.total:g}%, below its target of "
                         f"{a.target:g}%"
                         + ("; lowest: " + ", ".join(f"{n} {v:g}%" for n, v in low)
                            if low else "")),
                hint="plan support from the lowest sub-scales, then reassess",
                related=(unit_id,))


@rule(
    code="FID002",
    name="fidelity-not-assessed",
    severity="warning",
    needs_as_of=True,
    settings=[_duration_setting("window", "P6M",
                                "How long a unit in implementation may go without an "
                                "assessment (capacity assessments run twice a year).")],
    source=_FIXSEN,
    why=("Fidelity and capacity assessments show whether implementation is on track; "
         "they are commonly run twice a year, and the liaison reports them upward "
         "(MIBLSI)."),
    fix="Run the fidelity or capacity assessment, and record its results.",
    example="'sch-lincoln' is in initial implementation and was last assessed 9 months ago: "
            "FID002 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "fidelity_assessment": ids_in("unit"),
           "unit": UNCHANGED},
    labels_only=True,
)
def fidelity_not_assessed(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                          ) -> Violation | None:
    """A unit in initial or full implementation with no assessment within the window."""
    unit_id = unit.id
    found = _in_implementation(graph, ctx, unit_id)
    if found is None:
        return None
    stage, done = found
    as_of = _as_of(ctx)
    index = _index(graph, ctx)
    start = index.start(unit_id, as_of, Stage.INITIAL_IMPLEMENTATION)
    assert start is not None
    last = done[-1].assessed_on if done else None
    due = max(start, last or start) + to_duration(ctx["window"])
    if as_of <= due:
        return None
    what = f"last assessed on {last}" if last else "never assessed"
    return Violation(
        subject=unit_id,
        message=(f"{label(graph.node(unit_id))} is in {stage.value} and was {what}; "
                 f"an assessment was due by {due}"),
        hint="run the fidelity or capacity assessment and record it",
        related=(*(a.id for a in done[-1:]),
                 *[r.id for r in index.history(unit_id, as_of)][-1:]))


#: The family's rules, in code order.
RULES = (fidelity_below_target, fidelity_not_assessed)
