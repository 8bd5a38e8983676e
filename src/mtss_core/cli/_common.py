"""What every command shares: the same flags mean the same thing everywhere.

- ``PATH`` or ``--example``: the document to read (``--lenient`` where offered);
- ``--format``: the output format; ``-o/--output FILE``: where to write it (``-`` or
  nothing: standard output);
- ``--as-of DATE``: the date time-based checks use (default: the document's own);
- ``--root UNIT``: one unit and everything below it, honoured or refused, never ignored.

Exit codes: 0 ok, 1 findings at error severity, 2 bad usage or unreadable input (one
line on standard error, never a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pendulum

from .._text import md_cell
from ..errors import MtssError
from ..graph import AlignmentGraph
from ..io import dump, dumps, example_path, load
from ..model import OrgUnit, to_date
from ..rules import DEFAULT_RULES, Config, RuleSet, config_from_toml, plugin_rules

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXAMPLE_SOURCE = "lakeshore.json (bundled example)"


class UsageError(MtssError):
    """The command line asks for something that cannot be done (exit 2)."""


class ClosedOutputError(UsageError):
    """Standard output is closed (``mtss schema >&-``) and the command had output for it."""


class ClosedOutput(io.TextIOBase):
    """What the commands write to when standard output is closed: the first write is an
    error (exit 2, one line on standard error), not an ``AttributeError`` on ``None``."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise ClosedOutputError("standard output is closed, so the output cannot be "
                                "written there: write it to a file with -o FILE")


def write_document(graph: AlignmentGraph, target: str, out: TextIO) -> None:
    """Write ``graph`` to ``target`` in the format its name ends in (``-``: JSON to
    ``out``); a file that cannot be written is a usage error, with the reason."""
    if target == "-":
        out.write(dumps(graph))
        out.write("\n")
        return
    try:
        dump(graph, target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def say(out: TextIO, text: str) -> None:
    """An informational line ("wrote FILE"): printed, or dropped if standard output is
    closed (the command's real output went to a file)."""
    with contextlib.suppress(ClosedOutputError):
        print(text, file=out)


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (``mtss validate: error: ...``), not a usage
    block, and never exits the process: :func:`~mtss_core.cli.main` returns 2."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def date_arg(text: str) -> pendulum.Date:
    """An ISO 8601 date from the command line."""
    try:
        found = to_date(text)
    except MtssError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    assert found is not None
    return found


def jobs_arg(text: str) -> int:
    """A number of worker processes: a whole number, at least 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return n


def add_source(p: argparse.ArgumentParser, *, folders: bool = False) -> None:
    """PATH or --example."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("path", nargs="?", metavar="PATH",
                     help="the document" + (" (.json, .yaml, .yml), or a folder of them"
                                            if folders else ""))
    src.add_argument("--example", action="store_true",
                     help="use the bundled example (Lakeshore Regional ISD)")


def add_format(p: argparse.ArgumentParser, choices: tuple[str, ...], help: str = "") -> None:
    p.add_argument("--format", choices=choices, default=choices[0], type=str.lower,
                   help=help or f"output format (default: {choices[0]})")


def add_output(p: argparse.ArgumentParser, what: str = "the output") -> None:
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help=f"write {what} to FILE (default, or -: standard output)")


def add_as_of(p: argparse.ArgumentParser, help: str = "") -> None:
    p.add_argument("--as-of", metavar="DATE", type=date_arg, default=None,
                   help=help or "the date time-based checks use (ISO 8601); default: the "
                                "document's own as_of")


def add_root(p: argparse.ArgumentParser, help: str = "") -> None:
    p.add_argument("--root", metavar="UNIT",
                   help=help or "only this org unit and everything below it")


def add_rule_options(p: argparse.ArgumentParser) -> None:
    """--config, --select, --ignore, --severity, --set, --plugins."""
    p.add_argument("--config", metavar="FILE",
                   help="read select / ignore / severity / settings from a TOML file "
                        "(mtss.toml, or pyproject.toml's [tool.mtss])")
    p.add_argument("--plugins", action="store_true",
                   help="also run rules offered by installed plugins (entry points)")
    p.add_argument("--select", action="append", default=None, metavar="RULES",
                   help="run only these rules: codes, code prefixes or names, comma-separated")
    p.add_argument("--ignore", action="append", default=[], metavar="RULES",
                   help="skip these rules: codes, code prefixes or names, comma-separated")
    p.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                   help="override a rule's severity, e.g. FOC001=error")
    p.add_argument("--set", action="append", default=[], dest="settings",
                   metavar="RULE.SETTING=VALUE",
                   help="set a rule setting, e.g. FOC001.max_focus_areas=5")


def read_graph(args: argparse.Namespace) -> AlignmentGraph:
    """The document the command names (``PATH`` or ``--example``)."""
    path = example_path() if args.example else args.path
    return load(path, strict=not getattr(args, "lenient", False))


def source_name(args: argparse.Namespace) -> str:
    return EXAMPLE_SOURCE if args.example else str(args.path)


def check_root(graph: AlignmentGraph, root: str | None) -> None:
    """Refuse a --root that is not an org unit of the document."""
    if root is not None and not isinstance(graph.get(root), OrgUnit):
        raise UsageError(f"--root: no org unit with id {root!r} in the document")


def _parse_setting(text: str) -> tuple[str, str, Any]:
    """``FOC001.max_focus_areas=5`` -> ("FOC001", "max_focus_areas", 5)."""
    key, sep, raw = text.partition("=")
    rule_key, dot, name = key.partition(".")
    if not sep or not dot or not rule_key or not name:
        raise UsageError(f"--set expects RULE.SETTING=VALUE, got {text!r}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return rule_key.strip(), name.strip(), value


def config_of(args: argparse.Namespace) -> Config:
    """The file's configuration (if any) with the command line's options on top."""
    base = config_from_toml(args.config) if args.config else Config()
    settings: dict[str, dict[str, Any]] = {k: dict(v) for k, v in base.settings.items()}
    for text in args.settings:
        rule_key, name, value = _parse_setting(text)
        settings.setdefault(rule_key, {})[name] = value
    severity: dict[str, Any] = dict(base.severity)
    for text in args.severity:
        key, sep, level = text.partition("=")
        if not sep:
            raise UsageError(f"--severity expects RULE=LEVEL, got {text!r}")
        severity[key.strip()] = level.strip()
    select = base.select if args.select is None else ",".join(args.select)
    ignore = [*base.ignore, *",".join(args.ignore).split(",")]
    as_of = args.as_of if getattr(args, "as_of", None) is not None else base.as_of
    return Config(select=select, ignore=ignore, severity=severity, settings=settings,
                  as_of=as_of)


def rules_of(args: argparse.Namespace) -> RuleSet:
    return DEFAULT_RULES.with_rules(*plugin_rules()) if args.plugins else DEFAULT_RULES


@contextlib.contextmanager
def output(args: argparse.Namespace, out: TextIO) -> Iterator[TextIO]:
    """Where the command writes: the -o file (written whole, or not at all), or ``out``."""
    target = getattr(args, "output", "-") or "-"
    if target == "-":
        yield out
        return
    path = Path(target)
    if path.is_dir():
        raise UsageError(f"cannot write {target}: it is a folder")
    buffer = io.StringIO()
    yield buffer
    try:
        path.write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None


def cell(text: str) -> str:
    """Text for one Markdown table cell (see :func:`mtss_core._text.md_cell`)."""
    return md_cell(text)


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
