"""COM: communication protocols between school teams and the district, and their reviews."""

from __future__ import annotations

from ..graph import AlignmentGraph, EdgeKind
from ..model import (
    Protocol,
    Team,
    TeamKind,
    UnitKind,
    label,
    to_duration,
)
from ._dates import _as_of, _check_duration
from ._protocol import RuleContext, Setting, Violation, rule
from .reads import UNCHANGED, ids_in, itself, structural

__all__ = ['protocol_review_overdue', 'school_team_without_protocol']

#: The family of codes this module declares.
PREFIX = "COM"


_OWNS = "Who owns MTSS"


_SCHOOL_TEAMS = frozenset({TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS})


@rule(
    code="COM001",
    name="school-team-without-protocol",
    severity="warning",
    source=_OWNS,
    why=("There should be a district implementation team and schoolwide teams with a "
         "built-in mechanism to share information across levels (Who owns MTSS)."),
    fix="Record the protocol linking the school team and the district implementation team "
        "(a designee and a cadence).",
    example="'t-annex-mtss' has no protocol with 't-oak-dit': COM001 fires.",
    subjects="team",
    select=lambda graph, ctx: [t for t in graph.teams() if t.kind in _SCHOOL_TEAMS],
    prepare=lambda graph, ctx: _links_of(graph, ctx),
    reads={"protocol": ids_in("from_team", "to_team"),
           "team": structural(lambda graph, ctx, team: _team_and_school_teams(graph, team)),
           "unit": UNCHANGED},
    labels_only=True,
)
def school_team_without_protocol(graph: AlignmentGraph, ctx: RuleContext, team: Team
                                 ) -> Violation | None:
    """A school leadership or MTSS team with no link to its district's implementation team."""
    if team.kind not in (TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS):
        return None
    links = ctx.memo.get("protocol_links")
    linked = links.get(team.id, set()) if links is not None else team_links(graph, team.id)
    return unlinked_team(graph, team, linked)


def _links_of(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """team -> the teams it has a protocol with, in one pass."""
    links: dict[str, set[str]] = {}
    for p in graph.protocols():
        links.setdefault(p.from_team, set()).add(p.to_team)
        links.setdefault(p.to_team, set()).add(p.from_team)
    ctx.memo["protocol_links"] = links


def _team_and_school_teams(graph: AlignmentGraph, team: Team) -> set[str]:
    """COM001: the team itself, and for an implementation team every team below it."""
    found = {team.id}
    if team.kind is TeamKind.DISTRICT_IMPLEMENTATION and team.unit in graph:
        found.update(t.id for u in graph.descendants(team.unit) for t in graph.teams_of(u.id))
    return found


def team_links(graph: AlignmentGraph, team_id: str) -> set[str]:
    """The teams ``team_id`` has a communication protocol with (as in COM001's pass)."""
    linked = {graph.node(p).to_team for p in graph.referrers(team_id, EdgeKind.LINKS_FROM)}
    return linked | {graph.node(p).from_team for p in graph.referrers(team_id, EdgeKind.LINKS_TO)}


def unlinked_team(graph: AlignmentGraph, team: Team, linked: set[str]) -> Violation | None:
    """COM001 for one team, given the teams it has a protocol with."""
    if team.kind not in (TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS):
        return None
    district = graph.nearest(team.unit, UnitKind.DISTRICT)
    if district is None:
        return None
    impl = {t.id for t in graph.teams_of(district.id, TeamKind.DISTRICT_IMPLEMENTATION)}
    if not impl or linked & impl:
        return None  # without an implementation team, TEA001 reports it
    return Violation(
        subject=team.id,
        message=(f"{label(team)} has no communication protocol with the district "
                 f"implementation team ({', '.join(sorted(impl))})"),
        hint=f"record a protocol between {team.id!r} and {sorted(impl)[0]!r}",
        related=tuple(sorted(impl)))


@rule(
    code="COM002",
    name="protocol-review-overdue",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="period", default="P12M", check=_check_duration,
                      doc="How often a communication protocol is reviewed.")],
    source=_OWNS,
    why="A protocol nobody has looked at in a year no longer matches how the teams work.",
    fix="Review the protocol with both teams and record reviewed_on.",
    example="Protocol 'cp-lincoln' was reviewed on 2025-05-01: as of 2026-09-01 COM002 fires.",
    subjects="protocol",
    reads={"protocol": itself},
    labels_only=True,
)
def protocol_review_overdue(graph: AlignmentGraph, ctx: RuleContext, p: Protocol
                            ) -> Violation | None:
    """A communication protocol past its review date."""
    as_of = _as_of(ctx)
    period = to_duration(ctx["period"])
    if p.reviewed_on is None or p.reviewed_on > as_of or p.reviewed_on + period >= as_of:
        return None
    return Violation(
        subject=p.id,
        message=(f"communication protocol {p.id!r} ({p.from_team} -> {p.to_team}) was "
                 f"last reviewed on {p.reviewed_on}; due by {p.reviewed_on + period}"),
        hint="review it with both teams and set reviewed_on",
        related=(p.from_team, p.to_team))


#: The family's rules, in code order.
RULES = (school_team_without_protocol, protocol_review_overdue)
