"""``mtss status-pack``: what the liaison brings to the executive team."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..model import OrgUnit, UnitKind
from ._common import (
    EXIT_OK,
    UsageError,
    add_as_of,
    add_format,
    add_output,
    add_source_and_unit,
    output,
    read_graph,
    unit_and_source,
)

NAME = "status-pack"
HELP = "the liaison's status pack for a district"
DESCRIPTION = ("Stages, latest assessment results, open barriers and findings for one "
               "district as of a date: what the liaison brings to the executive team.")


def configure(p: argparse.ArgumentParser) -> None:
    add_source_and_unit(p, "district", "district")
    add_as_of(p, "the date of the pack (ISO 8601); default: the document's own as_of")
    add_format(p, ("markdown", "json"))
    add_output(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..analysis import status_pack  # (when the command runs: start-up stays small)

    unit_and_source(args)
    graph = read_graph(args)
    district = graph.get(args.unit)
    if not isinstance(district, OrgUnit) or district.kind is not UnitKind.DISTRICT:
        raise UsageError(f"no district with id {args.unit!r} in the document")
    if args.as_of is None and graph.as_of is None:
        raise UsageError("the document has no as_of date; pass --as-of DATE")
    pack = status_pack(graph, args.unit, as_of=args.as_of)
    with output(args, out) as sink:
        if args.format == "json":
            json.dump(pack.to_dict(), sink, indent=2, ensure_ascii=False)
            sink.write("\n")
        else:
            sink.write(pack.to_markdown())
    return EXIT_OK
