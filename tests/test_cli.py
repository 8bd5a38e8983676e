"""The mtss command: output, formats, options and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from mtss_core.cli import main
from mtss_core.io._example import PLANTED_FAULTS


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


class TestValidate:
    def test_example_shows_the_planted_faults_and_only_those(self):
        """mtss validate --example reports exactly the planted faults and exits 1."""
        code, out, _ = run("validate", "--example", "--format", "json")
        data = json.loads(out)
        assert code == 1 and data["verdict"] == "fail"
        assert sorted((f["code"], f["subject"]) for f in data["findings"]) == sorted(
            PLANTED_FAULTS)

    def test_text_output_is_one_line_per_finding_with_hints(self):
        """Text output names the file once, as a heading; then each finding (code,
        severity, subject) with its hint, errors first, in the document's order."""
        code, out, _ = run("validate", "--example")
        lines = out.splitlines()
        assert lines[0] == "lakeshore.json (bundled example)"
        assert lines[1].startswith("  LED001 [error] sch-cedar-high: ")
        assert lines[3].startswith("  ALN001 [error] v-cedar-high: ")
        assert lines[4].startswith("      hint: set aligned_to to 'v-cedar'")
        severities = [line.split()[1] for line in lines[1:-1] if line.startswith("  ")
                      and not line.startswith("   ")]
        assert severities == sorted(severities, key=["[error]", "[warning]",
                                                     "[info]"].index)
        assert lines[-1] == "13 findings (4 errors, 9 warnings) as of 2026-09-01; verdict: fail"
        assert not any(line.startswith("lakeshore.json") for line in lines[1:])

    def test_clean_document_exits_0(self, tmp_path):
        """No error-severity finding: exit 0."""
        doc = tmp_path / "ok.json"
        doc.write_text(json.dumps({"format_version": 1,
                                   "units": [{"id": "d", "kind": "district"}]}))
        code, out, _ = run("validate", str(doc), "--select", "ALN001,FOC001")
        assert code == 0 and out.strip().endswith("0 findings (none); verdict: pass")
        code, out, _ = run("validate", str(doc), "--select", "ALN006")  # warnings only
        assert code == 0 and out.strip().endswith("3 findings (3 warnings); verdict: pass")
        code, out, _ = run("validate", str(doc), "--select", "ALN")  # a bare structure
        assert code == 0 and "note: 1 district has not started an MTSS layer" in out
        assert out.strip().endswith("0 findings (none); verdict: pass")

    def test_select_ignore_severity_and_settings(self):
        """Options choose rules, severities and settings."""
        assert run("validate", "--example", "--select", "FOC")[0] == 0
        assert run("validate", "--example", "--ignore", "ALN001,LED001")[0] == 0
        assert run("validate", "--example", "--ignore", "ALN001")[0] == 1
        assert run("validate", "--example", "--select", "FOC",
                   "--severity", "FOC001=error")[0] == 1
        code, out, _ = run("validate", "--example", "--select", "FOC001",
                           "--set", "FOC001.max_focus_areas=8")
        assert code == 0 and "0 findings" in out

    def test_bad_document_exits_2_with_located_problems(self, tmp_path):
        """Unreadable input: exit 2, one line per problem naming file, place and problem."""
        doc = tmp_path / "bad.json"
        doc.write_text('{"format_version": 1,\n "units": [{"id": "d", "kind": "distict"}]}')
        code, out, err = run("validate", str(doc))
        assert code == 2 and out == ""
        assert err.startswith(f"mtss: {doc}:2:32: /units/0/kind: expected one of")
        assert "Traceback" not in err and len(err.splitlines()) == 1

    @pytest.mark.parametrize("argv", [
        ["validate"], ["validate", "x.json", "--example"], ["nope"],
        ["validate", "--example", "--set", "nonsense"],
        ["validate", "--example", "--select", "XYZ"],
        ["validate", "--example", "--severity", "FOC001"],
    ])
    def test_bad_usage_exits_2(self, argv):
        """Bad usage: exit 2 and a message, never a traceback."""
        code, _, err = run(*argv)
        assert code == 2 and "Traceback" not in err

    def test_missing_file(self, tmp_path):
        """A missing file is a one-line error."""
        code, _, err = run("validate", str(tmp_path / "none.json"))
        assert code == 2 and "cannot read the file" in err


def test_example_command_prints_a_loadable_document(tmp_path):
    """mtss example prints the bundled document; --path prints where it is."""
    code, out, _ = run("example")
    assert code == 0 and json.loads(out)["format_version"] == 1
    code, out, _ = run("example", "--path")
    assert out.strip().endswith("lakeshore.json")


def test_installed_entry_point_runs():
    """The console script runs in a subprocess with the documented exit code."""
    proc = subprocess.run([sys.executable, "-m", "mtss_core.cli", "validate", "--example"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "verdict: fail" in proc.stdout


def test_version():
    """--version prints the distribution version."""
    code, _, _ = run("--version")
    assert code == 0


class TestRulesAndExplain:
    def test_rules_lists_the_catalogue(self):
        """mtss rules lists every rule, one per line; json and markdown too."""
        from mtss_core import DEFAULT_RULES

        code, out, _ = run("rules")
        assert code == 0
        assert [line.split()[0] for line in out.splitlines()] == [r.code for r in DEFAULT_RULES]
        data = json.loads(run("rules", "--format", "json")[1])
        assert next(r for r in data if r["code"] == "FOC001")["settings"] == {
            "max_focus_areas": 6}
        assert run("rules", "--format", "markdown")[1].startswith("| code | name |")

    @pytest.mark.parametrize("key", ["ALN001", "vision-not-aligned"])
    def test_explain_by_code_or_name(self, key):
        """mtss explain prints the rule's doc for a terminal; --format markdown as written
        in docs/rules."""
        code, out, _ = run("explain", key)
        assert code == 0
        assert out.startswith("ALN001 vision-not-aligned\n=========================\n")
        assert "How to fix." in out and "above_district" in out
        assert "**" not in out and "`" not in out and "<!--" not in out
        assert max(len(line) for line in out.splitlines()) <= 90
        code, out, _ = run("explain", key.lower(), "--format", "markdown")
        assert out.startswith("# ALN001 `vision-not-aligned`")
        assert "**How to fix.**" in out and "`above_district`" in out

    def test_explain_every_rule(self):
        """Every rule can be explained."""
        from mtss_core import DEFAULT_RULES

        for r in DEFAULT_RULES:
            assert run("explain", r.code)[0] == 0

    def test_explain_unknown_suggests(self):
        """An unknown rule exits 2 and suggests near names."""
        code, _, err = run("explain", "liaison")
        assert code == 2 and "did you mean TEA004, CAD003, BAR003?" in err


class TestValidateOptions:
    def test_markdown_for_meeting_notes(self):
        """Markdown output is a heading, a summary and a table, errors first."""
        code, out, _ = run("validate", "--example", "--format", "markdown")
        lines = out.splitlines()
        assert code == 1
        assert lines[0] == "## MTSS check: lakeshore.json (bundled example) — fail"
        assert lines[2] == "13 findings (4 errors, 9 warnings) as of 2026-09-01."
        rows = [line for line in lines if line.startswith("| ")][1:]
        assert len(rows) == 13
        assert rows[0].startswith("| error |") and rows[-1].startswith("| warning |")

    def test_config_file_and_command_line_combine(self, tmp_path):
        """--config sets the base; command-line options override it."""
        cfg = tmp_path / "mtss.toml"
        cfg.write_text('select = ["FOC001"]\n[settings.FOC001]\nmax_focus_areas = 8\n')
        code, out, _ = run("validate", "--example", "--config", str(cfg))
        assert code == 0 and "0 findings" in out
        code, out, _ = run("validate", "--example", "--config", str(cfg),
                           "--set", "FOC001.max_focus_areas=5")
        assert "1 finding" in out

    def test_bad_config_file_exits_2(self, tmp_path):
        """A broken config file is a usage error naming the file."""
        cfg = tmp_path / "mtss.toml"
        cfg.write_text("selct = 1\n")
        code, _, err = run("validate", "--example", "--config", str(cfg))
        assert code == 2 and str(cfg) in err

    def test_lenient_reports_structure_findings(self, tmp_path):
        """--lenient turns broken references into STR findings instead of exit 2."""
        doc = tmp_path / "d.json"
        doc.write_text(json.dumps({"format_version": 1, "units": [
            {"id": "d", "kind": "district"}, {"id": "s", "kind": "school", "parent": "x"}]}))
        assert run("validate", str(doc))[0] == 2
        code, out, _ = run("validate", str(doc), "--lenient", "--select", "STR",
                           "--format", "json")
        assert code == 1
        assert [f["code"] for f in json.loads(out)["findings"]] == ["STR002"]
