"""``mtss validate``: check a document (or a folder of them) and print the findings."""

from __future__ import annotations

import argparse
import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TextIO

from ..analysis._tenants import TenantResult, validate_many
from ..rules._engine import validate
from ..rules._report import Report
from ._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    add_as_of,
    add_format,
    add_output,
    add_rule_options,
    add_source,
    cell,
    config_of,
    jobs_arg,
    output,
    read_graph,
    rules_of,
    source_name,
)

NAME = "validate"
HELP = "check a structure document and print the findings"
DESCRIPTION = ("Check a structure document (.json, .yaml, .yml), or every document in a "
               "folder.  Exit 0 when nothing at error severity is found, 1 when something "
               "is, 2 when the input cannot be read.")
FORMATS = ("text", "json", "markdown")
_SUFFIXES = (".json", ".yaml", ".yml")


def configure(p: argparse.ArgumentParser) -> None:
    add_source(p, folders=True)
    add_as_of(p, "the date time-based rules check against (ISO 8601); default: the "
                 "document's own as_of; without either they are skipped")
    add_format(p, FORMATS, "text for people (default), json for tools, markdown for "
                           "meeting notes")
    add_output(p, "the findings")
    add_rule_options(p)
    p.add_argument("--lenient", action="store_true",
                   help="build what is sound and report broken references, duplicate ids "
                        "and the like as STR findings instead of stopping")
    p.add_argument("--jobs", type=jobs_arg, default=None, metavar="N",
                   help="for a folder: worker processes (default: one per core)")
    p.add_argument("--recursive", action="store_true",
                   help="for a folder: also check the documents in its subfolders")
    p.add_argument("--no-progress", action="store_true",
                   help="for a folder: no progress bar")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    config = config_of(args)
    if args.path and Path(args.path).is_dir():
        return _folder(args, config, out, err)
    graph = read_graph(args)
    report = validate(graph, config, rules=rules_of(args))
    with output(args, out) as sink:
        write_report(report, source_name(args), args.format, sink)
    return EXIT_OK if report.ok else EXIT_FINDINGS


def write_report(report: Report, source: str, fmt: str, out: TextIO) -> None:
    """One report in ``fmt``."""
    if fmt == "json":
        json.dump({"source": source, **report.to_dict()}, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "markdown":
        _markdown(report, source, out)
    else:
        _text(report, source, out)


def _markdown(report: Report, source: str, out: TextIO) -> None:
    print(f"## MTSS check: {cell(source)} — {report.verdict}", file=out)
    print(file=out)
    when = f" as of {report.as_of}" if report.as_of else ""
    print(f"{report.summary()}{when}.", file=out)
    if report.findings:
        print(file=out)
        print("| severity | rule | subject | finding | how to fix |", file=out)
        print("|---|---|---|---|---|", file=out)
        for f in sorted(report, key=lambda f: (-f.severity.rank, f.sort_key())):
            print(f"| {f.severity.value} | {f.code} {f.name} | `{cell(f.subject)}` | "
                  f"{cell(f.message)} | {cell(f.hint)} |", file=out)


def _text(report: Report, source: str, out: TextIO) -> None:
    for f in report:
        print(f"{source}: {f.code} [{f.severity.value}] {f.subject}: {f.message}", file=out)
        if f.hint:
            print(f"    hint: {f.hint}", file=out)
    if report.skipped:
        print(f"{source}: not run without an as-of date ({', '.join(report.skipped)}); "
              "pass --as-of DATE", file=out)
    when = f" as of {report.as_of}" if report.as_of else ""
    print(f"{source}: {report.summary()}{when}; verdict: {report.verdict}", file=out)


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
        if b"format_version" not in head:
            print(f"mtss: note: {path}: skipped, not an mtss document (no format_version)",
                  file=err)
            continue
        docs.append(path)
    if not recursive and any(p.is_dir() for p in found):
        print(f"mtss: note: {folder}: subfolders not checked (pass --recursive)", file=err)
    return docs


def _folder(args: argparse.Namespace, config: Any, out: TextIO, err: TextIO) -> int:
    """Every document in a folder, through a process pool, with a progress bar if tqdm
    is there (and standard error is a terminal)."""
    folder = Path(args.path)
    files = _documents(folder, args.recursive, err)
    if not files:
        raise UsageError(f"{folder}: no .json, .yaml or .yml documents")
    jobs = args.jobs or min(len(files), os.cpu_count() or 1)
    items = [(str(p), str(p)) for p in files]
    rules = rules_of(args)
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
    failed = [r for r in ordered if r.report is None]
    passed = sum(r.ok for r in ordered)
    summary = (f"{len(ordered)} documents: {passed} pass, "
               f"{len(ordered) - len(failed) - passed} fail, {len(failed)} could not be checked")
    with output(args, out) as sink:
        if args.format == "json":
            json.dump([{"source": r.key, **(r.report.to_dict() if r.report is not None
                                            else {"error": r.error})} for r in ordered],
                      sink, indent=2, ensure_ascii=False)
            sink.write("\n")
        for r in ordered:
            if args.format == "json":
                continue
            if r.report is None:
                print(f"{r.key}: could not be checked: {r.error}", file=sink)
                continue
            write_report(r.report, r.key, args.format, sink)
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
