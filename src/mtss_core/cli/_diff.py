"""``mtss diff``: what changed between two versions of a structure."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..rules import Config
from ._common import (
    EXIT_OK,
    add_as_of,
    add_format,
    add_input_format,
    add_output,
    load_input,
    output,
)

NAME = "diff"
HELP = "what changed between two versions of a structure"
DESCRIPTION = ("Objects added, removed and changed (field by field), seats taken and given "
               "up, and the findings introduced and resolved between OLD and NEW: what a "
               "leadership team reviews at the start of a semester.")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="the earlier document (-: standard input)")
    p.add_argument("new", metavar="NEW", help="the later document (-: standard input)")
    p.add_argument("--lenient", action="store_true",
                   help="compare documents with broken references or duplicate ids too "
                        "(built leniently; the STR findings say what is broken)")
    add_input_format(p)
    add_as_of(p, "the date both are checked as of (default: each document's own as_of)")
    add_format(p, ("text", "json", "markdown"))
    add_output(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..analysis import diff  # (when the command runs: start-up stays small)

    strict = not args.lenient
    changes = diff(load_input(args, args.old, strict=strict),
                   load_input(args, args.new, strict=strict), Config(as_of=args.as_of))
    with output(args, out) as sink:
        if args.format == "json":
            json.dump(changes.to_dict(), sink, indent=2, ensure_ascii=False, default=str)
            sink.write("\n")
        elif args.format == "markdown":
            sink.write(changes.to_markdown())
        else:
            sink.write(f"{changes}\n")
    return EXIT_OK
