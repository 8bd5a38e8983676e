"""HTML building blocks shared by every rich display: one stylesheet, escaped tables.

Everything user-provided is escaped by the callers with :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

__all__ = ["LEFT", "ROWS_SHOWN", "RULE_DOCS_URL", "STYLE", "escape", "table"]

#: Where each rule's page lives; ``{code}`` is replaced.
RULE_DOCS_URL = "https://mtss-core.readthedocs.io/en/latest/rules/{code}/"

STYLE = ("<style>.mtss td,.mtss th{text-align:left;padding:2px 8px;vertical-align:top}"
          ".mtss .error{color:#b00020}.mtss .warning{color:#a15c00}.mtss .info{color:#35608f}"
          "</style>")
#: Cells are left-aligned inline too: notebook front ends right-align table cells with
#: selectors a stylesheet in the output does not always beat.
LEFT = ' style="text-align:left;vertical-align:top"'

#: How many rows a table shows before "... and N more".
ROWS_SHOWN = 50


def table(head: list[str], rows: list[list[str]], *, limit: int | None = ROWS_SHOWN) -> str:
    """An HTML table of already-escaped cells, left-aligned, with at most ``limit`` rows
    (then one row saying how many more there are).

    >>> html = table(["a"], [["1"], ["2"], ["3"]], limit=2)
    >>> html.count("<tr>"), "and 1 more" in html
    (4, True)
    """
    th = "".join(f"<th{LEFT}>{escape(h)}</th>" for h in head)
    shown = rows if limit is None else rows[:limit]
    body = "".join("<tr>" + "".join(f"<td{LEFT}>{c}</td>" for c in row) + "</tr>"
                   for row in shown)
    if len(rows) > len(shown):
        body += (f'<tr><td{LEFT} colspan="{len(head)}"><i>… and {len(rows) - len(shown)} '
                 "more</i></td></tr>")
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


