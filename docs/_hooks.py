"""MkDocs hooks for the documentation site.

- Docstrings hold their examples as plain ``>>>`` blocks (so that pytest runs them); in
  Markdown those would read as text, and their output (``['d1']``) as links: a tiny
  preprocessor fences each such block, outside existing fences.
- Docstrings name other objects with Sphinx roles (``:class:`Report```), which help() and
  IDEs show well; another preprocessor turns each into a cross-reference to the page of the
  API reference that documents it (or into code, for what it does not document).
- The tour notebook is rendered as a page (run, with its outputs), not copied raw.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
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
    config.markdown_extensions.append(_RolesExtension())
    return config


# --- Sphinx-style roles in docstrings -> cross-references mkdocstrings renders ------------

_ROLE = re.compile(r":(?:py:)?(class|func|meth|data|attr|mod|exc|obj|const):`(~?)\.?([^`<>]+)`")


def _homes() -> dict[str, str]:
    """Every documented public name -> its identifier (where the reference documents it)."""
    spec = importlib.util.spec_from_file_location(
        "api_reference", Path(__file__).resolve().parents[1] / "scripts" / "api_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    homes: dict[str, str] = {}
    for text in module.pages().values():
        for ident in re.findall(r"^::: ([\w.]+)$", text, re.M):
            homes.setdefault(ident.rsplit(".", 1)[1], ident)
    return homes


def role_to_link(match: re.Match[str], homes: dict[str, str]) -> str:
    """``:class:`~mtss_core.rules.Report``` -> ``[`Report`][mtss_core.rules.Report]``; a
    method or attribute links to its class; a module, or a name the reference does not
    document, stays code."""
    kind, short, target = match.group(1), match.group(2), match.group(3).strip()
    parts = target.split(".")
    text = parts[-1] if short else target
    if kind != "mod":  # the first documented part: a member (Report.to_frame) -> its class
        for part in parts:
            if part in homes:
                return f"[`{text}`][{homes[part]}]"
    return f"`{text}`"


class _Roles(Preprocessor):
    homes: dict[str, str] = {}

    def run(self, lines: list[str]) -> list[str]:
        if not self.homes:
            type(self).homes = _homes()
        out, fenced = [], False
        for line in lines:
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            out.append(line if fenced or ":`" not in line
                       else _ROLE.sub(lambda m: role_to_link(m, self.homes), line))
        return out


class _RolesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.register(_Roles(md), "mtss_roles", 41)


# --- the tour notebook, rendered as a page (run, with its outputs) ------------------------

def _output(out: dict[str, Any]) -> list[str]:
    if out.get("output_type") == "stream":
        return ["```text", "".join(out.get("text", "")).rstrip(), "```", ""]
    data = out.get("data", {})
    if "image/png" in data:
        return [f'<img alt="output" src="data:image/png;base64,{data["image/png"].strip()}">',
                ""]
    if "text/html" in data:
        html = "".join(data["text/html"]).replace("\n", " ")
        return [f'<div class="nb-output" markdown="0">{html}</div>', ""]
    if "text/plain" in data:
        return ["```text", "".join(data["text/plain"]).rstrip(), "```", ""]
    return []


def notebook_markdown(path: Path, run: bool = True) -> str:
    """A notebook as a page: markdown cells as they are, code cells as Python blocks,
    each followed by its outputs (the notebook is run first when nbclient is there)."""
    nb: Any = json.loads(path.read_text(encoding="utf-8"))
    if run:
        try:
            import nbformat
            from nbclient import NotebookClient
        except ImportError:  # rendered without outputs
            pass
        else:
            node = nbformat.reads(json.dumps(nb), as_version=4)
            NotebookClient(node, timeout=180, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
            nb = json.loads(nbformat.writes(node))
    lines = [f"<!-- rendered from {path.name}; edit the notebook, not this page -->", ""]
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            lines += [source, ""]
        elif cell["cell_type"] == "code":
            lines += ["```python", source, "```", ""]
            for out in cell.get("outputs", []):
                lines += _output(out)
    return "\n".join(lines)


def on_files(files: Any, config: Any) -> Any:
    """Render docs/tour.ipynb as the page tour.md, run, and docs/analyst.ipynb as
    analyst.md from the outputs it was saved with (a state-scale run: the suite runs it);
    the raw notebooks are not published."""
    from mkdocs.structure.files import File

    source = Path(config.docs_dir) / "tour.ipynb"
    files.append(File.generated(config, "tour.md", content=notebook_markdown(source)))
    analyst = Path(config.docs_dir) / "analyst.ipynb"
    files.append(File.generated(config, "analyst.md",
                                content=notebook_markdown(analyst, run=False)))
    return files
