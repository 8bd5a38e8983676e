"""``mtss export``: a structure for graph tools."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..io import to_dot, to_mermaid, to_node_link, write_graphml
from ._common import (
    EXIT_OK,
    UsageError,
    add_output,
    add_root,
    add_source,
    check_root,
    output,
    read_graph,
)

NAME = "export"
HELP = "write a structure for graph tools"
DESCRIPTION = "Export a structure as networkx node-link JSON, GraphML, Graphviz DOT or Mermaid."
FORMATS = ("node-link", "graphml", "dot", "mermaid")


def configure(p: argparse.ArgumentParser) -> None:
    add_source(p)
    p.add_argument("--format", "--to", dest="format", required=True, choices=FORMATS,
                   type=str.lower, help="node-link, graphml, dot or mermaid (--to is the "
                                        "older spelling)")
    add_root(p, "dot / mermaid: only this org unit and everything below it")
    p.add_argument("--people", action="store_true", help="dot / mermaid: draw people too")
    add_output(p, "the export (graphml needs a file)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    graph = read_graph(args)
    if args.format in ("node-link", "graphml") and (args.root or args.people):
        flag = "--root" if args.root else "--people"
        raise UsageError(f"{flag} applies to dot and mermaid exports only")
    check_root(graph, args.root)
    if args.format == "graphml":
        if args.output in (None, "-"):
            raise UsageError("graphml needs -o FILE")
        try:
            write_graphml(graph, args.output)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        return EXIT_OK
    if args.format == "node-link":
        text = json.dumps(to_node_link(graph), indent=2, ensure_ascii=False) + "\n"
    else:
        draw = to_dot if args.format == "dot" else to_mermaid
        text = draw(graph, root=args.root, people=args.people)
    with output(args, out) as sink:
        sink.write(text)
    return EXIT_OK
