"""Time: dates done right, every time rule on both sides of its window, the queries."""

from __future__ import annotations

import json
import typing

import pendulum
import pytest

from conftest import AS_OF, findings, healthy_objects, with_changes
from mtss_core import (
    AlignmentGraph,
    Config,
    DocumentError,
    Team,
    Vision,
    example,
    loads,
    validate,
)
from mtss_core.analysis import (
    due_for_review,
    fidelity_trend,
    stage_as_of,
    time_in_stage,
    time_to_fidelity,
    timeline,
)
from mtss_core.model import (
    FidelityAssessment,
    Meeting,
    ReadinessAssessment,
    Stage,
    StageRecord,
    StatusUpdate,
    to_datetime,
    to_duration,
)


def subjects(graph, code, as_of=None, **settings):
    return [f.subject for f in findings(graph, code, as_of=as_of, **settings)]


class TestDates:
    def test_naive_date_times_are_refused(self):
        """A meeting time without offset or zone is refused with the value in the message."""
        with pytest.raises(ValueError, match="naive '2026-03-09T16:00'"):
            Meeting(id="m", team="t", starts_at="2026-03-09T16:00")

    def test_zone_names_and_offsets(self):
        """Offsets and named zones are kept; equal instants are equal."""
        a = to_datetime("2026-03-09T16:00:00-04:00")
        b = to_datetime("2026-03-09T16:00", tz="America/Detroit")
        c = to_datetime("2026-03-09T20:00:00Z")
        assert a == b == c

    def test_dst_gap_and_overlap(self):
        """Local times in a DST gap move forward; in the overlap the later offset is used."""
        spring = to_datetime("2026-03-08T02:30", tz="America/Detroit")
        fall = to_datetime("2026-11-01T01:30", tz="America/Detroit")
        assert spring.isoformat() == "2026-03-08T03:30:00-04:00"
        assert fall.utcoffset().total_seconds() == -5 * 3600

    def test_meeting_date_is_the_local_date(self):
        """A meeting's date is the calendar date where it was held, not the UTC date."""
        late = Meeting(id="m", team="t", starts_at="2026-03-09T23:30:00-04:00")
        assert str(late.date) == "2026-03-09"
        assert late.starts_at.in_timezone("UTC").date() == pendulum.date(2026, 3, 10)

    def test_durations_keep_calendar_units(self):
        """One month after 31 January is the end of February; ISO strings round-trip."""
        assert pendulum.date(2026, 1, 31) + to_duration("P1M") == pendulum.date(2026, 2, 28)
        with pytest.raises(ValueError, match="ISO 8601 duration"):
            to_duration("monthly")

    def test_stage_aliases(self):
        """The Equitable MLSS stage names are aliases of the NIRN ones."""
        assert [Stage(s) for s in ("purpose building", "creating-infrastructure",
                                   "initial", "full")] == list(Stage)

    def test_percentages_are_checked(self):
        """Scores are percentages from 0 to 100."""
        with pytest.raises(ValueError, match="from 0 to 100"):
            FidelityAssessment(id="f", unit="u", instrument="TFI", assessed_on="2026-01-01",
                               total=120)
        with pytest.raises(ValueError, match="sub-scale 'Tier 1'"):
            FidelityAssessment(id="f", unit="u", instrument="TFI", assessed_on="2026-01-01",
                               total=80, subscales={"Tier 1": -3})


class TestDocuments:
    DOC: typing.ClassVar = {"format_version": 1, "as_of": "2026-09-01",
           "units": [{"id": "d", "kind": "district"}],
           "teams": [{"id": "t", "kind": "executive-leadership", "unit": "d",
                      "cadence": "P2M"}],
           "meetings": [{"id": "m", "team": "t", "starts_at": "2026-03-09T16:00"}]}

    def test_naive_time_in_a_document_points_at_the_field(self):
        """Without a document timezone, a naive time is a located problem."""
        with pytest.raises(DocumentError) as info:
            loads(json.dumps(self.DOC, indent=1))
        (p,) = info.value.problems
        assert p.pointer == "/meetings/0/starts_at" and p.line is not None
        assert "naive" in p.message

    def test_document_timezone_reads_naive_times(self):
        """A top-level timezone says which zone naive times are in."""
        g = loads(json.dumps({**self.DOC, "timezone": "America/Detroit"}))
        assert g["m"].starts_at.isoformat() == "2026-03-09T16:00:00-04:00"
        assert g.as_of == pendulum.date(2026, 9, 1)
        assert g["t"].cadence == to_duration("P2M")

    @pytest.mark.parametrize(("key", "value", "pointer"), [
        ("timezone", "Mars/Olympus", "/timezone"), ("as_of", "someday", "/as_of")])
    def test_bad_header(self, key, value, pointer):
        """An unknown zone or a bad as_of is reported at its pointer."""
        with pytest.raises(DocumentError) as info:
            loads(json.dumps({**self.DOC, key: value, "meetings": []}))
        assert [p.pointer for p in info.value.problems] == [pointer]

    def test_example_round_trips_with_its_year_of_data(self):
        """Dates, date-times with offsets and durations survive a dump and load."""
        from mtss_core import dumps, to_data

        g = example()
        again = loads(dumps(g))
        assert to_data(again) == to_data(g)
        assert again.as_of == g.as_of
        assert {o.id: o for o in again} == {o.id: o for o in g}


def meeting(team, day, topics=("mtss",)):
    return Meeting(id=f"m-x-{team}-{day}", team=team,
                   starts_at=f"{day}T16:00:00-04:00",
                   agenda=[{"title": "Item", "topics": list(topics)}])


class TestCadence:
    def test_mtss_left_off_the_agenda(self):
        """CAD001 fires for a meeting without MTSS inside the window, not before it."""
        inside = with_changes(meeting("t-d1-exec", "2026-08-20", topics=["budget"]))
        before = with_changes(meeting("t-d1-exec", "2026-02-20", topics=["budget"]))
        (f,) = findings(inside, "CAD001")
        assert f.subject == "t-d1-exec" and "1 of its 7 meetings" in f.message
        assert f.related == ("d1", "m-x-t-d1-exec-2026-08-20")
        assert subjects(before, "CAD001") == []
        assert subjects(inside, "CAD001", max_missed=1) == []

    def test_agenda_only_counts_once_implementation_began(self):
        """Before the unit reaches the from_stage, agendas are not checked."""
        g = with_changes(meeting("t-d1-exec", "2026-08-20", topics=["budget"]))
        assert subjects(g, "CAD001", from_stage="full-implementation") == []

    def test_team_not_meeting_both_sides_of_the_window(self):
        """CAD002: last met 2026-08-13 (exec) and 08-16 (implementation), monthly, 7 days."""
        g = with_changes()
        assert subjects(g, "CAD002", as_of="2026-09-20") == []
        (f,) = findings(g, "CAD002", as_of="2026-09-21")
        assert f.subject == "t-d1-exec"
        assert f.message.endswith("has not met since 2026-08-13; with a cadence of 1 month "
                                  "a meeting was due by 2026-09-20")
        assert subjects(g, "CAD002", as_of="2026-09-24") == ["t-d1-dit", "t-d1-exec"]
        assert subjects(g, "CAD002", as_of="2026-09-24",
                        kinds=["district-implementation"]) == ["t-d1-dit"]

    def test_team_cadence_overrides_the_default(self):
        """A team meeting every three months is not late after one."""
        g = with_changes(Team(id="t-d1-dit", kind="district-implementation", unit="d1",
                              cadence="P3M"))
        assert "t-d1-dit" not in subjects(g, "CAD002", as_of="2026-10-01")
        assert "t-d1-dit" in subjects(g, "CAD002", as_of="2026-11-24")

    def test_liaison_update_overdue(self):
        """CAD003: last update 2026-07-13, every three months: due by 2026-10-13."""
        g = with_changes()
        assert subjects(g, "CAD003", as_of="2026-10-13") == []
        (f,) = findings(g, "CAD003", as_of="2026-10-14")
        assert "last on 2026-07-13; one was due by 2026-10-13" in f.message
        assert f.related == ("d1", "p-d1-liaison", "su-d1")

    def test_no_update_ever_counts_from_implementation(self):
        """With no update on record, the clock starts when implementation began."""
        g = with_changes(drop=("su-d1",))
        (f,) = findings(g, "CAD003", as_of="2025-04-07")
        assert "none on record" in f.message
        assert subjects(g, "CAD003", as_of="2025-04-06") == []

    def test_review_overdue(self):
        """CAD004 uses the later of reviewed_on and adopted_on."""
        g = with_changes(Vision(id="v-d1", owner="d1", aligned_to="v-isd",
                                addresses=["fa-d1", *[f"fa{i}" for i in range(5)]],
                                adopted_on="2024-08-19", reviewed_on="2025-09-02"))
        assert subjects(g, "CAD004", as_of="2026-09-02") == []
        assert subjects(g, "CAD004", as_of="2026-09-03") == ["v-d1"]
        assert subjects(g, "CAD004", as_of="2026-09-03", period="P24M") == []


class TestStages:
    def test_future_record(self):
        """STG001: a record after the as-of date; not once that date has come."""
        g = with_changes(StageRecord(id="st-x", unit="s1", stage="full",
                                     entered_on="2026-09-02"))
        assert subjects(g, "STG001") == ["st-x"]
        assert subjects(g, "STG001", as_of="2026-09-02") == []

    def test_skip_regression_conflict(self):
        """STG002 warns of a skip, STG003 informs of a move back, STG004 of a conflict."""
        g = with_changes(
            StageRecord(id="st-d2-0", unit="d2", stage="exploration", entered_on="2025-01-06"),
            StageRecord(id="st-d2-1", unit="d2", stage="full", entered_on="2025-03-03"),
            StageRecord(id="st-d2-2", unit="d2", stage="installation", entered_on="2025-05-05"),
            StageRecord(id="st-d2-3", unit="d2", stage="initial", entered_on="2025-05-05"),
            ReadinessAssessment(id="ra-d2", unit="d2", assessed_on="2025-01-20"))
        (skip,) = findings(g, "STG002")
        assert skip.subject == "st-d2-1"
        assert skip.message.endswith("skipping installation, initial-implementation")
        regression = findings(g, "STG003")
        assert [f.subject for f in regression] == ["st-d2-2"]
        assert regression[0].severity.value == "info"
        (conflict,) = findings(g, "STG004")
        assert {conflict.subject, *conflict.related} == {"st-d2-2", "st-d2-3", "d2"}

    def test_first_record_must_be_exploration_unless_relaxed(self):
        """Starting at installation skips exploration, unless the setting allows it."""
        g = with_changes(StageRecord(id="st-d2-1", unit="d2", stage="installation",
                                     entered_on="2025-03-03"),
                         ReadinessAssessment(id="ra-d2", unit="d2", assessed_on="2025-01-20"))
        assert subjects(g, "STG002") == ["st-d2-1"]
        assert subjects(g, "STG002", require_exploration=False) == []

    def test_readiness_before_installation(self):
        """STG005: readiness must be assessed on or before entering installation."""
        late = with_changes(ReadinessAssessment(id="ra-d1", unit="d1",
                                                assessed_on="2024-06-04"))
        on_time = with_changes(ReadinessAssessment(id="ra-d1", unit="d1",
                                                   assessed_on="2024-06-03"))
        assert subjects(late, "STG005") == ["d1"]
        assert subjects(on_time, "STG005") == []


class TestFidelity:
    def test_latest_below_target(self):
        """FID001 looks at the latest assessment of each instrument only."""
        low = with_changes(FidelityAssessment(id="tfi-s1-2", unit="s1", instrument="TFI",
                                              assessed_on="2026-08-03", total=70,
                                              subscales={"Tier 2": 55, "Tier 1": 80}))
        (f,) = findings(low, "FID001")
        assert f.subject == "tfi-s1-2" and "70%, below its target of 80%" in f.message
        assert "lowest: Tier 2 55%, Tier 1 80%" in f.message
        recovered = with_changes(FidelityAssessment(id="tfi-s1-0", unit="s1", instrument="TFI",
                                                    assessed_on="2025-11-03", total=60))
        assert subjects(recovered, "FID001") == []

    def test_target_is_per_assessment(self):
        """A lower target set on the assessment is respected."""
        g = with_changes(FidelityAssessment(id="tfi-s1", unit="s1", instrument="TFI",
                                            assessed_on="2026-05-04", total=72, target=70))
        assert subjects(g, "FID001") == []

    def test_not_assessed_within_the_window(self):
        """FID002: last TFI 2026-05-04 plus six months: due by 2026-11-04."""
        g = with_changes()
        assert "s1" not in subjects(g, "FID002", as_of="2026-11-04")
        assert "s1" in subjects(g, "FID002", as_of="2026-11-05")
        assert "s1" not in subjects(g, "FID002", as_of="2026-11-05", window="P12M")

    def test_only_units_in_implementation(self):
        """A unit back in installation is not expected to be assessed."""
        g = with_changes(StageRecord(id="st-s1-back", unit="s1", stage="installation",
                                     entered_on="2026-06-01"))
        assert "s1" not in subjects(g, "FID002", as_of="2027-06-01")

    def test_school_without_implementation_team(self):
        """IMP001 fires when the school's district has no implementation team."""
        assert subjects(with_changes(drop=("t-d1-dit",)), "IMP001") == ["s1"]
        assert subjects(with_changes(), "IMP001") == []


class TestDeterminism:
    def test_same_findings_on_any_day(self):
        """For a fixed as_of, the report does not depend on the day it is made."""
        g = example()
        with pendulum.travel_to(pendulum.datetime(2020, 1, 1), freeze=True):
            first = validate(g)
        with pendulum.travel_to(pendulum.datetime(2031, 6, 15), freeze=True):
            second = validate(g)
        assert first == second
        assert first.as_of == pendulum.date(2026, 9, 1)

    def test_no_as_of_means_time_rules_are_skipped_and_said(self):
        """Without any as-of date, time rules do not run and the report says which."""
        g = AlignmentGraph(healthy_objects())
        report = validate(g)
        assert "CAD001" in report.skipped and "CAD001" not in report.rules
        assert "STG004" in report.rules  # needs no date
        assert report.to_dict()["skipped"] == list(report.skipped)

    def test_config_as_of_beats_the_documents(self):
        """An explicit as_of in the Config wins over the graph's own."""
        report = validate(example(), Config(select=["CAD003"], as_of="2026-04-01"))
        assert report.as_of == pendulum.date(2026, 4, 1) and len(report) == 0


class TestQueries:
    def test_timeline_and_time_in_stage(self):
        """A unit's stages with durations; the current one runs to as_of."""
        g = example()
        periods = timeline(g, "dist-cedar", as_of="2026-09-01")
        assert [p.stage for p in periods] == [Stage.EXPLORATION, Stage.INSTALLATION,
                                              Stage.INITIAL_IMPLEMENTATION]
        assert periods[0].duration.in_days() == 218 and not periods[0].current
        assert periods[-1].current and periods[-1].left_on is None
        assert timeline(g, "dist-cedar", as_of="2024-03-01")[-1].stage is Stage.EXPLORATION
        assert time_in_stage(g, "sch-cedar-high", as_of="2026-09-01") is None
        assert stage_as_of(g, "dist-cedar", as_of="2024-08-15") is Stage.INSTALLATION

    def test_time_to_fidelity(self):
        """From initial implementation to the first assessment at target."""
        g = example()
        assert time_to_fidelity(g, "sch-lincoln", as_of="2026-05-10") is None
        assert time_to_fidelity(g, "sch-lincoln", as_of="2026-05-11").in_days() == 615
        assert time_to_fidelity(g, "sch-maple-ms", as_of="2026-09-01") is None

    def test_fidelity_trend(self):
        """Assessments oldest first, filtered by instrument and date."""
        g = example()
        assert [a.total for a in fidelity_trend(g, "dist-maple", instrument="DCA",
                                                as_of="2025-12-31")] == [82.0, 84.0]
        assert fidelity_trend(g, "dist-maple", instrument="TFI") == ()

    def test_due_for_review(self):
        """What falls due within the horizon, overdue first, undated left out."""
        g = example()
        due = due_for_review(g, as_of="2026-09-01", within="P30D")
        assert [(r.product.id, r.overdue, str(r.due_on)) for r in due] == [
            ("v-isd", False, "2026-09-14"), ("cip-cedar", False, "2026-10-01")]
        assert [r.product.id for r in due_for_review(g, as_of="2026-09-01",
                                                     within="P29D")] == ["v-isd"]
        later = due_for_review(g, as_of="2026-10-02", within="P0D")
        assert [(r.product.id, r.overdue) for r in later] == [("v-isd", True),
                                                              ("cip-cedar", True)]


class TestCli:
    def run(self, *argv):
        import io

        from mtss_core.cli import main

        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    def test_timeline_text_and_json(self):
        """mtss timeline shows stages, assessments and time to fidelity."""
        code, out, _ = self.run("timeline", "--example", "--root", "sch-lincoln")
        assert code == 0
        assert out.splitlines()[0] == "sch-lincoln (Lincoln Elementary): mtss as of 2026-09-01"
        assert "time to fidelity: 1 year 8 months 1 week 1 day" in out
        data = json.loads(self.run("timeline", "--example", "--root", "dist-cedar", "--as-of",
                                   "2025-01-01", "--format", "json")[1])
        assert [s["stage"] for s in data["stages"]] == ["exploration", "installation"]
        assert data["days_to_fidelity"] is None

    def test_timeline_unknown_unit(self):
        """An unknown unit is a usage error."""
        code, _, err = self.run("timeline", "--example", "--root", "nope")
        assert code == 2 and "no org unit with id 'nope'" in err

    def test_validate_as_of(self):
        """--as-of changes what is due, deterministically."""
        code, out, _ = self.run("validate", "--example", "--select", "CAD", "--as-of",
                                "2026-04-01")
        assert code == 0 and out.strip().endswith("as of 2026-04-01; verdict: pass")

    def test_skipped_rules_are_reported(self, tmp_path):
        """Without any date the text output says which rules did not run."""
        doc = tmp_path / "d.json"
        doc.write_text(json.dumps({"format_version": 1,
                                   "units": [{"id": "d", "kind": "district"}]}))
        _, out, _ = self.run("validate", str(doc), "--select", "CAD001,TEA001")
        assert "not run without an as-of date (CAD001); pass --as-of DATE" in out


def test_status_updates_name_assessments():
    """A liaison update references the assessments it reported."""
    g = example()
    (update,) = [u for u in g.status_updates("t-cedar-exec") if u.id == "su-cedar-2026-06"]
    assert update.assessments == ("dca-cedar-2026s",)
    assert isinstance(g[update.assessments[0]], FidelityAssessment)
    assert isinstance(update, StatusUpdate)
    assert AS_OF == "2026-09-01"
