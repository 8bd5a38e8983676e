"""``mtss store``: keep structures in a store on SQLite or PostgreSQL, with their history."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from .._files import read_file
from .._limits import Limits
from ..errors import DocumentError, EditError
from ..io import load
from ._common import EXIT_OK, UsageError, output, say, write_document

NAME = "store"
#: The store's own commands, in the order the help lists them.
ACTIONS = ("init", "add", "log", "export", "commit", "undo")
HELP = "keep structures in a store (SQLite, PostgreSQL) with their history"
DESCRIPTION = (
    "A system of record: each tenant's structure and every change to it, who made it, when "
    "and why (the store extra: pip install 'mtss-core[store]'; PostgreSQL: the postgres "
    "extra). URL is sqlite:///FILE.db, a path ending in .db, or "
    "postgresql+psycopg://USER@HOST/DB. mtss validate URL#TENANT checks a tenant's latest "
    "version.")


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    sub.required = True
    init = sub.add_parser("init", help="make the store's tables in an empty database",
                          description="Make the store's tables (nothing else is touched).")
    init.add_argument("url", metavar="URL")
    add = sub.add_parser("add", help="add a tenant with its structure (version 0)",
                         description="Add a tenant with the structure a document holds.")
    add.add_argument("url", metavar="URL")
    add.add_argument("tenant", metavar="TENANT")
    add.add_argument("document", metavar="DOCUMENT",
                     help="the structure (.json, .yaml, .yml, .xlsx)")
    add.add_argument("--author", default="", help="who adds it")
    log = sub.add_parser("log", help="a tenant's commits: who changed what, when and why",
                         description="List a tenant's commits, oldest first.")
    log.add_argument("url", metavar="URL")
    log.add_argument("tenant", metavar="TENANT")
    log.add_argument("--id", help="only the commits that touched this object")
    log.add_argument("--format", "--output-format", dest="format", default="text",
                     choices=("text", "json"), help="text or json")
    export = sub.add_parser("export", help="write a tenant's structure at a version",
                            description="Write a tenant's structure (latest, or as it was) "
                                        "as a document.")
    export.add_argument("url", metavar="URL")
    export.add_argument("tenant", metavar="TENANT")
    when = export.add_mutually_exclusive_group()
    when.add_argument("--version", type=int, help="as it was at this version")
    when.add_argument("--at", metavar="DATE", help="as it was at this moment (ISO 8601)")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the document to write (.json, .yaml, .xlsx; -: JSON to "
                             "standard output)")
    commit = sub.add_parser("commit", help="apply a batch of edits (JSON) as one commit",
                            description="Apply the edits of a JSON file (a list of edit "
                                        "objects, see the edits schema) as one commit on "
                                        "--base-version: refused, nothing written, if the "
                                        "tenant has moved past it.")
    commit.add_argument("url", metavar="URL")
    commit.add_argument("tenant", metavar="TENANT")
    commit.add_argument("edits", metavar="EDITS.json")
    commit.add_argument("--base-version", type=int, required=True,
                        help="the version the edits were made on")
    commit.add_argument("--author", required=True, help="who makes the change")
    commit.add_argument("--reason", default="", help="why")
    commit.add_argument("--key", help="an idempotency key: a retried commit lands once")
    undo = sub.add_parser("undo", help="undo one commit with a new one",
                          description="Undo commit VERSION with a new commit of its "
                                      "inverse.")
    undo.add_argument("url", metavar="URL")
    undo.add_argument("tenant", metavar="TENANT")
    undo.add_argument("version", type=int, metavar="VERSION")
    undo.add_argument("--author", required=True, help="who undoes it")
    undo.add_argument("--reason", default="", help="why")


def _open(url: str, *, create: bool = False) -> Any:
    from ..store import open_store

    return open_store(url, create=create)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "init":
        with _open(args.url, create=True) as store:
            say(out, f"store ready at {store!r}: {len(store.tenants())} tenant(s)")
        return EXIT_OK
    with _open(args.url) as store:
        if args.action == "add":
            store.create(args.tenant, load(args.document), author=args.author)
            say(out, f"added {args.tenant!r} at version 0")
        elif args.action == "log":
            entries = store.log(args.tenant, id=args.id)
            with output(args, out) as sink:
                if args.format == "json":
                    json.dump([e.to_dict() for e in entries], sink, indent=2,
                              ensure_ascii=False)
                    sink.write("\n")
                else:
                    for e in entries:
                        undo = f" (undoes {e.undoes})" if e.undoes is not None else ""
                        sink.write(f"{e.version}\t{e.at.isoformat()}\t{e.author or '-'}\t"
                                   f"{len(e.edits)} edit(s){undo}\t{e.reason}\n")
        elif args.action == "export":
            graph = store.graph(args.tenant, version=args.version, at=args.at)
            write_document(graph, args.output, out)
            if args.output != "-":
                say(out, f"wrote {args.output}: {args.tenant!r} {graph!r}")
        elif args.action == "commit":
            edits = _edits(args.edits)
            session = store.session(args.tenant, version=args.base_version)
            done = session.commit(edits, author=args.author, reason=args.reason,
                                  key=args.key)
            what = "already committed as" if done.repeated else "committed"
            say(out, f"{what} version {done.version}: {done.applied.summary()}")
        elif args.action == "undo":
            done = store.undo(args.tenant, args.version, author=args.author,
                              reason=args.reason)
            say(out, f"committed version {done.version}: undid version {args.version}")
        else:  # pragma: no cover - argparse refuses other actions
            raise UsageError(f"unknown action {args.action!r}")
    return EXIT_OK


def _edits(path: str) -> Any:
    source = Path(path)
    raw = read_file(source, path, Limits())
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DocumentError.single(path, f"not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise DocumentError.single(path, f"not valid JSON: {exc.msg}", line=exc.lineno,
                                   column=exc.colno) from None
    except RecursionError:
        raise EditError(0, f"{path}: nested too deep") from None
