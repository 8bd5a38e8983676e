"""``mtss init``: a starter MTSS layer for an imported structure, to fill in."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..graph import AlignmentGraph
from ..model import OrgUnit, UnitKind, to_date
from ._common import EXIT_OK, UsageError, add_input_format, load_input, write_document

NAME = "init"
HELP = "add a starter MTSS layer (teams, products, focus areas) to fill in"
DESCRIPTION = ("Add to an imported structure what a district needs to start MTSS: its "
               "executive, leadership and implementation teams and each school's teams "
               "(no one seated yet), vision, non-negotiables and improvement plan stubs "
               "aligned to the level above, and placeholder priority focus areas. The "
               "result validates with only the findings that ask for real content. "
               "Without --from, a blank starter: one district (--district ID, --name) and "
               "its schools (--school NAME, repeated), to type the rest into the "
               "workbook.")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="source", metavar="FILE",
                   help="the structure to start from (e.g. written by mtss import; -: "
                        "standard input); without it, a blank starter")
    add_input_format(p)
    p.add_argument("--district", action="append", metavar="ID",
                   help="the district to set up (repeat for several; default: the only one)")
    p.add_argument("--name", metavar="NAME",
                   help="a blank starter: the district's name (default: 'My district')")
    p.add_argument("--school", action="append", metavar="NAME",
                   help="a blank starter: a school of the district (repeat for each)")
    p.add_argument("--as-of", metavar="DATE",
                   help="a blank starter: the date the structure describes (default: none)")
    p.add_argument("--focus-areas", type=int, default=5, metavar="N",
                   help="how many placeholder priority focus areas (default 5)")
    p.add_argument("-o", "--output", default="-", metavar="FILE",
                   help="the document to write (.json, .yaml, .yml or .xlsx, a workbook to "
                        "fill in; - or nothing: JSON to standard output)")


def _blank(args: argparse.Namespace) -> AlignmentGraph:
    """A district and its schools, named on the command line: the start of a structure
    for a district with no roster export."""
    if args.district and len(args.district) > 1:
        raise UsageError("a blank starter has one district: give one --district ID")
    district = (args.district or ["d-district"])[0]
    units = [OrgUnit(id=district, kind="district", name=args.name or "My district")]
    for i, name in enumerate(args.school or [], start=1):
        units.append(OrgUnit(id=f"{district}-s{i}", kind="school", parent=district,
                             name=name))
    return AlignmentGraph(units, as_of=to_date(args.as_of) if args.as_of else None)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ..analysis import starter_layer  # (when the command runs: start-up stays small)

    if args.source is None:
        graph = _blank(args)
        args.source = "the blank starter"
    else:
        if args.name or args.school:
            raise UsageError("--name and --school make a blank starter: leave out --from")
        graph = load_input(args, args.source)
    districts = args.district or [u.id for u in graph.units(UnitKind.DISTRICT)]
    if not args.district and len(districts) != 1:
        raise UsageError(f"{args.source} has {len(districts)} districts: name one or more "
                         "with --district ID")
    if not 0 <= args.focus_areas <= 12:
        raise UsageError("--focus-areas: from 0 to 12 (a workable number is five or six)")
    added = 0
    for district in districts:
        layer = starter_layer(graph, district, focus_areas=args.focus_areas)
        graph.add_all(layer)
        added += len(layer)
    write_document(graph, args.output or "-", out)
    if args.output not in (None, "-"):
        print(f"wrote {args.output}: {added} objects added for {', '.join(districts)}; "
              "fill in the teams' members, the products' text and the focus areas' names, "
              "then run mtss validate", file=out)
    return EXIT_OK
