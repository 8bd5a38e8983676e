"""Project checks that run with the suite: lint, types, generated docs."""

from __future__ import annotations

import os
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


def test_docs_site_builds_without_warnings(tmp_path):
    """The documentation site (mkdocs, strict: warnings are errors) builds."""
    proc = subprocess.run([_tool("mkdocs"), "build", "--strict", "--site-dir",
                           str(tmp_path / "site")], cwd=ROOT, capture_output=True,
                          text=True, check=False, env={**os.environ,
                                                       "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "site" / "rules" / "TEA004" / "index.html").exists()


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
        """A test that opened a sibling folder's file (as the suite once read
        ../shared/standards) fails at once, naming the file."""
        beside = ROOT.parent / "shared" / "standards" / "README.md"
        with pytest.raises(RuntimeError, match="beside the clone"):
            open(beside, encoding="utf-8")  # noqa: SIM115 - the open itself is refused
        (tmp_path / "x.txt").write_text("fine", encoding="utf-8")  # elsewhere is fine
        assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "fine"
