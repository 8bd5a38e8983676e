"""Fixes as data: findings carry the mechanical fix, safe or unsafe; --fix applies them to
JSON, YAML and workbooks in place, --diff shows them; Session.apply(fix); SARIF fixes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import attrs
import pytest

import mtss_core as mc
from mtss_core import Config, Session, example, validate
from mtss_core.cli import main
from mtss_core.errors import UnknownIdError
from mtss_core.rules import Change, Fix, apply_fix


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def by_subject(report):
    return {f.subject: f for f in report}


class TestFindingsCarryFixes:
    def test_alignment_fixes_are_safe_when_one_target(self):
        found = by_subject(validate(example()))
        fix = found["v-cedar-high"].fix
        assert fix.safe and [c.to_dict() for c in fix.changes] == [
            {"target": "v-cedar-high", "op": "set", "field": "aligned_to", "value": "v-cedar"}]
        assert found["v-cedar-elem-k"].fix.changes[0].value == "v-cedar-elem"

    def test_deciding_fixes_are_unsafe(self):
        found = by_subject(validate(example()))
        # FOC003: 'v-cedar' addresses six focus areas already, FOC001's limit: adding a
        # seventh would raise FOC001's concern, so no fix is offered (retire the area)
        assert found["fa-cedar-tech"].fix is None
        g = example()
        v = g["v-cedar"]
        g.replace(attrs.evolve(v, addresses=v.addresses[:4]))
        roomy = by_subject(validate(g))["fa-cedar-tech"].fix
        assert not roomy.safe and roomy.changes[0].op == "add"  # changes what it says
        delete = found["rt-maple-ms-reading"].fix  # DAT002: a deletion
        assert not delete.safe and delete.changes[0].op == "delete"
        assert found["sch-cedar-high"].fix is None  # LED001: a person must be chosen

    def test_a_loop_is_broken_by_an_unsafe_fix(self):
        import attrs

        g = example()
        g.replace(attrs.evolve(g["v-lincoln-g3"], aligned_to="v-okafor"))
        g.replace(attrs.evolve(g["v-okafor"], aligned_to="v-lincoln-g3"))
        (loop,) = validate(g, Config(select=["ALN004"])).findings
        assert not loop.fix.safe and loop.fix.changes[0].field == "aligned_to"
        apply_fix(g, loop.fix)
        assert validate(g, Config(select=["ALN004"])).findings == ()

    def test_fixes_are_data_in_json_and_markdown(self):
        code, out, _ = run("validate", "--example", "--format", "json")
        data = {f["subject"]: f for f in json.loads(out)["findings"]}
        assert data["v-garcia"]["fix"]["safe"] is True
        assert data["v-garcia"]["fix"]["changes"][0]["value"] == "v-cedar-high-ela"
        assert "fix" not in data["sch-cedar-high"]
        code, out, _ = run("validate", "--example", "--format", "markdown")
        assert "| safe: set v-cedar-high.aligned_to to 'v-cedar' |" in out
        assert "unsafe: delete 'rt-maple-ms-reading'" in out


class TestApplying:
    def test_apply_fix_resolves_the_finding(self):
        g = example()
        for f in validate(g):
            if f.fix is not None and f.fix.safe:
                apply_fix(g, f.fix)
        assert validate(g, Config(select=["ALN001"])).findings == ()

    def test_all_or_nothing(self):
        g = example()
        before = mc.to_data(g)
        bad = Fix(title="two changes, the second impossible", changes=[
            Change(target="v-cedar-high", field="aligned_to", value="v-cedar"),
            Change(target="nowhere", field="aligned_to", value="v-cedar")])
        with pytest.raises(UnknownIdError):
            apply_fix(g, bad)
        assert mc.to_data(g) == before

    def test_in_a_session(self):
        session = Session(example(), verify=True)
        for f in list(session.report()):
            if f.fix is not None:
                session.apply(f.fix)
        assert session.report() == validate(session.graph)
        assert not session.report().by_code("ALN001")


class TestFixCommand:
    def test_fix_a_json_document_in_place(self, tmp_path):
        path = tmp_path / "lakeshore.json"
        path.write_text(mc.io.example_text(), encoding="utf-8")
        before = path.read_text().splitlines()
        code, out, _ = run("validate", str(path), "--fix")
        after = path.read_text().splitlines()
        changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
        assert code == 1  # LED001 is left: no mechanical fix
        assert "fixed 3 finding(s)" in out and "1 more fixable with --unsafe-fixes" in out
        assert ('      "aligned_to": "v-maple",', '      "aligned_to": "v-cedar",') in changed
        assert len(after) == len(before) + 1  # one field added: v-cedar-elem-k's
        assert not mc.validate(mc.load(path)).by_code("ALN001")
        # key order kept: each entry's keys in the order they were written
        data = json.loads(path.read_text())
        assert list(data)[:4] == ["format_version", "as_of", "timezone", "units"]

    def test_diff_shows_and_writes_nothing(self, tmp_path):
        path = tmp_path / "lakeshore.json"
        path.write_text(mc.io.example_text(), encoding="utf-8")
        code, out, _ = run("validate", str(path), "--diff")
        assert code == 1 and out.startswith(f"--- a/{path}\n+++ b/{path}\n")
        assert '-      "aligned_to": "v-maple",' in out and "3 fix(es) would be applied" in out
        assert path.read_text() == mc.io.example_text()
        code, out, _ = run("validate", str(path), "--diff", "--unsafe-fixes")
        assert "4 fix(es) would be applied" in out
        assert '-      "id": "rt-maple-ms-reading",' in out

    def test_unsafe_fixes(self, tmp_path):
        path = tmp_path / "lakeshore.json"
        path.write_text(mc.io.example_text(), encoding="utf-8")
        code, out, _ = run("validate", str(path), "--fix", "--unsafe-fixes")
        g = mc.load(path)
        assert "rt-maple-ms-reading" not in g
        # (no fix takes v-cedar past FOC001's limit of six focus areas)
        assert len(g["v-cedar"].addresses) == 6

    def test_yaml(self, tmp_path):
        pytest.importorskip("yaml")
        path = tmp_path / "lakeshore.yaml"
        mc.dump(example(), path)
        assert run("validate", str(path), "--fix")[0] == 1
        assert mc.load(path)["v-garcia"].aligned_to == "v-cedar-high-ela"

    def test_a_hand_filled_workbook_keeps_the_rest(self, tmp_path):
        openpyxl = pytest.importorskip("openpyxl")
        source = Path(__file__).parent / "fixtures" / "workbook" / "hand-filled.xlsx"
        path = tmp_path / "birch.xlsx"
        path.write_bytes(source.read_bytes())
        book = openpyxl.load_workbook(path)
        visions = book["Visions"]
        row = next(r for r in range(2, visions.max_row + 1)
                   if visions.cell(r, 1).value == "v-s-annex")
        visions.cell(row, 3, "v-s-north")  # aligned to another school's vision
        book.save(path)
        code, out, _ = run("validate", str(path), "--diff")
        assert f"Visions!C{row}: 'v-s-north' -> 'v-d-birch'" in out
        run("validate", str(path), "--fix")
        again = openpyxl.load_workbook(path)
        assert again["Visions"].cell(row, 3).value == "v-d-birch"
        members = again["Team members"]
        assert members["C4"].value == "Superintendent"  # typed as typed: untouched
        assert members.column_dimensions["C"].width == book["Team members"].column_dimensions[
            "C"].width

    def test_fix_needs_a_file(self):
        code, _, err = run("validate", "--example", "--fix")
        assert code == 2 and "name one" in err


class TestSarifFixes:
    def test_replacements_point_at_the_value_they_replace(self, tmp_path):
        path = tmp_path / "lakeshore.json"
        path.write_text(mc.io.example_text(), encoding="utf-8")
        code, out, _ = run("validate", str(path), "--format", "sarif")
        log = json.loads(out)
        results = {r["properties"]["subject"]: r for r in log["runs"][0]["results"]}
        fix = results["v-cedar-high"]["fixes"][0]
        (change,) = fix["artifactChanges"]
        (rep,) = change["replacements"]
        region = rep["deletedRegion"]
        lines = path.read_text().splitlines()
        assert region["startLine"] == region["endLine"]
        old = lines[region["startLine"] - 1][region["startColumn"] - 1:region["endColumn"] - 1]
        assert old == '"v-maple"' and rep["insertedContent"]["text"] == '"v-cedar"'
        assert "fixes" not in results["rt-maple-ms-reading"]  # a deletion: properties only
        assert results["rt-maple-ms-reading"]["properties"]["fix"]["safe"] is False
        pytest.importorskip("sarif_pydantic")
        from sarif_pydantic import Sarif

        Sarif.model_validate(log)
