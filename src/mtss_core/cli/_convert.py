"""``mtss convert``: a document in another format (JSON, YAML, a workbook)."""

from __future__ import annotations

import argparse
from typing import TextIO

from ._common import EXIT_OK, add_input_format, load_input, say, write_document

NAME = "convert"
HELP = "convert a document between .json, .yaml and .xlsx"
DESCRIPTION = ("Read a document (.json, .yaml, .yml or an .xlsx workbook) and write it in "
               "the format OUT's name ends in: a workbook to fill in by hand, or JSON or "
               "YAML for tools. Nothing is lost: converting back gives the same structure.")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="IN", help="the document to read (-: standard input)")
    add_input_format(p)
    p.add_argument("target", metavar="OUT",
                   help="the document to write (.json, .yaml, .yml or .xlsx; -: JSON to "
                        "standard output)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    graph = load_input(args, args.source)
    write_document(graph, args.target, out)
    if args.target != "-":
        say(out, f"wrote {args.target}: {graph!r}")
    return EXIT_OK
