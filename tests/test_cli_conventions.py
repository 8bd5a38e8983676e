"""The command line's conventions, checked on every subcommand the parser has (a new
command fails here until it keeps them): help and docs, standard input, standard output,
--output-format, the document first and the unit as an option, one-line usage errors,
colour only when asked or on a terminal, exit codes."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from mtss_core.cli import main
from mtss_core.cli._main import COMMANDS, _parser
from mtss_core.io import example_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = example_path().read_text(encoding="utf-8")

#: How to run each command on the bundled example read from standard input ("-"), with
#: the unit as an option. None: the command reads no structure document.
ON_STDIN: dict[str, list[str] | None] = {
    "validate": ["validate", "-"],
    "timeline": ["timeline", "-", "--root", "sch-lincoln"],
    "status-pack": ["status-pack", "-", "--district", "dist-cedar"],
    "scorecard": ["scorecard", "-", "--root", "dist-maple"],
    "report": ["report", "-", "--root", "dist-maple"],
    "diff": ["diff", "-", str(example_path())],
    "init": ["init", "--from", "-", "--district", "dist-maple"],
    "convert": ["convert", "-", "-"],
    "capacity": ["capacity", "-", "--district", "dist-cedar"],
    "export": ["export", "-", "--format", "dot", "--root", "dist-maple"],
    "refresh": None,  # two files and an output file: tested in test_refresh
    "rules": None, "explain": None, "import": None, "schema": None, "example": None,
    "completion": None,
    "store": None,  # a database, not a document: tested in test_store
}


def _run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv, stdout=out, stderr=err, stdin=io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_table_above_names_every_command():
    """Every subcommand is covered by these conventions."""
    assert set(ON_STDIN) == set(_subparsers()) == {c.NAME for c in COMMANDS}


@pytest.mark.parametrize("name", sorted(_subparsers()))
def test_help_and_every_option_documented(name):
    """--help exits 0; every option of the command appears in docs/cli.md."""
    with pytest.raises(SystemExit) as exit_:
        _parser().parse_args([name, "--help"])
    assert exit_.value.code == 0
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    options = [o for a in _subparsers()[name]._actions for o in a.option_strings]
    for option in options:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", cli), (name, option)


@pytest.mark.parametrize("name", sorted(_subparsers()))
def test_usage_errors_are_one_line(name):
    """A bad flag: exit 2, one line on standard error, the program named once."""
    code, _, err = _run([name, "--no-such-flag"])
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert err.startswith("mtss") and "mtss: mtss:" not in err and "Traceback" not in err


@pytest.mark.parametrize("name", sorted(n for n, a in ON_STDIN.items() if a))
def test_reads_standard_input_and_writes_standard_output(name):
    """`-` reads the document from standard input; output goes to standard output."""
    code, out, err = _run(ON_STDIN[name], stdin=EXAMPLE)
    assert code in (0, 1), err
    assert out.strip(), name


@pytest.mark.parametrize("name", sorted(n for n, p in _subparsers().items()
                                        if any("--format" in a.option_strings
                                               for a in p._actions)))
def test_output_format_is_an_alias_of_format(name):
    """--output-format is accepted wherever --format is (ruff's spelling)."""
    action = next(a for a in _subparsers()[name]._actions if "--format" in a.option_strings)
    if name == "export":  # --format picks the export's format; --to is its old spelling
        assert "--to" in action.option_strings
        return
    assert "--output-format" in action.option_strings


@pytest.mark.parametrize("name", sorted(n for n, p in _subparsers().items()
                                        if any(a.dest == "output" for a in p._actions)))
def test_dash_o_dash_is_standard_output(name):
    """-o - writes to standard output wherever -o is taken."""
    action = next(a for a in _subparsers()[name]._actions if a.dest == "output")
    assert "-o" in action.option_strings
    argv = ON_STDIN.get(name)
    if not argv or name == "convert":
        return
    code, out, err = _run([*argv, "-o", "-"], stdin=EXAMPLE)
    assert code in (0, 1) and out.strip(), err


def test_the_unit_is_an_option_and_the_document_comes_first():
    """Commands about one unit take it as --root, --district or --unit; the old order
    (deprecated in 0.2.0, removed in 0.4.0) is refused with the command to type."""
    for name in ("timeline", "status-pack", "capacity", "scorecard", "report", "export",
                 "validate"):
        options = {o for a in _subparsers()[name]._actions for o in a.option_strings}
        assert options & {"--root", "--district", "--unit"}, name
    code, out, err = _run(["timeline", "sch-lincoln", str(example_path())])
    assert code == 2 and not out.strip()
    assert f"mtss timeline {example_path()} --root sch-lincoln" in err
    assert "removed in 0.4.0" in err
    code, out, err = _run(["timeline", str(example_path()), "--root", "sch-lincoln"])
    assert code == 0 and out.strip()


def test_colour_only_when_asked_and_never_with_no_color(monkeypatch):
    """Text output is plain off a terminal, coloured with --color always or FORCE_COLOR,
    and plain with NO_COLOR even when forced by the environment."""
    ansi = re.compile(r"\x1b\[")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert not ansi.search(_run(["validate", "--example"])[1])
    assert ansi.search(_run(["validate", "--example", "--color", "always"])[1])
    assert not ansi.search(_run(["validate", "--example", "--color", "never"])[1])
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ansi.search(_run(["validate", "--example"])[1])
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR")
    assert not ansi.search(_run(["validate", "--example"])[1])


def test_exit_codes():
    """1 for errors found, 0 with --exit-zero, 2 for unreadable input; JSON output is
    JSON whatever the exit code."""
    assert _run(["validate", "--example"])[0] == 1
    assert _run(["validate", "--example", "--exit-zero"])[0] == 0
    assert _run(["validate", "-"], stdin="{not json")[0] == 2
    code, out, _ = _run(["validate", "--example", "--format", "json"])
    assert code == 1 and json.loads(out)["verdict"] == "fail"


def test_text_output_names_the_file_once_and_puts_errors_first():
    """The file's name as one heading; errors before warnings."""
    code, out, _ = _run(["validate", str(example_path()), "--all"])
    lines = out.splitlines()
    assert sum(str(example_path().name) in line for line in lines) == 1
    severities = [m.group(1) for line in lines if (m := re.search(r"\b(error|warning)\b",
                                                                    line))]
    assert severities == sorted(severities, key=("error", "warning").index)
