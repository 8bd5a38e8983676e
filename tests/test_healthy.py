"""Findings that follow each district's progress, and healthy structures that stay silent.

A structure shaped the way the source documents describe a healthy one (tests/healthy.py)
gives no finding from any rule; a district that has not started an MTSS layer has its
findings summarized in one notice, while a started district beside it gets every one.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from healthy import AS_OF, healthy_graph, healthy_isd, seat
from mtss_core import AlignmentGraph, Config, validate
from mtss_core.analysis import alignment_scorecard, starter_layer
from mtss_core.cli import main
from mtss_core.graph import progress, subtree
from mtss_core.model import FocusArea, OrgUnit, Person, Protocol, Team
from mtss_core.rules import DEFAULT_RULES, Severity

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from generate import Scale, generate

CODES = [r.code for r in DEFAULT_RULES]


@pytest.fixture(scope="module")
def healthy():
    return healthy_graph()


# --- healthy is silent ----------------------------------------------------------------------

@pytest.mark.parametrize("code", CODES)
def test_no_rule_fires_on_a_healthy_source_shaped_district(healthy, code):
    """Every rule, selected on its own (so it runs everywhere), finds nothing on an ISD
    partner with one district (complete teams, five focus areas, a lead who coaches, two
    schools with leadership and schoolwide MTSS teams, grades with teams and a vision per
    teacher)."""
    report = validate(healthy, Config(select=[code]))
    assert report.rules == (code,) and not report.skipped  # it ran
    assert report.findings == (), [str(f) for f in report]
    assert report.notices == ()


def test_the_healthy_structure_is_what_the_sources_describe(healthy):
    """What the must-not-fire tests stand on: the sources' shape, not an empty graph."""
    g = healthy
    assert g["isd"].formal_partner and g["v-d0"].aligned_to == "v-isd"
    assert {t.kind.value for t in g.teams_of("d0")} == {
        "executive-leadership", "district-leadership", "district-implementation"}
    for school in ("d0-s0", "d0-s1"):
        assert {t.kind.value for t in g.teams_of(school)} == {"school-leadership",
                                                               "schoolwide-mtss"}
    assert len(g.focus_areas("d0")) == 5
    lead = g["p-d0-lead"]
    assert lead.coaching_skills and not any(
        "coach" in {r.value for r in m.roles} for m in g.memberships_of(lead.id))
    teachers = [p for p in g.people() if "-t" in p.id]
    assert teachers and all(g.products_of(p.id) for p in teachers)
    # the one protocol per school is carried by the schoolwide MTSS team
    assert g["cp-d0-s0"].from_team == "t-d0-s0-mtss"
    assert [p.status for p in progress(g, AS_OF)] == ["initial-implementation"] * 2


@settings(max_examples=examples(25), deadline=None)
@given(districts=st.integers(1, 3), schools=st.integers(1, 3), grades=st.integers(0, 3),
       teachers=st.integers(1, 3), grade_units=st.booleans(), co_principals=st.booleans(),
       secondary=st.booleans(), state=st.booleans())
def test_generated_healthy_structures_have_no_finding_at_warning_or_above(**shape):
    """Whatever the generator's shape, a healthy structure gives nothing at warning or
    above (and is reported as started, district by district)."""
    report = validate(healthy_graph(**shape))
    assert [str(f) for f in report if f.severity >= Severity.WARNING] == []
    assert all(p.started for p in report.progress)


# --- started and not started, side by side ---------------------------------------------------

def _with_bare_district(*extra, drop=(), edit=None):
    """The healthy ISD with a second district as an import leaves it: two schools and
    their people, no team, product or focus area.  ``edit(obj)`` may change any healthy
    object first."""
    objs = [o for o in healthy_isd() if getattr(o, "id", None) not in drop
            and getattr(o, "to_team", None) not in drop]
    if edit is not None:
        objs = [edit(o) for o in objs]
    objs += [OrgUnit(id="bare", kind="district", name="Bare", parent="isd"),
             *[OrgUnit(id=f"bare-s{i}", kind="school", parent="bare") for i in range(2)],
             *[Person(id=f"bare-p{i}", unit=f"bare-s{i % 2}") for i in range(4)], *extra]
    return AlignmentGraph(objs, as_of=AS_OF)


def test_a_bare_district_beside_a_started_one_is_summarized():
    g = _with_bare_district()
    report = validate(g)
    assert report.findings == ()
    (notice,) = report.notices
    assert notice.kind == "not-started" and notice.related == ("bare",)
    assert {"FOC002", "TEA001", "TEA002", "COA002"} <= set(notice.silenced)
    assert "1 district has not started" in notice.message
    assert {p.unit: p.status for p in report.progress} == {
        "isd": "initial-implementation", "d0": "initial-implementation", "bare": "not-started"}


class TestFOC002:
    """No priority focus areas: summarized for a district that has not started, reported
    for one that has."""

    def test_fires_in_a_started_district(self):
        def no_areas(obj):
            if obj.type_name in ("vision", "improvement_plan"):
                field = "addresses" if obj.type_name == "vision" else "focus_areas"
                return attrs.evolve(obj, **{field: ()})
            return obj

        g = _with_bare_district(drop={f"fa-d0-{i}" for i in range(5)}, edit=no_areas)
        report = validate(g)
        assert [f.subject for f in report.by_code("FOC002")] == ["d0"]
        assert report.notices[0].related == ("bare",)  # the bare one still summarized

    def test_silent_in_a_started_district_with_its_areas(self):
        assert not validate(_with_bare_district()).by_code("FOC002")

    def test_summarized_in_a_district_that_has_not_started(self):
        report = validate(_with_bare_district())
        assert not report.by_code("FOC002") and "FOC002 1" in report.notices[0].message

    def test_selected_by_code_it_runs_everywhere(self):
        report = validate(_with_bare_district(), Config(select=["FOC002"]))
        assert [f.subject for f in report] == ["bare"] and report.notices == ()
        name = next(r.name for r in DEFAULT_RULES if r.code == "FOC002")
        assert [f.subject for f in validate(_with_bare_district(), Config(select=[name]))
                ] == ["bare"]

    def test_a_focus_area_alone_starts_a_district(self):
        g = _with_bare_district(FocusArea(id="fa-bare", district="bare", name="Reading"))
        report = validate(g)
        assert not [n for n in report.notices if n.kind == "not-started"]
        assert report.by_code("TEA001") and {f.subject for f in report} <= subtree(g, "bare")


class TestCOM001:
    """One communication mechanism per school with the district implementation team."""

    def test_silent_when_the_schoolwide_team_carries_it(self, healthy):
        assert not validate(healthy, Config(select=["COM001"])).findings

    def test_fires_on_the_school_when_no_school_team_has_one(self):
        g = _with_bare_district(drop={"cp-d0-s1"})
        (f,) = validate(g).by_code("COM001")
        assert f.subject == "d0-s1" and "t-d0-dit" in f.message
        assert {"t-d0-s1-slt", "t-d0-s1-mtss"} <= set(f.related)

    def test_the_leadership_teams_protocol_serves_too(self):
        g = _with_bare_district(
            Protocol(id="cp-slt", from_team="t-d0-s1-slt", to_team="t-d0-dit"),
            drop={"cp-d0-s1"})
        assert not validate(g).by_code("COM001")

    def test_silent_in_a_district_that_has_not_started(self):
        """No school team yet: nothing to link, nothing reported, even when selected."""
        report = validate(_with_bare_district(), Config(select=["COM001"]))
        assert report.findings == ()

    def test_fires_once_a_district_has_school_teams(self):
        g = _with_bare_district(Team(id="bare-slt", kind="school-leadership",
                                     unit="bare-s0"),
                                Team(id="bare-dit", kind="district-implementation",
                                     unit="bare"))
        assert [f.subject for f in validate(g).by_code("COM001")] == ["bare-s0"]


class TestCOA002:
    """Systems coaching: the role coach, or a leader who records coaching skills."""

    def test_silent_when_the_mtss_lead_does_the_coaching(self, healthy):
        report = validate(healthy, Config(select=["COA002", "TEA003", "COA001"]))
        assert report.findings == ()

    def test_fires_when_nobody_records_the_skills(self, healthy):
        g = healthy.copy()
        g.replace(attrs.evolve(g["p-d0-lead"], coaching_skills=()))
        (f,) = validate(g, Config(select=["COA002"])).findings
        assert f.subject == "d0" and "do not cover" in f.message
        assert "p-d0-s0-coach" in f.related  # the school coaches count, with no skills

    def test_fires_with_no_coach_at_all_in_a_started_district(self):
        g = _with_bare_district(Team(id="bare-dlt", kind="district-leadership", unit="bare"),
                                seat("bare-dlt", "bare-p0", "superintendent"))
        (f,) = validate(g).by_code("COA002")
        assert f.subject == "bare" and "no systems coach" in f.message

    def test_a_skilled_member_is_a_coach_without_the_role(self):
        g = _with_bare_district(Team(id="bare-dlt", kind="district-leadership", unit="bare"),
                                seat("bare-dlt", "bare-p0", "mtss-lead"))
        g.replace(attrs.evolve(g["bare-p0"], coaching_skills=healthy_graph()[
            "p-d0-lead"].coaching_skills))
        assert not validate(g).by_code("COA002")

    def test_summarized_in_a_district_that_has_not_started(self):
        report = validate(_with_bare_district())
        assert not report.by_code("COA002") and "COA002" in report.notices[0].silenced


# --- the pilot district in a state directory ------------------------------------------------

@pytest.fixture(scope="module")
def state_directory():
    """A generated state as a directory import leaves it: 56 ISDs, 1,200 districts and
    9,000 schools, with their principals; no MTSS layer."""
    scale = Scale("state-directory", isds=56, districts=1_200, schools=9_000, teachers=0,
                  fault_rate=0.0)
    keep = [o for o in generate(scale) if isinstance(o, OrgUnit)
            and o.kind.value in ("state", "isd", "district", "school")]
    keep += [Person(id=f"{o.id}-principal", unit=o.id) for o in keep
             if o.kind.value == "school"]
    return keep


def test_one_pilot_district_in_a_state_reports_its_own_findings_only(state_directory):
    """One district started with the starter layer: the findings are exactly that
    district's (what validating it alone finds), the rest are counted in the notices."""
    g = AlignmentGraph(state_directory, as_of=AS_OF)
    bare = validate(g)
    assert bare.findings == () and [n.kind for n in bare.notices] == ["not-started"]
    assert "1,200 districts have not started" in bare.notices[0].message
    g.add_all(starter_layer(g, "d7"))
    report = validate(g)
    mine = subtree(g, "d7")
    assert report.findings and {f.subject for f in report} <= mine
    assert report.findings == validate(g, root="d7").findings
    assert report.by_code("FOC002") == () and report.by_code("LED001")
    (notice,) = report.notices
    assert "1,199 districts have not started" in notice.message
    assert "d7" not in notice.related and len(notice.related) == 1_199
    statuses = [p.status for p in report.progress if p.kind.value == "district"]
    assert statuses.count("started") == 1 and statuses.count("not-started") == 1_199


def test_statistics_show_where_the_districts_stand(tmp_path):
    import mtss_core as mc

    path = tmp_path / "g.json"
    mc.dump(_with_bare_district(), path)
    out = io.StringIO()
    code = main(["validate", str(path), "--statistics"], stdout=out, stderr=io.StringIO())
    assert code == 0
    assert "  progress: 1 ISD: 1 initial-implementation; 2 districts: 1 not " \
           "started, 1 initial-implementation" in out.getvalue()


def test_the_scorecard_has_a_progress_column():
    g = _with_bare_district()
    card = alignment_scorecard(g)
    assert card.rollup("bare").progress == "not-started"
    assert card.rollup("d0").progress == "initial-implementation"
    assert card.rollup("d0-s0").progress is None
    assert "| District d0 (d0) | initial-implementation |" in card.to_markdown()
    assert "districts: 1 initial-implementation, 1 not-started" in str(card)
    assert card.to_dict()["rollups"][0]["progress"] == "initial-implementation"
    assert "<td>not-started</td>" in re.sub(r" style=\"[^\"]*\"", "", card._repr_html_())

