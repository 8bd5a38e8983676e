"""Waivers: accepted exceptions with a reason, an approver and an expiry."""

from __future__ import annotations

from ..graph import AlignmentGraph
from ..model import Waiver
from ._protocol import RuleContext, Violation, rule
from .reads import itself

__all__ = ["waiver_expired"]

#: The family of codes this module declares.
PREFIX = "WAI"


@rule(
    code="WAI001",
    name="waiver-expired",
    severity="warning",
    needs_as_of=True,
    subjects="waiver",
    reads={"waiver": itself},
    labels_only=True,
    source="(adoption)",
    why=("A waiver accepts a finding for a reason, until a date. Past that date the reason "
         "needs a new look: the waiver stops working, the findings it covered are reported "
         "again, and this rule says why they came back."),
    fix="Resolve the findings it covered, or renew the waiver with a new date and approval.",
    example=("Waiver 'w-charter' accepted SUP002 for 'dist-charter' until 2026-06-30: as of "
             "2026-09-01 WAI001 fires on 'w-charter'."),
)
def waiver_expired(graph: AlignmentGraph, ctx: RuleContext, waiver: Waiver
                   ) -> Violation | None:
    """A waiver past its until date (as of the run's as-of date)."""
    assert ctx.as_of is not None  # runs only with an as-of date
    if waiver.until is None or waiver.until >= ctx.as_of:
        return None
    return Violation(
        subject=waiver.id,
        message=(f"waiver {waiver.id!r} of {waiver.rule} for {waiver.subject!r} expired on "
                 f"{waiver.until}; the findings it covered are reported again"),
        hint="resolve those findings, or renew the waiver with a new until date and approval",
        related=(waiver.subject,))


#: The family's rules, in code order.
RULES = (waiver_expired,)
