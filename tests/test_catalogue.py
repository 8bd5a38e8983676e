"""Every rule of the catalogue: where it must fire, where it must not, and both fixtures."""

from __future__ import annotations

import pytest

from conftest import AS_OF, findings, healthy_objects, with_changes
from mtss_core import (
    DEFAULT_RULES,
    AlignmentGraph,
    Config,
    FocusArea,
    ImprovementPlan,
    Membership,
    NonNegotiables,
    OrgUnit,
    Person,
    Severity,
    Team,
    Vision,
    validate,
)
from mtss_core.errors import ConfigError
from mtss_core.model import (
    Barrier,
    BuyIn,
    CapacityAssessment,
    Cohort,
    CohortApplication,
    DataSource,
    FidelityAssessment,
    Meeting,
    Protocol,
    RiskThreshold,
    StageRecord,
    Waiver,
)


def subjects(graph, code, **settings):
    return [f.subject for f in findings(graph, code, **settings)]


def broken_objects():
    """The healthy ISD with one fault for every rule of the catalogue."""
    return [
        *[o for o in healthy_objects()
          if getattr(o, "id", None) not in ("t-d2-dit", "t-slt2", "v-d2b", "cip-s2",
                                              "su-d1", "m-t-d1-exec-8",  # CAD003, CAD001
                                              "ra-d1-budget", "ra-s1-schedule",  # RES00x
                                              "cp-t-slt", "cp-t-slt2", "p-d2-coach",
                                              "nn-d1", "nn-s1")
          and getattr(o, "team", None) not in ("t-d2-dit", "t-slt2")
          and not getattr(o, "id", "").startswith("m-t-d1-dit")],  # CAD002
        Meeting(id="m-t-d1-exec-8", team="t-d1-exec", starts_at="2026-08-13T16:00:00-04:00",
                agenda=[{"title": "Budget"}]),
        # ALN001 (and FOC003 skipped: d2 has no vision) - d2's school aligned to d1
        Vision(id="v-s2", owner="s2", aligned_to="v-d1"),
        # ALN002, ALN003: products aligned to nothing while the level above has some
        NonNegotiables(id="nn-d1", owner="d1", reviewed_on="2024-05-01"),  # CAD004
        NonNegotiables(id="nn-s1", owner="s1"),
        ImprovementPlan(id="cip-s2", owner="s2", data_sources=["ds-d2"],
                        focus_areas=["fa-d1"]),  # FOC004: another district's focus area
        # ALN004: a loop between two teacher visions; ALN005: a skip
        Person(id="p-x", unit="s1"), Person(id="p-y", unit="s1"),
        Membership(team="t-g3", person="p-x"), Membership(team="t-g3", person="p-y"),
        Vision(id="v-x", owner="p-x", aligned_to="v-y"),
        Vision(id="v-y", owner="p-y", aligned_to="v-x"),
        Vision(id="v-g3u", owner="g3", aligned_to="v-d1"),
        # FOC001, FOC003: an extra focus area the vision does not address
        FocusArea(id="fa-extra", district="d1"),
        # FOC002, TEA001, TEA004, SUP002: a district alone under the state, with no teams
        OrgUnit(id="st", kind="state"), OrgUnit(id="d3", kind="district", parent="st"),
        # TEA002, LED001: a school with no team
        OrgUnit(id="s3", kind="school", parent="d1"),
        # TEA003: a grade team with no teacher
        Team(id="t-empty", kind="grade-team", unit="s1"),
        # TEA004: an executive team with no liaison
        Team(id="t-d3-exec", kind="executive-leadership", unit="d3"),
        # LED002, LED003: a lead housed only in special education, covering one domain
        Person(id="p-lead3", departments=["Special Education"], domains=["academic"]),
        Membership(team="t-ela", person="p-lead3", roles=["mtss-lead"]),
        # DAT001, DAT002
        ImprovementPlan(id="cip-g3", owner="t-g3", aligned_to="cip-s1"),
        RiskThreshold(id="rt-s1-own", unit="s1", measure="reading", value=20),
        # STR001..STR004 (lenient build only)
        Person(id="p-kim"),
        Team(id="t-ghost", kind="grade-team", unit="nowhere"),
        OrgUnit(id="sch-in-sch", kind="school", parent="s1"),
        OrgUnit(id="c1", kind="course", parent="c2"), OrgUnit(id="c2", kind="course", parent="c1"),
        # SUP001
        OrgUnit(id="isd-n", kind="isd", parent="st", formal_partner=False),
        # COA001 (a school team without a coach), COA002 (d2's coach lists no skills)
        Team(id="t-s3-slt", kind="school-leadership", unit="s3"),
        Person(id="p-d2-coach", unit="d2"),
        # BAR001 (open at the executive level too long), BAR002 (no owner), BAR003 (around
        # the implementation team); COM002 (a protocol not reviewed in a year)
        Barrier(id="b-1", raised_by="t-slt", title="No time", raised_on="2026-01-05",
                escalations=[{"team": "t-d1-exec", "on": "2026-01-12"}]),
        Protocol(id="cp-old", from_team="t-ela", to_team="t-d1-dit",
                 reviewed_on="2024-01-01"),
        # STG001 (future), STG003 (regression) in s1; FID001 in d1
        StageRecord(id="st-s1-future", unit="s1", stage="full", entered_on="2027-01-04"),
        StageRecord(id="st-s1-back", unit="s1", stage="installation", entered_on="2026-02-02"),
        FidelityAssessment(id="dca-d1-low", unit="d1", instrument="DCA",
                           assessed_on="2026-08-03", total=70),
        # STG002 (skip), STG004 (conflict), STG005 (no readiness), FID002 (never assessed),
        # IMP001 (a school implementing with no implementation team behind it) in d3
        StageRecord(id="st-d3-1", unit="d3", stage="exploration", entered_on="2025-01-06"),
        StageRecord(id="st-d3-2", unit="d3", stage="initial", entered_on="2025-06-02"),
        StageRecord(id="st-d3-3", unit="d3", stage="full", entered_on="2025-06-02"),
        OrgUnit(id="s4", kind="school", parent="d3"),
        StageRecord(id="st-s4-1", unit="s4", stage="initial", entered_on="2025-06-02"),
        Waiver(id="w-old", rule="SUP002", subject="d1", reason="a charter LEA",  # WAI001
               approved_by="MTSS director", until="2026-06-30"),
        # CAP001 (no administration in January-February 2026), CAP002 (two below 80%),
        # CAP003 (C4 scored 2: s3 has a school team with no coach) in d1
        *[CapacityAssessment(id=f"cap-d1-{n}", unit="d1", instrument="district",
                             administered_on=on, scores={"C4": 2, "O8": 0, "C5": 1})
          for n, on in enumerate(("2025-09-15", "2026-08-24"))],
        # ENT001 (installation before acceptance), ENT002 (signed by no executive) in d1;
        # ENT003 (installation with 60% agreeing); COM003: s4 shares no success
        Cohort(id="c-12", program="MIBLSI"),
        CohortApplication(id="app-d1", cohort="c-12", unit="d1", submitted_on="2024-03-01",
                          accepted_on="2024-09-01",
                          commitments=[{"text": "MTSS on every agenda", "signed_by": "p-ok"}]),
        BuyIn(id="bi-d1", unit="d1", surveyed_on="2024-05-01", agreeing=60),
    ]


class TestFixtures:
    def test_healthy_isd_is_silent_under_every_rule(self, healthy):
        """The healthy fixture yields zero findings from the whole catalogue."""
        report = validate(healthy)
        assert report.findings == ()
        assert set(report.rules) == {r.code for r in DEFAULT_RULES}

    def test_broken_isd_triggers_every_rule(self):
        """The broken fixture, built leniently, makes every rule fire at least once."""
        report = validate(AlignmentGraph.lenient(broken_objects(), as_of=AS_OF))
        fired = {f.code for f in report}
        assert fired == {r.code for r in DEFAULT_RULES}

    def test_every_finding_names_its_objects_and_a_fix(self):
        """Findings name a subject, related objects and a hint."""
        for f in validate(AlignmentGraph.lenient(broken_objects(), as_of=AS_OF)):
            assert f.subject and f.message and f.hint, f
            assert f.related, f


class TestAlignmentOfOtherProducts:
    def test_non_negotiables_follow_the_ladder(self):
        """ALN002: a school's non-negotiables align to its district's."""
        ok = with_changes(NonNegotiables(id="nn-d1", owner="d1"),
                          NonNegotiables(id="nn-s1", owner="t-slt", aligned_to="nn-d1"))
        bad = with_changes(NonNegotiables(id="nn-d1", owner="d1"),
                           NonNegotiables(id="nn-s1", owner="s1"))
        assert subjects(ok, "ALN002") == []
        (f,) = findings(bad, "ALN002")
        assert f.subject == "nn-s1" and "non-negotiables 'nn-s1' of school" in f.message
        assert f.hint == "set aligned_to to 'nn-d1'"

    def test_improvement_plans_follow_the_ladder(self):
        """ALN003: a grade team's plan aligns to its school's plan."""
        ok = with_changes(ImprovementPlan(id="cip-g3", owner="t-g3", aligned_to="cip-s1",
                                          data_sources=["ds-d1"]))
        bad = with_changes(ImprovementPlan(id="cip-g3", owner="t-g3", aligned_to="cip-d1",
                                           data_sources=["ds-d1"]))
        assert subjects(ok, "ALN003") == []
        assert subjects(bad, "ALN003") == []          # a skip, not a misalignment
        assert subjects(bad, "ALN005") == ["cip-g3"]


class TestAlignmentLoop:
    def test_loop_reported_once(self):
        """ALN004: two visions aligned to each other are one loop, reported once."""
        g = with_changes(Person(id="p-x", unit="s1"), Membership(team="t-g3", person="p-x"),
                         Vision(id="v-x", owner="p-x", aligned_to="v-ok"),
                         Vision(id="v-ok", owner="p-ok", aligned_to="v-x"))
        (f,) = findings(g, "ALN004")
        assert f.subject == "v-ok" and "v-ok -> v-x -> v-ok" in f.message
        assert f.related == ("v-x",)

    def test_self_alignment_is_a_loop(self):
        """A product aligned to itself is a loop of one."""
        g = with_changes(Vision(id="v-ok", owner="p-ok", aligned_to="v-ok"))
        assert subjects(g, "ALN004") == ["v-ok"]

    def test_chains_are_not_loops(self, healthy):
        """Ordinary alignment chains never fire."""
        assert subjects(healthy, "ALN004") == []


class TestFocus:
    def test_no_focus_areas(self):
        """FOC002 fires on a district without focus areas, and not otherwise."""
        g = with_changes(Vision(id="v-d2b", owner="d2", aligned_to="v-isd"),
                         ImprovementPlan(id="cip-s2", owner="s2", aligned_to="cip-d2",
                                         data_sources=["ds-d2"]),
                         drop=("fa-d2",))
        assert subjects(g, "FOC002") == ["d2"]
        assert subjects(with_changes(), "FOC002") == []

    def test_focus_area_not_in_vision(self):
        """FOC003 fires on a focus area no district vision addresses."""
        g = with_changes(FocusArea(id="fa-new", district="d2"))
        (f,) = findings(g, "FOC003")
        assert f.subject == "fa-new" and "separate initiative" in f.message
        assert f.related == ("d2", "v-d2b")

    def test_vision_owned_by_leadership_team_counts(self):
        """A district vision owned by the DLT can address the focus area."""
        g = with_changes(FocusArea(id="fa-new", district="d1"),
                         Vision(id="v-d2", owner="t-dlt", aligned_to="v-isd",
                                addresses=["fa-new"]))
        assert subjects(g, "FOC003") == []

    def test_plan_on_another_districts_focus_area(self):
        """FOC004 fires on a school plan working on another district's focus area."""
        g = with_changes(ImprovementPlan(id="cip-s2", owner="s2", aligned_to="cip-d2",
                                         data_sources=["ds-d2"], focus_areas=["fa-d1"]))
        (f,) = findings(g, "FOC004")
        assert f.subject == "cip-s2" and f.severity is Severity.ERROR
        assert f.related == ("s2", "fa-d1", "d1", "d2")

    def test_teacher_plan_uses_their_base_district(self):
        """A teacher's plan belongs to the district of the unit they are based at."""
        ok = with_changes(ImprovementPlan(id="cip-ok", owner="p-ok", data_sources=["ds-d1"],
                                          focus_areas=["fa-d1"], aligned_to=None))
        assert subjects(ok, "FOC004") == []


class TestTeams:
    def test_district_missing_each_team(self):
        """TEA001 names each missing team kind of a district."""
        g = with_changes(drop=("t-d2-dit", "t-d2-exec"))
        msgs = [f.message for f in findings(g, "TEA001")]
        assert msgs == ["district 'Cedar' (d2) has no district implementation team",
                        "district 'Cedar' (d2) has no executive leadership team"]

    def test_required_teams_are_a_setting(self):
        """Relaxing the setting silences TEA001."""
        g = with_changes(drop=("t-d2-dit", "t-d2-exec"))
        assert subjects(g, "TEA001", required=["district-leadership"]) == []
        with pytest.raises(ConfigError, match="unknown team kinds"):
            validate(g, Config(settings={"TEA001": {"required": ["board"]}}))

    def test_school_missing_team(self):
        """TEA002: a school with neither team fires; one of them is enough by default."""
        g = with_changes(OrgUnit(id="s3", kind="school", parent="d1"))
        assert subjects(g, "TEA002") == ["s3"]
        assert subjects(with_changes(), "TEA002") == []
        assert subjects(with_changes(), "TEA002", require_all=True) == ["s1", "s2"]

    def test_team_missing_constituency(self):
        """TEA003 lists the missing constituencies of a team."""
        g = with_changes(drop_seats=(("t-dlt", "p-d1-parent"), ("t-dlt", "p-d1-coach")))
        (f,) = findings(g, "TEA003")
        assert f.subject == "t-dlt"
        assert f.message.endswith("has no member for: coach, parent")
        assert "parent: parent" in f.hint

    def test_composition_can_be_tightened_or_relaxed(self, healthy):
        """A district can demand more of a team, or less."""
        tight = {kind: {"teacher": ["general-education-teacher"], "coach": ["coach"]}
                 for kind in ("grade-team", "department-team")}
        assert subjects(healthy, "TEA003", composition=tight) == ["t-ela", "t-g3"]
        assert subjects(with_changes(drop_seats=(("t-dlt", "p-d1-parent"),)), "TEA003",
                        composition={}) == []
        with pytest.raises(ConfigError, match="non-empty list of roles"):
            validate(healthy, Config(settings={"TEA003": {"composition": {
                "grade-team": {"teacher": []}}}}))

    def test_liaison_must_sit_on_implementation_team(self):
        """TEA004: the liaison is on the executive and the implementation team."""
        no_seat = with_changes(drop_seats=(("t-d1-dit", "p-d1-liaison"),))
        (f,) = findings(no_seat, "TEA004")
        assert f.subject == "t-d1-exec" and "does not" not in f.message
        assert "sits on the implementation team (t-d1-dit)" in f.message
        assert f.hint == "add 'p-d1-liaison' to 't-d1-dit'"
        no_liaison = with_changes(Membership(team="t-d1-exec", person="p-d1-lead",
                                             roles=["director"]),
                                  drop_seats=(("t-d1-exec", "p-d1-liaison"),))
        assert [f.message for f in findings(no_liaison, "TEA004")] == [
            "executive leadership team t-d1-exec has no liaison"]


class TestLeads:
    def test_no_mtss_lead(self):
        """LED001 fires on a school whose teams name no MTSS lead."""
        g = with_changes(Membership(team="t-slt", person="p-d1-coach", roles=["coach"]),
                         drop_seats=(("t-slt", "p-d1-coach"),))
        assert subjects(g, "LED001") == ["s1"]
        assert subjects(g, "LED001", levels=["district"]) == []

    def test_lead_in_special_education_only(self):
        """LED002: a lead housed only in special education; other mixes are fine."""
        g = with_changes(Person(id="p-d1-lead", unit="d1", departments=["special-education"],
                                domains=["academic", "behavior", "sel"]))
        (f,) = findings(g, "LED002")
        assert f.subject == "p-d1-lead" and f.related == ("d1",)
        mixed = with_changes(Person(id="p-d1-lead", departments=["special-education",
                                                                 "student-supports"]))
        assert subjects(mixed, "LED002") == []

    def test_lead_missing_domains(self):
        """LED003 names the domains a lead does not cover."""
        g = with_changes(Person(id="p-d1-lead", unit="d1", domains=["academic"]))
        (f,) = findings(g, "LED003")
        assert f.message.endswith("does not cover behavior, social-emotional")
        unknown = with_changes(Person(id="p-d1-lead", unit="d1"))
        assert "records no domains" in findings(unknown, "LED003")[0].message
        assert subjects(g, "LED003", domains=["academic"]) == []


class TestData:
    def test_plan_without_data(self):
        """DAT001 fires on a plan with no data sources."""
        g = with_changes(ImprovementPlan(id="cip-s1", owner="s1", aligned_to="cip-d1"))
        assert subjects(g, "DAT001") == ["cip-s1"]

    def test_threshold_differs(self):
        """DAT002 fires when a school's threshold differs in value or direction."""
        lower = with_changes(RiskThreshold(id="rt-s1", unit="s1", measure="reading", value=20))
        above = with_changes(RiskThreshold(id="rt-s1", unit="s1", measure="reading", value=25,
                                           direction="above"))
        other_measure = with_changes(RiskThreshold(id="rt-s1", unit="s1", measure="math",
                                                   value=20))
        (f,) = findings(lower, "DAT002")
        assert f.subject == "rt-s1" and "below 20" in f.message and "below 25" in f.message
        assert subjects(above, "DAT002") == ["rt-s1"]
        assert subjects(other_measure, "DAT002") == []


class TestStructure:
    def test_lenient_build_reports_instead_of_raising(self):
        """STR001-004 report what a lenient build refused or doubted."""
        g = AlignmentGraph.lenient([
            OrgUnit(id="d", kind="district"), OrgUnit(id="d", kind="isd"),
            OrgUnit(id="s", kind="school", parent="d"),
            OrgUnit(id="s2", kind="school", parent="s"),
            Team(id="t", kind="grade-team", unit="ghost"),
            Membership(team="t", person="p"), Person(id="p"),
            OrgUnit(id="c1", kind="course", parent="c2"),
            OrgUnit(id="c2", kind="course", parent="c1"),
        ])
        got = [(f.code, f.subject) for f in validate(g, Config(select=["STR"]))]
        assert got == [("STR001", "d"), ("STR002", "t"), ("STR002", "t"),
                       ("STR003", "c1"), ("STR003", "c2"), ("STR003", "s2"), ("STR004", "c1")]
        assert [u.id for u in g.units()] == ["d", "s", "s2"]  # the wrong parent is kept
        assert g["d"].kind.value == "district"  # the first of two ids wins

    def test_strict_graphs_never_fire(self, healthy):
        """A strict graph has no structure findings."""
        assert validate(healthy, Config(select=["STR"])).findings == ()


class TestSupport:
    def test_isd_not_formal_partner_is_information(self):
        """SUP001 only informs, and only when the ISD is known not to be a partner."""
        g = with_changes(OrgUnit(id="isd", kind="isd", name="Lakeshore ISD",
                                 formal_partner=False))
        (f,) = findings(g, "SUP001")
        assert f.severity is Severity.INFO and validate(g).ok
        unknown = with_changes(OrgUnit(id="isd", kind="isd"))
        assert subjects(unknown, "SUP001") == []

    def test_district_without_isd_is_information(self):
        """SUP002 informs about a district no ISD supports; it never fails a report."""
        g = AlignmentGraph([OrgUnit(id="st", kind="state"),
                            OrgUnit(id="d", kind="district", parent="st")])
        (f,) = findings(g, "SUP002")
        assert f.severity is Severity.INFO and f.related == ("st",)


def test_data_sources_and_thresholds_are_queryable(healthy):
    """The graph answers which data sources and thresholds a unit has."""
    assert [d.id for d in healthy.data_sources("d1")] == ["ds-d1"]
    assert [t.id for t in healthy.risk_thresholds("s1")] == ["rt-s1"]
    assert len(list(healthy.all_data_sources())) == 2
    assert len(list(healthy.all_risk_thresholds())) == 4
    assert isinstance(healthy.all_data_sources()[0], DataSource)
