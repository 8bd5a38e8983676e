"""Changing a document in place: field edits and deletions of objects named by id, made to
a JSON or YAML document's data (key order kept) or to a workbook's cells (everything else
in it kept), for ``mtss validate --fix``.

A change is anything with ``target`` (an object's id), ``op`` (``set``, ``add``,
``remove`` or ``delete``), ``field`` and ``value``, as :class:`mtss_core.rules.Change`
is.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .._atomic import saved_bytes, write_bytes, write_text
from .._extras import openpyxl
from .._files import read_file
from .._limits import Limits
from .._sheets import SheetFaultError, find_sheet, sheet_rows
from ..errors import DocumentError, Problem
from ..model import TYPES, Registry
from ._parse import format_of, parse, require_yaml
from ._splice import MISSING, json_entries, splice, yaml_entries
from ._workbook import layout
from ._workbook_read import header_key

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


def patch_text(text: str, fmt: str, changes: Iterable[Any], types: Registry = TYPES,
               *, source: str = "<string>") -> str:
    """The text of a JSON or YAML document with ``changes`` made, and nothing else
    changed: line endings, a byte-order mark, indentation, key order, comments and the
    spelling of every other value stay byte for byte as they were.

    >>> class C:  # a change as mtss_core.rules.Change has it
    ...     target, op, field, value = "v-1", "set", "aligned_to", "v-0"
    >>> text = "visions:   # the district's\\r\\n- id: v-1\\r\\n  owner: d  # by hand\\r\\n"
    >>> print(patch_text(text, "yaml", [C()]).replace("\\r\\n", "|"))
    visions:   # the district's|- id: v-1|  owner: d  # by hand|  aligned_to: v-0|
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    data = parse(body, fmt, source, None)
    if not isinstance(data, dict):
        raise DocumentError.single(source, "not a document (expected a mapping at the top)")
    sections = {t.section for t in types if t.nested is None}
    objects: dict[str, dict[str, Any]] = {}
    for section in sections:
        for entry in data.get(section) or ():
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                objects.setdefault(entry["id"], entry)
    changes = list(changes)
    before = {c.target: dict(objects[c.target]) for c in changes if c.target in objects}
    patch_data(data, changes, types)
    deleted = list(dict.fromkeys(c.target for c in changes if c.op == "delete"))
    fields: dict[tuple[str, str], Any] = {}
    for c in changes:
        if c.op == "delete" or c.target in deleted:
            continue
        new = objects[c.target].get(c.field, MISSING)
        if new != before[c.target].get(c.field, MISSING):
            fields[(c.target, c.field)] = new
    if not fields and not deleted:
        return text
    yaml = require_yaml("Changing YAML documents") if fmt == "yaml" else None
    try:
        entries = (json_entries(body, sections) if fmt == "json"
                   else yaml_entries(body, sections, yaml))
        after = splice(body, fmt, entries, fields, deleted, yaml)
        faithful = parse(after, fmt, source, None) == data
    except (ValueError, KeyError, IndexError, AttributeError):
        faithful = False
    if not faithful:
        raise DocumentError.single(source, "the fix cannot be written without changing other "
                                           "parts of the document; nothing was changed "
                                           "(apply it by hand)")
    return bom + after


def patch_file(path: str | os.PathLike[str], changes: Iterable[Any], *,
               types: Registry = TYPES, write: bool = True) -> tuple[str, str, list[str]]:
    """Make ``changes`` to the document at ``path``: its text before and after (a
    workbook: empty), and what was changed (a workbook: by cell).  With ``write=False``
    nothing is written (``--diff``).  The file is replaced whole or not at all, and
    nothing but the changed values differs (see :func:`patch_text`)."""
    p = Path(path)
    fmt = format_of(p)
    changes = list(changes)
    if fmt == "xlsx":
        return "", "", _patch_workbook(p, changes, types, write)
    raw = read_file(p, str(p), Limits())
    try:
        before = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError.single(str(p), f"not UTF-8 text (byte {exc.start})") from None
    after = patch_text(before, fmt, changes, types, source=str(p))
    if write and after != before:
        write_text(p, after)
    return before, after, []


def _patch_workbook(path: Path, changes: list[Any], types: Registry, write: bool
                    ) -> list[str]:
    """Change the cells of a workbook filled in by hand, keeping everything else in it:
    sheets and headers found as loosely as the reader finds them, formulas kept with the
    values they last showed, a text that starts with ``=`` written as text.  A change into
    a merged cell or a formula's cell is refused with the cell named, and nothing is
    written."""
    pyxl = openpyxl()
    source = str(path)
    limits = Limits()
    if path.stat().st_size > limits.max_bytes:
        raise DocumentError.single(source, f"the workbook is larger than "
                                           f"{limits.max_bytes:,} bytes (Limits.max_bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = pyxl.load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DocumentError.single(source, f"cannot read the workbook: {exc}") from None
    titles = [s.title for s in layout(types) if s.field is None]
    rows: dict[str, tuple[Any, int, dict[str, int]]] = {}
    for title in titles:
        name = find_sheet(book.sheetnames, title)
        if name is None:
            continue
        ws = book[name]
        cells = _cells(ws)
        header = {header_key(c.value): c.column for (r, _), c in sorted(cells.items())
                  if r == 1 and c.value is not None and str(c.value).strip()}
        for (r, column), c in sorted(cells.items()):
            if column == 1 and r > 1 and isinstance(c.value, str) and c.value.strip():
                rows.setdefault(c.value.strip(), (ws, r, header))
    formulas = _formulas(book)
    merged = {ws.title: [str(m) for m in ws.merged_cells.ranges] for ws in book.worksheets}
    done: list[str] = []
    deleted: list[tuple[Any, int]] = []
    for change in changes:
        found = rows.get(change.target)
        if found is None:
            raise DocumentError.single(source, f"no row with id {change.target!r} to change")
        ws, r, header = found
        if change.op == "delete":
            hit = [m for m in merged[ws.title] if _rows_of(m)[0] <= r <= _rows_of(m)[1]]
            if hit:
                raise DocumentError.single(source, f"{ws.title}!A{r}: the row to delete "
                                           f"crosses the merged cells {hit[0]}; unmerge them "
                                           "first (nothing was changed)")
            deleted.append((ws, r))
            done.append(f"{ws.title}!A{r}: row deleted ({change.target!r})")
            continue
        known = header.get(change.field)
        if known is None:
            known = max([*header.values(), 0]) + 1
            ws.cell(1, known, change.field)
            header[change.field] = known
        cell = ws.cell(r, known)
        where = f"{ws.title}!{cell.coordinate}"
        if any(cell.coordinate in _cell_range(m) for m in merged[ws.title]):
            raise DocumentError.single(source, f"{where}: the cell to change is part of "
                                               "merged cells; unmerge them first (nothing "
                                               "was changed)")
        if (ws.title, cell.coordinate) in formulas:
            raise DocumentError.single(source, f"{where}: the cell to change holds a formula "
                                               f"({cell.value}); change it by hand (nothing "
                                               "was changed)")
        old = cell.value
        value = _plain(change.value)
        if change.op in ("add", "remove"):
            text = "" if old is None else str(old)
            sep = "\n" if "\n" in text else ", "
            items = [v.strip() for v in (text.split("\n") if "\n" in text else
                                         text.split(",")) if v.strip()]
            if change.op == "add" and value not in items:
                items.append(value)
            elif change.op == "remove":
                items = [v for v in items if v != value]
            value = sep.join(items) or None
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text, never a formula
        done.append(f"{where}: {old!r} -> {value!r}")
    for ws, r in sorted(deleted, key=lambda wr: (wr[0].title, -wr[1])):
        ws.delete_rows(r)
    if write:
        moved = {(ws.title, r) for ws, r in deleted}
        keep = {k: v for k, v in formulas.items() if not any(
            k[0] == t and _row_of(k[1]) >= r for t, r in moved)}
        cached = _cached_values(path, keep)
        write_bytes(path, lambda: _restore_cached(saved_bytes(book.save), book, cached))
    return done


def _cells(ws: Any) -> dict[tuple[int, int], Any]:
    """The cells a sheet holds (never the rows up to a size it claims)."""
    return dict(ws._cells)


def _formulas(book: Any) -> dict[tuple[str, str], str]:
    """``(sheet, cell) -> formula`` for every formula of the workbook."""
    out: dict[tuple[str, str], str] = {}
    for ws in book.worksheets:
        for cell in ws._cells.values():
            if cell.data_type == "f":
                out[(ws.title, cell.coordinate)] = str(cell.value)
    return out


def _row_of(coordinate: str) -> int:
    return int(re.sub(r"[A-Z$]", "", coordinate))


def _rows_of(ranged: str) -> tuple[int, int]:
    first, _, last = ranged.partition(":")
    return _row_of(first), _row_of(last or first)


def _cell_range(ranged: str) -> set[str]:
    from openpyxl.utils import range_boundaries
    from openpyxl.utils.cell import get_column_letter

    low_col, low_row, high_col, high_row = range_boundaries(ranged)
    if (high_col - low_col + 1) * (high_row - low_row + 1) > 100_000:
        return set()
    return {f"{get_column_letter(c)}{r}" for c in range(low_col, high_col + 1)
            for r in range(low_row, high_row + 1)}


def _cached_values(path: Path, formulas: Mapping[tuple[str, str], str]
                   ) -> dict[tuple[str, str], Any]:
    """The value each formula showed when the workbook was last saved."""
    if not formulas:
        return {}
    pyxl = openpyxl()
    wanted: dict[str, set[str]] = {}
    for sheet, coordinate in formulas:
        wanted.setdefault(sheet, set()).add(coordinate)
    from openpyxl.utils.cell import get_column_letter

    out: dict[tuple[str, str], Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = pyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet, coordinates in wanted.items():
            for r, cells in sheet_rows(book[sheet]):
                for c, value in cells.items():
                    key = f"{get_column_letter(c)}{r}"
                    if key in coordinates and value is not None:
                        out[(sheet, key)] = value
    except SheetFaultError as fault:
        raise DocumentError.single(str(path), f"{fault.where}: {fault.message}") from None
    finally:
        book.close()
    return out


def _restore_cached(body: bytes, book: Any, cached: Mapping[tuple[str, str], Any]) -> bytes:
    """The saved workbook with the values its formulas showed put back (openpyxl writes
    formulas without them, and a reader of values would then see empty cells)."""
    if not cached:
        return body
    import io
    import zipfile
    from xml.sax.saxutils import escape

    parts = {ws.title: f"xl/worksheets/sheet{i}.xml" for i, ws in
             enumerate(book.worksheets, start=1)}
    by_part: dict[str, dict[str, Any]] = {}
    for (sheet, coordinate), value in cached.items():
        by_part.setdefault(parts[sheet], {})[coordinate] = value
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    pattern = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)</c>',
                         re.S)

    def fill(values: Mapping[str, Any]) -> Any:
        def one(m: re.Match[bytes]) -> bytes:
            ref = m.group(1).decode()
            if ref not in values:
                return m.group(0)
            value = values[ref]
            if isinstance(value, bool):
                kind, text = b' t="b"', b"1" if value else b"0"
            elif isinstance(value, int | float):
                kind, text = b"", repr(value).encode()
            else:
                kind, text = b' t="str"', escape(str(value)).encode()
            extra = re.sub(rb'\s+t="[^"]*"', b"", m.group(2))
            return (b'<c r="' + m.group(1) + b'"' + extra + kind + b"><f>" + m.group(3)
                    + b"</f><v>" + text + b"</v></c>")
        return one

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            values = by_part.get(info.filename)
            archive.writestr(info, pattern.sub(fill(values), data) if values else data)
    return out.getvalue()
