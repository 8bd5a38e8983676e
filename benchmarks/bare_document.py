"""The yardstick of the end-to-end benchmark: a plain script that reads a structure
document from disk into networkx and runs the two headline checks, nothing else.

    python benchmarks/bare_document.py DOC.json|DOC.yaml|DOC.xlsx OUT.json

It parses JSON with the standard library, YAML with PyYAML's C loader when present (as
mtss_core does), and a workbook with openpyxl alone in
read-only mode (the sheets a script needs: units, people, teams, team members, visions
and focus areas); then writes the number of findings to OUT.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baselines import from_document, headline_checks

#: workbook sheet -> (document section, how a row becomes an entry)
_SHEETS = {"Units": "units", "People": "people", "Teams": "teams", "Visions": "visions",
           "Focus areas": "focus_areas"}


def _workbook(path: str) -> dict[str, Any]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    data: dict[str, Any] = {}
    for title, section in (*_SHEETS.items(), ("Team members", "members")):
        if title not in book.sheetnames:
            continue
        rows = book[title].iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(rows)]
        data[section] = [dict(zip(header, row, strict=False)) for row in rows if any(row)]
    teams = {t["id"]: t for t in data.get("teams", ())}
    for m in data.pop("members", ()):
        teams[m["team"]].setdefault("members", []).append(m)
    book.close()
    return data


def read(path: str) -> dict[str, Any]:
    """The parsed document."""
    if path.endswith((".yaml", ".yml")):
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=loader)
    if path.endswith(".xlsx"):
        return _workbook(path)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main() -> None:
    path, out = sys.argv[1], sys.argv[2]
    findings = headline_checks(from_document(read(path)))
    Path(out).write_text(json.dumps({"findings": findings}), encoding="utf-8")


if __name__ == "__main__":
    main()
