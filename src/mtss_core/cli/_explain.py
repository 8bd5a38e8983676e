"""``mtss explain``: one rule's documentation, for a terminal or as Markdown."""

from __future__ import annotations

import argparse
import re
import textwrap
from typing import TextIO

from ..rules import render_rule
from ._common import EXIT_OK, UsageError, add_format, add_output, output, rules_of

NAME = "explain"
HELP = "show a rule's documentation"
DESCRIPTION = ("Show what a rule checks, why, an example, the fix and its settings "
               "(--format markdown for the page as written in docs/rules).")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", metavar="CODE|NAME")
    add_format(p, ("text", "markdown"))
    add_output(p)
    p.add_argument("--plugins", action="store_true",
                   help="include installed plugins' rules")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    rules = rules_of(args)
    found = rules.get(args.rule)
    if found is None:
        matches = [r.code for r in rules if args.rule.lower() in (r.code + r.name).lower()]
        hint = f"; did you mean {', '.join(matches)}?" if matches else "; see mtss rules"
        raise UsageError(f"no rule with code or name {args.rule!r}{hint}")
    page = render_rule(found)
    with output(args, out) as sink:
        sink.write(page if args.format == "markdown" else plain(page))
    return EXIT_OK


def plain(markdown: str) -> str:
    """A rule page for a terminal: headings underlined, emphasis and code marks dropped,
    tables as aligned columns, lines wrapped, the generator comment left out.

    >>> print(plain("# ALN001 `x`\\n\\n**Why.** It *matters*."), end="")
    ALN001 x
    ========
    <BLANKLINE>
    Why. It matters.
    """
    lines: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if not table:
            return
        widths = [max(len(row[i]) for row in table if i < len(row))
                  for i in range(max(map(len, table)))]
        for row in table:
            cells = (c.ljust(w) for c, w in zip(row, widths, strict=False))
            lines.append(("  " + "  ".join(cells)).rstrip())
        table.clear()

    for raw in markdown.splitlines():
        if raw.startswith("<!--"):
            continue
        line = re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]*)`",
                      lambda m: next(g for g in m.groups() if g is not None), raw)
        line = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", line)
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):
                table.append(cells)
            continue
        flush()
        heading = re.match(r"(#+)\s+(.*)", line)
        if heading:
            text = heading.group(2)
            lines.extend([text, ("=" if len(heading.group(1)) == 1 else "-") * len(text)])
        elif line.strip():
            bullet = "  " if line.startswith("- ") else ""
            lines.extend(textwrap.wrap(line, 88, subsequent_indent=bullet))
        else:
            lines.append(line)
    flush()
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n"
