"""CAD: meeting cadence, MTSS on executive agendas, liaison updates and reviews."""

from __future__ import annotations

import pendulum

from ..graph import AlignmentGraph, last_review
from ..model import (
    TYPES,
    Product,
    Role,
    Team,
    TeamKind,
    label,
    to_duration,
)
from ._dates import FROM_STAGE, _as_of, _duration_setting, _group_all, _implementing
from ._protocol import RuleContext, Setting, Violation, among, rule
from .reads import ITSELF, UNCHANGED, ids_in, itself, teams_of_unit, with_person

__all__ = [
    "liaison_update_overdue",
    "mtss_off_executive_agenda",
    "review_overdue",
    "team_not_meeting",
]

#: The family of codes this module declares.
PREFIX = "CAD"


_MIBLSI = "MIBLSI executive leadership"



def _words(d: pendulum.Duration) -> str:
    return d.in_words()


@rule(
    code="CAD001",
    name="mtss-off-executive-agenda",
    severity="warning",
    needs_as_of=True,
    settings=[
        FROM_STAGE,
        Setting(name="topic", default="mtss", doc="The agenda topic tag that marks MTSS."),
        _duration_setting("window", "P6M", "How far back from the as-of date to look."),
        Setting(name="max_missed", default=0, minimum=0,
                doc="How many meetings in the window may leave MTSS off."),
    ],
    source=_MIBLSI,
    why=("Executive leadership commits to making MTSS a regular agenda item at its "
         "meetings once implementation begins (MIBLSI). Off the agenda, MTSS loses the "
         "executive attention, resources and barrier removal it depends on."),
    fix="Put an MTSS item (tagged 'mtss') on every executive team meeting's agenda.",
    example=("Since implementation began, the Cedar Creek executive team's May-August "
             "meetings had no MTSS item: CAD001 fires on 't-cedar-exec'."),
    subjects="team",
    select=lambda graph, ctx: graph.teams(TeamKind.EXECUTIVE_LEADERSHIP),
    prepare=_group_all,
    reads={"meeting": ids_in("team"), "stage_record": teams_of_unit(),
           "unit": UNCHANGED, "team": UNCHANGED},
    labels_only=True,
)
def mtss_off_executive_agenda(graph: AlignmentGraph, ctx: RuleContext, team: Team
                              ) -> Violation | None:
    """An executive team that left MTSS off its meeting agendas once implementation began."""
    if team.kind is not TeamKind.EXECUTIVE_LEADERSHIP:
        return None
    start = _implementing(graph, team.unit, ctx)
    if start is None:
        return None
    as_of = _as_of(ctx)
    since = max(start, as_of - to_duration(ctx["window"]))
    meetings = [m for m in graph.meetings(team.id) if since <= m.date <= as_of]
    missed = [m for m in meetings if not m.has_topic(ctx["topic"])]
    if len(missed) <= ctx["max_missed"]:
        return None
    return Violation(
        subject=team.id,
        message=(f"{label(team)} left MTSS off the agenda of {len(missed)} of its "
                 f"{len(meetings)} meetings since {since}: "
                 + ", ".join(f"{m.id} ({m.date})" for m in missed)),
        hint=f"add an agenda item tagged {ctx['topic']!r} to every meeting",
        related=(team.unit, *(m.id for m in missed)),
    )


@rule(
    code="CAD002",
    name="team-not-meeting",
    severity="warning",
    needs_as_of=True,
    settings=[
        FROM_STAGE,
        Setting(name="kinds", default=["executive-leadership", "district-implementation"],
                check=among(TeamKind.values(), "team kinds"),
                doc="The team kinds whose meeting cadence is checked."),
        _duration_setting("cadence", "P1M",
                          "How often a team meets when it names no cadence of its own."),
        _duration_setting("grace", "P7D", "Slack allowed past the cadence before it fires."),
    ],
    source=_MIBLSI,
    why=("MTSS is a regular agenda item of the executive team's meetings, and the "
         "implementation team carries the work between them (MIBLSI). A team that has "
         "stopped meeting cannot keep either promise."),
    fix="Schedule the next meeting, or record the team's real cadence on the team.",
    example=("The implementation team last met on 2026-06-10 with a monthly cadence: as of "
             "2026-09-01 CAD002 fires on it."),
    subjects="team",
    select=lambda graph, ctx: [t for t in graph.teams() if t.kind in ctx["kinds"]],
    prepare=_group_all,
    reads={"meeting": ids_in("team"), "stage_record": teams_of_unit(),
           "unit": UNCHANGED, "team": ITSELF},
    labels_only=True,
)
def team_not_meeting(graph: AlignmentGraph, ctx: RuleContext, team: Team) -> Violation | None:
    """A team that has not met within its cadence once implementation began."""
    if team.kind not in ctx["kinds"]:
        return None
    start = _implementing(graph, team.unit, ctx)
    if start is None:
        return None
    as_of = _as_of(ctx)
    cadence = team.cadence or to_duration(ctx["cadence"])
    held = [m for m in graph.meetings(team.id) if m.date <= as_of]
    last = held[-1].date if held else None
    due = max(start, last or start) + cadence + to_duration(ctx["grace"])
    if as_of <= due:
        return None
    what = f"has not met since {last}" if last else "has no meeting on record"
    return Violation(
        subject=team.id,
        message=(f"{label(team)} {what}; with a cadence of {_words(cadence)} a "
                 f"meeting was due by {due}"),
        hint="schedule the next meeting (or set the team's cadence)",
        related=(team.unit, *([held[-1].id] if held else [])),
    )


@rule(
    code="CAD003",
    name="liaison-update-overdue",
    severity="warning",
    needs_as_of=True,
    settings=[FROM_STAGE,
              _duration_setting("every", "P3M", "How often the liaison updates the team.")],
    source=_MIBLSI,
    why=("The liaison provides implementation status updates to the executive leadership "
         "team, such as assessment results from districts or schools (MIBLSI). Without "
         "them the executive team decides on old news."),
    fix="Have the liaison give the executive team a status update, and record it.",
    example=("Maple Valley's liaison last updated the executive team on 2026-02-10: as of "
             "2026-09-01, with updates due every three months, CAD003 fires."),
    subjects="team",
    select=lambda graph, ctx: graph.teams(TeamKind.EXECUTIVE_LEADERSHIP),
    prepare=_group_all,
    # an executive team names its liaisons
    reads=with_person({"status_update": ids_in("team"), "stage_record": teams_of_unit(),
                       "membership": ids_in("team"), "unit": UNCHANGED,
                       "team": ITSELF}),
    labels_only=True,
)
def liaison_update_overdue(graph: AlignmentGraph, ctx: RuleContext, team: Team
                           ) -> Violation | None:
    """A liaison status update to the executive team is overdue."""
    if team.kind is not TeamKind.EXECUTIVE_LEADERSHIP:
        return None
    as_of = _as_of(ctx)
    start = _implementing(graph, team.unit, ctx)
    if start is None:
        return None
    updates = [u for u in graph.status_updates(team.id) if u.given_on <= as_of]
    last = updates[-1].given_on if updates else None
    due = max(start, last or start) + to_duration(ctx["every"])
    if as_of <= due:
        return None
    liaisons = [m.person for m in graph.members(team.id, as_of) if Role.LIAISON in m.roles]
    what = f"last on {last}" if last else "none on record"
    return Violation(
        subject=team.id,
        message=(f"the liaison's status update to {label(team)} is overdue "
                 f"({what}; one was due by {due})"),
        hint="have the liaison give an implementation status update",
        related=(team.unit, *liaisons, *([updates[-1].id] if updates else [])),
    )


@rule(
    code="CAD004",
    name="review-overdue",
    severity="warning",
    needs_as_of=True,
    settings=[_duration_setting("period", "P12M",
                                "How often visions, non-negotiables and plans are reviewed.")],
    source="Equitable MLSS; Leadership personnel",
    why=("Leadership teams create and communicate the vision, non-negotiables and "
         "continuous improvement process and keep improving them with data (Equitable "
         "MLSS; Leadership personnel). A product left unreviewed drifts from practice."),
    fix="Review it with the owning team and record reviewed_on.",
    example="Vision 'v-isd' was last reviewed on 2025-08-20: as of 2026-09-01 it is overdue.",
    subjects=TYPES.group("product"),
    # undated products have nothing to check
    select=lambda graph, ctx: [p for p in graph.products()
                               if p.reviewed_on is not None or p.adopted_on is not None],
    reads=dict.fromkeys(TYPES.group("product"), itself),
    labels_only=True,
)
def review_overdue(graph: AlignmentGraph, ctx: RuleContext, product: Product
                   ) -> Violation | None:
    """A vision, set of non-negotiables or improvement plan not reviewed within its period."""
    if product.reviewed_on is None and product.adopted_on is None:
        return None  # undated: nothing to check (the fast path)
    return product_review_overdue(graph, product, _as_of(ctx), to_duration(ctx["period"]))


def product_review_overdue(graph: AlignmentGraph, product: Product, as_of: pendulum.Date,
                           period: pendulum.Duration) -> Violation | None:
    """CAD004 for one product: last reviewed (or adopted) more than ``period`` ago."""
    last = last_review(product)
    if last is None or last > as_of:
        return None
    due = last + period
    if as_of <= due:
        return None
    return Violation(
        subject=product.id,
        message=(f"{product.kind.value} {product.id!r} of "
                 f"{label(graph.node(product.owner))} was last reviewed on {last}; "
                 f"its review was due by {due}"),
        hint="review it with its team and set reviewed_on",
        related=(product.owner,),
    )


#: The family's rules, in code order.
RULES = (mtss_off_executive_agenda, team_not_meeting, liaison_update_overdue, review_overdue)
