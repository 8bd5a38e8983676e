"""What an analyst sees in Jupyter: concise reprs, HTML reprs (left-aligned under a notebook's
own stylesheet, capped), DataFrames that keep lists and order levels, the scorecard's plot,
and the tour notebook run with warnings as errors."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import attrs
import pytest

from mtss_core import FocusArea, alignment_scorecard, example, status_pack, validate
from mtss_core.analysis import diff
from mtss_core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def _displays():
    g = example()
    old, new = example(), example()
    new.replace(attrs.evolve(new["v-cedar-high"], aligned_to="v-cedar"))
    return {"report": validate(g), "scorecard": alignment_scorecard(g),
            "status pack": status_pack(g, "dist-cedar"), "diff": diff(old, new)}


@pytest.mark.parametrize("name", ["report", "scorecard", "status pack", "diff"])
def test_concise_repr(name):
    """One line, short, naming what it is and its counts: never a dump of every field."""
    text = repr(_displays()[name])
    assert "\n" not in text and len(text) < 160 and text.startswith("<")
    assert re.search(r"\d", text)


@pytest.mark.parametrize("name", ["report", "scorecard", "status pack", "diff"])
def test_html_repr_cells_are_left_aligned(name):
    """Every table cell carries its own left alignment (a notebook's stylesheet right-aligns
    cells with selectors an output's stylesheet does not always beat)."""
    html = _displays()[name]._repr_html_()
    cells = re.findall(r"<t[dh]\b[^>]*>", html)
    assert cells and all("text-align:left" in c or 'class="heat"' in c for c in cells)


def test_html_repr_is_capped():
    """A report with many findings of one severity shows the first 50 and says how many
    more there are."""
    g = example()
    g.add_all(FocusArea(id=f"fa-extra-{i:03d}", district="dist-maple") for i in range(120))
    html = validate(g)._repr_html_()
    shown = re.findall(r"<tr><td[^>]*><a href", html)
    more = re.search(r"… and (\d+) more", html)
    assert more and len(shown) <= 3 * 50
    assert int(more.group(1)) > 0


def test_html_reprs_render_left_aligned_in_chromium(tmp_path):
    """In headless Chromium, under JupyterLab's rule that right-aligns rendered table
    cells, the report's and the status pack's cells are left-aligned."""
    from test_html_report import CHROMIUM_ARGS, _chromium
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    displays = _displays()
    page_html = ("<!doctype html><html><head><style>.jp-RenderedHTMLCommon td,"
                 ".jp-RenderedHTMLCommon th{text-align:right}</style></head><body>"
                 + "".join(f'<div class="jp-RenderedHTMLCommon">{d._repr_html_()}</div>'
                           for d in displays.values()) + "</body></html>")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content(page_html)
        aligns = page.eval_on_selector_all(
            "td:not(.heat), th", "cells => cells.map(c => getComputedStyle(c).textAlign)")
        browser.close()
    assert aligns and set(aligns) == {"left"}


class TestFrames:
    def test_report_frame_keeps_lists_and_names_every_subject(self):
        """related stays a list; every subject that is an object has a name (a vision
        without a title by whose it is)."""
        pytest.importorskip("pandas")
        g = example()
        frame = validate(g).to_frame()
        assert all(isinstance(r, list) for r in frame["related"])
        assert frame.explode("related")["related"].notna().sum() == frame["n_related"].sum()
        objects = frame[frame["subject"].map(lambda s: s in g)]
        assert (objects["subject_name"] != "").all()
        assert dict(zip(frame["subject"], frame["subject_name"], strict=True))["v-garcia"] == \
            "vision of Diego Garcia"

    def test_scorecard_tables(self):
        """levels, units and focus; level kinds are ordered categoricals."""
        pytest.importorskip("pandas")
        card = alignment_scorecard(example())
        levels = card.to_frame("levels")
        assert levels["level"].cat.ordered
        assert levels.sort_values("level")["level"].iloc[0] == "state"
        units = card.to_frame("units")
        assert set(units["unit"]) == set(card.heatmap) and units["unit_kind"].cat.ordered
        maple = units[(units.unit == "dist-maple") & (units.kind == "vision")].iloc[0]
        assert maple.share_aligned == card.rollup("dist-maple").share("vision")
        focus = card.to_frame("focus")
        assert len(focus) == len(card.focus) and focus["orphaned"].sum() == len(card.orphaned)
        with pytest.raises(ConfigError, match="unknown scorecard table 'heat'"):
            card.to_frame("heat")

    def test_scorecard_plot(self):
        """The heat map: a row per unit, a column per kind, each cell's share written."""
        pytest.importorskip("matplotlib")
        import matplotlib
        matplotlib.use("Agg")
        card = alignment_scorecard(example())
        ax = card.plot()
        assert [t.get_text() for t in ax.get_yticklabels()] == [
            card.rollup(u).name for u in card.heatmap]
        texts = [t.get_text() for t in ax.texts]
        assert len(texts) == 3 * len(card.heatmap) and "57% aligned\n7 of 9 have one" in texts


def _run_notebook(name: str, timeout: int) -> list:
    """docs/NAME run top to bottom with every warning an error; its outputs, none an
    error and no warning on standard error."""
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    path = ROOT / "docs" / name
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "import warnings; warnings.simplefilter('error')"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the kernel machinery's own, outside the notebook
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"
                and "Warning" in o.text]
    return outputs


def test_the_tour_notebook_runs_without_warnings():
    """docs/tour.ipynb runs top to bottom with every warning an error (no deprecated name
    of the library's own)."""
    _run_notebook("tour.ipynb", 180)


def test_docs_pictures_and_examples_show_the_current_output():
    """Every picture in docs/img made by scripts/docs_examples.py, and every generated
    block in a docs page, still shows what the code outputs now."""
    pytest.importorskip("matplotlib")
    import importlib.util
    spec = importlib.util.spec_from_file_location("docs_examples",
                                                  ROOT / "scripts" / "docs_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.stale() == []
    assert "report-shape" in (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")


def test_the_analyst_notebook_runs_at_state_scale():
    """docs/analyst.ipynb, the analyst's path at state scale, runs top to bottom with
    every warning an error: findings per district in one groupby, a top-20 heat map of
    readable size, a district's subtree drawn."""
    outputs = _run_notebook("analyst.ipynb", 900)
    texts = ["".join(o.get("data", {}).get("text/plain", "")) for o in outputs]
    assert any(t.startswith("district\nd") for t in texts)  # findings per district
    size = next(t for t in texts if t.startswith("array(["))
    width, height = (float(x) for x in size[7:-2].split(","))
    assert height < 1000 and width < 1000  # twenty rows, readable: not 33,388 px tall
    assert any(o.output_type == "stream" and "objects" in o.text for o in outputs)
    assert sum(1 for o in outputs if "image/png" in o.get("data", {})) >= 2
