"""``mtss capacity``: a capacity self-assessment pre-filled from the structure, and the
administration a team records."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from ..model import OrgUnit
from ._common import (
    EXIT_OK,
    UsageError,
    add_as_of,
    add_source,
    output,
    read_graph,
    say,
    write_document,
)

NAME = "capacity"
HELP = "pre-fill a capacity self-assessment (or record one the team scored)"
DESCRIPTION = ("Pre-fill a capacity instrument for a district (or an ISD, a state): per "
               "item a suggested score from the structure, the evidence, the gaps and what "
               "would raise it; totals per area against the 80% criterion. --format html or "
               "xlsx gives the worksheet the team scores by consensus; --record reads a "
               "filled worksheet back into the document.")
FORMATS = ("text", "json", "markdown", "html", "xlsx")


def configure(p: argparse.ArgumentParser) -> None:
    add_source(p)
    p.add_argument("--district", "--unit", dest="unit", metavar="ID",
                   help="the unit to pre-fill for (default: the document's only district)")
    p.add_argument("--instrument", default="district", metavar="NAME|FILE",
                   help="district (the default), regional, dsfi, or a .toml or .json file")
    p.add_argument("--wording", metavar="FILE",
                   help="the official item wording, from a .toml or .json file of your own")
    add_as_of(p, "the date the evidence is read on (default: the document's own as_of)")
    p.add_argument("--format", "--output-format", dest="format", choices=FORMATS, default="text",
                   help="text, json, markdown, html (the worksheet, printable) or xlsx (the "
                        "worksheet to fill in; needs -o FILE)")
    p.add_argument("--record", metavar="WORKSHEET",
                   help="add the administration a filled worksheet (.xlsx) holds to the "
                        "document, written to -o")
    p.add_argument("-o", "--output", metavar="FILE", default="-",
                   help="where to write (default, or -: standard output)")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..capacity import (  # (when the command runs: start-up stays small)
        capacity,
        read_worksheet,
        write_worksheet,
    )

    graph = read_graph(args)
    if args.record:
        if args.output in (None, "-"):
            raise UsageError("--record: name the document to write with -o FILE")
        assessment = read_worksheet(args.record, graph)
        graph.add(assessment)
        write_document(graph, args.output, out)
        say(out, f"wrote {args.output}: capacity assessment {assessment.id!r} of "
                 f"{assessment.unit} on {assessment.administered_on} "
                 f"({len(assessment.scores)} items scored) added")
        return EXIT_OK
    unit = args.unit
    if unit is None:
        districts = [u.id for u in graph.units("district")]
        if len(districts) != 1:
            raise UsageError(f"the document has {len(districts)} districts: name one with "
                             "--district ID")
        unit = districts[0]
    if not isinstance(graph.get(unit), OrgUnit):
        raise UsageError(f"--district: no org unit with id {unit!r} in the document")
    from ..capacity import instrument

    tool = instrument(args.instrument)
    if args.wording:
        tool = tool.with_wording(args.wording)
    report = capacity(graph, unit, tool, as_of=args.as_of)
    if args.format == "xlsx":
        if args.output in (None, "-"):
            raise UsageError("--format xlsx writes a workbook: name it with -o FILE")
        write_worksheet(report, Path(args.output))
        say(out, f"wrote {args.output}: the worksheet for {report.unit_name} "
                 f"({len(report.items)} items)")
        return EXIT_OK
    with output(args, out) as sink:
        if args.format == "json":
            json.dump(report.to_dict(), sink, indent=2, ensure_ascii=False)
            sink.write("\n")
        elif args.format == "markdown":
            sink.write(report.to_markdown())
        elif args.format == "html":
            sink.write(report.to_html())
        else:
            sink.write(f"{report}\n")
    return EXIT_OK
