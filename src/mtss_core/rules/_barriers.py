"""BAR: barriers: open at the executive level, without an owner, escalated past the liaison."""

from __future__ import annotations

import itertools

from ..graph import AlignmentGraph
from ..model import (
    Barrier,
    BarrierStatus,
    TeamKind,
    UnitKind,
    label,
    to_duration,
)
from ._dates import _as_of, _check_duration
from ._protocol import ALL, RuleContext, Setting, Violation, rule
from .reads import UNCHANGED, itself

__all__ = [
    "barrier_escalation_skipped_liaison",
    "barrier_open_at_executive_level",
    "barrier_without_owner",
]

#: The family of codes this module declares.
PREFIX = "BAR"


_BARRIERS = "MIBLSI executive leadership"


@rule(
    code="BAR001",
    name="barrier-open-at-executive-level",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="window", default="P60D", check=_check_duration,
                      doc="How long a barrier may stay open with the executive team.")],
    source=_BARRIERS,
    why=("The executive team removes barriers, including ones other teams identify "
         "(MIBLSI). A barrier that sits with it unresolved stalls the teams below."),
    fix="Remove the barrier (and record it resolved), or record why it stays.",
    example="A barrier escalated to 't-maple-exec' on 2026-05-04 is still open on 2026-09-01: "
            "BAR001 fires.",
    subjects="barrier",
    # a team's kind decides the level a barrier is at
    reads={"barrier": itself, "team": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def barrier_open_at_executive_level(graph: AlignmentGraph, ctx: RuleContext, b: Barrier
                                    ) -> Violation | None:
    """A barrier open with the executive team longer than the window."""
    as_of = _as_of(ctx)
    window = to_duration(ctx["window"])
    if not b.open_on(as_of):
        return None
    level, since = graph.node(b.level_on(as_of)), b.since_on(as_of)
    if level.kind is not TeamKind.EXECUTIVE_LEADERSHIP or since + window >= as_of:
        return None
    return Violation(
        subject=b.id,
        message=(f"barrier {b.title!r} ({b.id}) has been open with {label(level)} "
                 f"since {since}; it was due to be removed by {since + window}"),
        hint="remove the barrier and record it resolved",
        related=(level.id, b.raised_by))


@rule(
    code="BAR002",
    name="barrier-without-owner",
    severity="warning",
    source=_BARRIERS,
    why="A barrier nobody owns is a barrier nobody removes.",
    fix="Name the person who owns removing it.",
    example="Barrier 'b-schedule' is open with no owner: BAR002 fires.",
    subjects="barrier",
    # a team's kind decides the level a barrier is at
    reads={"barrier": itself, "team": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def barrier_without_owner(graph: AlignmentGraph, ctx: RuleContext, b: Barrier
                          ) -> Violation | None:
    """An open barrier with no owner."""
    if b.status is not BarrierStatus.OPEN or b.owner is not None:
        return None
    return Violation(subject=b.id, message=f"open barrier {b.title!r} ({b.id}) has no owner",
                     hint="name the person who owns removing it",
                     related=(b.level, b.raised_by))


@rule(
    code="BAR003",
    name="barrier-escalation-skipped-liaison",
    severity="warning",
    source=_BARRIERS,
    why=("The liaison carries the implementation team's needs to the executive team "
         "(MIBLSI): needs travel from school teams to the implementation team, and from it "
         "to the executive team. Going around it leaves the implementation team unaware."),
    fix="Route the barrier through the district implementation team.",
    example="A barrier raised by 't-lincoln-slt' goes straight to 't-maple-exec' though "
            "'t-maple-dit' exists: BAR003 fires.",
    subjects="barrier",
    # a team's kind decides the level a barrier is at
    reads={"barrier": itself, "team": ALL, "unit": UNCHANGED},
    labels_only=True,
)
def barrier_escalation_skipped_liaison(graph: AlignmentGraph, ctx: RuleContext, b: Barrier
                                       ) -> Violation | None:
    """A barrier escalated to the executive team around the implementation team."""
    path = [b.raised_by, *b.escalated_teams]
    for before, after in itertools.pairwise(path):
        lower, upper = graph.node(before), graph.node(after)
        if (upper.kind is not TeamKind.EXECUTIVE_LEADERSHIP
                or lower.kind is TeamKind.DISTRICT_IMPLEMENTATION):
            continue
        district = graph.nearest(upper.unit, UnitKind.DISTRICT) or graph.node(upper.unit)
        impl = graph.teams_of(district.id, TeamKind.DISTRICT_IMPLEMENTATION)
        if impl:
            return Violation(
                subject=b.id,
                message=(f"barrier {b.title!r} ({b.id}) went from {label(lower)} straight "
                         f"to {label(upper)}, around {label(impl[0])} and its liaison"),
                hint=f"route it through {impl[0].id!r}",
                related=(before, after, impl[0].id))
    return None


#: The family's rules, in code order.
RULES = (
    barrier_open_at_executive_level,
    barrier_without_owner,
    barrier_escalation_skipped_liaison,
)
