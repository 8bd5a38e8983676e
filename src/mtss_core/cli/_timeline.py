"""``mtss timeline``: a unit's implementation stages over time."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..graph import fidelity_trend, time_to_fidelity, timeline
from ..model import OrgUnit
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

NAME = "timeline"
HELP = "show a unit's implementation stages over time"
DESCRIPTION = ("Show a unit's implementation stages with their durations, its fidelity "
               "assessments and time to fidelity.")


def configure(p: argparse.ArgumentParser) -> None:
    add_source_and_unit(p, "root", "org unit")
    add_as_of(p, "the date to look from (ISO 8601); default: the document's own as_of")
    p.add_argument("--innovation", default="mtss", help="the innovation (default: mtss)")
    add_format(p, ("text", "json"))
    add_output(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    unit_and_source(args)
    graph = read_graph(args)
    as_of = args.as_of or graph.as_of
    if as_of is None:
        raise UsageError("the document has no as_of date; pass --as-of DATE")
    unit = graph.get(args.unit)
    if not isinstance(unit, OrgUnit):
        raise UsageError(f"no org unit with id {args.unit!r} in the document")
    periods = timeline(graph, args.unit, as_of=as_of, innovation=args.innovation)
    trend = fidelity_trend(graph, args.unit, as_of=as_of)
    to_fidelity = time_to_fidelity(graph, args.unit, as_of=as_of, innovation=args.innovation)
    with output(args, out) as sink:
        if args.format == "json":
            json.dump({
                "unit": args.unit, "as_of": as_of.isoformat(), "innovation": args.innovation,
                "stages": [{"stage": p.stage.value, "entered_on": p.entered_on.isoformat(),
                            "left_on": None if p.left_on is None else p.left_on.isoformat(),
                            "days": p.duration.in_days()} for p in periods],
                "assessments": [{"id": a.id, "instrument": a.instrument,
                                 "assessed_on": a.assessed_on.isoformat(), "total": a.total,
                                 "target": a.target} for a in trend],
                "days_to_fidelity": None if to_fidelity is None else to_fidelity.in_days(),
            }, sink, indent=2, ensure_ascii=False)
            sink.write("\n")
            return EXIT_OK
        name = f" ({unit.name})" if unit.name else ""
        print(f"{unit.id}{name}: {args.innovation} as of {as_of}", file=sink)
        if not periods:
            print("  no stage records", file=sink)
        for p in periods:
            until = "now" if p.left_on is None else str(p.left_on)
            print(f"  {p.stage.value:<24} {p.entered_on} -> {until:<10}  "
                  f"{p.duration.in_words()}", file=sink)
        for a in trend:
            mark = "reached" if a.reached else "below"
            print(f"  {a.instrument:<6} {a.assessed_on}  {a.total:g}% ({mark} target "
                  f"{a.target:g}%)", file=sink)
        if to_fidelity is not None:
            print(f"  time to fidelity: {to_fidelity.in_words()}", file=sink)
    return EXIT_OK
