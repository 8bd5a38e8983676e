"""The ``mtss`` command line.

Exit codes: 0 when nothing at error severity was found, 1 when something was,
2 for bad usage or unreadable input (one line per problem on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from .._version import __version__
from ..analysis._scorecard import alignment_scorecard
from ..analysis._status_pack import status_pack
from ..analysis._tenants import TenantResult, validate_many
from ..display._report import html_report
from ..errors import DocumentError, MtssError
from ..graph._timeline import fidelity_trend, time_to_fidelity, timeline
from ..io._document import dump, load, overlay
from ..io._example import example_path, example_text
from ..io._export import to_dot, to_mermaid, to_node_link, write_graphml
from ..io._schema import schema_text
from ..io.importers._directory import import_directory_csv
from ..io.importers._edfi import import_edfi, import_edfi_api
from ..io.importers._oneroster import INCLUDE, import_oneroster
from ..model._core import OrgUnit, to_date
from ..rules._catalogue import DEFAULT_RULES
from ..rules._config import Config, RuleSet
from ..rules._config_file import config_from_toml, plugin_rules
from ..rules._engine import validate
from ..rules._report import Report
from ..rules._ruledoc import render_rule

__all__ = ["main"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


def _parse_setting(text: str) -> tuple[str, str, Any]:
    """``FOC001.max_focus_areas=5`` -> ("FOC001", "max_focus_areas", 5)."""
    key, sep, raw = text.partition("=")
    rule_key, dot, name = key.partition(".")
    if not sep or not dot or not rule_key or not name:
        raise _UsageError(f"--set expects RULE.SETTING=VALUE, got {text!r}")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return rule_key.strip(), name.strip(), value


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtss",
        description="Model who leads a school system's MTSS and check that its levels align.",
    )
    parser.add_argument("--version", action="version", version=f"mtss-core {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    v = sub.add_parser("validate", help="check a structure document and print the findings",
                       description="Check a structure document (.json, .yaml, .yml).")
    src = v.add_mutually_exclusive_group(required=True)
    src.add_argument("path", nargs="?", help="the document to check, or a folder of them")
    src.add_argument("--example", action="store_true",
                     help="check the bundled example (Lakeshore Regional ISD)")
    v.add_argument("--as-of", metavar="DATE",
                   help="the date time-based rules check against (ISO 8601); default: the "
                        "document's own as_of; without either they are skipped")
    v.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                   help="text for people (default), json for tools, markdown for meeting notes")
    v.add_argument("--config", metavar="FILE",
                   help="read select / ignore / severity / settings from a TOML file "
                        "(mtss.toml, or pyproject.toml's [tool.mtss])")
    v.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="for a folder: worker processes (default: one per core)")
    v.add_argument("--no-progress", action="store_true",
                   help="for a folder: no progress bar")
    v.add_argument("--plugins", action="store_true",
                   help="also run rules offered by installed plugins (entry points)")
    v.add_argument("--lenient", action="store_true",
                   help="build what is sound and report broken references, duplicate ids "
                        "and the like as STR findings instead of stopping")
    v.add_argument("--select", action="append", default=None, metavar="RULES",
                   help="run only these rules: codes, code prefixes or names, comma-separated")
    v.add_argument("--ignore", action="append", default=[], metavar="RULES",
                   help="skip these rules: codes, code prefixes or names, comma-separated")
    v.add_argument("--severity", action="append", default=[], metavar="RULE=LEVEL",
                   help="override a rule's severity, e.g. FOC001=error")
    v.add_argument("--set", action="append", default=[], dest="settings",
                   metavar="RULE.SETTING=VALUE", help="set a rule setting, e.g. "
                   "FOC001.max_focus_areas=5")

    t = sub.add_parser("timeline", help="show a unit's implementation stages over time",
                       description="Show a unit's implementation stages with their "
                                   "durations, its fidelity assessments and time to fidelity.")
    t.add_argument("unit", metavar="UNIT", help="the id of the org unit")
    t_src = t.add_mutually_exclusive_group(required=True)
    t_src.add_argument("path", nargs="?", help="the document")
    t_src.add_argument("--example", action="store_true", help="use the bundled example")
    t.add_argument("--as-of", metavar="DATE", help="default: the document's own as_of")
    t.add_argument("--innovation", default="mtss", help="the innovation (default: mtss)")
    t.add_argument("--format", choices=("text", "json"), default="text")

    sp = sub.add_parser("status-pack", help="the liaison's status pack for a district",
                        description="Stages, latest assessment results, open barriers and "
                                    "findings for one district as of a date: what the liaison "
                                    "brings to the executive team.")
    sp.add_argument("district", metavar="DISTRICT", help="the id of the district")
    sp_src = sp.add_mutually_exclusive_group(required=True)
    sp_src.add_argument("path", nargs="?", help="the document")
    sp_src.add_argument("--example", action="store_true", help="use the bundled example")
    sp.add_argument("--as-of", metavar="DATE", help="default: the document's own as_of")
    sp.add_argument("--format", choices=("markdown", "json"), default="markdown")

    sc = sub.add_parser("scorecard", help="how aligned each level is, and the focus areas",
                        description="The alignment scorecard: per level and kind of product, "
                                    "how many have it and how many are aligned to the level "
                                    "above; units side by side; who works on each focus area.")
    sc_src = sc.add_mutually_exclusive_group(required=True)
    sc_src.add_argument("path", nargs="?", help="the document")
    sc_src.add_argument("--example", action="store_true", help="use the bundled example")
    sc.add_argument("--root", metavar="UNIT", help="only this unit and everything below it")
    sc.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    rp = sub.add_parser("report", help="write a shareable HTML report for a meeting",
                        description="One self-contained HTML file (no network, no external "
                                    "assets): the org and alignment tree, the scorecard and "
                                    "heat map, and the findings with their fixes.")
    rp_src = rp.add_mutually_exclusive_group(required=True)
    rp_src.add_argument("path", nargs="?", help="the document")
    rp_src.add_argument("--example", action="store_true", help="use the bundled example")
    rp.add_argument("--root", metavar="UNIT", help="only this unit and everything below it")
    rp.add_argument("--as-of", metavar="DATE", help="default: the document's own as_of")
    rp.add_argument("-o", "--output", required=True, metavar="OUT",
                    help="the HTML file to write (- for standard output)")

    r = sub.add_parser("rules", help="list the rules", description="List the rules.")
    r.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    r.add_argument("--plugins", action="store_true", help="include installed plugins' rules")

    x = sub.add_parser("explain", help="show a rule's documentation",
                       description="Show what a rule checks, why, an example, the fix and "
                                   "its settings.")
    x.add_argument("rule", metavar="CODE|NAME")
    x.add_argument("--plugins", action="store_true", help="include installed plugins' rules")

    im = sub.add_parser("import", help="turn OneRoster, Ed-Fi or a directory CSV into a "
                                       "document", description="Import rostering or "
                        "directory data as an mtss_core document; a summary of what was read, "
                        "made and skipped goes to standard output, notes to stderr.")
    im.add_argument("source", choices=("oneroster", "edfi", "edfi-api", "csv"),
                    help="oneroster: a OneRoster 1.1/1.2 CSV folder or zip; edfi: Ed-Fi XML "
                         "interchange files; edfi-api: a folder (or files) of Ed-Fi API JSON "
                         "resources; csv: a school directory with --mapping")
    im.add_argument("src", nargs="+", metavar="SRC", help="what to import (see SOURCE)")
    im.add_argument("-o", "--output", required=True, metavar="OUT",
                    help="the document to write (.json, .yaml or .yml)")
    im.add_argument("--id-prefix", default="", metavar="PREFIX",
                    help="put before every id (to keep two sources' ids apart)")
    im.add_argument("--mapping", metavar="FILE", help="csv: the column mapping (TOML)")
    im.add_argument("--state", help="csv: the name of the state to put on top")
    im.add_argument("--as-of", metavar="DATE",
                    help="oneroster / edfi / edfi-api: only roles and assignments current on "
                         "this date count")
    im.add_argument("--include", metavar="KINDS",
                    help="oneroster: also import " + " and / or ".join(INCLUDE)
                         + " (comma-separated)")
    im.add_argument("--overlay", metavar="FILE",
                    help="a document adding teams, visions, ... to the imported structure")

    ex = sub.add_parser("export", help="write a structure for graph tools",
                        description="Export a structure as networkx node-link JSON, GraphML, "
                                    "Graphviz DOT or Mermaid.")
    ex_src = ex.add_mutually_exclusive_group(required=True)
    ex_src.add_argument("path", nargs="?", help="the document")
    ex_src.add_argument("--example", action="store_true", help="use the bundled example")
    ex.add_argument("--to", required=True, choices=("node-link", "graphml", "dot", "mermaid"))
    ex.add_argument("--root", metavar="UNIT", help="dot / mermaid: only this unit's subtree")
    ex.add_argument("--people", action="store_true", help="dot / mermaid: draw people too")
    ex.add_argument("-o", "--output", metavar="OUT", help="default: standard output "
                    "(graphml needs a file)")

    sub.add_parser("schema", help="print the JSON Schema of the document format",
                   description="Print the JSON Schema (draft 2020-12) of the document format.")

    e = sub.add_parser("example", help="print the bundled example document",
                       description="Print the bundled example document (JSON) to start from.")
    e.add_argument("--path", action="store_true", help="print its path instead")
    return parser


def _config(args: argparse.Namespace) -> Config:
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
            raise _UsageError(f"--severity expects RULE=LEVEL, got {text!r}")
        severity[key.strip()] = level.strip()
    select = base.select if args.select is None else ",".join(args.select)
    ignore = [*base.ignore, *",".join(args.ignore).split(",")]
    as_of = args.as_of if args.as_of is not None else base.as_of
    return Config(select=select, ignore=ignore, severity=severity, settings=settings,
                  as_of=as_of)


def _rules(args: argparse.Namespace) -> RuleSet:
    return DEFAULT_RULES.with_rules(*plugin_rules()) if args.plugins else DEFAULT_RULES


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _print_markdown(report: Report, source: str, out: TextIO) -> None:
    print(f"## MTSS check: {source} — {report.verdict}", file=out)
    print(file=out)
    when = f" as of {report.as_of}" if report.as_of else ""
    print(f"{report.summary()}{when}.", file=out)
    if report.findings:
        print(file=out)
        print("| severity | rule | subject | finding | how to fix |", file=out)
        print("|---|---|---|---|---|", file=out)
        for f in sorted(report, key=lambda f: (-f.severity.rank, f.sort_key())):
            print(f"| {f.severity.value} | {f.code} {f.name} | `{f.subject}` | "
                  f"{_cell(f.message)} | {_cell(f.hint)} |", file=out)


def _print_text(report: Report, source: str, out: TextIO) -> None:
    for f in report:
        print(f"{source}: {f.code} [{f.severity.value}] {f.subject}: {f.message}", file=out)
        if f.hint:
            print(f"    hint: {f.hint}", file=out)
    if report.skipped:
        print(f"{source}: not run without an as-of date ({', '.join(report.skipped)}); "
              "pass --as-of DATE", file=out)
    when = f" as of {report.as_of}" if report.as_of else ""
    print(f"{source}: {report.summary()}{when}; verdict: {report.verdict}", file=out)


def _validate_folder(args: argparse.Namespace, config: Config, out: TextIO,
                     err: TextIO) -> int:
    """Every document in a folder, through a process pool, with a progress bar if tqdm is there."""
    folder = Path(args.path)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".json", ".yaml", ".yml"))
    if not files:
        raise _UsageError(f"{folder}: no .json, .yaml or .yml documents")
    jobs = args.jobs or min(len(files), os.cpu_count() or 1)
    items = [(str(p), str(p)) for p in files]
    rules = _rules(args)
    bar: Any = None
    if not args.no_progress:
        try:
            from tqdm import tqdm

            bar = tqdm(total=len(files), file=err, unit="doc", disable=None)
        except ImportError:
            bar = None
    results: dict[str, TenantResult] = {}
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else _Serial() as pool:
        for result in validate_many(items, executor=pool, config=config, rules=rules,
                                    strict=not args.lenient):
            results[result.key] = result
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    ordered = [results[str(p)] for p in files]
    if args.format == "json":
        json.dump([r.to_dict() for r in ordered], out, indent=2)
        out.write("\n")
    for r in ordered:
        if args.format == "json":
            continue
        if r.report is None:
            print(f"{r.key}: could not be checked: {r.error}", file=out)
        elif args.format == "markdown":
            _print_markdown(r.report, r.key, out)
            print(file=out)
        else:
            when = f" as of {r.report.as_of}" if r.report.as_of else ""
            print(f"{r.key}: {r.report.summary()}{when}; verdict: {r.report.verdict}", file=out)
    failed = [r for r in ordered if r.report is None]
    print(f"{len(ordered)} documents: {sum(r.ok for r in ordered)} pass, "
          f"{len(ordered) - len(failed) - sum(r.ok for r in ordered)} fail, "
          f"{len(failed)} could not be checked", file=out if args.format != "json" else err)
    if failed:
        return EXIT_USAGE
    return EXIT_OK if all(r.ok for r in ordered) else EXIT_FINDINGS


class _Serial:
    """A stand-in for an executor: validate_many runs items in order without one."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = _config(args)
    if args.path and Path(args.path).is_dir():
        return _validate_folder(args, config, out, err)
    path = str(example_path()) if args.example else args.path
    source = "lakeshore.json (bundled example)" if args.example else path
    graph = load(path, strict=not args.lenient)
    report = validate(graph, config, rules=_rules(args))
    if args.format == "json":
        json.dump({"source": source, **report.to_dict()}, out, indent=2)
        out.write("\n")
    elif args.format == "markdown":
        _print_markdown(report, source, out)
    else:
        _print_text(report, source, out)
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _list_rules(args: argparse.Namespace, out: TextIO) -> int:
    rules = _rules(args)
    if args.format == "json":
        json.dump([{"code": r.code, "name": r.name, "severity": r.severity.value,
                    "lifecycle": r.lifecycle.value, "summary": r.summary,
                    "settings": {s.name: s.default for s in r.settings}} for r in rules],
                  out, indent=2)
        out.write("\n")
    elif args.format == "markdown":
        print("| code | name | severity | checks |\n|---|---|---|---|", file=out)
        for r in rules:
            print(f"| {r.code} | `{r.name}` | {r.severity.value} | {_cell(r.summary)} |",
                  file=out)
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            flag = "" if r.lifecycle.value == "stable" else f" ({r.lifecycle.value})"
            print(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}{flag}",
                  file=out)
    return EXIT_OK


def _timeline(args: argparse.Namespace, out: TextIO) -> int:
    graph = load(example_path() if args.example else args.path)
    as_of = to_date(args.as_of) if args.as_of else graph.as_of
    if as_of is None:
        raise _UsageError("the document has no as_of date; pass --as-of DATE")
    unit = graph.get(args.unit)
    if not isinstance(unit, OrgUnit):
        raise _UsageError(f"no org unit with id {args.unit!r} in the document")
    periods = timeline(graph, args.unit, as_of=as_of, innovation=args.innovation)
    trend = fidelity_trend(graph, args.unit, as_of=as_of)
    to_fidelity = time_to_fidelity(graph, args.unit, as_of=as_of, innovation=args.innovation)
    if args.format == "json":
        json.dump({
            "unit": args.unit, "as_of": as_of.isoformat(), "innovation": args.innovation,
            "stages": [{"stage": p.stage.value, "entered_on": p.entered_on.isoformat(),
                        "left_on": None if p.left_on is None else p.left_on.isoformat(),
                        "days": p.duration.in_days()} for p in periods],
            "assessments": [{"id": a.id, "instrument": a.instrument,
                             "assessed_on": a.assessed_on.isoformat(), "total": a.total,
                             "target": a.target} for a in trend],
            "days_to_fidelity": None if to_fidelity is None else to_fidelity.in_days(),
        }, out, indent=2)
        out.write("\n")
        return EXIT_OK
    name = f" ({unit.name})" if unit.name else ""
    print(f"{unit.id}{name}: {args.innovation} as of {as_of}", file=out)
    if not periods:
        print("  no stage records", file=out)
    for p in periods:
        until = "now" if p.left_on is None else str(p.left_on)
        print(f"  {p.stage.value:<24} {p.entered_on} -> {until:<10}  "
              f"{p.duration.in_words()}", file=out)
    for a in trend:
        mark = "reached" if a.reached else "below"
        print(f"  {a.instrument:<6} {a.assessed_on}  {a.total:g}% ({mark} target "
              f"{a.target:g}%)", file=out)
    if to_fidelity is not None:
        print(f"  time to fidelity: {to_fidelity.in_words()}", file=out)
    return EXIT_OK


#: The import options that apply to each source (others are refused, not ignored).
_IMPORT_OPTIONS = {"oneroster": {"as_of", "include"}, "edfi": {"as_of"},
                   "edfi-api": {"as_of"}, "csv": {"mapping", "state"}}


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    given = {name for name in ("as_of", "include", "mapping", "state")
             if getattr(args, name) is not None}
    wrong = sorted(given - _IMPORT_OPTIONS[args.source])
    if wrong:
        flags = ", ".join("--" + w.replace("_", "-") for w in wrong)
        raise _UsageError(f"{flags} do(es) not apply to {args.source} imports")
    prefix = args.id_prefix
    if args.source == "oneroster":
        if len(args.src) != 1:
            raise _UsageError("oneroster takes one folder or zip file")
        include = [k.strip() for k in (args.include or "").split(",") if k.strip()]
        result = import_oneroster(args.src[0], as_of=_date_option(args.as_of),
                                  id_prefix=prefix, include=include)
    elif args.source == "edfi":
        result = import_edfi(*args.src, as_of=_date_option(args.as_of), id_prefix=prefix)
    elif args.source == "edfi-api":
        result = import_edfi_api(*args.src, as_of=_date_option(args.as_of), id_prefix=prefix)
    else:
        if len(args.src) != 1 or not args.mapping:
            raise _UsageError("csv takes one CSV file and --mapping FILE")
        mapping: Any = args.mapping
        if prefix:
            from ..io.importers._directory import read_mapping

            mapping = {**read_mapping(args.mapping)[0], "id_prefix": prefix}
        result = import_directory_csv(args.src[0], mapping, state=args.state)
    graph = result.graph if not args.overlay else overlay(result.graph, args.overlay)
    dump(graph, args.output)
    for note in result.notes:
        print(f"mtss: note: {note}", file=err)
    print(f"wrote {args.output}. {result.summary()}", file=out)
    return EXIT_OK


def _date_option(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return to_date(text)
    except (TypeError, ValueError) as exc:
        raise _UsageError(f"--as-of: {exc}") from None


def _export(args: argparse.Namespace, out: TextIO) -> int:
    graph = load(example_path() if args.example else args.path)
    if args.to == "graphml":
        if not args.output:
            raise _UsageError("graphml needs -o FILE")
        write_graphml(graph, args.output)
        return EXIT_OK
    if args.to == "node-link":
        text = json.dumps(to_node_link(graph), indent=2, ensure_ascii=False) + "\n"
    else:
        try:
            draw = to_dot if args.to == "dot" else to_mermaid
            text = draw(graph, root=args.root, people=args.people)
        except (KeyError, ValueError) as exc:
            raise _UsageError(f"--root: {exc}") from None
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        out.write(text)
    return EXIT_OK


def _scorecard(args: argparse.Namespace, out: TextIO) -> int:
    graph = load(example_path() if args.example else args.path)
    if args.root is not None and not isinstance(graph.get(args.root), OrgUnit):
        raise _UsageError(f"--root: no org unit with id {args.root!r} in the document")
    card = alignment_scorecard(graph, args.root)
    if args.format == "json":
        json.dump(card.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "markdown":
        out.write(card.to_markdown())
    else:
        out.write(f"{card}\n")
    return EXIT_OK


def _report(args: argparse.Namespace, out: TextIO) -> int:
    graph = load(example_path() if args.example else args.path)
    if args.root is not None and not isinstance(graph.get(args.root), OrgUnit):
        raise _UsageError(f"--root: no org unit with id {args.root!r} in the document")
    page = html_report(graph, root=args.root, config=Config(as_of=_date_option(args.as_of)))
    if args.output == "-":
        out.write(page)
        return EXIT_OK
    try:
        Path(args.output).write_text(page, encoding="utf-8")
    except OSError as exc:
        raise _UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    print(f"wrote {args.output}", file=out)
    return EXIT_OK


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    rules = _rules(args)
    try:
        found = rules[args.rule]
    except KeyError:
        matches = [r.code for r in rules if args.rule.lower() in (r.code + r.name).lower()]
        hint = f"; did you mean {', '.join(matches)}?" if matches else "; see mtss rules"
        raise _UsageError(f"no rule with code or name {args.rule!r}{hint}") from None
    out.write(render_rule(found))
    return EXIT_OK


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the ``mtss`` command; return its exit code.

    >>> import io
    >>> out = io.StringIO()
    >>> main(["validate", "--example", "--select", "FOC001"], stdout=out)
    0
    >>> print(out.getvalue().splitlines()[-1])
    lakeshore.json (bundled example): 1 finding (1 warning) as of 2026-09-01; verdict: pass
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    try:
        if args.command == "validate":
            return _validate(args, out, err)
        if args.command == "import":
            return _import(args, out, err)
        if args.command == "export":
            return _export(args, out)
        if args.command == "schema":
            out.write(schema_text())
            return EXIT_OK
        if args.command == "status-pack":
            graph = load(example_path() if args.example else args.path)
            if args.district not in graph:
                raise _UsageError(f"no district with id {args.district!r} in the document")
            try:
                pack = status_pack(graph, args.district, as_of=args.as_of)
            except ValueError as exc:
                raise _UsageError(str(exc)) from None
            if args.format == "json":
                json.dump(pack.to_dict(), out, indent=2, ensure_ascii=False)
                out.write("\n")
            else:
                out.write(pack.to_markdown())
            return EXIT_OK
        if args.command == "timeline":
            return _timeline(args, out)
        if args.command == "scorecard":
            return _scorecard(args, out)
        if args.command == "report":
            return _report(args, out)
        if args.command == "rules":
            return _list_rules(args, out)
        if args.command == "explain":
            return _explain(args, out)
        if args.command == "example":
            out.write(f"{example_path()}\n" if args.path else example_text())
            return EXIT_OK
    except DocumentError as exc:
        for problem in exc.problems:
            print(f"mtss: {problem}", file=err)
        if exc.truncated:
            print("mtss: (more problems were found; only the first ones are listed)", file=err)
        return EXIT_USAGE
    except (_UsageError, MtssError) as exc:
        print(f"mtss: {exc}", file=err)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    raise AssertionError(f"unhandled command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
