"""Data rules: improvement driven by data, shared at-risk thresholds (seeds: Equitable MLSS,
Leadership elements, Who owns MTSS)."""

from __future__ import annotations

from collections.abc import Sequence

from ..graph import AlignmentGraph
from ..model import ImprovementPlan, RiskThreshold, UnitKind, label
from ._fix import Change, Fix
from ._protocol import ALL, MemoKey, RuleContext, Violation, rule
from .reads import UNCHANGED, itself

__all__ = ["plan_without_data", "threshold_differs_from_district"]

#: The family of codes this module declares.
PREFIX = "DAT"


@rule(
    code="DAT001",
    name="plan-without-data",
    severity="warning",
    source="Equitable MLSS; Essential Leadership Elements and Skills",
    why=("The continuous improvement process is driven by data at every level (Equitable "
         "MLSS), and leaders use data-based problem solving (Leadership elements). A plan "
         "with no data source behind it cannot show whether it works."),
    fix="List the data sources (screening, progress monitoring, fidelity, ...) the plan uses.",
    example="Plan 'cip-annex' lists no data sources: DAT001 fires on 'cip-annex'.",
    subjects="improvement_plan",
    reads={"improvement_plan": itself},
    labels_only=True,
)
def plan_without_data(graph: AlignmentGraph, ctx: RuleContext, plan: ImprovementPlan
                      ) -> Violation | None:
    """An improvement plan with no data source behind it."""
    if plan.data_sources:
        return None
    return Violation(
        subject=plan.id,
        message=(f"improvement plan {plan.id!r} of {label(graph.node(plan.owner))} "
                 "has no data source behind it"),
        hint="add the data sources that drive it to its data_sources",
        related=(plan.owner,),
    )


def _thresholds_by_unit(graph: AlignmentGraph, ctx: RuleContext) -> None:
    by_unit: dict[str, list[RiskThreshold]] = {}
    for threshold in graph.all_risk_thresholds():
        by_unit.setdefault(threshold.unit, []).append(threshold)
    ctx.memo[MemoKey("thresholds_by_unit")] = by_unit


def _thresholds(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                ) -> Sequence[RiskThreshold]:
    by_unit = ctx.memo.get(MemoKey("thresholds_by_unit"))
    if by_unit is not None:
        return by_unit.get(unit_id, ())  # type: ignore[no-any-return]
    return graph.risk_thresholds(unit_id)


@rule(
    code="DAT002",
    name="threshold-differs-from-district",
    severity="warning",
    source="Who owns MTSS",
    why=("Districts set shared rules once for all their schools, such as the thresholds "
         "that mark a student at risk (Who owns MTSS). A school with its own, different "
         "threshold identifies different students for the same support."),
    fix="Use the district's threshold, or change it for every school at district level.",
    example=("District 'dist-maple' marks risk below the 25th percentile on the reading "
             "screener; 'sch-lincoln' uses 20: DAT002 fires on the school's threshold."),
    subjects="risk_threshold",
    prepare=_thresholds_by_unit,
    # a district's threshold is the measure of its schools' ones
    reads={"risk_threshold": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def threshold_differs_from_district(graph: AlignmentGraph, ctx: RuleContext,
                                    t: RiskThreshold) -> Violation | None:
    """A school's own at-risk threshold that differs from its district's."""
    school = graph.node(t.unit)
    if school.kind is not UnitKind.SCHOOL:
        return None
    district = graph.nearest(school.id, UnitKind.DISTRICT)
    if district is None:
        return None
    shared = {d.measure: d for d in _thresholds(graph, ctx, district.id)}
    d = shared.get(t.measure)
    if d is None or (d.value, d.direction) == (t.value, t.direction):
        return None
    return Violation(
        subject=t.id,
        message=(f"{label(school)} marks risk on {t.measure!r} "
                 f"{t.direction.value} {t.value:g}, but {label(district)} sets "
                 f"{d.direction.value} {d.value:g} ({d.id!r})"),
        hint=f"use the district's threshold {d.id!r} (remove {t.id!r})",
        related=(school.id, district.id, d.id),
        fix=Fix(title=f"remove the school's own threshold {t.id!r}",
                changes=[Change(target=t.id, op="delete")], safe=False),
    )


#: The family's rules, in code order.
RULES = (plan_without_data, threshold_differs_from_district)
