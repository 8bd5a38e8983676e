"""Adopting mtss_core in an existing district: summaries, subtrees, a bare structure's
guidance and starter layer, baselines, waivers, the formats other tools read, diffs and
progress."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import attrs
import pytest

import mtss_core as mc
from mtss_core import AlignmentGraph, Config, Session, example, validate
from mtss_core.analysis import diff, starter_layer
from mtss_core.cli import main
from mtss_core.errors import ConfigError, DocumentError, ModelError
from mtss_core.graph import subtree
from mtss_core.io import check_document, json_schema
from mtss_core.model import OrgUnit, Person, Team, Waiver
from mtss_core.rules import Baseline, to_github, to_junit

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from generate import AS_OF, SCALES, generate


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def bare_county(tmp_path_factory):
    """A generated county as an import leaves it: units and people, no MTSS layer."""
    objs = [o for o in generate(SCALES["county"]) if isinstance(o, (OrgUnit, Person))]
    path = tmp_path_factory.mktemp("bare") / "county.json"
    mc.dump(AlignmentGraph(objs, as_of=AS_OF), path)
    return path


# --- summaries ------------------------------------------------------------------------------

def test_statistics_of_a_bare_structure_fit_on_one_screen(bare_county):
    """A structure with no MTSS layer: --statistics is a screenful, led by what is
    missing, not thousands of lines."""
    code, out, _ = run("validate", str(bare_county), "--statistics")
    lines = out.splitlines()
    assert len(lines) <= 24, out
    assert any("note: 20 districts have not started an MTSS layer yet" in line
               for line in lines)
    assert any(line.endswith("progress: 1 state: 1 not started; 1 ISD: 1 not started; "
                             "20 districts: 20 not started") for line in lines)
    assert lines[-1].endswith("verdict: pass") or lines[-1].endswith("verdict: fail")
    rows = [line for line in lines if re.match(r"^\s+[\d,]+  [A-Z]{3}\d{3}  ", line)]
    counts = [int(r.split()[0].replace(",", "")) for r in rows]
    assert counts == sorted(counts, reverse=True)
    # with the layer the notices point to missing, nothing is reported school by school
    assert "0 findings" in lines[-1]


def test_long_text_output_ends_with_the_statistics():
    """More findings than a screenful: the first ones, then the summary by rule and how
    to see them all."""
    objs = list(generate(SCALES["district"], shape="no-roles"))
    g = AlignmentGraph(objs, as_of=AS_OF)
    report = validate(g, Config(select=["TEA003", "COA001", "ALN001"]))
    assert len(report) > 40
    from mtss_core.cli._validate import write_report

    out = io.StringIO()
    write_report(report, "d.json", "text", out)
    text = out.getvalue()
    assert "more findings: --all lists them all" in text
    assert text.count(" [warning] ") + text.count(" [error] ") == 40
    assert [(r.code, r.count) for r in report.statistics()][:1] == [("TEA003", 175)]


# --- subtrees ------------------------------------------------------------------------------

def test_root_lists_only_that_districts_findings():
    """--root on one district lists only its findings; validate(root=) and the Session
    agree with a full run filtered to the subtree."""
    g = example()
    ids = subtree(g, "dist-cedar")
    full = validate(g)
    mine = validate(g, root="dist-cedar")
    assert mine.findings == tuple(f for f in full if f.subject in ids)
    assert mine.findings and len(mine) < len(full)
    assert Session(g, root="dist-cedar").report() == mine
    code, out, _ = run("validate", "--example", "--root", "dist-cedar", "--format", "json")
    data = json.loads(out)
    assert data["root"] == "dist-cedar"
    assert {f["subject"] for f in data["findings"]} <= ids
    assert run("validate", "--example", "--root", "nope")[0] == 2


# --- a bare structure: guidance and a starter layer ----------------------------------------

def test_a_bare_structure_says_so_once():
    """No teams, products or focus areas: one notice for the district, counting by rule
    what it holds back and naming the next step, instead of a finding per school."""
    objs = [o for o in generate(SCALES["district"]) if isinstance(o, (OrgUnit, Person))]
    report = validate(AlignmentGraph(objs), Config(as_of=AS_OF))
    assert [n.kind for n in report.notices] == ["not-started"]
    notice = report.notices[0]
    assert notice.related == ("d0",) and "mtss init" in notice.next_step
    assert {"TEA002", "ALN006", "FOC002"} <= set(notice.silenced)
    assert "1 district has not started" in notice.message
    assert not report.by_code("TEA002") and not report.by_code("ALN006")
    assert [p.status for p in report.progress] == ["not-started"] * 3
    explicit = validate(AlignmentGraph(objs), Config(select=["TEA002"]))
    assert explicit.by_code("TEA002") and not explicit.notices  # asked for by code: runs


def test_init_writes_a_starter_that_asks_only_for_content(tmp_path):
    """mtss init adds teams, products and focus areas; what is left asks for people, data
    and protocols, not structure."""
    objs = [o for o in generate(SCALES["district"]) if isinstance(o, (OrgUnit, Person))]
    source = tmp_path / "imported.json"
    mc.dump(AlignmentGraph(objs, as_of=AS_OF), source)
    started = tmp_path / "started.json"
    code, out, _ = run("init", "--from", str(source), "-o", str(started))
    assert code == 0 and "objects added for d0" in out
    g = mc.load(started)
    report = validate(g)
    assert not report.notices  # the district has started: everything is reported
    assert [(p.unit, p.status) for p in report.progress if p.kind.value == "district"] == [
        ("d0", "started")]
    # what is left asks for people on the teams, data and protocols, not structure
    assert {f.code for f in report} <= {"DAT001", "COM001", "SUP002", "LED001", "TEA003",
                                        "TEA004", "COA001", "COA002", "ALN007"}
    for code_ in ("TEA001", "TEA002", "ALN001", "ALN006", "FOC002", "FOC003"):
        assert not report.by_code(code_), code_
    again = starter_layer(g, "d0")  # nothing more to add
    assert [o for o in again if o.type_name == "team"] == []


def test_init_needs_a_district_when_there_are_several(tmp_path):
    path = tmp_path / "x.json"
    mc.dump(example(), path)
    code, _, err = run("init", "--from", str(path))
    assert code == 2 and "2 districts" in err


# --- baselines ------------------------------------------------------------------------------

def test_baseline_written_then_used_reports_nothing_new(tmp_path):
    """A baseline written then re-used reports zero new findings; one edit shows exactly
    the findings that edit caused; what it fixed is a stale entry."""
    doc, baseline = tmp_path / "d.json", tmp_path / "baseline.json"
    mc.dump(example(), doc)
    code, out, _ = run("validate", str(doc), "--write-baseline", str(baseline))
    assert code == 0 and "13 findings recorded" in out
    code, out, _ = run("validate", str(doc), "--baseline", str(baseline))
    assert code == 0 and "0 findings (none)" in out and "13 findings already in" in out
    g = example()
    g.replace(attrs.evolve(g["v-lincoln"], aligned_to=None))  # a new fault
    g.replace(attrs.evolve(g["v-cedar-high"], aligned_to="v-cedar"))  # a fix
    mc.dump(g, doc)
    code, out, _ = run("validate", str(doc), "--baseline", str(baseline), "--format", "json")
    data = json.loads(out)
    caused = diff(example(), g).introduced
    assert [(f["code"], f["subject"]) for f in data["findings"]] == [
        (f.code, f.subject) for f in caused]
    assert [n["kind"] for n in data["notices"]] == ["baseline-stale"]
    assert "v-cedar-high" in data["notices"][0]["related"]


def test_baseline_matching_survives_renames_and_counts():
    """Matching is by rule, subject and fingerprint, not message text."""
    g = example()
    baseline = Baseline.of(validate(g))
    g.replace(attrs.evolve(g["dist-cedar"], name="Cedar Creek Unified"))
    assert len(baseline.apply(validate(g))) == 0
    again = Baseline.from_dict(json.loads(json.dumps(baseline.to_dict())))
    assert again == baseline


@pytest.mark.parametrize("data", [[], {"format": "other"},
                                  {"format": "mtss-baseline", "version": 9, "entries": []},
                                  {"format": "mtss-baseline", "version": 1, "entries": [{}]}])
def test_bad_baselines_are_config_errors(data):
    with pytest.raises(ConfigError):
        Baseline.from_dict(data)


# --- waivers -------------------------------------------------------------------------------

def _waiver(**kw):
    base = {"id": "w-1", "rule": "FOC001", "subject": "dist-cedar",
            "reason": "the board merges focus areas in June", "approved_by": "Dr. Ortiz"}
    return Waiver(**{**base, **kw})


def test_a_waiver_needs_a_reason_and_an_approver():
    with pytest.raises(ModelError, match="reason is required"):
        _waiver(reason="")
    with pytest.raises(ModelError, match="approved_by is required"):
        _waiver(approved_by=" ")


def test_a_waived_finding_is_kept_as_waived_until_it_expires():
    """Kept in the report as waived (not counted); as of a date past `until` the waiver
    stops working and is itself reported (never by the clock)."""
    g = example()
    g.add(_waiver(until="2026-12-31"))
    report = validate(g, Config(as_of="2026-09-01"))
    assert not report.by_code("FOC001")
    assert [(f.code, f.waiver) for f in report.waived] == [("FOC001", "w-1")]
    later = validate(g, Config(as_of="2027-01-05"))
    assert later.by_code("FOC001") and later.waived == ()
    assert [f.subject for f in later.by_code("WAI001")] == ["w-1"]


def test_a_subtree_waiver_covers_everything_below():
    g = example()
    g.add(_waiver(rule="vision-not-aligned", subject="dist-cedar", scope="subtree"))
    report = validate(g)
    assert {f.code for f in report.waived} == {"ALN001"}
    assert not any(f.subject in subtree(g, "dist-cedar") for f in report.by_code("ALN001"))


def test_a_waiver_that_matches_nothing_is_reported():
    g = example()
    g.add(_waiver(rule="TEA002"))
    g.add(_waiver(id="w-2", rule="NOPE001"))
    kinds = sorted(n.kind for n in validate(g).notices)
    assert kinds == ["waiver-unknown-rule", "waiver-unused"]


def test_waivers_round_trip_and_follow_the_schema():
    """Waivers are a document section: dumped, loaded and checked by the JSON Schema."""
    g = example()
    g.add(_waiver(until="2027-06-30", scope="subtree"))
    data = mc.to_data(g)
    assert data["waivers"][0]["scope"] == "subtree"
    assert mc.from_data(data)["w-1"] == g["w-1"]
    assert "Waiver" in json_schema()["$defs"]
    assert check_document(data) == []
    data["waivers"][0]["reason"] = " "
    assert check_document(data)  # a blank reason breaks the schema too
    with pytest.raises(DocumentError, match="reason is required"):
        mc.from_data(data)


def test_the_session_keeps_waivers_current():
    g = example()
    session = Session(g, Config(as_of="2026-09-01"))
    session.add(_waiver())
    assert session.report() == validate(g, Config(as_of="2026-09-01"))
    assert session.report().waived


# --- formats other tools read ----------------------------------------------------------------

def test_sarif_is_read_by_a_sarif_consumer(tmp_path):
    """SARIF 2.1.0: read by sarif-pydantic's models; rules with help URIs; results with
    levels, the document's line and column, fingerprints; waived findings suppressed."""
    from sarif_pydantic import Sarif

    doc = tmp_path / "d.json"
    g = example()
    g.add(_waiver())
    mc.dump(g, doc)
    code, out, _ = run("validate", str(doc), "--format", "sarif")
    log = json.loads(out)
    Sarif.model_validate(log)  # a real consumer reads it
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert all(r["helpUri"].endswith(f"/rules/{r['id']}/") for r in rules)
    for result in run_["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["partialFingerprints"]["mtssFinding/v1"]
    suppressed = [r for r in run_["results"] if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["FOC001"]
    line = doc.read_text().splitlines()[
        run_["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]
    subject = run_["results"][0]["properties"]["subject"]
    assert f'"id": "{subject}"' in line


def test_junit_is_read_by_a_junit_consumer(tmp_path):
    """JUnit XML: read by junitparser; a case per rule and subject, failures for errors
    and warnings, a passing case per rule that found nothing."""
    from junitparser import Failure, JUnitXml

    path = tmp_path / "report.xml"
    report = validate(example())
    path.write_text(to_junit(report, "lakeshore.json"))
    xml = JUnitXml.fromfile(str(path))
    cases = [c for suite in xml for c in suite]
    failed = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    assert len(failed) == len({(f.code, f.subject) for f in report})
    passing = {c.name for c in cases if not c.result}
    assert "STR001" in passing


def test_github_annotations_follow_the_workflow_command_format():
    """One ::error / ::warning line per finding, with file, line, col and title, and the
    documented escapes (% as %25, newlines as %0A; in properties also : and ,)."""
    g = example()
    g.replace(attrs.evolve(g["dist-cedar"], name="Cedar, Creek: 100%\nUnified"))
    lines = to_github(validate(g), "lakeshore.json", places={"dist-cedar": (18, 5)})
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+(,line=\d+,col=\d+)?,"
                         r"title=[^:]+::[^\n]+$")
    assert lines and all(pattern.match(line) for line in lines)
    mine = [line for line in lines if "dist-cedar)" in line.split("::")[1]]
    assert mine and "line=18,col=5" in mine[0]
    assert "100%25" in mine[0] and "\n" not in "".join(lines)


# --- what changed ---------------------------------------------------------------------------

def test_diff_lists_objects_seats_and_findings(tmp_path):
    old, new = example(), example()
    new.replace(attrs.evolve(new["sch-lincoln"], name="Lincoln Elementary School"))
    new.add(Team(id="t-new", kind="schoolwide-mtss", unit="sch-lincoln"))
    seat = next(iter(new.memberships()))
    new.remove_membership(seat.team, seat.person)
    new.replace(attrs.evolve(new["v-cedar-high"], aligned_to="v-cedar"))
    d = diff(old, new)
    assert [o.id for o in d.added] == ["t-new"] and d.seats_removed == (seat,)
    assert {c.id for c in d.changed} == {"sch-lincoln", "v-cedar-high"}
    assert [f.subject for f in d.resolved] == ["v-cedar-high"]
    text = str(d)
    assert "~ unit 'sch-lincoln': name: 'Lincoln Elementary' -> 'Lincoln Elementary School'" \
        in text
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    mc.dump(old, a)
    mc.dump(new, b)
    code, out, _ = run("diff", str(a), str(b), "--format", "json")
    assert code == 0 and json.loads(out)["findings_resolved"][0]["subject"] == "v-cedar-high"
    assert run("diff", str(a), str(b), "--format", "markdown")[1].startswith("# What changed")
    assert "no changes" in run("diff", str(a), str(a))[1]


# --- progress -----------------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_on_a_terminal_only():
    out, err = io.StringIO(), _Terminal()
    assert main(["validate", "--example"], stdout=out, stderr=err) == 1
    assert "mtss: reading" in err.getvalue()
    quiet = _Terminal()
    main(["validate", "--example", "--quiet"], stdout=io.StringIO(), stderr=quiet)
    assert quiet.getvalue() == ""
    plain = io.StringIO()
    main(["validate", "--example"], stdout=io.StringIO(), stderr=plain)
    assert plain.getvalue() == ""
