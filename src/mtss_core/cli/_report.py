"""``mtss report``: one shareable HTML page for a meeting."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..rules import Config
from ._common import (
    EXIT_OK,
    add_as_of,
    add_output,
    add_root,
    add_source,
    check_root,
    output,
    read_graph,
    say,
)

NAME = "report"
HELP = "write a shareable HTML report for a meeting"
DESCRIPTION = ("One self-contained HTML file (no network, no external assets): the org and "
               "alignment tree, the scorecard and heat map, and the findings with their "
               "fixes.")


def configure(p: argparse.ArgumentParser) -> None:
    add_source(p)
    add_root(p)
    add_as_of(p)
    add_output(p, "the page")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..display import html_report  # (when the command runs: start-up stays small)

    graph = read_graph(args)
    check_root(graph, args.root)
    page = html_report(graph, root=args.root, config=Config(as_of=args.as_of))
    with output(args, out) as sink:
        sink.write(page)
    if args.output not in (None, "-"):
        say(out, f"wrote {args.output}")
    return EXIT_OK
