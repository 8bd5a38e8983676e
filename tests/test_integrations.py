"""The integrations: the pre-commit hooks (run through pre-commit's try-repo) and the
GitHub composite action (its validation step run here on the example)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import mtss_core as mc

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_the_hook_definitions():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"mtss-validate", "mtss-fix"}
    assert by_id["mtss-validate"]["entry"] == "mtss validate"
    assert by_id["mtss-fix"]["entry"] == "mtss validate --fix"
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["files"] == r"\.mtss\.(json|ya?ml|xlsx)$"


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A git repository of this project's files (the test may run in a copy that is not
    one), which pre-commit installs the hooks from."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md",
                 ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "src", repo / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "hooks", cwd=repo)
    return repo


def test_pre_commit_try_repo_refuses_a_document_with_errors(hook_repo, tmp_path):
    pre_commit = BIN / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (the test extra installs it)")
    work = tmp_path / "district"
    work.mkdir()
    _git("init", "-q", cwd=work)
    mc.dump(mc.example(), work / "lakeshore.mtss.json")  # 4 errors
    healthy = mc.AlignmentGraph([mc.OrgUnit(id="d", kind="district")])
    mc.dump(healthy, work / "clean.mtss.json")
    (work / "package.json").write_text("{}")  # not a structure document: not checked
    _git("add", "-A", cwd=work)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(pre_commit), "try-repo", str(hook_repo), "mtss-validate",
                               "--files", *files], cwd=work, env=env, capture_output=True,
                              text=True, timeout=900)

    refused = hook("lakeshore.mtss.json", "package.json")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "LED001 [error] sch-cedar-high" in refused.stdout
    passed = hook("clean.mtss.json")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_the_action_validates_and_writes_sarif(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert {"paths", "args", "python-version", "upload-sarif", "sarif-dir"} <= set(
        action["inputs"])
    steps = {s.get("id") or s.get("name") or s.get("uses"): s for s in action["runs"]["steps"]}
    assert any(str(k).startswith("github/codeql-action/upload-sarif") for k in
               (s.get("uses") for s in action["runs"]["steps"]))
    script = steps["validate"]["run"]
    for name, value in {"paths": "*.mtss.json", "args": "--select ALN,LED",
                        "sarif-dir": "out"}.items():
        script = script.replace("${{ inputs." + name + " }}", value)
    assert "${{" not in script
    mc.dump(mc.example(), tmp_path / "lakeshore.mtss.json")
    output = tmp_path / "github-output"
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "GITHUB_OUTPUT": str(output),
                                          "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    assert output.read_text().strip() == "exit-code=1"
    sarif = (tmp_path / "out" / "1.sarif").read_text()
    assert '"ruleId": "ALN001"' in sarif
    assert "::error file=lakeshore.mtss.json" in done.stdout  # the annotations
