"""Capacity and entering MTSS: scored capacity self-assessments, training cohorts and the
applications that enter them, stakeholder buy-in, and successes shared.

A district implementation team rates the district's capacity once or twice a year with a
published instrument (the District Capacity Assessment, the District Systems Fidelity
Inventory), by consensus; :class:`CapacityAssessment` records what the team agreed.  An
ISD or district enters a training cohort by applying (MIBLSI): the application guides it
through exploration and its executive leadership signs the commitments
(:class:`CohortApplication`).  Buy-in is surveyed before installation
(:class:`BuyIn`); successes are highlighted during initial implementation
(:class:`SuccessHighlight`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from ..errors import ModelError, ModelTypeError
from .fields import (
    items_of,
    optional_id,
    pairs_of,
    required_text,
    to_date,
    to_ids,
    to_percent,
    to_required_date,
    valid_id,
    valid_text,
)

__all__ = ["BuyIn", "CapacityAssessment", "Cohort", "CohortApplication", "Commitment",
           "SuccessHighlight"]


def _to_item_scores(value: Mapping[str, int] | Iterable[tuple[str, int]]
                    ) -> tuple[tuple[str, int], ...]:
    out: dict[str, int] = {}
    for name, score in pairs_of(value, "scores"):
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise ModelError(f"an item id must be a non-empty string, got {name!r}")
        if isinstance(score, float) and score.is_integer():
            score = int(score)
        if isinstance(score, bool) or not isinstance(score, int) or score not in (0, 1, 2):
            raise ModelError(f"score for {name!r}: expected 0, 1 or 2, got {score!r}")
        out[name] = score
    return tuple(out.items())


@attrs.frozen(kw_only=True)
class CapacityAssessment:
    """One administration of a capacity instrument: what the team agreed, item by item.

    >>> a = CapacityAssessment(id="dca-maple-2026w", unit="dist-maple", instrument="district",
    ...                        administered_on="2026-01-26", administrator="p-adeyemi",
    ...                        respondents=["p-castillo", "p-whitfield"],
    ...                        scores={"L1": 2, "L2": 1})
    >>> dict(a.scores), a.share
    ({'L1': 2, 'L2': 1}, 0.75)
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    #: The instrument's name (``district``, ``regional``, ``dsfi`` or one of one's own).
    instrument: str = attrs.field(validator=valid_id)
    administered_on: pendulum.Date = attrs.field(converter=to_required_date)
    #: The trained administrator who facilitated it.
    administrator: str | None = attrs.field(default=None, validator=optional_id)
    #: Who voted: the members of the implementation team present.
    respondents: tuple[str, ...] = attrs.field(default=(), converter=to_ids)
    #: Item id -> the consensus score, 0, 1 or 2.
    scores: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_to_item_scores, metadata={"range": (0, 2), "integer": True})
    notes: str = attrs.field(default="", validator=valid_text)

    @property
    def share(self) -> float | None:
        """The total as a share of the most it could be (``None`` with no item scored)."""
        if not self.scores:
            return None
        return sum(s for _, s in self.scores) / (2 * len(self.scores))


@attrs.frozen(kw_only=True)
class Cohort:
    """A training cohort of a program (MIBLSI's, a state's): the units that enter
    implementation together, supported by the unit that runs it.

    >>> Cohort(id="miblsi-c12", program="MIBLSI", name="Cohort 12", unit="isd-lakeshore",
    ...        starts_on="2025-08-01").requires_application
    True
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    program: str = attrs.field(validator=required_text)
    name: str = attrs.field(default="", validator=valid_text)
    #: The unit running the cohort (an ISD, a state).
    unit: str | None = attrs.field(default=None, validator=optional_id)
    starts_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: Whether a unit enters only through an accepted application.
    requires_application: bool = attrs.field(default=True)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.requires_application, bool):
            raise ModelTypeError(f"requires_application must be true or false, got "
                                 f"{self.requires_application!r}", field="requires_application")


@attrs.frozen(kw_only=True)
class Commitment:
    """One commitment an application makes (MTSS as a regular agenda item of the
    executive team once implementation begins, protected time, a coordinator ...), and
    who signed it when."""

    text: str = attrs.field(validator=required_text)
    signed_by: str | None = attrs.field(default=None, validator=optional_id)
    signed_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)


def _to_commitments(value: Iterable[Commitment | Mapping[str, Any]]
                    ) -> tuple[Commitment, ...]:
    out = []
    for i, item in enumerate(items_of(value, "commitments")):
        if isinstance(item, Commitment):
            out.append(item)
        elif isinstance(item, Mapping):
            try:
                out.append(Commitment(**item))
            except TypeError as exc:
                raise ModelTypeError(f"commitment {i}: {exc}") from None
        else:
            raise ModelTypeError(f"commitment {i}: expected an object, got {item!r}")
    return tuple(out)


@attrs.frozen(kw_only=True)
class CohortApplication:
    """An ISD's or district's application to enter a cohort: when submitted and accepted,
    and the commitments its executive leadership signed.

    >>> app = CohortApplication(id="app-cedar", cohort="miblsi-c12", unit="dist-cedar",
    ...                         submitted_on="2024-03-01", accepted_on="2024-05-15",
    ...                         commitments=[{"text": "MTSS on every executive agenda",
    ...                                       "signed_by": "p-morgan",
    ...                                       "signed_on": "2024-04-30"}])
    >>> app.accepted("2024-06-01"), app.signers
    (True, ('p-morgan',))
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    cohort: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    submitted_on: pendulum.Date = attrs.field(converter=to_required_date)
    accepted_on: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    commitments: tuple[Commitment, ...] = attrs.field(default=(), converter=_to_commitments)

    def accepted(self, on: pendulum.Date | str | None = None) -> bool:
        """Whether the application was accepted (by ``on``)."""
        day = to_date(on)
        return self.accepted_on is not None and (day is None or self.accepted_on <= day)

    @property
    def signers(self) -> tuple[str, ...]:
        """Who signed the commitments, each once, in order."""
        return tuple(dict.fromkeys(c.signed_by for c in self.commitments if c.signed_by))


@attrs.frozen(kw_only=True)
class BuyIn:
    """A stakeholder buy-in survey: the share of staff who agree to take MTSS on (a common
    readiness criterion is 80%), before installation.

    >>> BuyIn(id="bi-cedar", unit="dist-cedar", surveyed_on="2024-05-01", agreeing=84).agreeing
    84.0
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    surveyed_on: pendulum.Date = attrs.field(converter=to_required_date)
    #: Percent of the staff surveyed who agree.
    agreeing: float = attrs.field(converter=to_percent)
    respondents: int | None = attrs.field(default=None)
    #: What the buy-in is for (MTSS by default).
    innovation: str = attrs.field(default="mtss", validator=valid_id)

    def __attrs_post_init__(self) -> None:
        r = self.respondents
        if r is not None and (isinstance(r, bool) or not isinstance(r, int) or r < 0):
            raise ModelError(f"respondents must be a whole number, got {r!r}",
                             field="respondents")


@attrs.frozen(kw_only=True)
class SuccessHighlight:
    """A success shared during implementation (a school's early results, a team's win),
    and with whom: communication that sustains buy-in.

    >>> SuccessHighlight(id="sh-1", unit="sch-lincoln", shared_on="2026-03-02",
    ...                  summary="Grade 3 reading benchmarks up 12 points").audience
    'staff'
    """

    type_name: ClassVar[str]  # stamped by the registry: the ObjectType declares it

    id: str = attrs.field(validator=valid_id)
    unit: str = attrs.field(validator=valid_id)
    shared_on: pendulum.Date = attrs.field(converter=to_required_date)
    summary: str = attrs.field(validator=required_text)
    #: Who heard it: staff, families, the board, the community ...
    audience: str = attrs.field(default="staff", validator=required_text)
    #: The team that shared it, if one did.
    team: str | None = attrs.field(default=None, validator=optional_id)
