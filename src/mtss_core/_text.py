"""Text made safe for where it goes: Markdown tables and lines, Mermaid labels."""

from __future__ import annotations

import html

__all__ = ["md_cell", "md_text", "mermaid_label", "one_line"]


def one_line(text: str) -> str:
    """``text`` on one line: carriage returns and newlines become spaces."""
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def md_text(text: str) -> str:
    """Text for one line of Markdown: on one line, HTML inert.

    >>> md_text("Lincoln <img src=x>\\r\\nElementary")
    'Lincoln &lt;img src=x&gt; Elementary'
    """
    return html.escape(one_line(text), quote=False)


def md_cell(text: str) -> str:
    """Text for one Markdown table cell: as :func:`md_text`, and ``|`` escaped.

    >>> md_cell("a | b\\n<img src=x onerror=alert(1)>")
    'a \\\\| b &lt;img src=x onerror=alert(1)&gt;'
    """
    return md_text(text).replace("|", "\\|")


def mermaid_label(text: str) -> str:
    """Text for a quoted Mermaid label: quotes and angle brackets as Mermaid entity codes
    (Mermaid renders HTML in labels), on one line."""
    return (one_line(text).replace("#", "#35;").replace('"', "#quot;")
            .replace("<", "#lt;").replace(">", "#gt;"))
