"""``mtss import``: OneRoster, Ed-Fi or a directory CSV as a document."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from ..io import overlay
from ..io.importers import (
    ONEROSTER_INCLUDE,
    import_directory_csv,
    import_edfi,
    import_edfi_api,
    import_oneroster,
    read_mapping,
)
from ._common import EXIT_OK, UsageError, add_as_of, say, write_document

NAME = "import"
HELP = "turn OneRoster, Ed-Fi or a directory CSV into a document"
DESCRIPTION = ("Import rostering or directory data as an mtss_core document; a summary of "
               "what was read, made and skipped goes to standard output, notes to stderr.")

#: The import options that apply to each source (others are refused, not ignored).
_OPTIONS = {"oneroster": {"as_of", "include"}, "edfi": {"as_of"},
            "edfi-api": {"as_of"}, "csv": {"mapping", "state"}}


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", choices=("oneroster", "edfi", "edfi-api", "csv"),
                   type=str.lower,
                   help="oneroster: a OneRoster 1.1/1.2 CSV folder or zip; edfi: Ed-Fi XML "
                        "interchange files; edfi-api: a folder (or files) of Ed-Fi API JSON "
                        "resources; csv: a school directory with --mapping")
    p.add_argument("src", nargs="+", metavar="SRC", help="what to import (see SOURCE)")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the document to write (.json, .yaml or .yml)")
    p.add_argument("--id-prefix", default="", metavar="PREFIX",
                   help="put before every id (to keep two sources' ids apart)")
    p.add_argument("--mapping", metavar="FILE", help="csv: the column mapping (TOML)")
    p.add_argument("--state", help="csv: the name of the state to put on top")
    add_as_of(p, "oneroster / edfi / edfi-api: only roles and assignments current on this "
                 "date count")
    p.add_argument("--include", metavar="KINDS",
                   help="oneroster: also import " + " and / or ".join(ONEROSTER_INCLUDE)
                        + " (comma-separated)")
    p.add_argument("--overlay", metavar="FILE",
                   help="a document adding teams, visions, ... to the imported structure")
    p.add_argument("--lenient", action="store_true",
                   help="import what is there when the files refer to organizations or "
                        "people they do not hold (a pull of only some resources): each such "
                        "reference is set aside and listed, instead of refusing the import")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    given = {name for name in ("as_of", "include", "mapping", "state")
             if getattr(args, name) is not None}
    wrong = sorted(given - _OPTIONS[args.source])
    if wrong:
        flags = ", ".join("--" + w.replace("_", "-") for w in wrong)
        raise UsageError(f"{flags} do(es) not apply to {args.source} imports")
    if args.output == "-":
        raise UsageError("import writes a document file: -o FILE (.json, .yaml, .yml or "
                         ".xlsx)")
    prefix = args.id_prefix
    if args.source == "oneroster":
        if len(args.src) != 1:
            raise UsageError("oneroster takes one folder or zip file")
        include = [k.strip() for k in (args.include or "").split(",") if k.strip()]
        result = import_oneroster(args.src[0], as_of=args.as_of, id_prefix=prefix,
                                  include=include, lenient=args.lenient)
    elif args.source == "edfi":
        result = import_edfi(*args.src, as_of=args.as_of, id_prefix=prefix,
                             lenient=args.lenient)
    elif args.source == "edfi-api":
        result = import_edfi_api(*args.src, as_of=args.as_of, id_prefix=prefix,
                                 lenient=args.lenient)
    else:
        if len(args.src) != 1 or not args.mapping:
            raise UsageError("csv takes one CSV file and --mapping FILE")
        mapping: Any = args.mapping
        if prefix:
            mapping = {**read_mapping(args.mapping)[0], "id_prefix": prefix}
        result = import_directory_csv(args.src[0], mapping, state=args.state,
                                      lenient=args.lenient)
    if not result.graph.units():
        raise UsageError(f"the import made nothing, so nothing was written: "
                         f"{result.summary()}")
    graph = result.graph if not args.overlay else overlay(result.graph, args.overlay)
    write_document(graph, args.output, out)
    for note in result.notes:
        print(f"mtss: note: {note}", file=err)
    for problem in result.dangling:
        print(f"mtss: set aside (--lenient): {problem}", file=err)
    say(out, f"wrote {args.output}. {result.summary()}")
    return EXIT_OK
