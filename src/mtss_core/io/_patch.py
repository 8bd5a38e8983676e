"""Changing a document in place: field edits and deletions of objects named by id, made to
a JSON or YAML document's data (key order kept) or to a workbook's cells (everything else
in it kept), for ``mtss validate --fix``.

A change is anything with ``target`` (an object's id), ``op`` (``set``, ``add``,
``remove`` or ``delete``), ``field`` and ``value``, as :class:`mtss_core.rules.Change`
is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .._extras import openpyxl
from ..errors import DocumentError, Problem
from ..model import TYPES, Registry
from ._parse import format_of, parse, require_yaml
from ._workbook import layout

__all__ = ["patch_data", "patch_file", "patch_text"]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def patch_data(data: dict[str, Any], changes: Iterable[Any], types: Registry = TYPES
               ) -> list[str]:
    """Make ``changes`` to a parsed document (in place); return what was done, one line
    a change.  A change whose object is not in the document is refused, naming it.

    >>> doc = {"format_version": 1, "visions": [{"id": "v-1", "owner": "d"}]}
    >>> class C:  # a change as mtss_core.rules.Change has it
    ...     target, op, field, value = "v-1", "set", "aligned_to", "v-0"
    >>> patch_data(doc, [C()]), doc["visions"][0]
    (["/visions/0/aligned_to: set to 'v-0'"], {'id': 'v-1', 'owner': 'd', 'aligned_to': 'v-0'})
    """
    where: dict[str, tuple[str, int]] = {}
    for t in types:
        if t.nested is not None:
            continue
        for i, entry in enumerate(data.get(t.section) or ()):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                where.setdefault(entry["id"], (t.section, i))
    done: list[str] = []
    deleted: list[tuple[str, int]] = []
    for change in changes:
        found = where.get(change.target)
        if found is None:
            raise DocumentError([Problem(source="<fix>", pointer="", message=(
                f"no object with id {change.target!r} in the document to change"))])
        section, i = found
        entry = data[section][i]
        pointer = f"/{section}/{i}"
        if change.op == "delete":
            deleted.append(found)
            done.append(f"{pointer}: deleted ({change.target!r})")
            continue
        value = _plain(change.value)
        if change.op == "set":
            if value is None:
                entry.pop(change.field, None)
            else:
                entry[change.field] = value
            done.append(f"{pointer}/{change.field}: set to {value!r}")
            continue
        items = entry.get(change.field) or []
        items = [items] if isinstance(items, str) else list(items)
        if change.op == "add" and value not in items:
            items.append(value)
        elif change.op == "remove":
            items = [v for v in items if v != value]
        if items:
            entry[change.field] = items
        else:
            entry.pop(change.field, None)
        done.append(f"{pointer}/{change.field}: {change.op} {value!r}")
    for section, i in sorted(deleted, reverse=True):
        del data[section][i]
    return done


def _indent(text: str) -> int:
    m = re.search(r"\n( +)\S", text)
    return len(m.group(1)) if m else 2


def patch_text(text: str, fmt: str, changes: Iterable[Any], types: Registry = TYPES,
               *, source: str = "<string>") -> str:
    """The text of a JSON or YAML document with ``changes`` made: key order kept, JSON
    with the document's own indentation."""
    data = parse(text, fmt, source, None)
    if not isinstance(data, dict):
        raise DocumentError.single(source, "not a document (expected a mapping at the top)")
    patch_data(data, changes, types)
    if fmt == "json":
        return json.dumps(data, indent=_indent(text), ensure_ascii=False) + "\n"
    yaml = require_yaml("Writing YAML documents")
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def patch_file(path: str | os.PathLike[str], changes: Iterable[Any], *,
               types: Registry = TYPES, write: bool = True) -> tuple[str, str, list[str]]:
    """Make ``changes`` to the document at ``path``: its text before and after (a
    workbook: empty), and what was changed (a workbook: by cell).  With ``write=False``
    nothing is written (``--diff``)."""
    p = Path(path)
    fmt = format_of(p)
    changes = list(changes)
    if fmt == "xlsx":
        return "", "", _patch_workbook(p, changes, types, write)
    before = p.read_text(encoding="utf-8-sig")
    after = patch_text(before, fmt, changes, types, source=str(p))
    if write and after != before:
        p.write_text(after, encoding="utf-8")
    return before, after, []


def _patch_workbook(path: Path, changes: list[Any], types: Registry, write: bool
                    ) -> list[str]:
    """Change the cells of a workbook filled in by hand, keeping everything else in it."""
    pyxl = openpyxl()
    book = pyxl.load_workbook(path)
    titles = [s.title for s in layout(types) if s.field is None]
    rows: dict[str, tuple[Any, int, Mapping[str, int]]] = {}
    for title in titles:
        if title not in book.sheetnames:
            continue
        ws = book[title]
        header: Mapping[str, int] = {str(c.value).strip(): c.column for c in ws[1]
                                     if c.value is not None}
        for r in range(2, ws.max_row + 1):
            ident = ws.cell(r, 1).value
            if isinstance(ident, str) and ident.strip():
                rows.setdefault(ident.strip(), (ws, r, header))
    done: list[str] = []
    deleted: list[tuple[Any, int]] = []
    for change in changes:
        found = rows.get(change.target)
        if found is None:
            raise DocumentError.single(str(path), f"no row with id {change.target!r} to "
                                                  "change")
        ws, r, header = found
        if change.op == "delete":
            deleted.append((ws, r))
            done.append(f"{ws.title}!A{r}: row deleted ({change.target!r})")
            continue
        column = header.get(change.field)
        if column is None:
            column = ws.max_column + 1
            ws.cell(1, column, change.field)
            header = {**header, change.field: column}
            rows[change.target] = (ws, r, header)
        cell = ws.cell(r, column)
        old = cell.value
        value = _plain(change.value)
        if change.op in ("add", "remove"):
            items = [] if old in (None, "") else [
                v.strip() for v in str(old).replace("\n", ",").split(",") if v.strip()]
            if change.op == "add" and value not in items:
                items.append(value)
            elif change.op == "remove":
                items = [v for v in items if v != value]
            value = ", ".join(items) or None
        cell.value = value
        done.append(f"{ws.title}!{cell.coordinate}: {old!r} -> {value!r}")
    for ws, r in sorted(deleted, key=lambda wr: (wr[0].title, -wr[1])):
        ws.delete_rows(r)
    if write:
        book.save(path)
    return done
