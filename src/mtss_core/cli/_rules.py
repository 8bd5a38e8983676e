"""``mtss rules``: the catalogue of rules."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ._common import EXIT_OK, add_format, add_output, cell, output, rules_of

NAME = "rules"
HELP = "list the rules"
DESCRIPTION = "List the rules: code, name, default severity and what each checks."


def configure(p: argparse.ArgumentParser) -> None:
    add_format(p, ("text", "json", "markdown"))
    add_output(p)
    p.add_argument("--plugins", action="store_true",
                   help="include installed plugins' rules")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rules = rules_of(args)
    with output(args, out) as sink:
        if args.format == "json":
            json.dump([{"code": r.code, "name": r.name, "severity": r.severity.value,
                        "lifecycle": r.lifecycle.value, "summary": r.summary,
                        "settings": {s.name: s.default for s in r.settings}}
                       for r in rules], sink, indent=2)
            sink.write("\n")
        elif args.format == "markdown":
            print("| code | name | severity | checks |\n|---|---|---|---|", file=sink)
            for r in rules:
                print(f"| {r.code} | `{r.name}` | {r.severity.value} | {cell(r.summary)} |",
                      file=sink)
        else:
            width = max(len(r.name) for r in rules)
            for r in rules:
                flag = "" if r.lifecycle.value == "stable" else f" ({r.lifecycle.value})"
                print(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  "
                      f"{r.summary}{flag}", file=sink)
    return EXIT_OK
