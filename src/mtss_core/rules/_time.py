"""Time rules: meeting cadence and agendas, liaison updates, reviews, stages, fidelity.

Every rule here is evaluated against the run's explicit "as of" date (``ctx.as_of``),
never the wall clock; without one they do not run (the report lists them as skipped).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pendulum

from ..graph import AlignmentGraph, last_review
from ..model import (
    FidelityAssessment,
    OrgUnit,
    Product,
    ReadinessAssessment,
    Role,
    Stage,
    StageRecord,
    Team,
    TeamKind,
    UnitKind,
    label,
    to_duration,
)
from ._protocol import RuleContext, Setting, Violation, among, rule
from .reads import ITSELF, UNCHANGED, ids_in, itself, structural, teams_of_unit, with_person

__all__ = [
    "fidelity_below_target",
    "fidelity_not_assessed",
    "liaison_update_overdue",
    "mtss_off_executive_agenda",
    "no_readiness_assessment",
    "review_overdue",
    "school_without_implementation_team",
    "stage_conflict",
    "stage_in_future",
    "stage_regression",
    "stage_skipped",
    "team_not_meeting",
]

_MIBLSI = "MIBLSI executive leadership"


def _check_duration(value: Any) -> str | None:
    try:
        to_duration(value)
    except (TypeError, ValueError) as exc:
        return str(exc)
    return None


def _check_stage(value: Any) -> str | None:
    try:
        Stage(value)
    except ValueError:
        return f"expected a stage among {list(Stage.values())}, got {value!r}"
    return None


def _duration_setting(name: str, default: str, doc: str) -> Setting:
    return Setting(name=name, default=default, doc=doc, check=_check_duration)


FROM_STAGE = Setting(
    name="from_stage", default="initial-implementation", check=_check_stage,
    doc=("The stage from which a unit counts as implementing (the check applies once the "
         "unit's stage records reach it)."))


def _as_of(ctx: RuleContext) -> pendulum.Date:
    assert ctx.as_of is not None  # rules needing a date only run with one
    return ctx.as_of


class _TimeIndex:
    """Stage records, readiness and fidelity assessments grouped by unit.

    Made once a run: a rule that reads every unit's history has them all grouped in one
    pass; a check of single units (as a :class:`~mtss_core.Session` makes after an edit)
    reads just those units' records.
    """

    def __init__(self, graph: AlignmentGraph) -> None:
        self._graph = graph
        self._complete = False
        self._units: dict[str, dict[str, list[StageRecord]]] = {}
        self._fidelity: dict[str, list[FidelityAssessment]] = {}
        self._readiness: dict[str, list[ReadinessAssessment]] = {}

    def units(self) -> list[str]:
        """Every unit with a stage record."""
        self.group_all()
        return list(self._units)

    def group_all(self) -> None:
        """Group every unit's records in one pass (once): for a rule that asks about every
        unit, far cheaper than asking the graph unit by unit."""
        if not self._complete:
            self._units = {}
            for record in self._graph.stage_records():  # sorted by date, then stage order
                self._units.setdefault(record.unit, {}).setdefault(
                    record.innovation, []).append(record)
            for a in self._graph.fidelity_assessments():
                self._fidelity.setdefault(a.unit, []).append(a)
            for r in self._graph.readiness_assessments():
                self._readiness.setdefault(r.unit, []).append(r)
            self._complete = True

    def histories(self, unit_id: str) -> dict[str, list[StageRecord]]:
        """innovation -> the unit's stage records, earliest first."""
        found = self._units.get(unit_id)
        if found is None:
            found = {}
            if not self._complete:
                for record in self._graph.stage_records(unit_id):
                    found.setdefault(record.innovation, []).append(record)
                self._units[unit_id] = found
        return found

    def fidelity(self, unit_id: str) -> Sequence[FidelityAssessment]:
        """The unit's fidelity and capacity assessments, earliest first."""
        if self._complete:
            return self._fidelity.get(unit_id, [])
        return self._graph.fidelity_assessments(unit_id)

    def readiness(self, unit_id: str) -> Sequence[ReadinessAssessment]:
        """The unit's readiness assessments, earliest first."""
        if self._complete:
            return self._readiness.get(unit_id, [])
        return self._graph.readiness_assessments(unit_id)

    def history(self, unit_id: str, as_of: pendulum.Date, innovation: str = "mtss"
                ) -> list[StageRecord]:
        return [r for r in self.histories(unit_id).get(innovation, ())
                if r.entered_on <= as_of]

    def start(self, unit_id: str, as_of: pendulum.Date, from_stage: Stage) -> pendulum.Date | None:
        """The first date the unit reached ``from_stage`` or later (by ``as_of``)."""
        for record in self.history(unit_id, as_of):
            if record.stage.order >= from_stage.order:
                return record.entered_on
        return None


def _index(graph: AlignmentGraph, ctx: RuleContext) -> _TimeIndex:
    found = ctx.memo.get("time_index")
    if found is None:
        found = ctx.memo["time_index"] = _TimeIndex(graph)
    assert isinstance(found, _TimeIndex)
    return found


def _implementing(graph: AlignmentGraph, unit_id: str, ctx: RuleContext) -> pendulum.Date | None:
    return _index(graph, ctx).start(unit_id, _as_of(ctx), Stage(ctx["from_stage"]))


def _group_all(graph: AlignmentGraph, ctx: RuleContext) -> None:
    _index(graph, ctx).group_all()


def _with_records(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[OrgUnit]:
    """The units with a stage record (the only ones the stage rules can fire on)."""
    return map(graph.node, _index(graph, ctx).units())


UNCHANGED = UNCHANGED
ITSELF = ITSELF


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
    return agenda_missed(graph, team, ctx)


def agenda_missed(graph: AlignmentGraph, team: Team, ctx: RuleContext) -> Violation | None:
    """CAD001 for one team: an executive team's meetings that left MTSS off the agenda."""
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
    return meeting_overdue(graph, team, ctx)


def meeting_overdue(graph: AlignmentGraph, team: Team, ctx: RuleContext) -> Violation | None:
    """CAD002 for one team: of a kind checked, and not met within its cadence."""
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
    return update_overdue(graph, team, ctx)


def update_overdue(graph: AlignmentGraph, team: Team, ctx: RuleContext) -> Violation | None:
    """CAD003 for one team: an executive team's liaison update overdue."""
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
    liaisons = [m.person for m in graph.members(team.id) if Role.LIAISON in m.roles]
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
    subjects=("vision", "non_negotiables", "improvement_plan"),
    # undated products have nothing to check
    select=lambda graph, ctx: [p for p in graph.products()
                               if p.reviewed_on is not None or p.adopted_on is not None],
    reads=dict.fromkeys(("vision", "non_negotiables", "improvement_plan"), itself),
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


_NIRN = "NIRN implementation stages (MIBLSI); Equitable MLSS"




@rule(
    code="STG001",
    name="stage-in-future",
    severity="error",
    needs_as_of=True,
    source=_NIRN,
    why="A stage record dated after the as-of date records something that has not happened.",
    fix="Correct the date, or remove the record until the stage is entered.",
    example="As of 2026-09-01, a record says 'sch-lincoln' entered full implementation on "
            "2027-01-10: STG001 fires on it.",
    subjects="stage_record",
    select=lambda graph, ctx: [r for r in graph.objects("stage_record")
                               if r.entered_on > ctx.as_of],
    reads={"stage_record": itself},
    labels_only=True,
)
def stage_in_future(graph: AlignmentGraph, ctx: RuleContext, record: StageRecord
                    ) -> Violation | None:
    """A stage record dated after the as-of date."""
    return record_in_future(graph, record, ctx)


def record_in_future(graph: AlignmentGraph, record: StageRecord, ctx: RuleContext
                     ) -> Violation | None:
    """STG001 for one stage record."""
    as_of = _as_of(ctx)
    if record.entered_on <= as_of:
        return None
    return Violation(
        subject=record.id,
        message=(f"stage record {record.id!r}: {label(graph.node(record.unit))} "
                 f"enters {record.stage.value} on {record.entered_on}, after the "
                 f"as-of date {as_of}"),
        hint="correct the date, or record the stage once it is entered",
        related=(record.unit,))


def _moves(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
           ) -> Iterator[tuple[Any | None, Any]]:
    """(previous record or None, record) for the unit's records up to the as-of date."""
    as_of = _as_of(ctx)
    for records in _index(graph, ctx).histories(unit_id).values():
        prev = None
        for record in records:
            if record.entered_on > as_of:
                break
            yield prev, record
            prev = record


@rule(
    code="STG002",
    name="stage-skipped",
    severity="warning",
    needs_as_of=True,
    settings=[Setting(name="require_exploration", default=True,
                      doc="Whether a unit's first record must be exploration.")],
    source=_NIRN,
    why=("Implementation moves through exploration, installation, initial and full "
         "implementation (NIRN), and readiness is assessed before starting. Skipping a "
         "stage usually means the infrastructure it builds is missing."),
    fix="Record the skipped stage with its date, or go back and do its work.",
    example="'dist-oak' moves from exploration straight to initial implementation: STG002 "
            "fires on that record.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED},
    labels_only=True,
)
def stage_skipped(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Iterator[Violation]:
    """A move forward by more than one implementation stage."""
    return stage_skips(graph, ctx, unit.id)


def stage_skips(graph: AlignmentGraph, ctx: RuleContext, unit_id: str) -> Iterator[Violation]:
    """STG002 for one unit."""
    for prev, record in _moves(graph, ctx, unit_id):
        if prev is None:
            if not ctx["require_exploration"] or record.stage is Stage.EXPLORATION:
                continue
            skipped = list(Stage)[:record.stage.order]
            start = "starts at"
        else:
            if record.stage.order - prev.stage.order <= 1:
                continue
            skipped = list(Stage)[prev.stage.order + 1:record.stage.order]
            start = f"moves from {prev.stage.value} to"
        yield Violation(
            subject=record.id,
            message=(f"{label(graph.node(record.unit))} {start} {record.stage.value} on "
                     f"{record.entered_on}, skipping " + ", ".join(s.value for s in skipped)),
            hint="record the skipped stages with their dates, or do their work",
            related=(record.unit, *([prev.id] if prev else [])))


@rule(
    code="STG003",
    name="stage-regression",
    severity="info",
    needs_as_of=True,
    source=_NIRN,
    why=("Stages can move back — turnover, a new initiative, lost funding — and that is "
         "legal; it is worth knowing, never an error."),
    fix="Nothing is required; plan the support the unit needs to move forward again.",
    example="'sch-annex' goes back from initial implementation to installation: STG003 "
            "notes it.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED},
    labels_only=True,
)
def stage_regression(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Iterator[Violation]:
    """A unit that moved back to an earlier stage (information)."""
    return stage_regressions(graph, ctx, unit.id)


def stage_regressions(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                      ) -> Iterator[Violation]:
    """STG003 for one unit."""
    for prev, record in _moves(graph, ctx, unit_id):
        if prev is not None and record.stage.order < prev.stage.order:
            yield Violation(
                subject=record.id,
                message=(f"{label(graph.node(record.unit))} moved back from "
                         f"{prev.stage.value} to {record.stage.value} on {record.entered_on}"),
                hint="no action required; plan support to move forward again",
                related=(record.unit, prev.id))


@rule(
    code="STG004",
    name="stage-conflict",
    severity="error",
    source=_NIRN,
    why="Two different stages entered on the same day cannot be put in order.",
    fix="Correct one of the dates, or remove the wrong record.",
    example="'dist-oak' enters both installation and initial implementation on "
            "2025-08-01: STG004 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED},
    labels_only=True,
)
def stage_conflict(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit) -> Iterator[Violation]:
    """Two stage records of one unit and innovation on the same day with different stages."""
    return stage_conflicts(graph, ctx, unit.id)


def stage_conflicts(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                    ) -> Iterator[Violation]:
    """STG004 for one unit."""
    for records in _index(graph, ctx).histories(unit_id).values():
        by_day: dict[pendulum.Date, list[Any]] = {}
        for record in records:
            by_day.setdefault(record.entered_on, []).append(record)
        for day, same in by_day.items():
            if len({r.stage for r in same}) > 1:
                ids = [r.id for r in same]
                yield Violation(
                    subject=ids[0],
                    message=(f"{label(graph.node(same[0].unit))} enters "
                             + " and ".join(r.stage.value for r in same) + f" on {day}"),
                    hint="correct one of the dates, or remove the wrong record",
                    related=(same[0].unit, *ids[1:]))


@rule(
    code="STG005",
    name="no-readiness-assessment",
    severity="warning",
    needs_as_of=True,
    source="MIBLSI executive leadership; Equitable MLSS",
    why=("Exploration decides whether a district is ready for MTSS, and leadership assesses "
         "readiness before leading the change (MIBLSI; Equitable MLSS)."),
    fix=("Record the readiness assessment made before installation began; an assessment "
         "that found the unit not ready does not count (ready: false)."),
    example="'dist-oak' entered installation on 2025-01-10 with no readiness assessment "
            "on or before that date: STG005 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "readiness_assessment": ids_in("unit"),
           "unit": UNCHANGED},
    labels_only=True,
)
def no_readiness_assessment(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                            ) -> Iterator[Violation]:
    """A unit that began installation with no readiness assessment before it."""
    return unready_starts(graph, ctx, unit.id)


def unready_starts(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                   ) -> Iterator[Violation]:
    """STG005 for one unit: each innovation it began with no readiness assessment."""
    as_of = _as_of(ctx)
    index = _index(graph, ctx)
    for innovation, records in index.histories(unit_id).items():
        begun = [r for r in records if r.stage.order >= Stage.INSTALLATION.order
                 and r.entered_on <= as_of]
        if not begun:
            continue
        first = begun[0]
        before = [a for a in index.readiness(unit_id)
                  if a.innovation == innovation and a.assessed_on <= first.entered_on]
        # readiness is an assessment that did not find the unit unready ("ready", or a
        # score with no verdict recorded)
        if any(a.ready is not False for a in before):
            continue
        if before:
            last = before[-1]
            why = (f"after readiness assessment {last.id!r} ({last.assessed_on}) found it "
                   "not ready, with none since")
        else:
            why = "with no readiness assessment before it"
        yield Violation(
            subject=unit_id,
            message=(f"{label(graph.node(unit_id))} entered {first.stage.value} on "
                     f"{first.entered_on} {why}"),
            hint=("reassess readiness, and record the assessment that finds it ready"
                  if before else "record the readiness assessment made during exploration"),
            related=(first.id, *(a.id for a in before)))


_FIXSEN = "Who owns MTSS (citing Fixsen et al.); Leadership elements"


def _in_implementation(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                       ) -> tuple[Stage, list[FidelityAssessment]] | None:
    """(current stage, its assessments by the as-of date) for a unit implementing MTSS."""
    as_of = _as_of(ctx)
    index = _index(graph, ctx)
    history = index.history(unit_id, as_of)
    if not history or history[-1].stage.order < Stage.INITIAL_IMPLEMENTATION.order:
        return None
    return history[-1].stage, [a for a in index.fidelity(unit_id) if a.assessed_on <= as_of]


@rule(
    code="FID001",
    name="fidelity-below-target",
    severity="warning",
    needs_as_of=True,
    source=_FIXSEN,
    why=("Fidelity is the measure of whether the practices are in place; with "
         "implementation teams over 80% of sites reached fidelity (Fixsen et al.). A latest "
         "score below target says where support is needed."),
    fix="Use the sub-scale scores to plan support, and reassess.",
    example="The latest TFI of 'sch-annex' is 64% against a target of 80%: FID001 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "fidelity_assessment": ids_in("unit"),
           "unit": UNCHANGED},
    labels_only=True,
)
def fidelity_below_target(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                          ) -> Iterator[Violation]:
    """A unit in implementation whose latest fidelity assessment is below its target."""
    return below_target(graph, ctx, unit.id)


def below_target(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                 ) -> Iterator[Violation]:
    """FID001 for one unit: each instrument whose latest assessment missed its target."""
    found = _in_implementation(graph, ctx, unit_id)
    if found is None:
        return
    latest: dict[str, Any] = {}
    for a in found[1]:
        latest[a.instrument] = a
    for instrument, a in sorted(latest.items()):
        if not a.reached:
            low = sorted(dict(a.subscales).items(), key=lambda kv: kv[1])[:2]
            yield Violation(
                subject=a.id,
                message=(f"the latest {instrument} of {label(graph.node(unit_id))} "
                         f"({a.assessed_on}) scored {a.total:g}%, below its target of "
                         f"{a.target:g}%"
                         + ("; lowest: " + ", ".join(f"{n} {v:g}%" for n, v in low)
                            if low else "")),
                hint="plan support from the lowest sub-scales, then reassess",
                related=(unit_id,))


@rule(
    code="FID002",
    name="fidelity-not-assessed",
    severity="warning",
    needs_as_of=True,
    settings=[_duration_setting("window", "P6M",
                                "How long a unit in implementation may go without an "
                                "assessment (capacity assessments run twice a year).")],
    source=_FIXSEN,
    why=("Fidelity and capacity assessments show whether implementation is on track; "
         "they are commonly run twice a year, and the liaison reports them upward "
         "(MIBLSI)."),
    fix="Run the fidelity or capacity assessment, and record its results.",
    example="'sch-lincoln' is in initial implementation and was last assessed 9 months ago: "
            "FID002 fires.",
    subjects="unit",
    select=_with_records,
    reads={"stage_record": ids_in("unit"), "fidelity_assessment": ids_in("unit"),
           "unit": UNCHANGED},
    labels_only=True,
)
def fidelity_not_assessed(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                          ) -> Violation | None:
    """A unit in initial or full implementation with no assessment within the window."""
    return assessment_overdue(graph, ctx, unit.id)


def assessment_overdue(graph: AlignmentGraph, ctx: RuleContext, unit_id: str
                       ) -> Violation | None:
    """FID002 for one unit."""
    found = _in_implementation(graph, ctx, unit_id)
    if found is None:
        return None
    stage, done = found
    as_of = _as_of(ctx)
    index = _index(graph, ctx)
    start = index.start(unit_id, as_of, Stage.INITIAL_IMPLEMENTATION)
    assert start is not None
    last = done[-1].assessed_on if done else None
    due = max(start, last or start) + to_duration(ctx["window"])
    if as_of <= due:
        return None
    what = f"last assessed on {last}" if last else "never assessed"
    return Violation(
        subject=unit_id,
        message=(f"{label(graph.node(unit_id))} is in {stage.value} and was {what}; "
                 f"an assessment was due by {due}"),
        hint="run the fidelity or capacity assessment and record it",
        related=(*(a.id for a in done[-1:]),
                 *[r.id for r in index.history(unit_id, as_of)][-1:]))


@rule(
    code="IMP001",
    name="school-without-implementation-team",
    severity="error",
    needs_as_of=True,
    settings=[FROM_STAGE],
    source="Who owns MTSS (citing Fixsen et al.)",
    why=("With competent implementation teams over 80% of sites used the practices with "
         "fidelity, without them only 30%, and the time to fidelity fell from 7 to 3.6 years "
         "(Who owns MTSS, citing Fixsen et al. 2001). A school implementing MTSS needs a "
         "district implementation team behind it."),
    fix="Form a district implementation team serving the school's district.",
    example="'sch-annex' is in initial implementation but 'dist-oak' has no implementation "
            "team: IMP001 fires on the school.",
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.SCHOOL),
    prepare=_group_all,
    reads={"stage_record": ids_in("unit"), "unit": UNCHANGED,
           "team": structural(lambda graph, ctx, team: _schools_below(graph, team))},
    labels_only=True,
)
def school_without_implementation_team(graph: AlignmentGraph, ctx: RuleContext,
                                       school: OrgUnit) -> Violation | None:
    """A school in implementation without a district implementation team behind it."""
    return no_implementation_team(graph, ctx, school)


def _schools_below(graph: AlignmentGraph, team: Team) -> list[str]:
    """IMP001 looks to a district's implementation team from its schools."""
    if team.kind is not TeamKind.DISTRICT_IMPLEMENTATION or team.unit not in graph:
        return []
    return [u.id for u in (graph.node(team.unit), *graph.descendants(team.unit))
            if u.kind is UnitKind.SCHOOL]


def no_implementation_team(graph: AlignmentGraph, ctx: RuleContext, school: OrgUnit
                           ) -> Violation | None:
    """IMP001 for one unit: a school implementing with no implementation team above."""
    if school.kind is not UnitKind.SCHOOL or _implementing(graph, school.id, ctx) is None:
        return None
    district = graph.nearest(school.id, UnitKind.DISTRICT)
    above = district or graph.nearest(school.id, UnitKind.ISD)
    if above is None or graph.teams_of(above.id, TeamKind.DISTRICT_IMPLEMENTATION):
        return None
    return Violation(
        subject=school.id,
        message=(f"{label(school)} is implementing MTSS but {label(above)} has no "
                 "implementation team behind it"),
        hint=f"form a district implementation team serving {above.id!r}",
        related=(above.id,))
