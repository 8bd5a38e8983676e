"""The shareable HTML report, in a real headless Chromium."""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import debian_program
from mtss_core import Config, example, html_report, validate
from mtss_core.cli import main

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def _chromium() -> str:
    """Debian's chromium (installed when missing, as root; else skipped)."""
    return debian_program(("chromium", "chromium-browser"), "chromium", "headless Chromium")


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


class TestThePage:
    def test_self_contained(self):
        """No network: no external script, stylesheet, image or font."""
        page = html_report(example())
        assert not re.search(r'<(script|link|img)[^>]+(src|href)="https?:', page)
        assert "@import" not in page and "url(" not in page
        assert page.count("<details") > 20 and "<h1>" in page and 'lang="en"' in page

    def test_a_subtree_and_its_findings_only(self):
        """--root keeps that district's tree and findings, and no other's."""
        page = html_report(example(), root="dist-maple")
        assert "Maple Valley Public Schools" in page and "Cedar Creek High School" not in page
        assert "rt-maple-ms-reading" in page and "b-cedar-screener-licenses" not in page

    def test_findings_grouped_by_level_and_rule(self):
        """Levels as headings, then each rule with its fix hints."""
        page = html_report(example(), config=Config(as_of="2026-09-01"))
        assert page.index("<h3>District level") < page.index("<h3>School level")
        assert "set aligned_to to &#x27;v-cedar&#x27;" in page
        assert "As of 2026-09-01." in page

    def test_names_are_escaped(self):
        """A unit named like markup stays text."""
        g = example()
        import attrs

        g.replace(attrs.evolve(g["sch-lincoln"], name="<img src=x onerror=alert(1)>"))
        page = html_report(g, report=validate(g))
        assert "<img src=x" not in page and "&lt;img src=x" in page

    def test_cli_writes_the_file(self, tmp_path):
        """mtss report writes one file; - writes to standard output."""
        out = io.StringIO()
        target = tmp_path / "report.html"
        assert main(["report", "--example", "--root", "dist-cedar", "-o", str(target)],
                    stdout=out) == 0
        assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
        out = io.StringIO()
        assert main(["report", "--example", "-o", "-"], stdout=out) == 0
        assert out.getvalue().startswith("<!doctype html>")
        assert main(["report", "--example", "--root", "nope", "-o", "-"],
                    stdout=io.StringIO(), stderr=io.StringIO()) == 2


class TestInChromium:
    def test_loads_expands_and_prints(self, browser, tmp_path):
        """No console errors; a branch opens on click and by keyboard; a screenshot."""
        path = tmp_path / "report.html"
        path.write_text(html_report(example(), root="dist-cedar",
                                    config=Config(as_of="2026-09-01")), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        assert errors == [] and requests == [path.as_uri()]
        branch = page.locator("summary", has_text="Cedar Creek Kindergarten Team").first
        assert not branch.is_visible()  # below a closed school branch
        page.locator("summary", has_text="grade 'Cedar Creek Kindergarten'").first.click()
        assert branch.is_visible()
        inner = page.locator("code", has_text="v-cedar-elem-k").first
        assert not inner.is_visible()
        branch.focus()
        page.keyboard.press("Enter")  # native <details>: keyboard-operable
        assert inner.is_visible()
        page.click("#collapse-all")
        assert not branch.is_visible()
        page.click("#expand-all")
        assert inner.is_visible() and errors == []
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        if os.environ.get("MTSS_UPDATE_SCREENSHOTS"):
            shutil.copy(shot, ROOT / "docs" / "img" / "report.png")
        pdf = page.pdf(path=str(tmp_path / "report.pdf"))
        assert pdf[:4] == b"%PDF"
        page.close()


# --- every finding where it belongs ---------------------------------------------------------

_TREE_JS = """() => {
  const tops = [...document.querySelectorAll('ul.tree > li > details')];
  const sum = (s) => tops.reduce((n, d) => n + Number(d.dataset[s] || 0), 0);
  const found = [...document.querySelectorAll('ul.tree [data-subject]')];
  return {error: sum('error'), warning: sum('warning'), info: sum('info'),
          subjects: found.map((e) => [e.dataset.subject, Number(e.dataset.count)]),
          header: document.querySelector('header .meta').textContent};
}"""


def _county():
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import AS_OF, SCALES, generate

    from mtss_core import AlignmentGraph

    return AlignmentGraph(generate(SCALES["county"], shape="no-roles"), as_of=AS_OF)


class TestEveryFindingInTheTree:
    def test_people_focus_areas_barriers_and_thresholds_are_placed(self):
        """The findings the tree used to leave out sit under their team or unit: the
        teacher's vision under the department team, the focus areas under the district, the
        barrier under the team that raised it, the threshold under its school."""
        page = html_report(example())
        for subject, under in (("v-garcia", "t-cedar-high-ela"),
                               ("fa-cedar-tech", "dist-cedar"),
                               ("b-cedar-screener-licenses", "t-cedar-elem-slt"),
                               ("rt-maple-ms-reading", "sch-maple-ms")):
            branch = page[page.index(f'<summary data-id="{under}">'):]
            assert f'data-subject="{subject}"' in branch.split("</details>")[0], subject
        school = page[page.rindex("<details", 0, page.index('data-id="sch-maple-ms"')):]
        assert 'data-warning="1"' in school.split(">")[0]  # no longer "ok"
        assert ('should align to <code>v-cedar-high-ela</code>' in page
                and 'should align to <code>v-cedar</code>' in page)

    @pytest.mark.parametrize("which", ["example", "county"])
    def test_the_rendered_tree_adds_up_to_the_header(self, browser, tmp_path, which):
        """In Chromium: the top branches' counts sum to the report's, and every finding's
        subject is in the tree as often as it has findings."""
        g = example() if which == "example" else _county()
        report = validate(g, Config(as_of="2026-09-01"))
        assert len(report) > (10 if which == "example" else 1_000)
        path = tmp_path / "report.html"
        path.write_text(html_report(g, report=report), encoding="utf-8")
        page = browser.new_page()
        page.goto(path.as_uri())
        seen = page.evaluate(_TREE_JS)
        page.close()
        counts = report.counts_by_severity()
        assert {s: seen[s] for s in counts} == counts
        summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items()
                            if n)
        assert f"({summary})" in seen["header"]
        subjects: dict[str, int] = {}
        for subject, n in seen["subjects"]:
            assert subject not in subjects, subject  # each subject shown once
            subjects[subject] = n
        expected: dict[str, int] = {}
        for f in report:
            expected[f.subject] = expected.get(f.subject, 0) + 1
        assert subjects == expected
