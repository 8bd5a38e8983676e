"""Write the API reference: one page per public module, each public name documented once.

    python scripts/api_reference.py           # write docs/reference/*.md
    python scripts/api_reference.py --check   # exit 1 if a page is stale (the suite)

A name several modules export (the root re-exports, ``EdgeKind`` in model and graph) is
documented in the first module below that holds it; the others link to it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "reference"

#: The public modules, in reading order: (module, page, title, what it is for).
MODULES = (
    ("mtss_core.model", "model", "Model", "the objects: units, people, teams, products and "
     "the records kept about them, as frozen attrs classes"),
    ("mtss_core.graph", "graph", "Graph", "the alignment graph, its queries, the level "
     "above and each district's progress"),
    ("mtss_core.rules", "rules", "Rules", "the rule protocol, configuration, findings, "
     "reports, fixes and baselines"),
    ("mtss_core.session", "session", "Session", "incremental re-checking as a structure "
     "is edited"),
    ("mtss_core.edits", "edits", "Edits", "edits as data: a vocabulary of changes by id, "
     "applied all or nothing, saying what they changed"),
    ("mtss_core.store", "store", "Store", "a system of record on SQLite and PostgreSQL: "
     "tenants, commits, conflicts, history and undo"),
    ("mtss_core.io", "io", "Documents and exports", "loading and saving documents "
     "(JSON, YAML, workbooks), the schema, overlays and exports"),
    ("mtss_core.io.importers", "importers", "Importers", "OneRoster, Ed-Fi and school "
     "directories"),
    ("mtss_core.analysis", "analysis", "Analysis", "scorecards, status packs, timelines, "
     "diffs, refreshes and many tenants"),
    ("mtss_core.capacity", "capacity", "Capacity assessments", "instruments, pre-filled "
     "results and trends"),
    ("mtss_core.display", "display", "Display", "drawings and the meeting report"),
    ("mtss_core.errors", "errors", "Errors", "everything the library raises"),
)


def _public(module: str) -> list[str]:
    return list(importlib.import_module(module).__all__)


def pages() -> dict[str, str]:
    """Each page's file name and text."""
    import mtss_core

    home: dict[int, tuple[str, str]] = {}  # id(object) -> (module, page)
    out: dict[str, str] = {}
    for module, page, title, what in MODULES:
        mod = importlib.import_module(module)
        lines = [f"# {title}: `{module}`", "", f"`{module}`: {what}.", ""]
        elsewhere = []
        for name in _public(module):
            obj = getattr(mod, name)
            key = id(obj)
            if key in home and not isinstance(obj, (str, int, float, tuple, frozenset)):
                elsewhere.append(f"[`{name}`][{home[key][0]}.{name}]")
                continue
            home.setdefault(key, (module, page))
            lines += [f"::: {module}.{name}", ""]
        if elsewhere:
            lines += ["## Also here", "", "Documented with the module that holds them: "
                      + ", ".join(elsewhere) + ".", ""]
        out[f"{page}.md"] = "\n".join(lines)
    root = ["# API reference", "",
            "Generated from the docstrings: one page per public module, each name "
            "documented once. Modules whose names start with `_` are private.", "",
            "## The root: what most users need", "",
            "`import mtss_core as mc` gives these; each links to where it is documented:", ""]
    links = []
    for name in mtss_core.__all__:
        obj = getattr(mtss_core, name)
        if name == "__version__":
            continue
        found = home.get(id(obj))
        links.append(f"[`{name}`][{found[0]}.{name}]" if found else f"`{name}`")
    root += [", ".join(links), "", "## The modules", ""]
    root += [f"- [`{module}`]({page}.md): {what}." for module, page, _, what in MODULES]
    out["index.md"] = "\n".join(root) + "\n"
    return out


def stale() -> list[str]:
    """The pages that differ from what the code would write now (or are missing/extra)."""
    want = pages()
    have = {p.name: p.read_text("utf-8") for p in FOLDER.glob("*.md")} if FOLDER.exists() else {}
    return sorted(n for n in set(want) | set(have) if want.get(n) != have.get(n))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        found = stale()
        for name in found:
            print(f"stale: docs/reference/{name} (run python scripts/api_reference.py)")
        return 1 if found else 0
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.glob("*.md"):
        old.unlink()
    for name, text in pages().items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
