"""Time in the model: meetings, liaison updates, implementation stages and assessments.

Every date is a ``pendulum.Date`` and every date-time a tz-aware ``pendulum.DateTime``;
a naive date-time is refused (a document may name a ``timezone`` to read them in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from ..errors import ModelError, ModelTypeError
from .fields import (
    Choice,
    choice,
    items_of,
    optional_bool,
    pairs_of,
    to_datetime,
    to_duration,
    to_ids,
    to_optional_percent,
    to_percent,
    to_required_date,
    valid_id,
    valid_text,
)
from .fields import optional_id as optional_id

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


class Stage(Choice):
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

    @classmethod
    def accepted(cls) -> tuple[str, ...]:
        """The stages and the Equitable MLSS names for them.

        >>> Stage.accepted()[4:]
        ('purpose-building', 'creating-infrastructure', 'initial', 'full')
        """
        values = cls.values()
        return (*values, *(a for a in _STAGE_ALIASES if a not in values))


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
    return choice(Stage, value)


def _to_topics(value: Iterable[str] | str) -> tuple[str, ...]:
    out: list[str] = []
    for item in items_of(value, "topics"):
        if not isinstance(item, str) or not item.strip():
            raise ModelError(f"each topic must be a non-empty string, got {item!r}")
        topic = item.strip().lower()
        if topic not in out:
            out.append(topic)
    return tuple(out)


@attrs.frozen(kw_only=True)
class AgendaItem:
    """One item of a meeting's agenda, tagged with topics such as ``mtss``."""

    title: str = attrs.field(validator=valid_text)
    topics: tuple[str, ...] = attrs.field(default=(), converter=_to_topics)


def _to_agenda(value: Iterable[AgendaItem | Mapping[str, Any]]) -> tuple[AgendaItem, ...]:
    items: list[AgendaItem] = []
    if isinstance(value, str):
        raise ModelTypeError(f"expected a list of agenda items, got a string {value!r}")
    for i, item in enumerate(items_of(value, "agenda items")):
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

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    team: str = attrs.field(validator=valid_id)
    starts_at: pendulum.DateTime = attrs.field(converter=to_datetime)
    attendees: tuple[str, ...] = attrs.field(default=(), converter=to_ids)
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

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    team: str = attrs.field(validator=valid_id)
    given_on: pendulum.Date = attrs.field(converter=to_required_date)
    liaison: str | None = attrs.field(default=None, validator=optional_id)
    summary: str = attrs.field(default="", validator=valid_text)
    assessments: tuple[str, ...] = attrs.field(default=(), converter=to_ids)


@attrs.frozen(kw_only=True)
class StageRecord:
    """A unit entering an implementation stage of an innovation (MTSS by default) on a date.

    >>> StageRecord(id="st-1", unit="dist-maple", stage="purpose building",
    ...             entered_on="2024-01-15").stage
    <Stage.EXPLORATION: 'exploration'>
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    stage: Stage = attrs.field(converter=_to_stage)
    entered_on: pendulum.Date = attrs.field(converter=to_required_date)
    innovation: str = attrs.field(default="mtss", validator=valid_id)


def _to_subscales(value: Mapping[str, float] | Iterable[tuple[str, float]]
                  ) -> tuple[tuple[str, float], ...]:
    out: dict[str, float] = {}
    for name, score in pairs_of(value, "subscales"):
        if not isinstance(name, str) or not name:
            raise ModelError(f"sub-scale names must be non-empty strings, got {name!r}")
        try:
            out[name] = to_percent(score)
        except ModelError as exc:
            raise type(exc)(f"sub-scale {name!r}: {exc}") from None
    return tuple(out.items())


@attrs.frozen(kw_only=True)
class ReadinessAssessment:
    """A readiness assessment of a unit, made before it starts implementing."""

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    assessed_on: pendulum.Date = attrs.field(converter=to_required_date)
    instrument: str = attrs.field(default="", validator=valid_text)
    score: float | None = attrs.field(default=None, converter=to_optional_percent)
    ready: bool | None = attrs.field(default=None, validator=optional_bool)
    innovation: str = attrs.field(default="mtss", validator=valid_id)


@attrs.frozen(kw_only=True)
class FidelityAssessment:
    """A fidelity or capacity assessment (DCA, TFI, SAM, ...) with percentage scores.

    >>> a = FidelityAssessment(id="fa-1", unit="sch-lincoln", instrument="TFI",
    ...                        assessed_on="2026-05-01", total=76,
    ...                        subscales={"Tier 1": 83, "Tier 2": 70})
    >>> a.reached, dict(a.subscales)["Tier 2"]
    (False, 70.0)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    instrument: str = attrs.field(validator=valid_id)
    assessed_on: pendulum.Date = attrs.field(converter=to_required_date)
    total: float = attrs.field(converter=to_percent)
    subscales: tuple[tuple[str, float], ...] = attrs.field(
        default=(), converter=_to_subscales, metadata={"range": (0, 100)})
    target: float = attrs.field(default=80.0, converter=to_percent)
    innovation: str = attrs.field(default="mtss", validator=valid_id)

    @property
    def reached(self) -> bool:
        """Whether the total is at or above the target."""
        return self.total >= self.target


