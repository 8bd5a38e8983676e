"""``mtss validate``: check a document (or a folder of them) and print the findings."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from ..graph import AlignmentGraph
from ..io import Cells, example_path, field_spans, load, patch_file, places, workbook_cells
from ..rules import Baseline, Finding, Report, to_github, to_junit, to_sarif, validate
from ._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_as_of,
    add_color,
    add_format,
    add_input_format,
    add_output,
    add_root,
    add_rule_options,
    cell,
    check_root,
    config_of,
    is_terminal,
    jobs_arg,
    output,
    read_graph,
    rules_of,
    say,
    source_name,
    types_of,
    use_color,
)

if TYPE_CHECKING:
    from ..analysis import TenantResult

NAME = "validate"
HELP = "check a structure document and print the findings"
DESCRIPTION = ("Check a structure document (.json, .yaml, .yml), or every document in a "
               "folder.  Exit 0 when nothing at error severity is found, 1 when something "
               "is, 2 when the input cannot be read.")
FORMATS = ("text", "json", "markdown", "sarif", "junit", "github")
_SUFFIXES = (".json", ".yaml", ".yml", ".xlsx")
#: Text output lists at most this many findings unless --all is given.
SCREEN = 40


def configure(p: argparse.ArgumentParser) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("paths", nargs="*", default=[], metavar="PATH",
                     help="the documents (.json, .yaml, .yml, .xlsx; -: standard input), or "
                          "folders of them")
    src.add_argument("--example", action="store_true",
                     help="use the bundled example (Lakeshore Regional ISD)")
    add_input_format(p)
    add_color(p)
    add_as_of(p, "the date time-based rules check against (ISO 8601); default: the "
                 "document's own as_of; without either they are skipped")
    add_format(p, FORMATS, "text for people (default), json for tools, markdown for "
                           "meeting notes, sarif for code-scanning tools, junit for CI "
                           "dashboards, github for workflow annotations")
    add_output(p, "the findings")
    add_root(p, "check only this org unit and everything below it")
    add_rule_options(p)
    p.add_argument("--statistics", action="store_true",
                   help="one line per rule with its count, most first, instead of every "
                        "finding")
    p.add_argument("--all", action="store_true",
                   help=f"text: list every finding (by default at most {SCREEN}, then the "
                        "statistics)")
    p.add_argument("--show-waived", action="store_true",
                   help="text: also list the findings waivers accept")
    p.add_argument("--baseline", metavar="FILE",
                   help="report only findings not in this baseline (and stale entries)")
    p.add_argument("--write-baseline", metavar="FILE",
                   help="record the current findings as a baseline (then exit 0)")
    p.add_argument("--lenient", action="store_true",
                   help="build what is sound and report broken references, duplicate ids "
                        "and the like as STR findings instead of stopping")
    p.add_argument("--jobs", type=jobs_arg, default=None, metavar="N",
                   help="for a folder: worker processes (default: one per core)")
    p.add_argument("--recursive", action="store_true",
                   help="for a folder: also check the documents in its subfolders")
    p.add_argument("--fix", action="store_true",
                   help="apply the safe fixes to the document in place (JSON, YAML or a "
                        "workbook), then report what is left")
    p.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix or --diff: also the unsafe fixes (a choice among "
                        "several targets, a deletion, a change of what a vision says)")
    p.add_argument("--diff", action="store_true",
                   help="show what --fix would change, without writing (exit 1 if "
                        "anything would)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when findings at error severity are found (the "
                        "input must still be readable)")
    p.add_argument("--quiet", "-q", action="store_true",
                   help="no progress display and no notes on standard error")
    p.add_argument("--no-progress", action="store_true", help="no progress display")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = config_of(args)
    if not args.example and not args.paths:
        raise UsageError("name a document (PATH, - for standard input) or --example")
    if args.fix or args.diff:  # each document in turn, a folder's documents included
        paths: list[str] = []
        for name in args.paths:
            if name != "-" and Path(name).is_dir():
                found = _documents(Path(name), args.recursive, err)
                if not found:
                    raise UsageError(f"{name}: no .json, .yaml, .yml or .xlsx documents")
                paths += [str(f) for f in found]
            else:
                paths.append(name)
        if len(paths) > 1 or paths != list(args.paths):
            codes = [run(argparse.Namespace(**{**vars(args), "paths": [p]}), out, err)
                     for p in paths]
            return max(codes)
    args.path = args.paths[0] if args.paths else None
    if len(args.paths) > 1 or (args.path not in (None, "-") and Path(args.path).is_dir()):
        if args.root or args.baseline or args.write_baseline:
            raise UsageError("--root and baselines apply to one document, not a folder")
        code = _folder(args, config, out, err)
        return EXIT_OK if args.exit_zero and code == EXIT_FINDINGS else code
    progress = _Progress(err, enabled=not (args.quiet or args.no_progress))
    progress.stage(f"reading {source_name(args)}")
    graph = read_graph(args)
    check_root(graph, args.root)
    report = validate(graph, config, rules=rules_of(args), root=args.root,
                      progress=progress.rule)
    progress.done()
    if args.write_baseline:
        baseline = Baseline.of(report)
        try:
            baseline.write(args.write_baseline)
        except OSError as exc:
            raise UsageError(f"cannot write {args.write_baseline}: "
                             f"{exc.strerror or exc}") from None
        say(out, f"wrote {args.write_baseline}: {len(baseline)} findings recorded")
        return EXIT_OK
    if args.fix or args.diff:
        return _fix(args, graph, report, config, out)
    if args.baseline:
        report = Baseline.read(args.baseline).apply(report)
    with output(args, out) as sink:
        write_report(report, source_name(args), args.format, sink, args=args, graph=graph)
    return EXIT_OK if report.ok or args.exit_zero else EXIT_FINDINGS


def fixes_of(report: Report, unsafe: bool) -> list[Any]:
    """The fixes to apply, one per finding, none at odds with one chosen before it (two
    fields set differently, a change to an object deleted; several additions to one list
    go together): the first wins, the rest wait for the next run."""
    chosen: list[Any] = []
    set_fields: set[tuple[str, str | None]] = set()
    list_fields: set[tuple[str, str | None]] = set()
    touched: set[str] = set()
    deleted: set[str] = set()
    for f in sorted(report, key=lambda f: (-f.severity.rank, f.sort_key())):
        fix = f.fix
        if fix is None or not (fix.safe or unsafe):
            continue
        clash = any(
            c.target in deleted
            or (c.op == "delete" and c.target in touched)
            or (c.op == "set" and (c.target, c.field) in set_fields | list_fields)
            or (c.op in ("add", "remove") and (c.target, c.field) in set_fields)
            for c in fix.changes)
        if clash:
            continue
        for c in fix.changes:
            touched.add(c.target)
            if c.op == "delete":
                deleted.add(c.target)
            elif c.op == "set":
                set_fields.add((c.target, c.field))
            else:
                list_fields.add((c.target, c.field))
        chosen.append(fix)
    return chosen


def _fix(args: argparse.Namespace, graph: AlignmentGraph, report: Report, config: Any,
         out: TextIO) -> int:
    """--fix and --diff: the fixes made to the document (or shown), then what is left."""
    if args.example or args.path in (None, "-"):
        raise UsageError("--fix and --diff change a document file: name one (not - or "
                         "--example)")
    fixes = fixes_of(report, args.unsafe_fixes)
    changes = [c for fix in fixes for c in fix.changes]
    unsafe_left = sum(1 for f in report if f.fix is not None and not f.fix.safe
                      and not args.unsafe_fixes)
    before, after, cells = patch_file(args.path, changes, write=not args.diff)
    if args.diff:
        if cells:
            out.writelines(f"{line}\n" for line in cells)
        else:
            out.writelines(difflib.unified_diff(before.splitlines(keepends=True),
                                                after.splitlines(keepends=True),
                                                fromfile=f"a/{args.path}",
                                                tofile=f"b/{args.path}"))
        say(out, f"{len(fixes)} fix(es) would be applied"
                 + (f"; {unsafe_left} more with --unsafe-fixes" if unsafe_left else ""))
        return EXIT_FINDINGS if fixes else EXIT_OK
    fixed = load(args.path, strict=not args.lenient)
    left = validate(fixed, config, rules=rules_of(args), root=args.root)
    with output(args, out) as sink:
        write_report(left, source_name(args), args.format, sink, args=args, graph=fixed)
    if args.format == "text":
        say(out, f"fixed {len(fixes)} finding(s) in {args.path}"
                 + (f"; {unsafe_left} more fixable with --unsafe-fixes" if unsafe_left
                    else ""))
    return EXIT_OK if left.ok or args.exit_zero else EXIT_FINDINGS


def _spans(args: argparse.Namespace, report: Report
           ) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """Where the values the findings' fixes change are written (JSON documents only)."""
    fields = {(c.target, c.field) for f in report if f.fix is not None
              for c in f.fix.changes if c.field is not None}
    if not fields or (not args.example and args.path in (None, "-")):
        return {}
    path = example_path() if args.example else Path(args.path)
    if path.suffix.lower() != ".json":
        return {}
    try:
        return field_spans(path.read_text(encoding="utf-8-sig"), fields)
    except Exception:  # the findings are reported all the same, without text fixes
        return {}


def _cells(args: argparse.Namespace | None) -> Cells | None:
    """A workbook's cells (``None`` for a document of another format)."""
    if args is None or args.example or args.path in (None, "-"):
        return None
    path = Path(args.path)
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return None
    try:
        return workbook_cells(path)
    except Exception:  # the findings still point at the file
        return None


def _cell(cells: Cells | None, f: Finding) -> str | None:
    """The cell a finding is about: the field its fix changes, or its subject's row."""
    if cells is None:
        return None
    field = next((c.field for c in f.fix.changes if c.target == f.subject and c.field),
                 None) if f.fix is not None else None
    return cells.of(f.subject, field)


def _places(args: argparse.Namespace, cells: Cells | None = None
            ) -> dict[str, tuple[int, int]]:
    """Where each object sits in the document (for SARIF and annotations): a line and a
    column, or for a workbook the object's row and column A."""
    if not args.example and args.path in (None, "-"):
        return {}
    path = example_path() if args.example else Path(args.path)
    if path.suffix.lower() == ".xlsx":
        cells = cells or _cells(args)
        return {} if cells is None else {i: (row, 1) for i, (_, row) in cells.rows.items()}
    fmt = "yaml" if path.suffix.lower() in (".yaml", ".yml") else "json"
    try:
        return places(path.read_text(encoding="utf-8-sig"), fmt)
    except Exception:  # the findings still point at the file
        return {}


def write_report(report: Report, source: str, fmt: str, out: TextIO, *,
                 args: argparse.Namespace | None = None,
                 graph: AlignmentGraph | None = None) -> None:
    """One report in ``fmt``."""
    statistics = bool(args and args.statistics)
    cells = _cells(args)
    if cells is not None:  # a workbook: each finding names its sheet and cell
        report = attrs.evolve(report, findings=tuple(_in_cell(f, _cell(cells, f))
                                                     for f in report.findings))
    if fmt == "json":
        data: dict[str, Any] = {"source": source, **report.to_dict()}
        if cells is not None:
            for entry, f in zip(data["findings"], report.findings, strict=True):
                cell = _cell(cells, f)
                if cell is not None:
                    sheet, _, ref = cell.partition("!")
                    entry["location"] = {"sheet": sheet, "cell": ref,
                                         "row": cells.rows[f.subject][1]}
        if statistics:
            data["statistics"] = [{"code": r.code, "name": r.name,
                                   "severity": r.severity.value, "count": r.count}
                                  for r in report.statistics()]
            data["progress_counts"] = report.progress_counts()
        json.dump(data, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "markdown":
        _markdown(report, source, out, statistics)
    elif fmt == "sarif":
        located = _places(args, cells) if args is not None else {}
        json.dump(to_sarif(report, source, places=located,
                           spans=_spans(args, report) if args is not None else None),
                  out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "junit":
        out.write(to_junit(report, source))
    elif fmt == "github":
        located = _places(args, cells) if args is not None else {}
        for line in to_github(report, source, places=located):
            print(line, file=out)
    else:
        _text(report, source, out, statistics=statistics,
              everything=bool(args and args.all),
              waived=bool(args and args.show_waived),
              color=bool(args is not None and use_color(args, out)), graph=graph)


def _in_cell(f: Finding, cell: str | None) -> Finding:
    """A finding whose message starts with the cell it is about (``Visions!C5:``)."""
    if cell is None or f.message.startswith(cell):
        return f
    return attrs.evolve(f, message=f"{cell}: {f.message}")


def _markdown(report: Report, source: str, out: TextIO, statistics: bool) -> None:
    print(f"## MTSS check: {cell(source)} — {report.verdict}", file=out)
    print(file=out)
    when = f" as of {report.as_of}" if report.as_of else ""
    print(f"{report.summary()}{when}.", file=out)
    for notice in report.notices:
        print(f"\n> **Note.** {cell(str(notice))}", file=out)
    if statistics:
        if report.progress:
            print(f"\nProgress: {cell(report.progress_summary())}.", file=out)
        print("\n| rule | name | severity | findings |\n|---|---|---|---|", file=out)
        for r in report.statistics():
            print(f"| {r.code} | `{r.name}` | {r.severity.value} | {r.count:,} |", file=out)
        return
    if report.findings:
        print(file=out)
        print("| severity | rule | subject | finding | how to fix | fix |", file=out)
        print("|---|---|---|---|---|---|", file=out)
        for f in sorted(report, key=lambda f: (-f.severity.rank, f.sort_key())):
            fix = "" if f.fix is None else (
                ("safe: " if f.fix.safe else "unsafe: ")
                + "; ".join(str(c) for c in f.fix.changes))
            print(f"| {f.severity.value} | {f.code} {f.name} | `{cell(f.subject)}` | "
                  f"{cell(f.message)} | {cell(f.hint)} | {cell(fix)} |", file=out)


def _statistics(report: Report, out: TextIO, prefix: str = "") -> None:
    rows = report.statistics()
    width = max((len(f"{r.count:,}") for r in rows), default=1)
    names = max((len(r.name) for r in rows), default=1)
    for r in rows:
        print(f"{prefix}{r.count:>{width},}  {r.code}  {r.name:<{names}}  {r.severity.value}",
              file=out)


#: ANSI styles for the text output: a finding's severity, the file's heading.
_STYLE = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[34m",
          "heading": "\033[1m", "muted": "\033[2m"}
_RESET = "\033[0m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{_STYLE[style]}{text}{_RESET}" if color else text


def _text(report: Report, source: str, out: TextIO, *, statistics: bool = False,
          everything: bool = False, waived: bool = False, color: bool = False,
          graph: AlignmentGraph | None = None) -> None:
    """The findings for people: the file once, as a heading; then the findings, errors
    first, each in the order its subject stands in the document; then the totals."""
    print(_paint(source, "heading", color), file=out)
    for notice in report.notices:
        print(f"  {_paint('note:', 'muted', color)} {notice}", file=out)
    order: dict[str, int] = {}
    if graph is not None:
        order = {getattr(o, "id", ""): i for i, o in enumerate(graph)}
    shown = [] if statistics else sorted(
        report, key=lambda f: (-f.severity.rank, order.get(f.subject, len(order)), f.code,
                               f.subject))
    cut = not everything and len(shown) > SCREEN
    if cut:
        shown = shown[:SCREEN]
    for f in shown:
        severity = _paint(f"[{f.severity.value}]", f.severity.value, color)
        print(f"  {f.code} {severity} {f.subject}: {f.message}", file=out)
        if f.hint:
            print(f"      {_paint('hint:', 'muted', color)} {f.hint}", file=out)
    if waived:
        for f in report.waived:
            print(f"  waived ({f.waiver}): {f}", file=out)
    if statistics or cut:
        if cut:
            print(f"  ... {len(report) - SCREEN:,} more findings: --all lists them all, "
                  "--format json gives them to tools; by rule:", file=out)
        _statistics(report, out, prefix="  ")
    if statistics and report.progress:
        print(f"  progress: {report.progress_summary()}", file=out)
    if report.waived and not waived:
        print(f"  {len(report.waived):,} findings waived (--show-waived lists them)", file=out)
    if report.baselined:
        print(f"  {len(report.baselined):,} findings already in the baseline", file=out)
    if report.skipped:
        print(f"  not run without an as-of date ({', '.join(report.skipped)}); pass "
              "--as-of DATE", file=out)
    when = f" as of {report.as_of}" if report.as_of else ""
    scope = f" in {report.root}" if report.root else ""
    verdict = _paint(report.verdict, "error" if not report.ok else "heading", color)
    print(f"{report.summary()}{when}{scope}; verdict: {verdict}", file=out)


class _Progress:
    """What a long run is doing, on standard error: a bar (the ``progress`` extra) or a
    line every few seconds; silent when standard error is not a terminal or with
    --quiet."""

    def __init__(self, err: TextIO, *, enabled: bool) -> None:
        self.err = err
        self.enabled = enabled and is_terminal(err)
        self.bar: Any = None
        self.last = time.monotonic()

    def stage(self, what: str) -> None:
        if self.enabled:
            print(f"mtss: {what}...", file=self.err, flush=True)
            self.last = time.monotonic()

    def rule(self, done: int, total: int, code: str) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            try:
                from tqdm import tqdm

                self.bar = tqdm(total=total, file=self.err, unit="rule", leave=False)
            except ImportError:
                self.bar = False
        if self.bar:
            self.bar.set_postfix_str(code)
            self.bar.update(1)
        elif time.monotonic() - self.last > 2 or done == total:
            print(f"mtss: checked {done} of {total} rules ({code})", file=self.err,
                  flush=True)
            self.last = time.monotonic()

    def done(self) -> None:
        if self.bar:
            self.bar.close()


def _documents(folder: Path, recursive: bool, err: TextIO) -> list[Path]:
    """The documents in ``folder``: files with a document's suffix whose text names a
    ``format_version`` (others, such as a ``package.json``, are skipped with a note)."""
    found = sorted(folder.rglob("*") if recursive else folder.iterdir())
    docs = []
    for path in found:
        if not path.is_file() or path.suffix.lower() not in _SUFFIXES:
            continue
        try:
            with path.open("rb") as fh:
                head = fh.read(1 << 20)
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        if path.suffix.lower() != ".xlsx" and b"format_version" not in head:
            print(f"mtss: note: {path}: skipped, not an mtss document (no format_version)",
                  file=err)
            continue
        docs.append(path)
    if not recursive and any(p.is_dir() for p in found):
        print(f"mtss: note: {folder}: subfolders not checked (pass --recursive)", file=err)
    return docs


def _folder(args: argparse.Namespace, config: Any, out: TextIO, err: TextIO) -> int:
    """Every document named, or in the folders named, through a process pool, with a
    progress bar if tqdm is there (and standard error is a terminal)."""
    files: list[Path] = []
    for name in args.paths:
        if name == "-":
            raise UsageError("standard input (-) is one document: check it alone")
        path = Path(name)
        if path.is_dir():
            found = _documents(path, args.recursive, err)
            if not found:
                raise UsageError(f"{path}: no .json, .yaml, .yml or .xlsx documents")
            files += found
        elif not path.is_file():
            raise UsageError(f"{path}: no such file")
        else:
            files.append(path)
    # never more workers than documents to check or cores to run them on
    jobs = min(args.jobs or len(files), len(files), os.cpu_count() or 1)
    items = [(str(p), str(p)) for p in files]
    rules = rules_of(args)
    bar: Any = None
    if not (args.no_progress or args.quiet) and is_terminal(err):
        try:
            from tqdm import tqdm

            bar = tqdm(total=len(files), file=err, unit="doc")
        except ImportError:
            bar = None
    from ..analysis import validate_many  # (only for many documents: start-up stays small)

    results: dict[str, TenantResult] = {}
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else _Serial() as pool:
        for result in validate_many(items, executor=pool, config=config, rules=rules,
                                    strict=not args.lenient, types=types_of(args)):
            results[result.key] = result
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    ordered = [results[str(p)] for p in files]
    failed = [r for r in ordered if r.report is None]
    passed = sum(r.ok for r in ordered)
    summary = (f"{len(ordered)} documents: {passed} pass, "
               f"{len(ordered) - len(failed) - passed} fail, {len(failed)} could not be checked")
    with output(args, out) as sink:
        if args.format == "json":
            json.dump([{"source": r.key, **(r.report.to_dict() if r.report is not None
                                            else r.to_dict())} for r in ordered],
                      sink, indent=2, ensure_ascii=False)
            sink.write("\n")
        elif args.format in ("sarif", "junit", "github"):
            raise UsageError(f"--format {args.format} applies to one document at a time")
        for r in ordered:
            if args.format == "json":
                continue
            if r.report is None:
                print(f"{r.key}: could not be checked: {r.message}", file=sink)
                continue
            write_report(r.report, r.key, args.format, sink, args=args)
            if args.format == "markdown":
                print(file=sink)
        print(summary, file=err if args.format == "json" else sink)
    if failed:
        return EXIT_USAGE
    return EXIT_OK if all(r.ok for r in ordered) else EXIT_FINDINGS


class _Serial:
    """A stand-in for an executor: validate_many runs items in order without one."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None

