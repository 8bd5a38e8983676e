"""Data rules: improvement driven by data, shared at-risk thresholds (seeds: Equitable MLSS,
Leadership elements, Who owns MTSS)."""

from __future__ import annotations

from collections.abc import Iterator

from ._engine import RuleContext, Violation, present, rule
from ._graph import AlignmentGraph
from ._model import ImprovementPlan, RiskThreshold, UnitKind
from ._rules_alignment import label

__all__ = ["plan_without_data", "threshold_differs_from_district"]


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
)
def plan_without_data(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
    """An improvement plan with no data source behind it."""
    yield from present(plan_without_sources(graph, plan) for plan in graph.improvement_plans())


def plan_without_sources(graph: AlignmentGraph, plan: ImprovementPlan) -> Violation | None:
    """DAT001 for one plan."""
    if plan.data_sources:
        return None
    return Violation(
        subject=plan.id,
        message=(f"improvement plan {plan.id!r} of {label(graph._obj(plan.owner))} "
                 "has no data source behind it"),
        hint="add the data sources that drive it to its data_sources",
        related=(plan.owner,),
    )


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
)
def threshold_differs_from_district(graph: AlignmentGraph, ctx: RuleContext
                                    ) -> Iterator[Violation]:
    """A school's own at-risk threshold that differs from its district's."""
    by_unit: dict[str, list[RiskThreshold]] = {}
    for threshold in graph.all_risk_thresholds():
        by_unit.setdefault(threshold.unit, []).append(threshold)
    for school_id, own in by_unit.items():
        school = graph._obj(school_id)
        if school.kind is not UnitKind.SCHOOL:
            continue
        district = graph.nearest(school.id, UnitKind.DISTRICT)
        if district is None:
            continue
        shared = {t.measure: t for t in by_unit.get(district.id, ())}
        for t in own:
            d = shared.get(t.measure)
            if d is None or (d.value, d.direction) == (t.value, t.direction):
                continue
            yield Violation(
                subject=t.id,
                message=(f"{label(school)} marks risk on {t.measure!r} "
                         f"{t.direction.value} {t.value:g}, but {label(district)} sets "
                         f"{d.direction.value} {d.value:g} ({d.id!r})"),
                hint=f"use the district's threshold {d.id!r} (remove {t.id!r})",
                related=(school.id, district.id, d.id),
            )
