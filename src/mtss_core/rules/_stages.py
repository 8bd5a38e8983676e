"""STG: implementation stages: dates, order, regressions, conflicts, readiness."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pendulum

from ..graph import AlignmentGraph
from ..model import (
    OrgUnit,
    Stage,
    StageRecord,
    label,
)
from ._dates import _as_of, _index, _with_records
from ._protocol import RuleContext, Setting, Violation, rule
from .reads import UNCHANGED, ids_in, itself

__all__ = [
    "no_readiness_assessment",
    "stage_conflict",
    "stage_in_future",
    "stage_regression",
    "stage_skipped",
]

#: The family of codes this module declares.
PREFIX = "STG"


_NIRN = "NIRN implementation stages (MIBLSI); Equitable MLSS"


@rule(
    code="STG001",
    name="stage-in-future",
    severity="error",
    needs_as_of=True,
    source=_NIRN,
    why="A stage record dated after the as-of date records something that has not happened.",
    fix="Correct the date, or remove the record until the stage is entered.",
    example="As of 2026-09-01, a record says 'sch-lincoln' entered full implementation on "
            "2027-01-10: STG001 fires on it.",
    subjects="stage_record",
    select=lambda graph, ctx: [r for r in graph.objects("stage_record")
                               if r.entered_on > ctx.as_of],
    reads={"stage_record": itself},
    labels_only=True,
)
def stage_in_future(graph: AlignmentGraph, ctx: RuleContext, record: StageRecord
                    ) -> Violation | None:
    """A stage record dated after the as-of date."""
    as_of = _as_of(ctx)
    if record.entered_on <= as_of:
        return None
    return Violation(
        subject=record.id,
        message=(f"stage record {record.id!r}: {label(graph.node(record.unit))} "
                 f"enters {record.stage.value} on {record.entered_on}, after the "
                 f"as-of date {as_of}"),
        hint="correct the date, or record the stage once it is entered",
        related=(record.unit,))


def _moves(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
           ) -> Iterator[tuple[Any | None, Any]]:
    """(previous record or None, record) for the unit's records up to the as-of date."""
    as_of = _as_of(ctx)
    for records in _index(graph, ctx).histories(unit_id).values():
        prev = None
        for record in records:
            if record.entered_on > as_of:
                break
            yield prev, record
            prev = record


@rule(
    code="STG002",
    name="stage-skipped",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="require_exploration", default=True,
                      doc="Whether a unit's first record must be exploration.")],
    source=_NIRN,
    why=("Implementation moves through exploration, installation, initial and full "
         "implementation (NIRN), and readiness is assessed before starting. Skipping a "
         "stage usually means the infrastructure it builds is missing."),
    fix="Record the skipped stage with its date, or go back and do its work.",
    example="'dist-oak' moves from exploration straight to initial implementation: STG002 "
            "fires on that record.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED},
    labels_only=True,
)
def stage_skipped(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Iterator[Violation]:
    """A move forward by more than one implementation stage."""
    unit_id = unit.id
    for prev, record in _moves(graph, ctx, unit_id):
        if prev is None:
            if not ctx["require_exploration"] or record.stage is Stage.EXPLORATION:
                continue
            skipped = list(Stage)[:record.stage.order]
            start = "starts at"
        else:
            if record.stage.order - prev.stage.order <= 1:
                continue
            skipped = list(Stage)[prev.stage.order + 1:record.stage.order]
            start = f"moves from {prev.stage.value} to"
        yield Violation(
            subject=record.id,
            message=(f"{label(graph.node(record.unit))} {start} {record.stage.value} on "
                     f"{record.entered_on}, skipping " + ", ".join(s.value for s in skipped)),
            hint="record the skipped stages with their dates, or do their work",
            related=(record.unit, *([prev.id] if prev else [])))


@rule(
    code="STG003",
    name="stage-regression",
    severity="info",
    needs_as_of=True,
    source=_NIRN,
    why=("Stages can move back — turnover, a new initiative, lost funding — and that is "
         "legal; it is worth knowing, never an error."),
    fix="Nothing is required; plan the support the unit needs to move forward again.",
    example="'sch-annex' goes back from initial implementation to installation: STG003 "
            "notes it.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED},
    labels_only=True,
)
def stage_regression(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Iterator[Violation]:
    """A unit that moved back to an earlier stage (information)."""
    unit_id = unit.id
    for prev, record in _moves(graph, ctx, unit_id):
        if prev is not None and record.stage.order < prev.stage.order:
            yield Violation(
                subject=record.id,
                message=(f"{label(graph.node(record.unit))} moved back from "
                         f"{prev.stage.value} to {record.stage.value} on {record.entered_on}"),
                hint="no action required; plan support to move forward again",
                related=(record.unit, prev.id))


@rule(
    code="STG004",
    name="stage-conflict",
    severity="error",
    source=_NIRN,
    why="Two different stages entered on the same day cannot be put in order.",
    fix="Correct one of the dates, or remove the wrong record.",
    example="'dist-oak' enters both installation and initial implementation on "
            "2025-08-01: STG004 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED},
    labels_only=True,
)
def stage_conflict(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Iterator[Violation]:
    """Two stage records of one unit and innovation on the same day with different stages."""
    unit_id = unit.id
    for records in _index(graph, ctx).histories(unit_id).values():
        by_day: dict[pendulum.Date, list[Any]] = {}
        for record in records:
            by_day.setdefault(record.entered_on, []).append(record)
        for day, same in by_day.items():
            if len({r.stage for r in same}) > 1:
                ids = [r.id for r in same]
                yield Violation(
                    subject=ids[0],
                    message=(f"{label(graph.node(same[0].unit))} enters "
                             + " and ".join(r.stage.value for r in same) + f" on {day}"),
                    hint="correct one of the dates, or remove the wrong record",
                    related=(same[0].unit, *ids[1:]))


@rule(
    code="STG005",
    name="no-readiness-assessment",
    severity="warning",
    needs_as_of=True,
    source="MIBLSI executive leadership; Equitable MLSS",
    why=("Exploration decides whether a district is ready for MTSS, and leadership assesses "
         "readiness before leading the change (MIBLSI; Equitable MLSS)."),
    fix=("Record the readiness assessment made before installation began; an assessment "
         "that found the unit not ready does not count (ready: false)."),
    example="'dist-oak' entered installation on 2025-01-10 with no readiness assessment "
            "on or before that date: STG005 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "readiness_assessment": ids_in("unit"),
           "unit": UNCHANGED},
    labels_only=True,
)
def no_readiness_assessment(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                            ) -> Iterator[Violation]:
    """A unit that began installation with no readiness assessment before it."""
    unit_id = unit.id
    as_of = _as_of(ctx)
    index = _index(graph, ctx)
    for innovation, records in index.histories(unit_id).items():
        begun = [r for r in records if r.stage.order >= Stage.INSTALLATION.order
                 and r.entered_on <= as_of]
        if not begun:
            continue
        first = begun[0]
        before = [a for a in index.readiness(unit_id)
                  if a.innovation == innovation and a.assessed_on <= first.entered_on]
        # readiness is an assessment that did not find the unit unready ("ready", or a
        # score with no verdict recorded)
        if any(a.ready is not False for a in before):
            continue
        if before:
            last = before[-1]
            why = (f"after readiness assessment {last.id!r} ({last.assessed_on}) found it "
                   "not ready, with none since")
        else:
            why = "with no readiness assessment before it"
        yield Violation(
            subject=unit_id,
            message=(f"{label(graph.node(unit_id))} entered {first.stage.value} on "
                     f"{first.entered_on} {why}"),
            hint=("reassess readiness, and record the assessment that finds it ready"
                  if before else "record the readiness assessment made during exploration"),
            related=(first.id, *(a.id for a in before)))


#: The family's rules, in code order.
RULES = (stage_in_future, stage_skipped, stage_regression, stage_conflict, no_readiness_assessment)
