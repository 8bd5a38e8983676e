"""Time queries for reports and notebooks: stages, time in stage, fidelity, reviews.

Every query takes an explicit ``as_of``: the same graph gives the same answer on any day.
"""

from __future__ import annotations

from typing import TypeAlias

import attrs
import pendulum

from ..errors import ModelError
from ..model import FidelityAssessment, Product, Stage, StageRecord, to_date, to_duration
from ._store import AlignmentGraph

__all__ = [
    "ReviewDue",
    "StagePeriod",
    "due_for_review",
    "fidelity_trend",
    "implementation_start",
    "last_review",
    "stage_as_of",
    "time_in_stage",
    "time_to_fidelity",
    "timeline",
]

DateLike = pendulum.Date | str
#: A stretch between two dates (``pendulum.Interval``: ``in_days()``, ``in_words()``, ...).
Span: TypeAlias = "pendulum.Interval[pendulum.Date]"


@attrs.frozen(kw_only=True)
class StagePeriod:
    """A stretch of time a unit spent in one implementation stage."""

    stage: Stage
    entered_on: pendulum.Date
    #: When the next stage record began; ``None`` while the unit is still in this stage.
    left_on: pendulum.Date | None
    #: From ``entered_on`` to ``left_on``, or to the "as of" date for the current stage.
    duration: Span
    record: str

    @property
    def current(self) -> bool:
        """Whether the unit is still in this stage as of the query's date."""
        return self.left_on is None


def _span(start: pendulum.Date, end: pendulum.Date) -> Span:
    return pendulum.Interval(start, end)


def _history(graph: AlignmentGraph, unit_id: str, innovation: str,
             as_of: pendulum.Date) -> list[StageRecord]:
    return [r for r in graph.stage_records(unit_id, innovation) if r.entered_on <= as_of]


def _as_of(value: DateLike) -> pendulum.Date:
    date = to_date(value)
    if date is None:  # pragma: no cover - to_date only returns None for None
        raise ModelError("as_of is required", field="as_of")
    return date


def timeline(graph: AlignmentGraph, unit_id: str, *, as_of: DateLike,
             innovation: str = "mtss") -> tuple[StagePeriod, ...]:
    """The stages a unit went through up to ``as_of``, each with its duration.

    >>> from mtss_core import example
    >>> from mtss_core.analysis import timeline
    >>> for p in timeline(example(), "dist-maple", as_of="2026-09-01"):
    ...     print(p.stage.value, p.entered_on, p.duration.in_words())
    exploration 2023-09-05 4 months 3 weeks 6 days
    installation 2024-02-01 7 months 2 days
    initial-implementation 2024-09-03 1 year 11 months 4 weeks 1 day
    """
    when = _as_of(as_of)
    records = _history(graph, unit_id, innovation, when)
    periods: list[StagePeriod] = []
    following: list[StageRecord | None] = [*records[1:], None]
    for record, nxt in zip(records, following[:len(records)], strict=True):
        end = when if nxt is None else nxt.entered_on
        periods.append(StagePeriod(stage=record.stage, entered_on=record.entered_on,
                                   left_on=None if nxt is None else nxt.entered_on,
                                   duration=_span(record.entered_on, end),
                                   record=record.id))
    return tuple(periods)


def stage_as_of(graph: AlignmentGraph, unit_id: str, *, as_of: DateLike,
                innovation: str = "mtss") -> Stage | None:
    """The stage a unit is in on ``as_of`` (its latest stage record by then), if any."""
    records = _history(graph, unit_id, innovation, _as_of(as_of))
    return records[-1].stage if records else None


def time_in_stage(graph: AlignmentGraph, unit_id: str, *, as_of: DateLike,
                  innovation: str = "mtss") -> tuple[Stage, Span] | None:
    """The current stage on ``as_of`` and how long the unit has been in it.

    >>> from mtss_core import example
    >>> from mtss_core.analysis import time_in_stage
    >>> stage, spent = time_in_stage(example(), "dist-cedar", as_of="2026-09-01")
    >>> stage.value, spent.in_words()
    ('initial-implementation', '1 year 1 week')
    """
    periods = timeline(graph, unit_id, as_of=as_of, innovation=innovation)
    return (periods[-1].stage, periods[-1].duration) if periods else None


def implementation_start(graph: AlignmentGraph, unit_id: str, *, as_of: DateLike,
                         from_stage: Stage | str = Stage.INITIAL_IMPLEMENTATION,
                         innovation: str = "mtss") -> pendulum.Date | None:
    """The first date by ``as_of`` on which the unit reached ``from_stage`` or later."""
    threshold = Stage(from_stage).order
    for record in _history(graph, unit_id, innovation, _as_of(as_of)):
        if record.stage.order >= threshold:
            return record.entered_on
    return None


def fidelity_trend(graph: AlignmentGraph, unit_id: str, *, instrument: str | None = None,
                   as_of: DateLike | None = None) -> tuple[FidelityAssessment, ...]:
    """A unit's fidelity assessments (of one instrument, if given), oldest first.

    >>> from mtss_core import example
    >>> from mtss_core.analysis import fidelity_trend
    >>> [(str(a.assessed_on), a.total) for a in fidelity_trend(example(), "sch-lincoln")]
    [('2025-05-12', 68.0), ('2025-11-10', 74.0), ('2026-05-11', 86.0)]
    """
    found = graph.fidelity_assessments(unit_id, instrument)
    if as_of is None:
        return found
    when = _as_of(as_of)
    return tuple(a for a in found if a.assessed_on <= when)


def time_to_fidelity(graph: AlignmentGraph, unit_id: str, *, instrument: str | None = None,
                     as_of: DateLike, innovation: str = "mtss"
                     ) -> Span | None:
    """From entering initial implementation to the first assessment at or above target.

    ``None`` when the unit has not entered initial implementation, or has not reached
    fidelity by ``as_of``.  (Fixsen et al. report 3.6 years with implementation teams.)

    >>> from mtss_core import example
    >>> from mtss_core.analysis import time_to_fidelity
    >>> time_to_fidelity(example(), "sch-lincoln", as_of="2026-09-01").in_words()
    '1 year 8 months 1 week 1 day'
    """
    start = implementation_start(graph, unit_id, as_of=as_of, innovation=innovation)
    if start is None:
        return None
    for a in fidelity_trend(graph, unit_id, instrument=instrument, as_of=as_of):
        if a.assessed_on >= start and a.innovation == innovation and a.reached:
            return _span(start, a.assessed_on)
    return None


@attrs.frozen(kw_only=True)
class ReviewDue:
    """A product's next review: when it was last reviewed (or adopted) and when it is due."""

    product: Product
    last: pendulum.Date
    due_on: pendulum.Date
    overdue: bool


def last_review(product: Product) -> pendulum.Date | None:
    """The later of a product's review and adoption dates."""
    dates = [d for d in (product.reviewed_on, product.adopted_on) if d is not None]
    return max(dates) if dates else None


def due_for_review(graph: AlignmentGraph, *, as_of: DateLike,
                   within: pendulum.Duration | str = "P30D",
                   period: pendulum.Duration | str = "P12M") -> tuple[ReviewDue, ...]:
    """Products whose review falls due by ``as_of`` + ``within`` (overdue ones included).

    Undated products are left out; dates after ``as_of`` are not counted.

    >>> from mtss_core import example
    >>> from mtss_core.analysis import due_for_review
    >>> [(r.product.id, str(r.due_on)) for r in due_for_review(
    ...     example(), as_of="2026-09-01", within="P60D")][:2]
    [('v-isd', '2026-09-14'), ('cip-cedar', '2026-10-01')]
    """
    when = _as_of(as_of)
    horizon = when + to_duration(within)
    every = to_duration(period)
    out = []
    for product in graph.products():
        last = last_review(product)
        if last is None or last > when:
            continue
        due = last + every
        if due <= horizon:
            out.append(ReviewDue(product=product, last=last, due_on=due, overdue=due < when))
    return tuple(sorted(out, key=lambda r: (r.due_on, r.product.id)))
