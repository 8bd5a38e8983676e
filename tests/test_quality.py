"""Project checks that run with the suite: lint, types, generated docs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mtss_core import DEFAULT_RULES
from mtss_core._ruledoc import render_catalogue

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return found


def test_rule_reference_page_is_current():
    """docs/rules.md is regenerated from the rules (python -m mtss_core._ruledoc)."""
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == render_catalogue(DEFAULT_RULES), (
        "docs/rules.md is stale: run python -m mtss_core._ruledoc > docs/rules.md")


def test_ruff_is_clean():
    """ruff finds nothing in src, tests or benchmarks."""
    proc = subprocess.run([_tool("ruff"), "check", "src", "tests", "benchmarks"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean():
    """mypy --strict (configured in pyproject.toml) finds nothing in src."""
    proc = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
