"""What the time rules share: settings of durations and stages, the as-of date, and
stage records, readiness and fidelity assessments grouped by unit once a run.

Every time rule is evaluated against the run's explicit "as of" date (``ctx.as_of``),
never the wall clock; without one it does not run (the report lists it as skipped).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pendulum

from ..graph import AlignmentGraph
from ..model import (
    FidelityAssessment,
    OrgUnit,
    ReadinessAssessment,
    Stage,
    StageRecord,
    to_duration,
)
from ._protocol import MemoKey, RuleContext, Setting


def _check_duration(value: Any) -> str | None:
    try:
        to_duration(value)
    except (TypeError, ValueError) as exc:
        return str(exc)
    return None


def _check_stage(value: Any) -> str | None:
    try:
        Stage(value)
    except ValueError:
        return f"expected a stage among {list(Stage.values())}, got {value!r}"
    return None


def _duration_setting(name: str, default: str, doc: str) -> Setting:
    return Setting(name=name, default=default, doc=doc, check=_check_duration)


FROM_STAGE = Setting(
    name="from_stage", default="initial-implementation", check=_check_stage,
    doc=("The stage from which a unit counts as implementing (the check applies once the "
         "unit's stage records reach it)."))


def _as_of(ctx: RuleContext) -> pendulum.Date:
    assert ctx.as_of is not None  # rules needing a date only run with one
    return ctx.as_of


class _TimeIndex:
    """Stage records, readiness and fidelity assessments grouped by unit.

    Made once a run: a rule that reads every unit's history has them all grouped in one
    pass; a check of single units (as a :class:`~mtss_core.Session` makes after an edit)
    reads just those units' records.
    """

    def __init__(self, graph: AlignmentGraph) -> None:
        self._graph = graph
        self._complete = False
        self._units: dict[str, dict[str, list[StageRecord]]] = {}
        self._fidelity: dict[str, list[FidelityAssessment]] = {}
        self._readiness: dict[str, list[ReadinessAssessment]] = {}

    def units(self) -> list[str]:
        """Every unit with a stage record."""
        self.group_all()
        return list(self._units)

    def group_all(self) -> None:
        """Group every unit's records in one pass (once): for a rule that asks about every
        unit, far cheaper than asking the graph unit by unit."""
        if not self._complete:
            self._units = {}
            for record in self._graph.stage_records():  # sorted by date, then stage order
                self._units.setdefault(record.unit, {}).setdefault(
                    record.innovation, []).append(record)
            for a in self._graph.fidelity_assessments():
                self._fidelity.setdefault(a.unit, []).append(a)
            for r in self._graph.readiness_assessments():
                self._readiness.setdefault(r.unit, []).append(r)
            self._complete = True

    def histories(self, unit_id: str) -> dict[str, list[StageRecord]]:
        """innovation -> the unit's stage records, earliest first."""
        found = self._units.get(unit_id)
        if found is None:
            found = {}
            if not self._complete:
                for record in self._graph.stage_records(unit_id):
                    found.setdefault(record.innovation, []).append(record)
                self._units[unit_id] = found
        return found

    def fidelity(self, unit_id: str) -> Sequence[FidelityAssessment]:
        """The unit's fidelity and capacity assessments, earliest first."""
        if self._complete:
            return self._fidelity.get(unit_id, [])
        return self._graph.fidelity_assessments(unit_id)

    def readiness(self, unit_id: str) -> Sequence[ReadinessAssessment]:
        """The unit's readiness assessments, earliest first."""
        if self._complete:
            return self._readiness.get(unit_id, [])
        return self._graph.readiness_assessments(unit_id)

    def history(self, unit_id: str, as_of: pendulum.Date, innovation: str = "mtss"
                ) -> list[StageRecord]:
        return [r for r in self.histories(unit_id).get(innovation, ())
                if r.entered_on <= as_of]

    def start(self, unit_id: str, as_of: pendulum.Date, from_stage: Stage) -> pendulum.Date | None:
        """The first date the unit reached ``from_stage`` or later (by ``as_of``)."""
        for record in self.history(unit_id, as_of):
            if record.stage.order >= from_stage.order:
                return record.entered_on
        return None


def _index(graph: AlignmentGraph, ctx: RuleContext) -> _TimeIndex:
    found = ctx.memo.get(MemoKey("time_index"))
    if found is None:
        found = ctx.memo[MemoKey("time_index")] = _TimeIndex(graph)
    assert isinstance(found, _TimeIndex)
    return found


def _implementing(graph: AlignmentGraph, unit_id: str, ctx: RuleContext) -> pendulum.Date | None:
    return _index(graph, ctx).start(unit_id, _as_of(ctx), Stage(ctx["from_stage"]))


def _group_all(graph: AlignmentGraph, ctx: RuleContext) -> None:
    _index(graph, ctx).group_all()


def _with_records(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[OrgUnit]:
    """The units with a stage record (the only ones the stage rules can fire on)."""
    return map(graph.node, _index(graph, ctx).units())

