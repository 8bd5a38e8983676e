"""Leadership in practice: systems coaching, resources, barriers, communication protocols,
responsibilities and the evidence for them (seeds: MIBLSI executive leadership, Leadership
personnel, Leadership elements, Who owns MTSS)."""

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
    optional_id,
    pairs_of,
    required_text,
    to_date,
    to_float,
    to_optional_duration,
    to_percent,
    to_required_date,
    valid_id,
    valid_text,
)

__all__ = [
    "Barrier",
    "BarrierStatus",
    "Escalation",
    "Evidence",
    "LeadershipCharacteristic",
    "LeadershipSelfAssessment",
    "Protocol",
    "ResourceAllocation",
    "ResourceCategory",
    "Waiver",
    "WaiverScope",
]


class LeadershipCharacteristic(Choice):
    """The essential leadership characteristics (NCII, 2022; Leadership elements)."""

    VISION_FOCUS_MESSAGE = "vision-focus-message"
    FOCUS_ON_SCHOOLS = "focus-on-schools"
    SHARED_RESPONSIBILITY_TRUST = "shared-responsibility-trust"
    EXPERT_PROBLEM_SOLVING = "expert-problem-solving"
    PROFESSIONAL_LEARNING = "professional-learning"


class ResourceCategory(Choice):
    """What a unit allocates for MTSS (Leadership personnel: budget, staffing, schedule,
    professional learning)."""

    BUDGET = "budget"
    STAFFING = "staffing"
    SCHEDULE = "schedule"
    PROFESSIONAL_LEARNING = "professional-learning"


class BarrierStatus(Choice):
    """Where a barrier stands."""

    OPEN = "open"
    RESOLVED = "resolved"


def _to_scores(value: Mapping[str, float] | Iterable[tuple[str, float]]
               ) -> tuple[tuple[str, float], ...]:
    out: dict[str, float] = {}
    for name, score in pairs_of(value, "scores"):
        key = choice(LeadershipCharacteristic, name).value
        try:
            out[key] = to_percent(score)
        except ModelError as exc:
            raise type(exc)(f"score for {key!r}: {exc}") from None
    return tuple(out.items())


def _to_category(value: ResourceCategory | str) -> ResourceCategory:
    return choice(ResourceCategory, value)


def _to_status(value: BarrierStatus | str) -> BarrierStatus:
    return choice(BarrierStatus, value)


@attrs.frozen(kw_only=True)
class LeadershipSelfAssessment:
    """A dated self-assessment of a leader or team over the essential characteristics.

    >>> a = LeadershipSelfAssessment(id="la-1", subject="t-maple-dlt", assessed_on="2026-05-01",
    ...                              scores={"vision-focus-message": 80, "focus-on-schools": 65})
    >>> dict(a.scores)["focus-on-schools"]
    65.0
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    #: The person or team assessed.
    subject: str = attrs.field(validator=valid_id)
    assessed_on: pendulum.Date = attrs.field(converter=to_required_date)
    scores: tuple[tuple[str, float], ...] = attrs.field(
        default=(), converter=_to_scores,
        metadata={"keys": LeadershipCharacteristic, "range": (0, 100)})


@attrs.frozen(kw_only=True)
class ResourceAllocation:
    """Resources a unit allocates for MTSS: an amount, in some measure, over a period.

    >>> r = ResourceAllocation(id="ra-1", unit="sch-lincoln", category="schedule", amount=45,
    ...                        measure="minutes per week", purpose="mtss-team-meetings",
    ...                        starts_on="2025-08-25", ends_on="2026-06-12")
    >>> r.current("2026-01-15"), r.current("2026-07-01")
    (True, False)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    category: ResourceCategory = attrs.field(converter=_to_category)
    amount: float = attrs.field(converter=to_float)
    #: What the amount counts: ``USD``, ``FTE``, ``minutes per week``, ``hours``...
    measure: str = attrs.field(default="", validator=valid_text)
    #: What it is for (``mtss-team-meetings``, ``coaching``...).
    purpose: str = attrs.field(default="", validator=valid_text)
    starts_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    ends_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)

    def current(self, on: pendulum.Date | str) -> bool:
        """Whether the allocation covers the date ``on``."""
        day = to_date(on)
        assert day is not None
        return ((self.starts_on is None or self.starts_on <= day)
                and (self.ends_on is None or day <= self.ends_on))


def _to_escalations(value: Iterable[Escalation | Mapping[str, Any]]
                    ) -> tuple[Escalation, ...]:
    out = []
    if isinstance(value, str):
        raise ModelTypeError(f"expected a list of escalations, got a string {value!r}")
    for i, item in enumerate(items_of(value, "escalations")):
        if isinstance(item, Escalation):
            out.append(item)
        elif isinstance(item, Mapping):
            if set(item) - {"team", "on"} or "team" not in item or "on" not in item:
                raise ModelError(f"escalation {i} must have a 'team' and an 'on' date, "
                                 f"got keys {sorted(item)}")
            out.append(Escalation(team=item["team"], on=item["on"]))
        else:
            raise ModelTypeError(f"escalation {i} must be an object with team and on, got {item!r}")
    return tuple(out)


@attrs.frozen(kw_only=True)
class Escalation:
    """One step up the chain of linked teams: to which team, on which date."""

    team: str = attrs.field(validator=valid_id)
    on: pendulum.Date = attrs.field(converter=to_required_date)


@attrs.frozen(kw_only=True)
class Barrier:
    """A barrier a team raises, escalated up the chain of linked teams until removed.

    >>> b = Barrier(id="b-1", raised_by="t-lincoln-slt", title="No time for data meetings",
    ...             raised_on="2026-02-02", escalations=[{"team": "t-maple-dit",
    ...                                                   "on": "2026-02-12"}])
    >>> b.level, b.status
    ('t-maple-dit', <BarrierStatus.OPEN: 'open'>)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    raised_by: str = attrs.field(validator=valid_id)
    title: str = attrs.field(validator=valid_text)
    raised_on: pendulum.Date = attrs.field(converter=to_required_date)
    owner: str | None = attrs.field(default=None, validator=optional_id)
    status: BarrierStatus = attrs.field(default=BarrierStatus.OPEN, converter=_to_status)
    resolved_on: pendulum.Date | None = attrs.field(default=None,
                                                    converter=to_date)
    escalations: tuple[Escalation, ...] = attrs.field(default=(), converter=_to_escalations)

    @property
    def escalated_teams(self) -> tuple[str, ...]:
        """The teams the barrier was escalated to, in order."""
        return tuple(e.team for e in self.escalations)

    @property
    def level(self) -> str:
        """The team the barrier sits with now: the last escalation's, or the raiser."""
        return self.escalations[-1].team if self.escalations else self.raised_by

    @property
    def since(self) -> pendulum.Date:
        """When it reached its current level."""
        return self.escalations[-1].on if self.escalations else self.raised_on

    def level_on(self, day: pendulum.Date) -> str:
        """The team the barrier sat with on ``day`` (escalations after it not counted)."""
        done = [e for e in self.escalations if e.on <= day]
        return done[-1].team if done else self.raised_by

    def since_on(self, day: pendulum.Date) -> pendulum.Date:
        """When it reached the level it had on ``day``."""
        done = [e for e in self.escalations if e.on <= day]
        return done[-1].on if done else self.raised_on

    def open_on(self, day: pendulum.Date) -> bool:
        """Whether the barrier was raised and not yet resolved on ``day``."""
        if self.raised_on > day:
            return False
        if self.status is BarrierStatus.RESOLVED:
            return self.resolved_on is not None and self.resolved_on > day
        return True


@attrs.frozen(kw_only=True)
class Protocol:
    """A communication protocol linking two teams: who carries information, how often.

    (Who owns MTSS: a built-in mechanism to share information across levels.)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    from_team: str = attrs.field(validator=valid_id)
    to_team: str = attrs.field(validator=valid_id)
    designee: str | None = attrs.field(default=None, validator=optional_id)
    cadence: pendulum.Duration | None = attrs.field(default=None,
                                                    converter=to_optional_duration)
    reviewed_on: pendulum.Date | None = attrs.field(default=None,
                                                    converter=to_date)

    def __reduce__(self) -> tuple[Any, ...]:
        from .fields import duration_iso

        cadence = None if self.cadence is None else duration_iso(self.cadence)
        return (_protocol, (self.id, self.from_team, self.to_team, self.designee, cadence,
                            self.reviewed_on))


def _protocol(id: str, from_team: str, to_team: str, designee: str | None,
              cadence: str | None, reviewed_on: pendulum.Date | None) -> Protocol:
    return Protocol(id=id, from_team=from_team, to_team=to_team, designee=designee,
                    cadence=cadence, reviewed_on=reviewed_on)


@attrs.frozen(kw_only=True)
class Evidence:
    """A dated record that a team carried out one of its responsibilities."""

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    team: str = attrs.field(validator=valid_id)
    responsibility: str = attrs.field(validator=valid_id)
    on: pendulum.Date = attrs.field(converter=to_required_date)
    note: str = attrs.field(default="", validator=valid_text)


class WaiverScope(Choice):
    """What a waiver covers: its subject alone, or everything in its subtree."""

    SUBJECT = "subject"
    SUBTREE = "subtree"


def _to_scope(value: WaiverScope | str) -> WaiverScope:
    return choice(WaiverScope, value)


@attrs.frozen(kw_only=True)
class Waiver:
    """An accepted exception: a rule's findings about a subject (or a subtree) are kept in
    the report as waived, with a reason, who approved it and until when.

    >>> w = Waiver(id="w-charter", rule="SUP002", subject="dist-charter",
    ...            reason="a charter LEA has no ISD liaison", approved_by="MTSS director",
    ...            until="2027-06-30")
    >>> w.scope.value, str(w.until)
    ('subject', '2027-06-30')
    >>> Waiver(id="w", rule="SUP002", subject="d", reason=" ", approved_by="x")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ModelError: reason is required: say why the finding is accepted and who \
approved it
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    #: The rule waived: its code or name (any case).
    rule: str = attrs.field(validator=valid_id)
    #: What it covers: an object's id (a unit, for ``scope="subtree"``).
    subject: str = attrs.field(validator=valid_id)
    reason: str = attrs.field(validator=required_text)
    approved_by: str = attrs.field(validator=required_text)
    scope: WaiverScope = attrs.field(default=WaiverScope.SUBJECT, converter=_to_scope)
    approved_on: pendulum.Date | None = attrs.field(default=None,
                                                    converter=to_date)
    #: The last day it applies (as of the run's as-of date); none: until withdrawn.
    until: pendulum.Date | None = attrs.field(default=None, converter=to_date)
