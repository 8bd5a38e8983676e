"""Time in the model: meetings, liaison updates, implementation stages and assessments.

Every date is a ``pendulum.Date`` and every date-time a tz-aware ``pendulum.DateTime``;
a naive date-time is refused (a document may name a ``timezone`` to read them in).
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from ..errors import ModelError, ModelTypeError
from ._core import (
    _Choice,
    _choice,
    _items,
    _optional_bool,
    _optional_id,
    _text,
    _to_ids,
    _valid_id,
    in_range,
    to_date,
)

__all__ = [
    "AgendaItem",
    "FidelityAssessment",
    "Meeting",
    "ReadinessAssessment",
    "Stage",
    "StageRecord",
    "StatusUpdate",
    "to_datetime",
    "to_duration",
]


def to_datetime(value: pendulum.DateTime | _dt.datetime | str,
                tz: str | None = None) -> pendulum.DateTime:
    """A tz-aware ``pendulum.DateTime`` from an ISO 8601 string or a datetime.

    A value without an offset or zone is refused, unless ``tz`` says which zone to
    read it in.

    >>> to_datetime("2026-03-09T16:00:00-04:00")
    DateTime(2026, 3, 9, 16, 0, 0, tzinfo=FixedTimezone(-14400, name="-04:00"))
    >>> to_datetime("2026-03-09T16:00", tz="America/Detroit").utcoffset()
    datetime.timedelta(days=-1, seconds=72000)
    >>> to_datetime("2026-03-09T16:00")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ModelError: expected a date-time with a UTC offset or zone, such as \
'2026-03-09T16:00:00-04:00', got the naive '2026-03-09T16:00'
    """
    if isinstance(value, str):
        try:
            parsed = pendulum.parse(value, exact=True, tz=None)
        except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
            parsed = None
        if not isinstance(parsed, _dt.datetime):
            raise ModelError(f"expected an ISO 8601 date-time such as "
                             f"'2026-03-09T16:00:00-04:00', got {value!r}")
        dt: _dt.datetime = parsed
    elif isinstance(value, _dt.datetime):
        dt = value
    else:
        raise ModelTypeError(f"expected an ISO 8601 date-time, got {type(value).__name__}")
    in_range(pendulum.Date(dt.year, dt.month, dt.day))
    if dt.tzinfo is None or dt.utcoffset() is None:
        if tz is None:
            shown = value if isinstance(value, str) else dt.isoformat()
            raise ModelError("expected a date-time with a UTC offset or zone, such as "
                             f"'2026-03-09T16:00:00-04:00', got the naive {shown!r}")
        return pendulum.datetime(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second,
                                 dt.microsecond, tz=pendulum.timezone(tz))
    return pendulum.instance(dt)


def to_duration(value: pendulum.Duration | _dt.timedelta | str) -> pendulum.Duration:
    """A ``pendulum.Duration`` from an ISO 8601 duration (``P1M``, ``P12M``, ``P14D``).

    Calendar units are kept: one month after 31 January is the end of February.

    >>> to_duration("P1M").in_words()
    '1 month'
    """
    if isinstance(value, pendulum.Duration):
        return _bounded(value, value.in_words())
    if isinstance(value, _dt.timedelta):
        return _bounded(pendulum.duration(seconds=value.total_seconds()), str(value))
    if isinstance(value, str):
        return _parse_duration(value)
    raise ModelTypeError(f"expected an ISO 8601 duration, got {type(value).__name__}")


#: The longest duration the model holds (a cadence, a review period, a window).
MAX_DURATION = "P100Y"
_MAX_DAYS = 100 * 366


def _bounded(d: pendulum.Duration, shown: str) -> pendulum.Duration:
    """``d``, if at most 100 years and not negative: longer ones overflow date arithmetic
    and say nothing a school system plans for."""
    days = d.years * 366 + d.months * 31 + d.remaining_days + 7 * d.weeks + (
        d.hours * 3600 + d.minutes * 60 + d.remaining_seconds) / 86400
    if days > _MAX_DAYS or days < 0:
        raise ModelError(f"expected a duration from P0D to {MAX_DURATION}, got {shown!r}")
    return d


@functools.lru_cache(maxsize=256)
def _parse_duration(value: str) -> pendulum.Duration:
    """Parse once: rules read the same few settings ('P1M', 'P7D') for every subject."""
    if len(value) > 64:  # no real duration is longer; huge digit runs cost time to read
        raise ModelError(f"expected an ISO 8601 duration such as 'P1M' or 'P14D', got "
                         f"{value[:40]!r}... ({len(value)} characters)")
    try:
        parsed = pendulum.parse(value, exact=True)
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
        parsed = None
    if isinstance(parsed, pendulum.Duration):
        return _bounded(parsed, value)
    raise ModelError(f"expected an ISO 8601 duration such as 'P1M' or 'P14D', got {value!r}")


class Stage(_Choice):
    """Implementation stages (NIRN), in order; the Equitable MLSS names are aliases.

    >>> Stage("purpose-building") is Stage.EXPLORATION
    True
    >>> Stage("creating infrastructure"), Stage.FULL_IMPLEMENTATION.order
    (<Stage.INSTALLATION: 'installation'>, 3)
    """

    EXPLORATION = "exploration"
    INSTALLATION = "installation"
    INITIAL_IMPLEMENTATION = "initial-implementation"
    FULL_IMPLEMENTATION = "full-implementation"

    @property
    def order(self) -> int:
        """0 for exploration up to 3 for full implementation."""
        return _STAGE_ORDER[self]

    @classmethod
    def _missing_(cls, value: object) -> Stage | None:
        key = str(value).strip().lower().replace("_", "-").replace(" ", "-")
        return _STAGE_ALIASES.get(key)


_STAGE_ORDER = {stage: i for i, stage in enumerate(Stage)}
_STAGE_ALIASES = {
    "exploration": Stage.EXPLORATION,
    "purpose-building": Stage.EXPLORATION,
    "installation": Stage.INSTALLATION,
    "creating-infrastructure": Stage.INSTALLATION,
    "initial-implementation": Stage.INITIAL_IMPLEMENTATION,
    "initial": Stage.INITIAL_IMPLEMENTATION,
    "full-implementation": Stage.FULL_IMPLEMENTATION,
    "full": Stage.FULL_IMPLEMENTATION,
}


def _to_stage(value: Stage | str) -> Stage:
    return _choice(Stage, value)


def _to_date_required(value: pendulum.Date | _dt.date | str) -> pendulum.Date:
    converted = to_date(value)
    if converted is None:
        raise ModelError("a date is required")
    return converted


def _to_aware(value: pendulum.DateTime | _dt.datetime | str) -> pendulum.DateTime:
    return to_datetime(value)


def _to_topics(value: Iterable[str] | str) -> tuple[str, ...]:
    out: list[str] = []
    for item in _items(value, "topics"):
        if not isinstance(item, str) or not item.strip():
            raise ModelError(f"each topic must be a non-empty string, got {item!r}")
        topic = item.strip().lower()
        if topic not in out:
            out.append(topic)
    return tuple(out)


@attrs.frozen(kw_only=True)
class AgendaItem:
    """One item of a meeting's agenda, tagged with topics such as ``mtss``."""

    title: str = attrs.field(validator=_text)
    topics: tuple[str, ...] = attrs.field(default=(), converter=_to_topics)


def _to_agenda(value: Iterable[AgendaItem | Mapping[str, Any]]) -> tuple[AgendaItem, ...]:
    items: list[AgendaItem] = []
    if isinstance(value, str):
        raise ModelTypeError(f"expected a list of agenda items, got a string {value!r}")
    for i, item in enumerate(_items(value, "agenda items")):
        if isinstance(item, AgendaItem):
            items.append(item)
        elif isinstance(item, Mapping):
            unknown = set(item) - {"title", "topics"}
            if unknown or "title" not in item:
                raise ModelError(f"agenda item {i} must have a 'title' and optional 'topics', "
                                 f"got keys {sorted(item)}")
            items.append(AgendaItem(title=item["title"], topics=item.get("topics", ())))
        else:
            raise ModelTypeError(f"agenda item {i} must be an object with a title, got {item!r}")
    return tuple(items)


@attrs.frozen(kw_only=True)
class Meeting:
    """A meeting of a team: when (tz-aware), who attended, and the agenda.

    >>> m = Meeting(id="m-1", team="t-exec", starts_at="2026-03-09T16:00:00-04:00",
    ...             agenda=[{"title": "MTSS status", "topics": ["MTSS"]}])
    >>> m.has_topic("mtss"), m.date
    (True, Date(2026, 3, 9))
    """

    type_name: ClassVar[str] = "meeting"

    id: str = attrs.field(validator=_valid_id)
    team: str = attrs.field(validator=_valid_id)
    starts_at: pendulum.DateTime = attrs.field(converter=_to_aware)
    attendees: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)
    agenda: tuple[AgendaItem, ...] = attrs.field(default=(), converter=_to_agenda)

    @property
    def date(self) -> pendulum.Date:
        """The local calendar date the meeting took place on."""
        return self.starts_at.date()

    def has_topic(self, topic: str) -> bool:
        """Whether any agenda item carries ``topic`` (case-insensitive)."""
        wanted = topic.strip().lower()
        return any(wanted in item.topics for item in self.agenda)


@attrs.frozen(kw_only=True)
class StatusUpdate:
    """An implementation status update the liaison gives the executive team.

    ``assessments`` names the fidelity assessments reported (e.g. results from schools).
    """

    type_name: ClassVar[str] = "status_update"

    id: str = attrs.field(validator=_valid_id)
    team: str = attrs.field(validator=_valid_id)
    given_on: pendulum.Date = attrs.field(converter=_to_date_required)
    liaison: str | None = attrs.field(default=None, validator=_optional_id)
    summary: str = attrs.field(default="", validator=_text)
    assessments: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)


@attrs.frozen(kw_only=True)
class StageRecord:
    """A unit entering an implementation stage of an innovation (MTSS by default) on a date.

    >>> StageRecord(id="st-1", unit="dist-maple", stage="purpose building",
    ...             entered_on="2024-01-15").stage
    <Stage.EXPLORATION: 'exploration'>
    """

    type_name: ClassVar[str] = "stage_record"

    id: str = attrs.field(validator=_valid_id)
    unit: str = attrs.field(validator=_valid_id)
    stage: Stage = attrs.field(converter=_to_stage)
    entered_on: pendulum.Date = attrs.field(converter=_to_date_required)
    innovation: str = attrs.field(default="mtss", validator=_valid_id)


def _to_percent(value: float | int) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ModelTypeError(f"expected a percentage (a number from 0 to 100), got {value!r}")
    if not 0 <= value <= 100:  # NaN is refused here too: no comparison holds for it
        raise ModelError(f"expected a percentage from 0 to 100, got {value!r}")
    return float(value)


def _to_optional_percent(value: float | int | None) -> float | None:
    return None if value is None else _to_percent(value)


def _to_subscales(value: Mapping[str, float] | Iterable[tuple[str, float]]
                  ) -> tuple[tuple[str, float], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    out: dict[str, float] = {}
    for name, score in pairs:
        if not isinstance(name, str) or not name:
            raise ModelError(f"sub-scale names must be non-empty strings, got {name!r}")
        try:
            out[name] = _to_percent(score)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"sub-scale {name!r}: {exc}") from None
    return tuple(out.items())


@attrs.frozen(kw_only=True)
class ReadinessAssessment:
    """A readiness assessment of a unit, made before it starts implementing."""

    type_name: ClassVar[str] = "readiness_assessment"

    id: str = attrs.field(validator=_valid_id)
    unit: str = attrs.field(validator=_valid_id)
    assessed_on: pendulum.Date = attrs.field(converter=_to_date_required)
    instrument: str = attrs.field(default="", validator=_text)
    score: float | None = attrs.field(default=None, converter=_to_optional_percent)
    ready: bool | None = attrs.field(default=None, validator=_optional_bool)
    innovation: str = attrs.field(default="mtss", validator=_valid_id)


@attrs.frozen(kw_only=True)
class FidelityAssessment:
    """A fidelity or capacity assessment (DCA, TFI, SAM, ...) with percentage scores.

    >>> a = FidelityAssessment(id="fa-1", unit="sch-lincoln", instrument="TFI",
    ...                        assessed_on="2026-05-01", total=76,
    ...                        subscales={"Tier 1": 83, "Tier 2": 70})
    >>> a.reached, dict(a.subscales)["Tier 2"]
    (False, 70.0)
    """

    type_name: ClassVar[str] = "fidelity_assessment"

    id: str = attrs.field(validator=_valid_id)
    unit: str = attrs.field(validator=_valid_id)
    instrument: str = attrs.field(validator=_valid_id)
    assessed_on: pendulum.Date = attrs.field(converter=_to_date_required)
    total: float = attrs.field(converter=_to_percent)
    subscales: tuple[tuple[str, float], ...] = attrs.field(default=(),
                                                           converter=_to_subscales)
    target: float = attrs.field(default=80.0, converter=_to_percent)
    innovation: str = attrs.field(default="mtss", validator=_valid_id)

    @property
    def reached(self) -> bool:
        """Whether the total is at or above the target."""
        return self.total >= self.target


def duration_iso(d: pendulum.Duration) -> str:
    """ISO 8601 for a pendulum duration, calendar units kept: ``P1Y2M10DT2H``."""
    date = "".join(f"{n}{u}" for n, u in ((d.years, "Y"), (d.months, "M"),
                                          (d.remaining_days + 7 * d.weeks, "D")) if n)
    time = "".join(f"{n}{u}" for n, u in ((d.hours, "H"), (d.minutes, "M"),
                                          (d.remaining_seconds, "S")) if n)
    return "P" + (date or ("" if time else "0D")) + (f"T{time}" if time else "")
