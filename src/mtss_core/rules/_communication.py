"""COM: communication protocols between school teams and the district, and their reviews."""

from __future__ import annotations

from typing import Any

from ..graph import AlignmentGraph, EdgeKind
from ..model import (
    OrgUnit,
    Protocol,
    Stage,
    Team,
    TeamKind,
    UnitKind,
    label,
    to_duration,
)
from ._dates import _as_of, _check_duration
from ._protocol import Edit, MemoKey, RuleContext, Setting, Violation, rule
from .reads import ITSELF, itself, structural

__all__ = ['protocol_review_overdue', 'school_team_without_protocol',
           'successes_not_highlighted']

#: The family of codes this module declares.
PREFIX = "COM"


_OWNS = "Who owns MTSS"


_SCHOOL_TEAMS = frozenset({TeamKind.SCHOOL_LEADERSHIP, TeamKind.SCHOOLWIDE_MTSS})


def _schools_of_protocol(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """COM001: a protocol concerns the schools its teams serve."""
    return {graph.node(t).unit for p in edit.versions for t in (p.from_team, p.to_team)
            if t in graph}


def _schools_of_team(graph: AlignmentGraph, ctx: RuleContext, team: Team) -> set[str]:
    """COM001: a school team concerns its school; an implementation team every school of
    its district."""
    if team.kind is TeamKind.DISTRICT_IMPLEMENTATION:
        if team.unit not in graph:
            return set()
        return {u.id for u in graph.descendants(team.unit) if u.kind is UnitKind.SCHOOL}
    return {team.unit} if team.kind in _SCHOOL_TEAMS else set()


@rule(
    code="COM001",
    name="school-team-without-protocol",
    severity="warning",
    source=_OWNS,
    why=("There should be a district implementation team and schoolwide teams with a "
         "built-in mechanism to share information across levels (Who owns MTSS): one per "
         "school, carried by its schoolwide MTSS team or its leadership team."),
    fix="Record the protocol linking one of the school's teams and the district "
        "implementation team (a designee and a cadence).",
    example=("Neither 't-annex-slt' nor 't-annex-mtss' has a protocol with 't-oak-dit': "
             "COM001 fires on school 'sch-annex'."),
    subjects="unit",
    select=lambda graph, ctx: dict.fromkeys(
        graph.node(t.unit) for t in graph.teams() if t.kind in _SCHOOL_TEAMS),
    prepare=lambda graph, ctx: _links_of(graph, ctx),
    reads={"protocol": _schools_of_protocol,
           "team": structural(_schools_of_team),
           "unit": ITSELF},
    labels_only=True,
)
def school_team_without_protocol(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                                 ) -> Violation | None:
    """A school with no protocol between its school teams and the implementation team.

    One built-in mechanism per school is enough: a protocol of its leadership team or of
    its schoolwide MTSS team with the district's implementation team."""
    if unit.kind is not UnitKind.SCHOOL:
        return None
    teams = [t for t in graph.teams_of(unit.id) if t.kind in _SCHOOL_TEAMS]
    if not teams:
        return None  # without school teams, TEA002 reports it
    district = graph.nearest(unit.id, UnitKind.DISTRICT)
    if district is None:
        return None
    impl = sorted(t.id for t in graph.teams_of(district.id, TeamKind.DISTRICT_IMPLEMENTATION))
    if not impl:
        return None  # without an implementation team, TEA001 reports it
    links = ctx.memo.get(MemoKey("protocol_links"))
    for team in teams:
        linked = links.get(team.id, set()) if links is not None else team_links(graph, team.id)
        if linked & set(impl):
            return None
    names = ", ".join(t.id for t in teams)
    return Violation(
        subject=unit.id,
        message=(f"{label(unit)} has no communication protocol between its school teams "
                 f"({names}) and the district implementation team ({', '.join(impl)})"),
        hint=f"record a protocol between {teams[0].id!r} and {impl[0]!r}",
        related=(*(t.id for t in teams), *impl))


def _links_of(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """team -> the teams it has a protocol with, in one pass."""
    links: dict[str, set[str]] = {}
    for p in graph.protocols():
        links.setdefault(p.from_team, set()).add(p.to_team)
        links.setdefault(p.to_team, set()).add(p.from_team)
    ctx.memo[MemoKey("protocol_links")] = links


def team_links(graph: AlignmentGraph, team_id: str) -> set[str]:
    """The teams ``team_id`` has a communication protocol with (as in COM001's pass)."""
    linked = {graph.node(p).to_team for p in graph.referrers(team_id, EdgeKind.LINKS_FROM)}
    return linked | {graph.node(p).from_team for p in graph.referrers(team_id, EdgeKind.LINKS_TO)}


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


def _unit_of(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    return {v.unit for v in edit.versions}


def _highlights_by_unit(graph: AlignmentGraph, ctx: RuleContext) -> None:
    """unit -> its success highlights, in one pass (a full run; a re-check scans)."""
    found: dict[str, list[Any]] = {}
    for h in graph.objects("success_highlight"):
        found.setdefault(h.unit, []).append(h)
    ctx.memo[MemoKey("success_highlights")] = found


def _implementing(graph: AlignmentGraph, ctx: RuleContext) -> list[OrgUnit]:
    """Districts and schools with a stage record (the candidates)."""
    seen = dict.fromkeys(r.unit for r in graph.stage_records())
    return [graph.node(u) for u in seen if u in graph
            and graph.node(u).kind in (UnitKind.DISTRICT, UnitKind.SCHOOL)]


@rule(
    code="COM003",
    name="successes-not-highlighted",
    severity="info",
    needs_as_of=True,
    settings=[Setting(name="every", default="P6M", check=_check_duration,
                      doc="How often a unit in initial implementation shares a success.")],
    source="Leadership personnel; MIBLSI initial implementation",
    why=("During initial implementation the work is hard and results are early: "
         "highlighting successes to staff, families and the board keeps buy-in while the "
         "system is built."),
    fix="Share an early success (a school's data, a team's win) and record it as a success "
        "highlight.",
    example=("'sch-annex' has been in initial implementation since 2025-08-25 and shared "
             "no success since: as of 2026-09-01 COM003 notes it."),
    subjects="unit",
    select=_implementing,
    prepare=_highlights_by_unit,
    reads={"success_highlight": _unit_of, "stage_record": _unit_of, "unit": ITSELF},
    labels_only=True,
)
def successes_not_highlighted(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                              ) -> Violation | None:
    """A unit in initial implementation that shared no success lately."""
    from ..graph import stage_as_of

    as_of = _as_of(ctx)
    if unit.kind not in (UnitKind.DISTRICT, UnitKind.SCHOOL) or stage_as_of(
            graph, unit.id, as_of=as_of) is not Stage.INITIAL_IMPLEMENTATION:
        return None
    key = ("COM003 since", ctx["every"], as_of)
    since = ctx.memo.get(key)
    if since is None:
        since = ctx.memo[key] = as_of - to_duration(ctx["every"])
    record = max((r for r in graph.stage_records(unit.id, "mtss")
                  if r.stage is Stage.INITIAL_IMPLEMENTATION and r.entered_on <= as_of),
                 key=lambda r: (r.entered_on, r.id), default=None)
    entered = None if record is None else record.entered_on
    if record is None or entered is None or entered > since:
        return None  # not long enough in the stage to expect one
    grouped = ctx.memo.get(MemoKey("success_highlights"))
    highlights = (grouped.get(unit.id, ()) if grouped is not None
                  else [h for h in graph.objects("success_highlight") if h.unit == unit.id])
    shared = [h for h in highlights if since < h.shared_on <= as_of]
    if shared:
        return None
    return Violation(
        subject=unit.id,
        message=(f"{label(unit)} has been in initial implementation since {entered} and "
                 f"shared no success since {since}"),
        hint="share an early success and record it (a success highlight)",
        related=(record.id,))


#: The family's rules, in code order.
RULES = (school_team_without_protocol, protocol_review_overdue, successes_not_highlighted)
