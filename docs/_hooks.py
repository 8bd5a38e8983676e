"""MkDocs hook: show the doctest examples of docstrings as Python console code blocks.

Docstrings hold their examples as plain ``>>>`` blocks (so that pytest runs them); in
Markdown those would read as text, and their output (``['d1']``) as links.  This hook adds
a tiny Markdown preprocessor that fences each such block, outside existing fences.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor


class _DoctestBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = False
        i = 0
        while i < len(lines):
            line = lines[i]
            stripped = line.lstrip()
            if stripped.startswith(("```", "~~~")):
                fenced = not fenced
            if fenced or not stripped.startswith(">>>"):
                out.append(line)
                i += 1
                continue
            indent = len(line) - len(stripped)
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][indent:])
                i += 1
            out += ["", "```pycon", *block, "```", ""]
        return out


class _DoctestExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.register(_DoctestBlocks(md), "mtss_doctest_blocks", 40)


def on_config(config: Any) -> Any:
    config.markdown_extensions.append(_DoctestExtension())
    return config
