"""What every command shares: the same flags mean the same thing everywhere.

- ``PATH`` or ``--example``: the document to read, first (``-``: standard input, its
  format from ``--input-format`` or sniffed; ``--lenient`` where offered); the unit a
  command is about is an option after it (``--root``, or ``--district``);
- ``--format`` (or ``--output-format``): the output format; ``-o/--output FILE``: where to
  write it (``-`` or nothing: standard output);
- ``--color auto|always|never``: colour on a terminal (``NO_COLOR`` and ``FORCE_COLOR``
  honoured);
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
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pendulum

from .._atomic import write_text
from .._text import md_cell
from ..errors import DocumentError, MtssError
from ..graph import AlignmentGraph
from ..io import Limits, dump, dumps, example_path, load
from ..model import TYPES, OrgUnit, Registry, to_date
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
    dump(graph, target)


def say(out: TextIO, text: str) -> None:
    """An informational line ("wrote FILE"): printed, or dropped if standard output is
    closed (the command's real output went to a file)."""
    with contextlib.suppress(ClosedOutputError):
        print(text, file=out)


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (``mtss: validate: ...``), not a usage block,
    and never exits the process: :func:`~mtss_core.cli.main` returns 2."""

    def error(self, message: str) -> Any:
        command = self.prog.removeprefix("mtss").strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (see {self.prog} --help)")


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
    """PATH (``-``: standard input) or --example, and --input-format."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("path", nargs="?", metavar="PATH",
                     help="the document (.json, .yaml, .yml, .xlsx; -: standard input)"
                          + (", or a folder of them" if folders else ""))
    src.add_argument("--example", action="store_true",
                     help="use the bundled example (Lakeshore Regional ISD)")
    add_input_format(p)


def add_source_and_unit(p: argparse.ArgumentParser, option: str, what: str) -> None:
    """PATH (or ``-``, or --example) first, then the unit as ``--OPTION ID``; the older
    spelling with the unit first (``COMMAND UNIT PATH``, removed in 0.4.0) is refused with
    the command to type instead (:func:`unit_and_source`)."""
    p.add_argument("path", nargs="?", metavar="PATH",
                   help="the document (.json, .yaml, .yml, .xlsx; -: standard input)")
    p.add_argument("legacy", nargs="?", help=argparse.SUPPRESS)
    p.add_argument("--example", action="store_true",
                   help="use the bundled example (Lakeshore Regional ISD)")
    p.add_argument(f"--{option}", dest="unit", metavar="ID", help=f"the id of the {what}")
    add_input_format(p)
    p.set_defaults(unit_option=option)


def unit_and_source(args: argparse.Namespace) -> None:
    """Settle ``args.unit`` and ``args.path`` from either spelling (see
    :func:`add_source_and_unit`)."""
    option = args.unit_option
    command = args.command
    if args.unit is None and args.path is not None and (args.legacy is not None
                                                        or args.example):
        # the 0.1 order, unit first: deprecated since 0.2.0, removed in 0.4.0
        source = "--example" if args.example else args.legacy
        raise UsageError(f"{command}: the document comes first and the unit after "
                         f"--{option}: `mtss {command} {source} --{option} {args.path}` "
                         f"(the order `{command} {option.upper()} PATH` was removed in "
                         "0.4.0)")
    if args.legacy is not None:
        raise UsageError(f"{command}: one document at a time (extra argument "
                         f"{args.legacy!r})")
    if args.example and args.path is not None:
        raise UsageError(f"{command}: give a document or --example, not both")
    if not args.example and args.path is None:
        raise UsageError(f"{command}: name a document (PATH, - for standard input) or "
                         "--example")
    if args.unit is None:
        raise UsageError(f"{command}: name the {option} with --{option} ID")


def add_input_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input-format", choices=("json", "yaml", "xlsx"), default=None,
                   help="the format of a document read from standard input (default: "
                        "sniffed from its first bytes)")


def add_format(p: argparse.ArgumentParser, choices: tuple[str, ...], help: str = "") -> None:
    p.add_argument("--format", "--output-format", dest="format", choices=choices,
                   default=choices[0], type=str.lower, metavar="FORMAT",
                   help=(help or "output format") + f" ({', '.join(choices)}; default: "
                                                    f"{choices[0]})")


def add_color(p: argparse.ArgumentParser) -> None:
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text output: auto (on a terminal, unless NO_COLOR is "
                        "set; FORCE_COLOR forces it), always or never")


def use_color(args: argparse.Namespace, out: TextIO) -> bool:
    """Whether to colour: --color, then NO_COLOR / FORCE_COLOR, then whether ``out`` is a
    terminal."""
    choice = getattr(args, "color", "never")
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return is_terminal(out)


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
                   help="also run rules and read object types offered by installed "
                        "plugins (the mtss_core.rules and mtss_core.types entry points)")
    p.add_argument("--types", metavar="MODULE:REGISTRY",
                   help="read documents with a vendor's object types: a Registry (or "
                        "ObjectTypes) in an importable module")
    p.add_argument("--select", action="append", default=None, metavar="RULES",
                   help="run only these rules: codes, code prefixes or names, comma-separated")
    p.add_argument("--ignore", action="append", default=[], metavar="RULES",
                   help="skip these rules: codes, code prefixes or names, comma-separated")
    p.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                   help="override a rule's severity, e.g. FOC001=error")
    p.add_argument("--set", action="append", default=[], dest="settings",
                   metavar="RULE.SETTING=VALUE",
                   help="set a rule setting, e.g. FOC001.max_focus_areas=5")


def types_of(args: argparse.Namespace) -> Registry:
    """The object types documents are read with: the shipped ones, a vendor's
    (``--types MODULE:REGISTRY``) and, with ``--plugins``, the installed packages'."""
    from ..model import plugin_types, types_from

    types = types_from(args.types) if getattr(args, "types", None) else TYPES
    return plugin_types(base=types) if getattr(args, "plugins", False) else types


def read_graph(args: argparse.Namespace) -> AlignmentGraph:
    """The document the command names (``PATH``, ``-`` or ``--example``)."""
    if args.example:
        return load(example_path(), strict=not getattr(args, "lenient", False))
    return load_input(args, args.path, strict=not getattr(args, "lenient", False))


STDIN = "<stdin>"


def load_input(args: argparse.Namespace, path: str, *, strict: bool = True
               ) -> AlignmentGraph:
    """A document from ``path``, or from standard input when ``path`` is ``-`` (once per
    command: a second ``-`` is a usage error)."""
    types = types_of(args)
    if path != "-":
        if "://" in path and "#" in path:  # a tenant of a store: URL#TENANT
            return _from_store(path)
        return load(path, strict=strict, types=types)
    if getattr(args, "_stdin_used", False):
        raise UsageError("standard input (-) can be read only once")
    args._stdin_used = True
    stream = getattr(args, "stdin", None) or sys.stdin
    if stream is None:
        raise UsageError("standard input is closed: name a file instead of -")
    limit = Limits().max_bytes
    raw = getattr(stream, "buffer", None)
    # at most one byte past the limit is read: an endless stream is refused, not held
    data: bytes | str = raw.read(limit + 1) if raw is not None else stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentError.single(STDIN, f"more than {limit:,} bytes on standard input "
                                          "(Limits.max_bytes)")
    fmt = getattr(args, "input_format", None) or _sniff(data)
    if fmt == "xlsx":
        body = data if isinstance(data, bytes) else data.encode("latin-1")
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "stdin.xlsx"
            target.write_bytes(body)
            return load(target, strict=strict, source=STDIN, types=types)
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise DocumentError.single(STDIN, f"not UTF-8 text (byte {exc.start})") from None
    from ..io import loads

    return loads(text, fmt, source=STDIN, strict=strict, types=types)


def _from_store(path: str) -> AlignmentGraph:
    """The latest version of a store's tenant, named ``URL#TENANT``."""
    from ..store import open_store

    url, _, tenant = path.rpartition("#")
    with open_store(url, create=False) as store:
        return store.graph(tenant)


def _sniff(data: bytes | str) -> str:
    """A document's format from its first bytes: a zip archive is a workbook, ``{`` starts
    JSON, anything else is read as YAML."""
    head = data[:4] if isinstance(data, bytes) else data[:4].encode("utf-8", "replace")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = (data.decode("utf-8-sig", "replace") if isinstance(data, bytes) else data)
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def source_name(args: argparse.Namespace) -> str:
    if args.example:
        return EXAMPLE_SOURCE
    return "<stdin>" if args.path == "-" else str(args.path)


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
    write_text(path, buffer.getvalue(), newline=None)


def cell(text: str) -> str:
    """Text for one Markdown table cell (see :func:`mtss_core._text.md_cell`)."""
    return md_cell(text)


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
