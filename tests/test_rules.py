"""The headline rules and the rule engine."""

from __future__ import annotations

import json

import attrs
import pytest

from conftest import findings, with_changes
from mtss_core import (
    DEFAULT_RULES,
    AlignmentGraph,
    Config,
    FocusArea,
    Membership,
    OrgUnit,
    Person,
    Report,
    RuleSet,
    Severity,
    Team,
    Violation,
    Vision,
    is_valid,
    rule,
    validate,
)
from mtss_core.errors import ConfigError
from mtss_core.rules import Lifecycle, iter_findings


class TestVisionNotAligned:
    def test_healthy_structure_is_silent(self, healthy):
        """A fully aligned structure gives no findings from any rule."""
        report = validate(healthy)
        assert report.findings == () and report.ok and report.verdict == "pass"

    def test_school_aligned_to_nothing(self):
        """A school vision with no alignment fires and names its district's vision."""
        (f,) = findings(with_changes(Vision(id="v-s2", owner="s2")))
        assert f.subject == "v-s2" and f.severity is Severity.ERROR
        assert "not aligned to any vision" in f.message and "'Cedar' (d2)" in f.message
        assert f.hint == "set aligned_to to 'v-d2b'"
        assert f.related == ("s2", "d2", "v-d2b")

    def test_school_aligned_to_another_district(self):
        """A school aligned to another district's vision fires and names both districts."""
        (f,) = findings(with_changes(Vision(id="v-s2", owner="s2", aligned_to="v-d1")))
        assert "aligned to 'v-d1' of district 'Maple' (d1)" in f.message
        assert "district 'Cedar' (d2)" in f.message
        assert f.related == ("s2", "v-d1", "d2", "v-d2b")

    def test_school_aligned_to_its_isd_skips_a_level(self):
        """Aligning a school straight to the ISD skips the district: ALN005, not ALN001."""
        g = with_changes(Vision(id="v-s2", owner="s2", aligned_to="v-isd"))
        assert findings(g) == ()
        (f,) = findings(g, "ALN005")
        assert f.subject == "v-s2" and "which skips the level above" in f.message
        assert f.severity is Severity.WARNING and f.hint == "set aligned_to to 'v-d2b'"

    def test_school_whose_district_has_no_vision(self):
        """Nothing to align to: the absence is one finding, on the district (ALN006)."""
        g = with_changes(Vision(id="v-s2", owner="s2"), drop=("v-d2b",))
        assert findings(g) == ()
        (f,) = findings(g, "ALN006")
        assert f.subject == "d2" and "has no vision" in f.message
        assert f.hint.startswith("have district leadership team")

    def test_aligned_elsewhere_when_the_level_above_has_none(self):
        """Aligned to the wrong level while the right one has none: fires, says so."""
        g = with_changes(Vision(id="v-s2", owner="s2", aligned_to="v-isd"), drop=("v-d2b",))
        (f,) = findings(g, "ALN005")
        assert "'Cedar' (d2) has no vision to align to" in f.message
        assert f.hint.startswith("adopt a vision for district 'Cedar' (d2)")

    def test_grade_team_aligned_to_nothing(self):
        """A grade team vision must align to its school's."""
        g = with_changes(Vision(id="v-g3", owner="t-g3"),
                         Vision(id="v-ok", owner="p-ok"))  # keep the teacher out of it
        assert [f.subject for f in findings(g)] == ["v-g3", "v-ok"]

    def test_team_aligned_to_the_district_skips_the_school(self):
        """A department team aligned to the district vision, not its school's, skips."""
        g = with_changes(Vision(id="v-ela", owner="t-ela", aligned_to="v-d2b"))
        (f,) = findings(g, "ALN005")
        assert f.subject == "v-ela" and "school 'Cedar High' (s2)" in f.message
        assert findings(g) == ()

    def test_team_aligned_to_another_district_is_not_a_skip(self):
        """Aligned to another district's vision: ALN001, not ALN005."""
        g = with_changes(Vision(id="v-ela", owner="t-ela", aligned_to="v-d1"))
        assert [f.subject for f in findings(g)] == ["v-ela"]
        assert findings(g, "ALN005") == ()

    def test_grade_unit_vision_aligns_to_school(self):
        """A grade (unit) vision aligns to its school like a grade team does."""
        ok = with_changes(Vision(id="v-g3u", owner="g3", aligned_to="v-s1"))
        bad = with_changes(Vision(id="v-g3u", owner="g3", aligned_to="v-s2"))
        assert findings(ok) == ()
        assert [f.subject for f in findings(bad)] == ["v-g3u"]

    def test_teacher_aligned_to_another_team(self):
        """A teacher aligned to another school's team fires and names their own team."""
        (f,) = findings(with_changes(Vision(id="v-garcia", owner="p-garcia", aligned_to="v-g3")))
        assert "department team" in f.message and "'v-ela'" in f.message

    def test_teacher_prefers_their_grade_team(self):
        """A teacher on a grade team and the school team aligns to the grade team."""
        (f,) = findings(with_changes(Vision(id="v-ok", owner="p-ok", aligned_to="v-s1")),
                        "ALN005")
        assert f.subject == "v-ok" and f.hint == "set aligned_to to 'v-g3'"

    def test_teacher_on_no_team(self):
        """A teacher on no team cannot align; the hint says to add them to one."""
        g = with_changes(Person(id="p-new", unit="s1"),
                         Vision(id="v-new", owner="p-new", aligned_to="v-s1"))
        (f,) = findings(g)
        assert "sits on no team" in f.message
        assert f.hint == "add 'p-new' to their grade, department or course team"

    def test_district_must_align_to_isd_vision(self):
        """A district's vision aligns to its ISD's when the ISD has one."""
        g = with_changes(Vision(id="v-d1", owner="d1"))
        assert [f.subject for f in findings(g)] == ["v-d1"]
        assert findings(g, above_district=False) == ()

    def test_district_without_a_vision_above_is_fine(self):
        """No vision above the district: an unaligned district vision is legal."""
        g = with_changes(Vision(id="v-d1", owner="d1"), Vision(id="v-d2", owner="t-dlt"),
                         Vision(id="v-d2b", owner="d2"), drop=("v-isd",))
        assert findings(g) == ()

    def test_district_aligned_with_nothing_above(self):
        """A district aligned to a peer when nothing above has a vision fires."""
        g = with_changes(Vision(id="v-d1", owner="d1", aligned_to="v-d2b"),
                         Vision(id="v-d2", owner="t-dlt"), Vision(id="v-d2b", owner="d2"),
                         drop=("v-isd",))
        (f,) = findings(g)
        assert f.subject == "v-d1" and "no unit above 'd1' has a vision" in f.message

    def test_district_under_state_aligns_to_the_state(self):
        """Without an ISD, a district aligns to the nearest level with a vision."""
        g = AlignmentGraph([OrgUnit(id="st", kind="state"), Vision(id="v-st", owner="st"),
                            OrgUnit(id="d", kind="district", parent="st"),
                            Vision(id="v-d", owner="d", aligned_to="v-st")])
        assert findings(g) == ()


class TestTooManyFocusAreas:
    def extra(self, n):
        return [FocusArea(id=f"x{i}", district="d1") for i in range(n)]

    def test_six_is_fine(self, healthy):
        """Six focus areas is a workable number."""
        assert findings(healthy, "FOC001") == ()

    def test_seven_fires_with_every_area_related(self):
        """Seven focus areas fires, listing them all."""
        (f,) = findings(with_changes(*self.extra(1)), "FOC001")
        assert f.subject == "d1" and f.severity is Severity.WARNING
        assert "has 7 priority focus areas; a workable number is at most 6" in f.message
        assert len(f.related) == 7

    def test_limit_is_a_setting(self, healthy):
        """The limit can be tightened."""
        (f,) = findings(healthy, "FOC001", max_focus_areas=5)
        assert "at most 5" in f.message

    @pytest.mark.parametrize("bad", [0, "6", 2.5, True])
    def test_bad_limit_is_refused(self, healthy, bad):
        """A limit that is not a positive int is a ConfigError."""
        with pytest.raises(ConfigError, match="max_focus_areas"):
            validate(healthy, Config(settings={"FOC001": {"max_focus_areas": bad}}))


class TestConfig:
    @pytest.mark.parametrize(("selector", "codes"), [
        ("ALN001", ["ALN001"]), ("vision-not-aligned", ["ALN001"]),
        ("ALN", ["ALN001", "ALN002", "ALN003", "ALN004", "ALN005", "ALN006", "ALN007"]),
        ("FOC00", ["FOC001", "FOC002", "FOC003", "FOC004"]),
    ])
    def test_select_by_code_prefix_or_name(self, selector, codes):
        """Rules are chosen by code, code prefix or name."""
        plan = Config(select=[selector]).plan(DEFAULT_RULES)
        assert [r.code for r, _, _ in plan] == codes

    def test_ignore(self):
        """Ignored rules do not run."""
        plan = Config(select="FOC", ignore="too-many-focus-areas,FOC00").plan(DEFAULT_RULES)
        assert plan == []
        plan = Config(ignore=["ALN", "STR", "SUP"], as_of="2026-09-01").plan(DEFAULT_RULES)
        assert {r.code[:3] for r, _, _ in plan} == {"FOC", "TEA", "LED", "DAT", "CAD", "STG",
                                                    "FID", "IMP", "COA", "RES", "BAR", "COM",
                                                    "CAP", "ENT", "WAI"}

    @pytest.mark.parametrize("config", [
        Config(select=["XYZ"]), Config(ignore=["nope"]),
        Config(settings={"nope": {}}), Config(settings={"FOC001": {"max": 3}}),
        Config(severity={"nope": "error"}),
    ])
    def test_unknown_names_are_errors(self, config):
        """A typo in a rule or setting name is an error, not silently ignored."""
        with pytest.raises(ConfigError):
            config.plan(DEFAULT_RULES)

    def test_bad_severity(self):
        """Severities are error, warning or info."""
        with pytest.raises(ConfigError, match="severity"):
            Config(severity={"FOC001": "fatal"})

    def test_severity_override_changes_the_verdict(self):
        """Raising FOC001 to error makes a report with too many focus areas fail."""
        g = with_changes(FocusArea(id="x", district="d1"))
        assert validate(g).verdict == "pass"
        assert validate(g, Config(severity={"FOC001": "error"})).verdict == "fail"

    def test_config_is_a_value(self):
        """Configs compare by value; strings split on commas."""
        assert Config(select="ALN, FOC") == Config(select=["ALN", "FOC"])


def _preview_rule():
    @rule(code="TST001", name="always", severity="info", lifecycle="preview")
    def always(graph, ctx):
        """Always fires once."""
        yield Violation(subject="d1", message="hello")

    return always


class TestEngine:
    def test_custom_rule_set(self, healthy):
        """A tool can run its own rules alongside the defaults."""
        rules = DEFAULT_RULES.with_rules(attrs.evolve(_preview_rule(),
                                                      lifecycle=Lifecycle.STABLE))
        report = validate(healthy, rules=rules)
        assert [(f.code, f.name, f.severity) for f in report] == [
            ("TST001", "always", Severity.INFO)]
        assert report.ok  # info does not fail

    def test_preview_rules_run_only_when_selected(self, healthy):
        """Preview rules are off unless selected by code or name."""
        rules = DEFAULT_RULES.with_rules(_preview_rule())
        assert len(validate(healthy, rules=rules)) == 0
        assert len(validate(healthy, Config(select=["TST"]), rules=rules)) == 0
        assert len(validate(healthy, Config(select=["TST001"]), rules=rules)) == 1

    def test_rule_sets_refuse_duplicates(self):
        """Codes and names are unique in a rule set."""
        with pytest.raises(ValueError, match="reuses"):
            DEFAULT_RULES.with_rules(attrs.evolve(_preview_rule(), code="ALN001"))

    @pytest.mark.parametrize(("field", "value"), [("code", "aln1"), ("name", "Bad Name")])
    def test_rule_identifiers_are_checked(self, field, value):
        """Codes look like ABC123 and names are kebab-case."""
        with pytest.raises(ValueError, match=field):
            attrs.evolve(_preview_rule(), **{field: value})

    def test_default_rules_are_documented(self):
        """Every shipped rule has a summary, a source, why, fix and example."""
        for r in DEFAULT_RULES:
            assert r.summary and r.source and r.why and r.fix and r.example
            assert r.lifecycle is Lifecycle.STABLE
            for s in r.settings:
                assert s.doc

    def test_iter_findings_is_lazy(self, healthy):
        """Findings arrive one by one; work after the first is not done up front."""
        calls = []

        @rule(code="TST002", name="two", severity="error")
        def two(graph, ctx):
            """Yields twice."""
            calls.append(1)
            yield Violation(subject="a", message="first")
            calls.append(2)
            yield Violation(subject="b", message="second")

        it = iter_findings(healthy, rules=RuleSet([two]))
        assert calls == []
        assert next(it).message == "first" and calls == [1]
        assert not is_valid(healthy, rules=RuleSet([two]))

    def test_report_order_counts_and_dict(self):
        """Reports sort canonically, count by code and severity, and dump to JSON."""
        g = with_changes(Vision(id="v-s2", owner="s2"), Vision(id="v-ela", owner="t-ela"),
                         FocusArea(id="x", district="d1"))
        report = validate(g, Config(select=["ALN001", "FOC001"]))
        assert [(f.code, f.subject) for f in report] == [
            ("ALN001", "v-ela"), ("ALN001", "v-s2"), ("FOC001", "d1")]
        assert report.counts_by_code() == {"ALN001": 2, "FOC001": 1}
        assert report.counts_by_severity() == {"error": 2, "warning": 1, "info": 0}
        data = json.loads(json.dumps(report.to_dict()))
        assert data["verdict"] == "fail" and data["findings"][0]["related"]
        assert set(data["findings"][0]) == {"code", "name", "severity", "subject", "message",
                                            "hint", "related", "fix"}
        assert set(data["findings"][2]) == {"code", "name", "severity", "subject", "message",
                                            "hint", "related"}  # FOC001: no mechanical fix
        assert repr(report) == "<Report fail: 3 findings (2 errors, 1 warning)>"
        assert len(report.errors) == 2 and len(report.by_code("too-many-focus-areas")) == 1

    def test_report_sorts_its_input(self):
        """A report built from findings in any order holds them in canonical order."""
        fs = list(validate(with_changes(Vision(id="v-s2", owner="s2"),
                                        Vision(id="v-ela", owner="t-ela"))))
        assert Report(findings=reversed(fs)).findings == tuple(fs)


def test_membership_roles_do_not_matter_to_alignment():
    """Alignment follows team membership whatever the roles."""
    g = with_changes(Membership(team="t-ela", person="p-kim", roles=["Observer"]))
    assert validate(g).findings == ()


def test_teams_of_other_kinds_own_school_level_visions():
    """A schoolwide MTSS team's vision is a school-level vision."""
    g = with_changes(Team(id="t-mtss", kind="schoolwide-mtss", unit="s2"),
                     Vision(id="v-mtss", owner="t-mtss", aligned_to="v-d2b",
                            statement="Every student is known by name."))
    assert validate(g, Config(select=["ALN"])).findings == ()
