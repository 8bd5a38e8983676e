"""HTML building blocks shared by every rich display: one stylesheet, escaped tables.

Everything user-provided is escaped by the callers with :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

__all__ = ["RULE_DOCS_URL", "STYLE", "escape", "table"]

#: Where each rule's page lives; ``{code}`` is replaced.
RULE_DOCS_URL = "https://mtss-core.readthedocs.io/en/latest/rules/{code}/"

STYLE = ("<style>.mtss td,.mtss th{text-align:left;padding:2px 8px;vertical-align:top}"
          ".mtss .error{color:#b00020}.mtss .warning{color:#a15c00}.mtss .info{color:#35608f}"
          "</style>")
def table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


