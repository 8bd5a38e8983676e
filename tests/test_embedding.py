"""Jupyter display, DataFrames, drawings, thread safety, many tenants, pickling."""

from __future__ import annotations

import io
import json
import pickle
import re
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import attrs
import pytest

import mtss_core as mc
from conftest import AS_OF, healthy_objects
from mtss_core import (
    AlignmentGraph,
    Config,
    OrgUnit,
    Vision,
    draw,
    example,
    to_data,
    validate,
    validate_many,
)
from mtss_core.cli import main
from mtss_core.io import to_frame


class TestDisplay:
    def test_graph_html_counts_levels_and_points_to_validate(self):
        """The graph's HTML shows counts and levels, and where its findings come from:
        displaying a graph never runs the rules."""
        html = example()._repr_html_()
        html = re.sub(r" style=\"[^\"]*\"", "", html)  # cells carry their alignment
        assert "<td>units</td><td>11</td>" in html and "<td>school</td><td>4</td>" in html
        assert "<code>validate(graph)</code>" in html and "finding" not in html.split(
            "validate(graph)")[0]

    def test_report_html_groups_links_and_names(self):
        """Findings are grouped by severity, codes link to their rule pages, names shown."""
        html = validate(example())._repr_html_()
        assert html.index(">error (4)<") < html.index(">warning (9)<")
        assert 'href="https://mtss-core.readthedocs.io/en/latest/rules/ALN001/"' in html
        assert "<small>Cedar Creek High School</small>" in html
        assert "<p>Progress: 1 ISD: 1 started; 2 districts: 2 initial-implementation</p>" in html

    def test_report_html_shows_the_notices(self):
        """A district that has not started: the notice is in the notebook's view too."""
        g = AlignmentGraph([OrgUnit(id="d", kind="district"),
                            OrgUnit(id="s", kind="school", parent="d")])
        html = validate(g)._repr_html_()
        assert "<i>Note:</i> 1 district has not started an MTSS layer" in html
        assert "1 district: 1 not started" in html

    def test_everything_user_provided_is_escaped(self):
        """Names with markup are shown as text, never as HTML."""
        evil = "<script>alert(1)</script>"
        g = AlignmentGraph([OrgUnit(id="d", kind="district", name=evil),
                            OrgUnit(id="s", kind="school", name=evil, parent="d"),
                            Vision(id="v<b>", owner="s")])
        assert "<script>" not in g._repr_html_()
        for html in (validate(g)._repr_html_(), g.describe("s")._repr_html_()):
            assert "<script>" not in html and "&lt;script&gt;" in html

    def test_describe_a_unit_and_a_product(self):
        """describe() gives a unit's place, teams and products, and a product's alignment."""
        g = example()
        text = str(g.describe("sch-lincoln"))
        assert text.startswith("school 'Lincoln Elementary' (sch-lincoln)")
        assert "parent | district 'Maple Valley Public Schools' (dist-maple)" in text
        assert "vision | v-lincoln | v-maple | 2026-06-15" in text
        product = str(g.describe("v-maple"))
        assert "aligned from | vision v-lincoln" in product
        assert "Garcia" not in str(g.describe("t-lincoln-g3"))


class TestFrames:
    def test_findings_frame_is_tidy(self):
        """One row per finding, stable columns, an ordered severity for groupby."""
        frame = validate(example()).to_frame()
        assert list(frame.columns) == list(mc.rules.FINDING_COLUMNS)
        assert frame.groupby("severity", observed=False).size().to_dict() == {
            "info": 0, "warning": 9, "error": 4}
        assert frame.sort_values("severity", ascending=False).iloc[0]["severity"] == "error"
        row = frame[frame.subject == "v-cedar-high"].iloc[0]
        assert row.subject_name == "vision of Cedar Creek High School" and row.n_related == 4

    def test_object_frames(self):
        """Any kind of object becomes a frame with one column per field."""
        g = example()
        units = to_frame(g, "unit")
        assert len(units) == 11 and units.loc[0, "kind"] == "isd"
        teams = to_frame(g, "teams")
        assert teams.set_index("id").loc["t-maple-exec", "cadence"] == "P1M"
        members = to_frame(g, "membership")
        assert len(members) == g.count_memberships()
        assert members.groupby("team").size()["t-maple-dlt"] == 8
        fidelity = to_frame(g, "fidelity_assessment")
        assert fidelity.iloc[0]["subscales"]["Systems"] == 78.0
        with pytest.raises(ValueError, match="unknown kind"):
            to_frame(g, "students")


class TestDrawing:
    def boxes(self, ax):
        return {f"{t.get_text()}@{t.get_position()}": t for t in ax.texts
                if t.get_bbox_patch() is not None}

    def test_draw_highlights_findings(self):
        """One box per object, labels whole; finding subjects get a red outline."""
        import matplotlib

        matplotlib.use("Agg")
        g = example()
        ax = draw(g, "sch-cedar-elem", report=validate(g))
        boxes = self.boxes(ax)
        assert len(boxes) == 8  # the school, its 3 products, its team, the grade, its team
        # and the team's vision
        red = matplotlib.colors.to_rgba("#c62828")
        kinder = next(t for text, t in boxes.items() if "v-cedar-elem-k" in text)
        assert kinder.get_bbox_patch().get_edgecolor() == red
        assert all("…" not in text for text in boxes)  # wrapped, never cut
        assert len(self.boxes(draw(g, "sch-cedar-elem", detail="units"))) == 2
        with pytest.raises(ValueError, match="detail"):
            draw(g, detail="everything")

    def test_misaligned_edges_are_red_and_the_expected_target_dashed(self):
        """v-garcia is aligned to another school's team: a red arrow to it, a dashed one to
        its own department team's vision."""
        import matplotlib

        matplotlib.use("Agg")
        g = example()
        ax = draw(g, report=validate(g), detail="all")
        arrows = [a.arrow_patch for a in ax.texts if getattr(a, "arrow_patch", None)]
        red = matplotlib.colors.to_rgba("#c62828")
        assert any(a.get_edgecolor()[:3] == red[:3] and a.get_linestyle() == "-"
                   for a in arrows)
        assert any(a.get_linestyle() == "--" for a in arrows)
        blue = matplotlib.colors.to_rgba("#2b6cb0")
        assert sum(a.get_edgecolor()[:3] == blue[:3] for a in arrows) > 10

    def test_findings_not_drawn_are_counted_where_they_belong(self):
        """At detail "teams" people are not drawn: v-garcia's finding is counted on the
        department team's box; the focus areas' on the district's; every finding of the
        subtree is counted once."""
        import re

        import matplotlib

        matplotlib.use("Agg")
        g = example()
        report = validate(g)
        ax = draw(g, "dist-cedar", report=report)
        boxes = self.boxes(ax)
        red = matplotlib.colors.to_rgba("#c62828")
        team = next(t for text, t in boxes.items()
                    if "English Department" in text.replace("\n", " "))
        assert "[1 finding]" in team.get_text()
        assert team.get_bbox_patch().get_edgecolor() == red
        district = next(t for text, t in boxes.items() if text.startswith("district:"))
        assert "[3 findings]" in district.get_text()  # FOC001 and both FOC003
        counted = sum(int(m.group(1)) for t in boxes.values()
                      for m in [re.search(r"\[(\d+) findings?\]", t.get_text())] if m)
        assert counted == len(validate(g, root="dist-cedar"))

    def test_legend_title_and_size(self):
        """A legend for the arrows, lines and outlines; the units' names in the title;
        figsize honoured."""
        import matplotlib

        matplotlib.use("Agg")
        g = example()
        ax = draw(g, "dist-maple", report=validate(g), figsize=(9, 7))
        assert ax.figure.get_size_inches().tolist() == [9.0, 7.0]
        assert ax.figure.get_suptitle() == (
            "MTSS leadership and alignment: Maple Valley Public Schools")
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert {"aligned to the level above", "not aligned as its level requires",
                "what it should align to", "findings about it or under it [count]",
                "related to a finding", "org unit", "team"} <= set(labels)
        plain = draw(g, "dist-maple", legend=False)
        assert plain.get_legend() is None
        assert "findings about it or under it [count]" not in [
            t.get_text() for t in draw(g, "dist-maple").get_legend().get_texts()]
        import matplotlib.pyplot as plt

        plt.close("all")

    def test_a_district_of_25_schools_is_legible(self):
        """No two labels overlap, at 7 points, for a generated 25-school district."""
        import sys

        import matplotlib

        matplotlib.use("Agg")
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
        from generate import SCALES, generate

        g = AlignmentGraph(generate(SCALES["district"]))
        ax = draw(g, "d0")
        fig = ax.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = list(self.boxes(ax).values())
        extents = [t.get_bbox_patch().get_window_extent(renderer) for t in texts]
        assert len(texts) > 300 and all(t.get_fontsize() >= 7 for t in texts)
        overlapping = [(texts[i].get_text(), texts[j].get_text())
                       for i in range(len(extents)) for j in range(i + 1, len(extents))
                       if extents[i].overlaps(extents[j])]
        assert overlapping == []
        import matplotlib.pyplot as plt

        plt.close("all")


def _healthy_variants():
    """Graphs that differ: each with one vision misaligned, or none."""
    base = healthy_objects()
    variants = {"clean": base}
    for vid in ("v-s1", "v-g3", "v-ok", "v-garcia"):
        variants[vid] = [attrs.evolve(o, aligned_to=None) if getattr(o, "id", None) == vid
                         else o for o in base]
    return {k: AlignmentGraph(v, as_of=AS_OF) for k, v in variants.items()}


class TestConcurrency:
    def test_threads_give_the_serial_results(self):
        """The same and different graphs validated from many threads match serial runs."""
        graphs = _healthy_variants()
        shared = example()
        serial = {k: validate(g) for k, g in graphs.items()}
        serial["shared"] = validate(shared)
        jobs = [(k, g) for k, g in graphs.items()] * 6 + [("shared", shared)] * 12
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda kg: (kg[0], validate(kg[1])), jobs))
        for key, report in results:
            assert report == serial[key]

    def test_process_pool_streams_results_and_isolates_failures(self, tmp_path):
        """validate_many on a process pool: every tenant answered, a bad one reported."""
        items = {f"t{i}": to_data(example()) for i in range(4)}
        items["broken"] = {"format_version": 1, "units": [{"id": "s", "kind": "grade"}]}
        path = tmp_path / "lakeshore.json"
        path.write_text(json.dumps(to_data(example())))
        items["from-file"] = str(path)
        with ProcessPoolExecutor(max_workers=2) as pool:
            results = {r.key: r for r in validate_many(items, executor=pool)}
        assert set(results) == set(items)
        assert results["broken"].report is None
        from mtss_core.errors import DocumentError
        broken = results["broken"]
        assert isinstance(broken.error, DocumentError) and broken.error.problems
        assert broken.message.startswith("DocumentError") and broken.to_dict()["problems"]
        again = pickle.loads(pickle.dumps(broken))  # comes back from a process pool whole
        assert again.error.problems == broken.error.problems
        expected = validate(example())
        for key in ("t0", "t3", "from-file"):
            assert results[key].report == expected
        assert results["t1"].to_dict()["verdict"] == "fail"

    def test_dask_local_cluster(self):
        """Dask distributed's executor works as any executor (in-process cluster)."""
        distributed = pytest.importorskip("distributed")
        with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                                dashboard_address=None) as client:
            results = list(validate_many({"a": example(), "b": to_data(example())},
                                         executor=client.get_executor()))
        assert sorted(r.key for r in results) == ["a", "b"]
        assert all(r.report == validate(example()) for r in results)

    def test_everything_pickles_without_loss(self):
        """Graphs, reports, configs and rule sets survive pickling (months included)."""
        g = example()
        again = pickle.loads(pickle.dumps(g))
        assert to_data(again) == to_data(g) and again.as_of == g.as_of
        report = validate(g, Config(select=["CAD"]))
        assert pickle.loads(pickle.dumps(report)) == report
        rules = pickle.loads(pickle.dumps(mc.DEFAULT_RULES))
        assert rules["ALN001"] is mc.DEFAULT_RULES["ALN001"]
        lenient = AlignmentGraph.lenient([OrgUnit(id="s", kind="school", parent="x")])
        assert pickle.loads(pickle.dumps(lenient)).integrity_problems[0].field == "parent"


class TestFolderCli:
    def run(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()

    def test_folder_of_documents(self, tmp_path):
        """mtss validate DIR/ checks every document, reports each, and a bad one apart."""
        for name in ("a.json", "b.yaml"):
            mc.dump(example(), tmp_path / name)
        (tmp_path / "c.json").write_text('{"format_version": 1, "units": 3}')
        (tmp_path / "notes.txt").write_text("ignored")
        code, out, _ = self.run("validate", str(tmp_path), "--jobs", "2", "--no-progress")
        lines = out.splitlines()
        assert code == 2
        # every document under its name, as for one document, then each verdict
        assert lines[0] == str(tmp_path / "a.json")
        assert lines[1].startswith("  ") and " [error] " in lines[1]  # errors first
        assert "13 findings (4 errors, 9 warnings) as of 2026-09-01; verdict: fail" in lines
        b = lines.index(str(tmp_path / "b.yaml"))
        assert any(line.startswith("13 findings") for line in lines[b:])
        assert f"{tmp_path / 'c.json'}: could not be checked" in out
        assert lines[-1] == "3 documents: 0 pass, 2 fail, 1 could not be checked"

    def test_folder_json_and_serial(self, tmp_path):
        """JSON output lists every tenant; one job runs without a pool."""
        mc.dump(example(), tmp_path / "a.json")
        code, out, _ = self.run("validate", str(tmp_path), "--jobs", "1", "--format", "json",
                                "--select", "FOC001")
        data = json.loads(out)
        assert code == 0 and data[0]["source"].endswith("a.json")
        assert data[0]["counts"]["by_code"] == {"FOC001": 1}

    def test_folder_skips_files_that_are_not_documents(self, tmp_path):
        """A stray package.json is skipped with a note, not a failed run; subfolders are
        checked with --recursive and otherwise named in a note."""
        mc.dump(example(), tmp_path / "a.json")
        (tmp_path / "package.json").write_text('{"name": "site", "version": "1.0.0"}')
        (tmp_path / "more").mkdir()
        mc.dump(example(), tmp_path / "more" / "b.json")
        code, out, err = self.run("validate", str(tmp_path), "--jobs", "1",
                                  "--select", "FOC001")
        assert code == 0 and "1 documents: 1 pass" in out
        assert "package.json: skipped, not an mtss document" in err
        assert "subfolders not checked (pass --recursive)" in err
        code, out, _ = self.run("validate", str(tmp_path), "--jobs", "1", "--recursive",
                                "--select", "FOC001", "--format", "json")
        assert code == 0 and [d["source"][-6:] for d in json.loads(out)] == [
            "a.json", "b.json"]

    def test_empty_folder(self, tmp_path):
        """A folder with no documents is a usage error."""
        assert self.run("validate", str(tmp_path))[0] == 2


def test_the_tour_notebook_runs():
    """docs/tour.ipynb executes top to bottom (it can never rot)."""
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    path = Path(__file__).resolve().parents[1] / "docs" / "tour.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("Report: fail" in h for h in html) and any("Report: pass" in h for h in html)
    assert any("image/png" in o.get("data", {}) for o in outputs)


def test_folder_lenient(tmp_path):
    """--lenient applies to every document of a folder."""
    (tmp_path / "a.json").write_text(json.dumps({"format_version": 1, "units": [
        {"id": "s", "kind": "school", "parent": "nowhere"}]}))
    out = io.StringIO()
    assert main(["validate", str(tmp_path), "--jobs", "1", "--no-progress"], stdout=out) == 2
    out = io.StringIO()
    code = main(["validate", str(tmp_path), "--jobs", "1", "--no-progress", "--lenient",
                 "--select", "STR", "--format", "json"], stdout=out)
    assert code == 1
    assert json.loads(out.getvalue())[0]["counts"]["by_code"]["STR002"] == 1


def test_tenant_error_that_does_not_pickle_keeps_its_text():
    """An exception that cannot be pickled comes back as an MtssError with its text."""
    import threading

    from mtss_core.analysis._tenants import _portable
    from mtss_core.errors import MtssError

    class OddError(Exception):
        def __init__(self):
            super().__init__("odd failure")
            self.lock = threading.Lock()

    kept = _portable(OddError())
    assert type(kept) is MtssError and str(kept).endswith("OddError: odd failure")
    assert pickle.loads(pickle.dumps(kept)).args == kept.args
