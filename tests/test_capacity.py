"""Capacity self-assessments: instruments as data, evidence functions that must score 2, 1
and 0, the pre-fill, the worksheet and the recorded administrations over time, and the
rules about them and about entering implementation."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pendulum
import pytest

import mtss_core as mc
from healthy import AS_OF, healthy_isd, seat
from mtss_core import AlignmentGraph, Config, example, validate
from mtss_core.capacity import (
    EVIDENCE,
    EvidenceContext,
    capacity,
    capacity_trend,
    instrument,
    instrument_from_data,
    load_instrument,
    read_worksheet,
    write_worksheet,
)
from mtss_core.cli import main
from mtss_core.errors import ConfigError, DocumentError
from mtss_core.model import (
    Barrier,
    BuyIn,
    CapacityAssessment,
    Cohort,
    CohortApplication,
    DataSource,
    FidelityAssessment,
    FocusArea,
    ImprovementPlan,
    Meeting,
    NonNegotiables,
    OrgUnit,
    Person,
    ResourceAllocation,
    StageRecord,
    StatusUpdate,
    SuccessHighlight,
    Team,
    Vision,
)

DAY = pendulum.Date(2026, 9, 1)


# --- fixtures for the evidence functions --------------------------------------------------

def graph(*extra, drop=(), edit=None) -> AlignmentGraph:
    """The healthy ISD (tests/healthy.py), with objects dropped, changed and added."""
    objs = [o for o in healthy_isd() if getattr(o, "id", None) not in drop]
    if edit is not None:
        objs = [edit(o) for o in objs]
    return AlignmentGraph([*objs, *extra], as_of=AS_OF)


def dx(*extra, school: bool = True) -> AlignmentGraph:
    """The healthy ISD and a district 'dx' beside it holding only ``extra`` (and a school
    'dx-s')."""
    units = [OrgUnit(id="dx", kind="district", parent="isd")]
    if school:
        units.append(OrgUnit(id="dx-s", kind="school", parent="dx"))
    return graph(*units, *extra)


def team(id, kind, unit="dx"):
    return Team(id=id, kind=kind, unit=unit)


def person(id, **kw):
    return Person(id=id, **kw)


def meeting(id, team_, day, mtss=True):
    return Meeting(id=id, team=team_, starts_at=f"{day}T16:00:00-04:00",
                   agenda=[{"title": "MTSS" if mtss else "Budget",
                            "topics": ["mtss"] if mtss else []}])


def _reviewed(o):
    """The family member of d0's leadership team took their seat this year."""
    if o.type_name == "membership" and o.key == ("t-d0-dlt", "p-d0-parent"):
        return attrs.evolve(o, since="2026-01-12")
    return o


def _no_coach(o):
    if o.type_name == "membership" and o.key == ("t-d0-s1-slt", "p-d0-s1-coach"):
        return attrs.evolve(o, roles=("teacher-leader",))
    return o


def _vision_addresses_seven(o):
    if o.type_name == "vision" and o.id == "v-d0":
        return attrs.evolve(o, addresses=(*o.addresses, "fa-x1", "fa-x2"))
    return o


def _full(o):
    return o


CASES = [
    # (function, expected score, graph builder, unit)
    ("implementation_team", 2, lambda: graph(), "d0"),
    ("implementation_team", 1, lambda: dx(team("dx-dit", "district-implementation"),
                                          person("dx-l"),
                                          seat("dx-dit", "dx-l", "mtss-lead")), "dx"),
    ("implementation_team", 0, lambda: dx(), "dx"),
    ("executive_agenda", 2, lambda: graph(), "d0"),
    ("executive_agenda", 1, lambda: dx(team("dx-exec", "executive-leadership"),
                                       meeting("m1", "dx-exec", "2026-05-04"),
                                       meeting("m2", "dx-exec", "2026-06-01", mtss=False)),
     "dx"),
    ("executive_agenda", 0, lambda: dx(), "dx"),
    ("liaison_link", 2, lambda: graph(), "d0"),
    ("liaison_link", 1, lambda: dx(team("dx-exec", "executive-leadership"), person("dx-l"),
                                   seat("dx-exec", "dx-l", "liaison")), "dx"),
    ("liaison_link", 0, lambda: dx(), "dx"),
    ("designated_lead", 2, lambda: graph(), "d0"),
    ("designated_lead", 1, lambda: dx(team("dx-dlt", "district-leadership"),
                                      person("dx-l", domains=["academic"]),
                                      seat("dx-dlt", "dx-l", "mtss-lead")), "dx"),
    ("designated_lead", 0, lambda: dx(), "dx"),
    ("vision_and_focus", 2, lambda: graph(), "d0"),
    ("vision_and_focus", 1, lambda: dx(Vision(id="v-dx", owner="dx"),
                                       *[FocusArea(id=f"fa-dx{i}", district="dx")
                                         for i in range(7)]), "dx"),
    ("vision_and_focus", 0, lambda: dx(), "dx"),
    ("plan_with_data", 2, lambda: graph(), "d0"),
    ("plan_with_data", 1, lambda: dx(ImprovementPlan(id="cip-dx", owner="dx")), "dx"),
    ("plan_with_data", 0, lambda: dx(), "dx"),
    ("roles_recorded", 2, lambda: graph(), "d0"),
    ("roles_recorded", 1, lambda: dx(team("dx-dlt", "district-leadership"), person("a"),
                                     person("b"), seat("dx-dlt", "a", "superintendent"),
                                     seat("dx-dlt", "b")), "dx"),
    ("roles_recorded", 0, lambda: dx(), "dx"),
    ("team_membership", 2, lambda: graph(edit=_reviewed), "d0"),
    ("team_membership", 1, lambda: graph(), "d0"),  # complete, but no review this year
    ("team_membership", 0, lambda: dx(team("dx-dlt", "district-leadership"), person("a"),
                                      seat("dx-dlt", "a", "superintendent")), "dx"),
    ("team_meets", 2, lambda: graph(), "d0"),
    ("team_meets", 1, lambda: dx(team("dx-dit", "district-implementation"),
                                 meeting("m1", "dx-dit", "2026-07-06")), "dx"),
    ("team_meets", 0, lambda: dx(), "dx"),
    ("family_voice", 2, lambda: graph(), "d0"),
    ("family_voice", 1, lambda: dx(team("dx-s-slt", "school-leadership", "dx-s"),
                                   person("par"), seat("dx-s-slt", "par", "parent")), "dx"),
    ("family_voice", 0, lambda: dx(), "dx"),
    ("professional_learning", 2, lambda: graph(), "d0"),
    ("professional_learning", 1, lambda: dx(ResourceAllocation(
        id="pl", unit="dx", category="professional-learning", amount=1,
        starts_on="2024-07-01", ends_on="2025-06-30")), "dx"),
    ("professional_learning", 0, lambda: dx(), "dx"),
    ("coaching_skills", 2, lambda: graph(), "d0"),
    ("coaching_skills", 1, lambda: dx(team("dx-dlt", "district-leadership"), person("c"),
                                      seat("dx-dlt", "c", "coach")), "dx"),
    ("coaching_skills", 0, lambda: dx(), "dx"),
    ("school_coaches", 2, lambda: graph(), "d0"),
    ("school_coaches", 1, lambda: graph(edit=_no_coach), "d0"),
    ("school_coaches", 0, lambda: dx(team("dx-s-slt", "school-leadership", "dx-s")), "dx"),
    ("instructional_specialists", 2, lambda: graph(
        person("spec"), seat("t-d0-dlt", "spec", "instructional-specialist")), "d0"),
    ("instructional_specialists", 1, lambda: graph(), "d0"),  # coaches only
    ("instructional_specialists", 0, lambda: dx(), "dx"),
    ("screening_data", 2, lambda: graph(), "d0"),
    ("screening_data", 1, lambda: dx(DataSource(id="ds-dx", unit="dx", kind="outcome")), "dx"),
    ("screening_data", 0, lambda: dx(), "dx"),
    ("fidelity_measured", 2, lambda: graph(), "d0"),
    ("fidelity_measured", 1, lambda: dx(FidelityAssessment(
        id="f-dx", unit="dx", instrument="DCA", assessed_on="2026-04-06", total=70)), "dx"),
    ("fidelity_measured", 0, lambda: dx(), "dx"),
    ("resources_allocated", 2, lambda: graph(), "d0"),
    ("resources_allocated", 1, lambda: dx(ResourceAllocation(
        id="b", unit="dx", category="budget", amount=1, starts_on="2025-07-01")), "dx"),
    ("resources_allocated", 0, lambda: dx(), "dx"),
    ("protected_time", 2, lambda: graph(), "d0"),
    ("protected_time", 1, lambda: graph(drop={"alloc-d0-s1"}), "d0"),
    ("protected_time", 0, lambda: dx(), "dx"),
    ("communication_protocols", 2, lambda: graph(), "d0"),
    ("communication_protocols", 1, lambda: graph(drop={"cp-d0-s1"}), "d0"),
    ("communication_protocols", 0, lambda: dx(team("dx-dit", "district-implementation")),
     "dx"),
    ("barrier_process", 2, lambda: graph(Barrier(
        id="b1", raised_by="t-d0-s0-slt", title="No sub coverage", raised_on="2026-06-01",
        owner="p-d0-lead")), "d0"),
    ("barrier_process", 1, lambda: graph(Barrier(
        id="b1", raised_by="t-d0-s0-slt", title="Licenses", raised_on="2026-02-02",
        owner="p-d0-lead", escalations=[{"team": "t-d0-dit", "on": "2026-02-10"},
                                        {"team": "t-d0-exec", "on": "2026-03-02"}])), "d0"),
    ("barrier_process", 0, lambda: graph(Barrier(
        id="b1", raised_by="t-d0-s0-slt", title="Licenses", raised_on="2026-08-03")), "d0"),
    ("status_updates", 2, lambda: graph(), "d0"),
    ("status_updates", 1, lambda: dx(team("dx-exec", "executive-leadership"), StatusUpdate(
        id="su", team="dx-exec", given_on="2026-01-12")), "dx"),
    ("status_updates", 0, lambda: dx(), "dx"),
    ("focus_alignment", 2, lambda: graph(), "d0"),
    ("focus_alignment", 1, lambda: graph(FocusArea(id="fa-x1", district="d0"),
                                         FocusArea(id="fa-x2", district="d0"),
                                         edit=_vision_addresses_seven), "d0"),
    ("focus_alignment", 0, lambda: graph(FocusArea(id="fa-x1", district="d0"),
                                         FocusArea(id="fa-x2", district="d0")), "d0"),
    ("non_negotiables", 2, lambda: graph(), "d0"),
    ("non_negotiables", 1, lambda: dx(NonNegotiables(id="nn-dx", owner="dx")), "dx"),
    ("non_negotiables", 0, lambda: dx(), "dx"),
    ("buy_in", 2, lambda: graph(BuyIn(id="bi", unit="d0", surveyed_on="2024-05-01",
                                      agreeing=85)), "d0"),
    ("buy_in", 1, lambda: graph(BuyIn(id="bi", unit="d0", surveyed_on="2024-05-01",
                                      agreeing=70)), "d0"),
    ("demonstration_sites", 2, lambda: graph(StageRecord(
        id="st-full", unit="d0-s0", stage="full-implementation", entered_on="2026-02-02")),
     "d0"),
    ("demonstration_sites", 1, lambda: graph(), "d0"),  # schools in initial implementation
    ("demonstration_sites", 0, lambda: dx(), "dx"),
    ("success_highlights", 2, lambda: graph(), "d0"),
    ("success_highlights", 1, lambda: dx(SuccessHighlight(
        id="sh", unit="dx-s", shared_on="2025-10-06", summary="First screening done")), "dx"),
    ("success_highlights", 0, lambda: dx(), "dx"),
]


def _run(name, g, unit, **args):
    return EVIDENCE[name](EvidenceContext(graph=g, unit=g[unit], as_of=DAY, args=args))


@pytest.mark.parametrize(("name", "expected", "build", "unit"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_each_evidence_function_scores_as_the_structure_shows(name, expected, build, unit):
    found = _run(name, build(), unit)
    assert found.score == expected, (found.gaps, found.evidence)
    if expected == 2:
        assert found.evidence and not found.action
    else:
        assert found.gaps and found.action  # what is missing, and what would raise it


def test_every_shipped_evidence_function_has_a_2_a_1_and_a_0():
    scored = {(name, score) for name, score, _, _ in CASES}
    for name in EVIDENCE:
        wanted = {1, 2} if name == "buy_in" else {0, 1, 2}  # (no survey: None, not 0)
        assert {s for n, s in scored if n == name} >= wanted, name


def test_where_the_structure_cannot_tell_the_score_is_none():
    g = graph()
    assert _run("barrier_process", g, "d0").score is None  # no barrier on record
    assert _run("buy_in", g, "d0").score is None  # no survey
    assert _run("school_coaches", dx(school=False), "dx").score is None  # no school


def test_gaps_name_the_objects():
    found = _run("team_membership", dx(team("dx-dlt", "district-leadership"), person("a"),
                                       seat("dx-dlt", "a", "superintendent")), "dx")
    assert "district leadership team dx-dlt has no family member" in found.gaps


# --- instruments ----------------------------------------------------------------------------

class TestInstruments:
    def test_the_shipped_instruments(self):
        dca, regional, dsfi = instrument("district"), instrument("regional"), instrument("dsfi")
        assert [a.id for a in dca.areas] == ["leadership", "competency", "organisation"]
        assert regional.level.value == "isd" and dca.criterion == 0.8
        assert len(dsfi.areas) == 9 and dsfi.item("1.2").evidence == "team_membership"
        assert dca.windows == ("08-01/09-30", "01-01/02-28")
        for tool in (dca, regional, dsfi):
            assert {i.evidence for i in tool.items if i.evidence} <= set(EVIDENCE)
            assert "paraphrased" in tool.source

    def test_an_instrument_from_toml_and_json(self, tmp_path):
        toml = tmp_path / "state.toml"
        toml.write_text('''name = "state-dca"
title = "Our state's capacity assessment"
level = "district"
criterion = 0.75
[[areas]]
id = "lead"
title = "Leadership"
[[items]]
id = "S1"
area = "lead"
title = "A lead"
criteria = ["none", "some", "all"]
evidence = "designated_lead"
''')
        tool = load_instrument(toml)
        assert tool.criterion == 0.75 and tool.item("S1").title == "A lead"
        json_file = tmp_path / "state.json"
        json_file.write_text(json.dumps(tool.to_data()))
        assert load_instrument(json_file) == attrs.evolve(tool, source="")
        report = capacity(example(), "dist-cedar", toml)
        assert report.item("S1").score == 2 and report.criterion == 0.75

    @pytest.mark.parametrize(("data", "message"), [
        ({"title": "x"}, "'name' must be a non-empty text"),
        ({"name": "x", "title": "x", "areas": []}, "areas must be a non-empty list"),
        ({"name": "x", "title": "x", "areas": [{"id": "a", "title": "A"}],
          "items": [{"id": "i", "area": "b", "title": "I", "criteria": ["0", "1", "2"]}]},
         "area 'b' is not one of the instrument's"),
        ({"name": "x", "title": "x", "areas": [{"id": "a", "title": "A"}],
          "items": [{"id": "i", "area": "a", "title": "I", "criteria": ["0", "1"]}]},
         "criteria must be three texts"),
        ({"name": "x", "title": "x", "criterion": 80, "areas": [{"id": "a", "title": "A"}],
          "items": [{"id": "i", "area": "a", "title": "I", "criteria": ["0", "1", "2"]}]},
         "criterion must be a share"),
    ])
    def test_a_broken_instrument_is_a_config_error_naming_what(self, data, message):
        with pytest.raises(ConfigError, match=message):
            instrument_from_data(data)

    def test_the_official_wording_loaded_over_the_paraphrase(self, tmp_path):
        wording = tmp_path / "wording.json"
        wording.write_text(json.dumps({"items": {"L1": {
            "title": "Official L1", "criteria": ["a", "b", "c"]}},
            "areas": {"leadership": {"title": "Official leadership"}}}))
        tool = instrument("district").with_wording(wording)
        assert tool.item("L1").title == "Official L1" and tool.item("L1").criteria == (
            "a", "b", "c")
        assert tool.area("leadership").title == "Official leadership"
        with pytest.raises(ConfigError, match="names what it does not have: Z9"):
            instrument("district").with_wording({"items": {"Z9": {"title": "x"}}})

    def test_an_unknown_instrument_or_evidence_function(self):
        with pytest.raises(ConfigError, match="no instrument named 'dca9'"):
            instrument("dca9")
        odd = instrument_from_data({"name": "x", "title": "x", "areas": [
            {"id": "a", "title": "A"}], "items": [{"id": "i", "area": "a", "title": "I",
                                                   "criteria": ["0", "1", "2"],
                                                   "evidence": "nowhere"}]})
        with pytest.raises(ConfigError, match="not there: nowhere"):
            capacity(example(), "dist-cedar", odd)
        # a plugin's evidence function, passed in
        report = capacity(example(), "dist-cedar", odd, evidence={
            "nowhere": lambda ctx: mc.capacity.Found(score=1, gaps=("plugged",),
                                                     action="x")})
        assert report.item("i").score == 1

    def test_naming_an_evidence_function_registers_it_nowhere(self):
        """@evidence wrote into a process-wide dict: a function named in one test, or by
        one vendor, was there for every later caller.  It names the function only; the
        caller passes it."""
        from mtss_core.capacity.evidence import EVIDENCE, evidence

        before = dict(EVIDENCE)

        @evidence("nowhere")
        def somewhere(ctx):
            return mc.capacity.Found(score=2)

        assert dict(EVIDENCE) == before and "nowhere" not in EVIDENCE
        with pytest.raises(TypeError):
            EVIDENCE["nowhere"] = somewhere  # type: ignore[index]
        odd = instrument_from_data({"name": "x", "title": "x", "areas": [
            {"id": "a", "title": "A"}], "items": [{"id": "i", "area": "a", "title": "I",
                                                   "criteria": ["0", "1", "2"],
                                                   "evidence": "nowhere"}]})
        with pytest.raises(ConfigError, match=r"evidence=\[\.\.\.\]"):
            capacity(example(), "dist-cedar", odd)
        assert capacity(example(), "dist-cedar", odd, evidence=[somewhere]).item("i").score == 2
        with pytest.raises(ConfigError, match="not named as an evidence function"):
            capacity(example(), "dist-cedar", odd, evidence=[lambda ctx: None])


# --- the pre-fill ---------------------------------------------------------------------------

class TestPrefill:
    def test_the_example_prefills_with_evidence_for_most_items(self):
        for unit, tool in (("dist-cedar", "district"), ("dist-maple", "dsfi"),
                           ("isd-lakeshore", "regional")):
            report = capacity(example(), unit, tool)
            with_evidence = [r for r in report.items if r.score is not None]
            assert len(with_evidence) >= 0.75 * len(report.items), unit
            assert all(r.evidence or r.gaps for r in report.items)
        cedar = capacity(example(), "dist-cedar")
        assert cedar.item("O6").score == 0 and "b-cedar-screener-licenses" in cedar.item(
            "O6").gaps[0]
        data = cedar.to_dict()
        assert set(data) >= {"items", "areas", "total"}
        assert set(data["items"][0]) >= {"id", "area", "title", "score", "evidence", "gaps"}
        assert data["total"]["criterion"] == 0.8 and data["total"]["unscored"] == 2
        assert data["total"]["share"] == cedar.points / cedar.possible

    def test_a_generated_county_prefills_with_evidence_for_most_items(self):
        import sys

        sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
        from generate import SCALES, generate

        g = AlignmentGraph(generate(SCALES["county"]), as_of=AS_OF)
        for district in ("d0", "d7", "d19"):
            report = capacity(g, district)
            scored = [r for r in report.items if r.score is not None]
            assert len(scored) >= 0.75 * len(report.items), district

    def test_needs_a_date_and_a_unit(self):
        with pytest.raises(ConfigError, match="as-of date"):
            capacity(AlignmentGraph([OrgUnit(id="d", kind="district")]), "d")
        with pytest.raises(mc.errors.UnknownIdError):
            capacity(example(), "nope")

    def test_text_markdown_html_and_frame(self):
        report = capacity(example(), "dist-cedar")
        text, md, page = str(report), report.to_markdown(), report.to_html()
        assert "L2 [1] Executive leadership reviews MTSS regularly" in text
        assert "| L2 Executive leadership reviews MTSS regularly | 1 |" in md
        assert page.startswith("<!doctype html>") and "consensus" in page
        assert "http" not in page.split("<body")[0]
        pytest.importorskip("pandas")
        assert len(report.to_frame()) == len(report.items)


# --- the worksheet and recorded administrations ----------------------------------------------

class TestWorksheet:
    def test_a_filled_worksheet_round_trips_into_an_administration(self, tmp_path):
        openpyxl = pytest.importorskip("openpyxl")
        report = capacity(example(), "dist-cedar")
        path = tmp_path / "dca.xlsx"
        write_worksheet(report, path)
        book = openpyxl.load_workbook(path)
        ws = book["Worksheet"]
        ws["C6"] = "2026-09-14"  # administered on (typed as text)
        ws["C7"] = "p-morgan"
        ws["C8"] = "p-bell, p-haddad, p-santos"
        rows = {ws.cell(r, 2).value: r for r in range(12, ws.max_row + 1)}
        for item, score in (("L1", 2), ("L2", 1), ("O6", 0)):
            ws.cell(rows[item], 8, score)
        book.save(path)
        recorded = read_worksheet(path)
        assert (recorded.unit, recorded.instrument, str(recorded.administered_on)) == (
            "dist-cedar", "district", "2026-09-14")
        assert dict(recorded.scores) == {"L1": 2, "L2": 1, "O6": 0}
        assert recorded.respondents == ("p-bell", "p-haddad", "p-santos")
        g = example()
        g.add(recorded)
        again = mc.loads(mc.dumps(g))
        assert again[recorded.id] == recorded
        assert capacity_trend(again, "dist-cedar").item("L2") == (1,)

    def test_a_worksheet_with_a_bad_score_names_its_cell(self, tmp_path):
        openpyxl = pytest.importorskip("openpyxl")
        path = tmp_path / "dca.xlsx"
        write_worksheet(capacity(example(), "dist-cedar"), path)
        book = openpyxl.load_workbook(path)
        ws = book["Worksheet"]
        ws["H12"] = 3
        book.save(path)
        with pytest.raises(DocumentError) as caught:
            read_worksheet(path)
        messages = [str(p) for p in caught.value.problems]
        assert f"{path}: Worksheet!H12 (consensus score): expected 0, 1 or 2, got 3" in messages
        assert any("Worksheet!C6 (administered_on): the date of the administration is "
                   "required" in m for m in messages)

    def test_the_command(self, tmp_path):
        pytest.importorskip("openpyxl")
        out = io.StringIO()
        assert main(["capacity", "--example", "--district", "dist-cedar", "--format", "json"],
                    stdout=out) == 0
        data = json.loads(out.getvalue())
        assert data["items"][0]["id"] == "L1" and data["total"]["criterion"] == 0.8
        sheet = tmp_path / "w.xlsx"
        assert main(["capacity", "--example", "--district", "dist-cedar", "--format", "xlsx",
                     "-o", str(sheet)], stdout=io.StringIO()) == 0
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.load_workbook(sheet)
        book["Worksheet"]["C6"] = "2026-09-14"
        book["Worksheet"]["H12"] = 2
        book.save(sheet)
        doc = tmp_path / "lakeshore.json"
        assert main(["capacity", "--example", "--record", str(sheet), "-o", str(doc)],
                    stdout=io.StringIO()) == 0
        assert mc.load(doc).count("capacity_assessment") == 4
        err = io.StringIO()
        assert main(["capacity", "--example"], stdout=io.StringIO(), stderr=err) == 2
        assert "2 districts" in err.getvalue()
        out = io.StringIO()
        assert main(["capacity", "--example", "--district", "isd-lakeshore", "--instrument",
                     "regional", "--format", "markdown"], stdout=out) == 0
        assert out.getvalue().startswith("# Regional (ISD) capacity")


class TestTrends:
    def test_scores_over_the_administrations(self):
        trend = capacity_trend(example(), "dist-maple")
        assert [str(d) for d in trend.dates] == ["2025-01-27", "2025-09-15", "2026-01-26"]
        assert trend.item("O7") == (1, 1, 2)
        assert [round(s, 2) for s in trend.area("leadership")] == [0.83, 1.0, 1.0]
        rows = trend.rows()
        assert len(rows) == 3 * 19 and rows[0]["area"] == "leadership"
        assert trend.to_dict()["administrations"][2]["total"] == pytest.approx(32 / 38)

    def test_as_a_frame_and_a_plot(self):
        pytest.importorskip("pandas")
        import matplotlib

        matplotlib.use("Agg")
        trend = capacity_trend(example(), "dist-maple")
        assert len(trend.to_frame()) == 57
        ax = trend.plot()
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert labels[-2:] == ["total", "criterion (80%)"]


# --- the rules ------------------------------------------------------------------------------

def findings(g, code, as_of=AS_OF):
    return validate(g, Config(select=[code], as_of=as_of)).findings


def _dca(id, day, total_share_scores, unit="d0"):
    return CapacityAssessment(id=id, unit=unit, instrument="district", administered_on=day,
                              scores=total_share_scores)


class TestCapacityRules:
    def test_cap001_a_missed_window(self):
        on_time = graph(_dca("a1", "2025-09-15", {"L1": 2}), _dca("a2", "2026-01-26", {"L1": 2}))
        assert findings(on_time, "CAP001") == ()
        missed = graph(_dca("a1", "2025-09-15", {"L1": 2}))
        (f,) = findings(missed, "CAP001")
        assert f.subject == "d0" and "window from 2026-01-01 to 2026-02-28" in f.message
        assert findings(graph(), "CAP001") == ()  # not using the instrument: not judged
        # as of 2026-10-15, the August-September window has closed too
        assert "2026-08-01 to 2026-09-30" in findings(
            graph(_dca("a1", "2025-09-15", {"L1": 2}), _dca("a2", "2026-01-26", {"L1": 2})),
            "CAP001", as_of="2026-10-15")[0].message

    def test_cap002_below_the_criterion_twice_in_a_row(self):
        low = {"L1": 1, "L2": 1, "L3": 2}  # 67%
        high = {"L1": 2, "L2": 2, "L3": 2}
        assert [f.subject for f in findings(graph(
            _dca("a1", "2025-09-15", low), _dca("a2", "2026-01-26", low)), "CAP002")] == ["d0"]
        assert findings(graph(_dca("a1", "2025-09-15", low),
                              _dca("a2", "2026-01-26", high)), "CAP002") == ()
        assert findings(graph(_dca("a1", "2026-01-26", low)), "CAP002") == ()  # once only

    def test_cap003_a_2_the_structure_contradicts(self):
        contradicted = graph(_dca("a1", "2026-08-24", {"O5": 2, "L1": 2}),
                             drop={"cp-d0-s1"})
        (f,) = findings(contradicted, "CAP003")
        assert f.subject == "a1" and "O5 2 where the structure suggests 1" in f.message
        assert findings(graph(_dca("a1", "2026-08-24", {"O5": 2, "L1": 2})), "CAP003") == ()
        # only the latest administration is looked at
        assert findings(graph(_dca("a0", "2026-01-26", {"O5": 2}),
                              _dca("a1", "2026-08-24", {"O5": 1}), drop={"cp-d0-s1"}),
                        "CAP003") == ()


class TestEnteringRules:
    def _app(self, **kw):
        base = {"id": "app", "cohort": "c", "unit": "d0", "submitted_on": "2023-11-01",
                "accepted_on": "2023-12-15",
                "commitments": [{"text": "MTSS on every executive agenda",
                                 "signed_by": "p-d0-supt", "signed_on": "2023-11-20"}]}
        return CohortApplication(**{**base, **kw})

    def test_ent001_installation_before_acceptance(self):
        cohort = Cohort(id="c", program="MIBLSI")
        assert findings(graph(cohort, self._app()), "ENT001") == ()
        (f,) = findings(graph(cohort, self._app(accepted_on="2024-07-01")), "ENT001")
        assert "entered installation on 2024-06-03" in f.message and f.subject == "app"
        assert "never accepted" in findings(graph(cohort, self._app(accepted_on=None)),
                                            "ENT001")[0].message
        no_need = Cohort(id="c", program="State pilot", requires_application=False)
        assert findings(graph(no_need, self._app(accepted_on=None)), "ENT001") == ()

    def test_ent002_signed_by_the_executive_team(self):
        cohort = Cohort(id="c", program="MIBLSI")
        assert findings(graph(cohort, self._app()), "ENT002") == ()
        coach = self._app(commitments=[{"text": "MTSS on every agenda",
                                        "signed_by": "p-d0-s0-coach"}])
        (f,) = findings(graph(cohort, coach), "ENT002")
        assert "(signed by 'p-d0-s0-coach')" in f.message
        unsigned = self._app(commitments=[{"text": "Protected time"}])
        assert "(signed by no one)" in findings(graph(cohort, unsigned), "ENT002")[0].message

    def test_ent003_buy_in_below_the_criterion_at_installation(self):
        low = BuyIn(id="bi", unit="d0", surveyed_on="2024-05-01", agreeing=64)
        (f,) = findings(graph(low), "ENT003")
        assert "with 64% of staff agreeing" in f.message
        assert findings(graph(attrs.evolve(low, agreeing=85)), "ENT003") == ()
        later = attrs.evolve(low, surveyed_on="2024-09-01")  # after installation began
        assert findings(graph(later), "ENT003") == ()
        assert findings(graph(low), "ENT003", as_of=None) and findings(
            graph(), "ENT003") == ()

    def test_com003_successes_shared_in_initial_implementation(self):
        assert findings(graph(), "COM003") == ()
        quiet = graph(drop={"sh-d0-s0"})
        assert [f.subject for f in findings(quiet, "COM003")] == ["d0-s0"]
        assert findings(quiet, "COM003", as_of="2025-03-01") == ()  # too early in the stage
