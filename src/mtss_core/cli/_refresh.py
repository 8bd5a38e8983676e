"""``mtss refresh``: next year's roster under this year's MTSS layer."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ._common import (
    EXIT_OK,
    UsageError,
    add_as_of,
    add_format,
    add_input_format,
    load_input,
    say,
    write_document,
)

NAME = "refresh"
HELP = "replace the roster with a new import, keeping the MTSS layer"
DESCRIPTION = ("Put the roster of NEW (a document written by mtss import from this year's "
               "export) under the MTSS layer of CURRENT (last year's structure as the "
               "district kept it): every team, seat, product, focus area and record is "
               "kept; the seats of people who left end on the as-of date, those of people "
               "who moved away from a school end there, units that closed are kept, marked "
               "closed, with what they held. Writes NEXT and prints what changed.")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("current", metavar="CURRENT", help="the structure kept so far")
    p.add_argument("new", metavar="NEW", help="the new roster (written by mtss import)")
    p.add_argument("-o", "--output", required=True, metavar="NEXT",
                   help="the structure to write (.json, .yaml, .yml or .xlsx)")
    add_as_of(p, "the date seats end and units close on (default: NEW's as_of)")
    p.add_argument("--accept-mass-change", action="store_true",
                   help="refresh even when NEW is empty or would close more than 20%% of "
                        "the units or remove more than 20%% of the people")
    add_format(p, ("text", "json", "markdown"))
    add_input_format(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..analysis import refresh  # (when the command runs: start-up stays small)

    if args.output == "-":
        raise UsageError("-o: name the file to write NEXT to (standard output carries the "
                         "summary of changes)")
    graph, changes = refresh(load_input(args, args.current), load_input(args, args.new),
                             as_of=args.as_of, accept_mass_change=args.accept_mass_change)
    write_document(graph, args.output, out)
    if args.format == "json":
        json.dump({"output": args.output, **changes.to_dict()}, out, indent=2,
                  ensure_ascii=False)
        out.write("\n")
    elif args.format == "markdown":
        out.write(changes.to_markdown())
    else:
        say(out, f"wrote {args.output}; {changes}")
    return EXIT_OK
