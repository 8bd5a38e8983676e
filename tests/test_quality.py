"""Project checks that run with the suite: lint, types, generated docs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mtss_core import DEFAULT_RULES
from mtss_core.rules._ruledoc import rule_pages

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return found


def test_rule_pages_are_current():
    """docs/rules/ holds exactly the generated pages (python -m mtss_core.rules._ruledoc)."""
    folder = ROOT / "docs" / "rules"
    expected = rule_pages(DEFAULT_RULES)
    found = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert found == expected, (
        "docs/rules/ is stale: run python -m mtss_core.rules._ruledoc docs/rules")


def test_every_rule_page_is_in_the_site_navigation():
    """mkdocs.yml lists one page per rule."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for r in DEFAULT_RULES:
        assert f"{r.code} {r.name}: rules/{r.code}.md" in nav, r.code


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The documentation site, built once (mkdocs, strict: warnings are errors)."""
    out = tmp_path_factory.mktemp("docs") / "site"
    proc = subprocess.run([_tool("mkdocs"), "build", "--strict", "--site-dir", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_docs_site_builds_without_warnings(site):
    """The documentation site builds, with a page per rule."""
    assert (site / "rules" / "TEA004" / "index.html").exists()


def test_api_reference_has_a_page_per_public_module(site):
    """One page per public module, current with the code; root names link to their
    entries; no Sphinx role is shown raw anywhere."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("api_reference",
                                                  ROOT / "scripts" / "api_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.stale() == [], "run python scripts/api_reference.py"
    for _, page, _, _ in module.MODULES:
        assert (site / "reference" / page / "index.html").exists(), page
    index = (site / "reference" / "index.html").read_text(encoding="utf-8")
    assert 'href="graph/#mtss_core.graph.AlignmentGraph"' in index
    roles = re.compile(r":(class|func|meth|data|attr|mod|exc|obj):`")
    raw = [p.relative_to(site).as_posix() for p in site.rglob("*.html")
           if roles.search(re.sub(r"<(pre|code)\b.*?</\1>", "", p.read_text("utf-8"), flags=re.S))]
    assert raw == []
    rules = (site / "reference" / "rules" / "index.html").read_text(encoding="utf-8")
    assert 'class="autorefs autorefs-internal"' in rules


def test_docs_sidebar_is_grouped_with_the_rules_collapsed(site):
    """The guides come first in a few groups; the rules are one collapsed section."""
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    section = nav[nav.index("\nnav:\n"):nav.index("\nmarkdown_extensions:")]
    top = re.findall(r"^  - ([^:]+):", section, re.M)
    assert top == ["Getting started", "Documents and data", "Leading MTSS", "Rules", "Python",
                   "Project"]
    home = (site / "index.html").read_text(encoding="utf-8")
    every_rule = re.search(r'<input class="md-nav__toggle md-toggle[^"]*" type="checkbox" '
                           r'id="(__nav_\d+_\d+)"[^>]*>\s*<label[^>]*for="\1"[^>]*>\s*'
                           r"(?:<span[^>]*>\s*)?Every rule", home)
    assert every_rule and "checked" not in every_rule.group(0)


def test_docs_site_publishes_no_raw_notebook_or_hook(site):
    """The tour is a rendered page with its outputs; the notebook file and the hooks are
    not copied into the site."""
    assert not list(site.rglob("*.ipynb")) and not list(site.rglob("_hooks.py"))
    tour = (site / "tour" / "index.html").read_text(encoding="utf-8")
    assert "Report: fail" in tour and "data:image/png;base64," in tour


def test_docs_site_makes_no_network_request(site):
    """Opened in headless Chromium, the home page, a guide and a reference page request
    nothing but files of the site (no web fonts, no scripts from elsewhere)."""
    from test_html_report import CHROMIUM_ARGS, _chromium
    playwright = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    requested = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requested.append(r.url))
        for path in ("index.html", "jupyter/index.html", "reference/rules/index.html"):
            page.goto((site / path).as_uri(), wait_until="load")
        browser.close()
    assert requested and all(u.startswith(("file:", "data:")) for u in requested), [
        u for u in requested if not u.startswith(("file:", "data:"))]


def test_ruff_is_clean():
    """ruff finds nothing in src, tests, benchmarks or scripts."""
    proc = subprocess.run([_tool("ruff"), "check", "src", "tests", "benchmarks", "scripts"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean():
    """mypy --strict (configured in pyproject.toml) finds nothing in src."""
    proc = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_docs_tables_are_not_split_by_blank_lines():
    """A blank line inside a Markdown table turns its second half into a paragraph."""
    for path in sorted(Path("docs").rglob("*.md")):
        lines = path.read_text().splitlines()
        for i in range(1, len(lines) - 1):
            split = (not lines[i].strip() and lines[i - 1].startswith("|")
                     and lines[i + 1].startswith("|")
                     and not (i + 2 < len(lines) and lines[i + 2].startswith("|---")))
            assert not split, f"{path}:{i + 1}: a blank line splits a table"


class TestALoneClone:
    def test_ci_runs_the_readme_command_in_a_copy_of_the_repository_alone(self):
        """.ci/run is the README's second command, run in a copy with nothing beside it."""
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        second = next(line for line in readme.splitlines() if "pytest" in line).strip()
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        assert second in script.splitlines()
        assert "git ls-files" in script and 'cd "$lone"' in script

    def test_reading_beside_the_clone_is_refused(self, tmp_path):
        """A test that opened a file in a folder beside the clone (as the suite once read
        the published schemas from one) fails at once, naming the file."""
        beside = ROOT.parent / "a-folder-beside-the-clone" / "README.md"
        with pytest.raises(RuntimeError, match="beside the clone"):
            open(beside, encoding="utf-8")  # noqa: SIM115 - the open itself is refused
        (tmp_path / "x.txt").write_text("fine", encoding="utf-8")  # elsewhere is fine
        assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "fine"


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s<>=!~;\[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_the_checking_toolchain_is_pinned_and_the_runtime_is_not():
    """mypy and ruff are pinned exactly in the test extra; every package the test extra
    names has an exact pin in constraints.txt, which the README's test command and .ci/run
    both use; the library's own dependencies stay ranges."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    test = project["optional-dependencies"]["test"]
    exact = {_requirement_name(s): s for s in test if "==" in s}
    assert {"mypy", "ruff"} <= set(exact), test
    assert all("==" not in s for s in project["dependencies"]), project["dependencies"]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        name, sep, version = line.partition("==")
        assert sep and version.strip(), f"constraints.txt: not an exact pin: {line!r}"
        pins[_requirement_name(name)] = version.strip()
    missing = sorted({_requirement_name(s) for s in test} - set(pins))
    assert missing == [], f"not pinned in constraints.txt: {missing}"
    for name, spec in exact.items():
        assert spec.split("==")[1].strip() == pins[name], (name, spec, pins[name])
    command = ("python3 -m venv .venv && .venv/bin/pip install -e '.[test]' -c constraints.txt"
               " && .venv/bin/python -m pytest")
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_newest_versions_check_reads_pins():
    """scripts/check_newest.py compares pins by normalised name."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_newest",
                                                  ROOT / "scripts" / "check_newest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module._pins("Foo_Bar==1.2\n# c\nbaz==3 # note\n-e .\n") == {
        "foo-bar": "1.2", "baz": "3"}
