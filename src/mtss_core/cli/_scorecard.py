"""``mtss scorecard``: how aligned each level is, and who works on each focus area."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ._common import (
    EXIT_OK,
    add_as_of,
    add_format,
    add_output,
    add_root,
    add_source,
    check_root,
    output,
    read_graph,
)

NAME = "scorecard"
HELP = "how aligned each level is, and the focus areas"
DESCRIPTION = ("The alignment scorecard: per level and kind of product, how many have it and "
               "how many are aligned to the level above; units side by side; who works on "
               "each focus area.")


def configure(p: argparse.ArgumentParser) -> None:
    add_source(p)
    add_root(p)
    add_as_of(p, "the date each district's implementation stage is read on (default: the "
                 "document's own as_of)")
    add_format(p, ("text", "json", "markdown"))
    add_output(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..analysis import alignment_scorecard  # (when the command runs: start-up stays small)

    graph = read_graph(args)
    check_root(graph, args.root)
    card = alignment_scorecard(graph, args.root, as_of=graph.as_of)
    with output(args, out) as sink:
        if args.format == "json":
            json.dump(card.to_dict(), sink, indent=2, ensure_ascii=False)
            sink.write("\n")
        elif args.format == "markdown":
            sink.write(card.to_markdown())
        else:
            sink.write(f"{card}\n")
    return EXIT_OK
