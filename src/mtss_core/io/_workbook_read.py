"""Reading workbooks: a document's sections from the sheets of an ``.xlsx`` file filled in
by hand, every problem at its cell (see :mod:`mtss_core.io._workbook` for the layout)."""

from __future__ import annotations

import datetime as _dt
import difflib
import os
import re
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._extras import openpyxl
from .._gc import collector_paused
from .._limits import Limits
from .._sheets import SheetFaultError, find_sheet, sheet_rows
from ..errors import DocumentError, Problem
from ..graph import AlignmentGraph
from ..model import TYPES, Registry
from ._decode import build
from ._workbook import ABOUT, LISTS, Column, Sheet, layout, sheet_title

__all__ = ["Cells", "header_key", "read_workbook", "workbook_cells"]


# --- reading ----------------------------------------------------------------------------------

class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Problem] = []

    def add(self, where: str, message: str, field: str | None = None,
            **extra: Any) -> None:
        place = where + (f" ({field})" if field else "")
        self.found.append(Problem(source=self.source, pointer=place, message=message,
                                  field=field, **extra))

    def raise_if_any(self) -> None:
        if self.found:
            raise DocumentError(self.found[:200], truncated=len(self.found) > 200,
                                total=len(self.found))


def _closest(value: str, choices: Sequence[str]) -> str | None:
    """A choice ``value`` was probably meant to be: the same but for case and spacing,
    or one close in spelling."""
    squashed = _squash(value)
    for choice in choices:
        if _squash(choice) == squashed:
            return choice
    near = difflib.get_close_matches(value.lower(), [c.lower() for c in choices], n=1,
                                     cutoff=0.8)
    if not near:
        return None
    return next(c for c in choices if c.lower() == near[0])


def _check_zip(path: Path, limits: Limits, problems: _Problems) -> None:
    """Refuse what would make the spreadsheet reader do unbounded work: a file too large,
    a member that unpacks to more than the limits allow (a zip bomb)."""
    size = path.stat().st_size
    if size > limits.max_bytes:
        problems.add("", f"the workbook is {size:,} bytes; the limit is "
                         f"{limits.max_bytes:,} (Limits.max_bytes)")
        return
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.file_size > limits.max_bytes or (
                        info.compress_size and
                        info.file_size > info.compress_size * limits.max_zip_ratio):
                    problems.add("", f"{info.filename} unpacks to {info.file_size:,} bytes "
                                     f"from {info.compress_size:,} (Limits.max_bytes, "
                                     "Limits.max_zip_ratio): refused")
    except zipfile.BadZipFile:
        problems.add("", "not an .xlsx workbook (not a zip archive); save it from the "
                         "spreadsheet program as Excel 2007-365 (.xlsx)")


def read_workbook(path: str | os.PathLike[str], *, strict: bool = True,
                  limits: Limits | None = None, types: Registry = TYPES,
                  check_schema: bool = False, source: str | None = None) -> AlignmentGraph:
    """Build a graph from a workbook written by :func:`write_workbook` and filled in by
    hand (or by any program that keeps its sheets and header rows).  Every problem names
    its sheet and cell (under ``source``, by default the path); with ``check_schema`` the
    document the workbook holds is checked against the JSON Schema first (the ``schema``
    extra).  Only the cells a sheet holds are read, whatever size it claims."""
    p = Path(path)
    limits = limits or Limits()
    name = source or str(p)
    problems = _Problems(name)
    if not p.is_file():
        raise DocumentError.single(name, "no such file")
    _check_zip(p, limits, problems)
    problems.raise_if_any()
    pyxl = openpyxl()
    try:
        with warnings.catch_warnings():  # openpyxl's notes on features it does not read
            warnings.simplefilter("ignore")
            book = pyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DocumentError.single(name, f"cannot read the workbook: {exc}") from None
    try:
        data, cells = _read(book, layout(types), problems, limits)
    finally:
        book.close()
    # every problem in one pass: the cells' values, then ids used twice and references to
    # nothing, then what the model refuses of the rest (a problem already said of a cell
    # is not said again)
    _picked_to_ids(data, layout(types), types)
    _check_duplicates(data, cells, types, problems)
    _check_references(data, cells, layout(types), types, problems)
    if check_schema and not problems.found:
        from ._schema import check_document

        found = check_document(data, source=name, types=types)
        if found:
            raise DocumentError([_located(pr, cells, name) for pr in found[:200]],
                                truncated=len(found) > 200)
    said = {k for p in problems.found for k in _places_of(p)}
    try:
        with collector_paused():
            graph = build(data, name, None, "json", 10_000, strict, types=types)
    except DocumentError as exc:
        for pr in exc.problems:
            located = _located(pr, cells, name)
            if not said & set(_places_of(located)):
                problems.found.append(located)
        problems.raise_if_any()
        raise  # pragma: no cover - every problem of the build was said above
    problems.raise_if_any()
    return graph


def _places_of(problem: Problem) -> tuple[tuple[str, ...], ...]:
    """Where a problem is, to say each place once: (sheet, row, column) and (sheet, row,
    field) of ``Visions!E5 (adopted_on)``."""
    m = re.match(r"(.*)!([A-Z]+)(\d+)(?: \((.*)\))?$", problem.pointer)
    if m is None:
        return ((problem.pointer,),)
    sheet, column, row, field = m.group(1), m.group(2), m.group(3), m.group(4)
    field = field or problem.field
    out: list[tuple[str, ...]] = [(sheet, row, column)]
    if field:
        out.append((sheet, row, field))
    return tuple(out)


def _located(problem: Problem, cells: Mapping[str, str], source: str) -> Problem:
    """A problem of the document the workbook became, pointed at its cell."""
    pointer = problem.pointer
    place = cells.get(pointer)
    while place is None and "/" in pointer.strip("/"):
        pointer = pointer.rsplit("/", 1)[0]
        place = cells.get(pointer)
    if place is None:
        return attrs.evolve(problem, source=source)
    field = problem.field
    return attrs.evolve(problem, source=source, line=None, column=None,
                        pointer=place + (f" ({field})" if field and "(" not in place else ""))


def _about_values(ws: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for _, cells in sheet_rows(ws):
        first = cells.get(1)
        if isinstance(first, str) and first.strip() in ("format_version", "as_of", "timezone"):
            found[first.strip()] = cells.get(2)
    return found


def _sheets_of(book: Any, sheets: Sequence[Sheet], problems: _Problems) -> dict[str, Any]:
    """The worksheet of each known sheet (by title), found as loosely as a person names
    it; two sheets that both answer to one title are refused, naming both."""
    found: dict[str, Any] = {}
    names: dict[str, str] = {}
    known = {s.title.lower(): s.title for s in sheets}
    known.update({ABOUT.lower(): ABOUT, LISTS.lower(): LISTS})
    for name in book.sheetnames:
        title = known.get(name.strip().lower())
        if title is None:
            near = _closest(name, [s.title for s in sheets])
            if near is not None:
                problems.add(f"{name}!A1", f"unknown sheet {name!r} (did you mean {near!r}?)")
            continue
        if title in names:
            problems.add(f"{name}!A1", f"two sheets for {title!r}: {names[title]!r} and "
                                       f"{name!r}; keep one (their rows would be read twice "
                                       "or lost)")
            continue
        names[title] = name
        found[title] = book[name]
    return found


def _read(book: Any, sheets: Sequence[Sheet], problems: _Problems, limits: Limits
          ) -> tuple[dict[str, Any], dict[str, str]]:
    """The document a workbook holds, and the cell of every field of it (by pointer)."""
    try:
        return _read_sheets(book, sheets, problems, limits)
    except SheetFaultError as fault:
        problems.add(fault.where, fault.message)
        return {"format_version": 1}, {}


def _read_sheets(book: Any, sheets: Sequence[Sheet], problems: _Problems, limits: Limits
                 ) -> tuple[dict[str, Any], dict[str, str]]:
    from openpyxl.utils import get_column_letter

    data: dict[str, Any] = {"format_version": 1}
    cells: dict[str, str] = {}
    worksheets = _sheets_of(book, sheets, problems)
    if ABOUT in worksheets:
        about = _about_values(worksheets[ABOUT])
        if about.get("format_version") not in (None, ""):
            data["format_version"] = about["format_version"]
        day = about.get("as_of")
        if isinstance(day, _dt.datetime | _dt.date):
            day = day.strftime("%Y-%m-%d")
        if day not in (None, ""):
            data["as_of"] = str(day).strip()
        if about.get("timezone") not in (None, ""):
            data["timezone"] = str(about["timezone"]).strip()
    parents: dict[tuple[str, str], dict[str, Any]] = {}
    bad_dates: list[tuple[str, str]] = []
    owners: dict[str, _Suggestions] = {}
    for sheet in sheets:
        ws = worksheets.get(sheet.title)
        if ws is None:
            continue
        rows = sheet_rows(ws, max_cells=limits.max_rows * 64, bad_dates=bad_dates)
        first = next(rows, None)
        if first is None:
            continue
        header_row, header = first
        if header_row != 1:  # no header row: every row is under no field
            problems.add(f"{sheet.title}!A1", "row 1 is empty: it names the fields")
            continue
        named = {c for c, name in header.items() if _filled(name)}
        columns = _header(sheet, header, problems, get_column_letter)
        if columns is None:
            continue
        entries: list[dict[str, Any]] = data.setdefault(sheet.section, [])
        n = 0
        for r, row in rows:
            values = [(c, v) for c, v in sorted(row.items()) if c in columns and _filled(v)]
            # (a value under a header that is wrong is the header's problem, said once)
            for c, v in sorted(row.items()):
                if c not in named and _filled(v):
                    problems.add(f"{sheet.title}!{get_column_letter(c)}{r}",
                                 f"a value under no field: {_short(v)}")
            if not values:
                continue
            n += 1
            if n > limits.max_rows:
                problems.add(f"{sheet.title}!A{r}", f"more than {limits.max_rows:,} rows "
                                                    "(Limits.max_rows)")
                break
            entry: dict[str, Any] = {}
            places: dict[str, str] = {}
            for c, value in values:
                column = columns[c]
                where = f"{sheet.title}!{get_column_letter(c)}{r}"
                converted = _value(column, value, where, problems)
                if converted is not None:
                    entry[column.name] = converted
                    places[column.name] = where
            for column in columns.values():  # a blank cell of text that must be given: ""
                if (column.required and column.kind == "text" and not column.refs
                        and column.name != "id" and column.name not in entry):
                    entry[column.name] = ""
            if sheet.field is None:
                pointer = f"/{sheet.section}/{len(entries)}"
                entries.append(entry)
                cells[pointer] = f"{sheet.title}!A{r}"
                cells.update({f"{pointer}/{k}": v for k, v in places.items()})
                if isinstance(entry.get("id"), str):
                    parents.setdefault((sheet.section, entry["id"]), entry)
                continue
            owner = entry.pop(sheet.columns[0].name, None)
            places.pop(sheet.columns[0].name, None)
            parent = parents.get((sheet.section, owner)) if isinstance(owner, str) else None
            if parent is None:
                if sheet.section not in owners:
                    owners[sheet.section] = _Suggestions(
                        [k for s, k in parents if s == sheet.section])
                near = owners[sheet.section](str(owner)) if owner is not None else None
                problems.add(f"{sheet.title}!A{r}",
                             f"no {sheet.parent} with id {owner!r} on the sheet "
                             f"{sheet_title(sheet.section)!r}"
                             + (f" (did you mean {near!r}?)" if near else ""),
                             field=sheet.columns[0].name)
                continue
            assert sheet.field is not None
            items = parent.setdefault(sheet.field, [])
            index = entries.index(parent)
            pointer = f"/{sheet.section}/{index}/{sheet.field}/{len(items)}"
            items.append(entry)
            cells[pointer] = f"{sheet.title}!A{r}"
            cells.update({f"{pointer}/{k}": v for k, v in places.items()})
    for where, serial in bad_dates:
        problems.add(where, f"a date cell holding the serial number {serial}, which is no "
                            "date a spreadsheet can show; type the date again")
    return data, cells


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _header(sheet: Sheet, header: Mapping[int, Any], problems: _Problems, letter_of: Any
            ) -> dict[int, Column] | None:
    """The field under each column (by column number), read as loosely as a person types a
    header; a field named by two columns is refused with both cells."""
    known = {c.name: c for c in sheet.columns}
    found: dict[int, Column] = {}
    where: dict[str, int] = {}
    for i, name in sorted(header.items()):
        if not _filled(name):
            continue
        key = header_key(name)
        if key in known:
            if key in where:
                problems.add(f"{sheet.title}!{letter_of(i)}1",
                             f"a second column for {key!r} (the first is "
                             f"{sheet.title}!{letter_of(where[key])}1); keep one",
                             field=key)
                continue
            where[key] = i
            found[i] = known[key]
            continue
        near = _closest(str(name).strip(), list(known))
        problems.add(f"{sheet.title}!{letter_of(i)}1",
                     f"unknown field {str(name).strip()!r}"
                     + (f" (did you mean {near!r}?)" if near else
                        f"; expected one of {', '.join(known)}"))
    missing = [c.name for c in sheet.columns if c.required and c.name not in where]
    if missing:
        problems.add(f"{sheet.title}!A1", f"no column for {', '.join(missing)} (row 1 names "
                                          "the fields)")
        return None
    return found


def header_key(name: Any) -> str:
    """The field a header cell names: case, spaces and hyphens as a person types them.

    >>> header_key(" Aligned to "), header_key("start-date")
    ('aligned_to', 'start_date')
    """
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def _value(column: Column, value: Any, where: str, problems: _Problems) -> Any:
    """A cell as the document holds it; a problem (and ``None``) when it cannot be."""
    lines = isinstance(value, str) and "\n" in value  # a list one item a line
    if isinstance(value, str):
        value = value.strip()
    if column.kind in ("date", "datetime") and isinstance(value, _dt.datetime | _dt.date):
        if column.kind == "date" or not isinstance(value, _dt.datetime):
            return value.strftime("%Y-%m-%d")
        return value.isoformat()
    if column.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                return float(str(value).replace(",", ""))
            except ValueError:
                problems.add(where, f"expected a number, got {_short(value)}",
                             field=column.name)
                return None
        return value
    if column.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        problems.add(where, f"expected TRUE or FALSE, got {_short(value)}", field=column.name)
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, _dt.datetime | _dt.date):
        value = value.strftime("%Y-%m-%d")
    text = str(value)
    if column.kind == "list":
        parts = text.split("\n") if lines else text.split(",")
        items = [p.strip() for p in parts if p.strip()]
        for item in items:
            _typo(column, item, where, problems)
        return items
    if column.kind == "mapping":
        out: dict[str, Any] = {}
        for part in text.split(";"):
            if not part.strip():
                continue
            name, sep, number = part.rpartition(":")
            try:
                if not sep or not name.strip():
                    raise ValueError
                out[name.strip()] = float(number)
            except ValueError:
                problems.add(where, f"expected 'name: value; name: value', got "
                                    f"{_short(part.strip())}", field=column.name)
                return None
        return out
    _typo(column, text, where, problems)
    return text


def _typo(column: Column, value: str, where: str, problems: _Problems) -> None:
    """A choice typed in another spelling (another case or spacing is read as the
    choice, as in any document): the one meant, if it is clear."""
    if not column.choices or value in column.choices:
        return
    if value.lower().replace("_", "-").replace(" ", "-") in column.choices:
        return
    near = _closest(value, column.choices)
    if near is not None and near != value:
        what = column.name.removesuffix("s") if column.kind == "list" else column.name
        problems.add(where, f"unknown {what.replace('_', ' ')} {value!r} (did you mean "
                            f"{near!r}?)", field=column.name)


def _check_duplicates(data: Mapping[str, Any], cells: Mapping[str, str], types: Registry,
                      problems: _Problems) -> None:
    """An id given to two rows (of one sheet or two): both cells."""
    first: dict[str, str] = {}
    for t in types:
        if t.nested is not None:
            continue
        for i, entry in enumerate(data.get(t.section, [])):
            ident = entry.get("id")
            if not isinstance(ident, str):
                continue
            here = cells.get(f"/{t.section}/{i}/id", f"/{t.section}/{i}")
            if ident in first:
                problems.add(here, f"id {ident!r} is used twice: here and at {first[ident]}",
                             field="id")
            else:
                first[ident] = here


class _Suggestions:
    """"Did you mean" for ids: the same id but for case and spacing found by one look-up,
    one close in spelling searched among ids of about the same length, and at most
    ``limit`` searches in all (a sheet of broken references is refused as fast as the
    same document as JSON; only the first problems are listed anyway)."""

    def __init__(self, ids: Sequence[str], limit: int = 200) -> None:
        self.squashed: dict[str, str] = {}
        self.by_length: dict[int, list[str]] = {}
        for i in ids:
            self.squashed.setdefault(_squash(i), i)
            self.by_length.setdefault(len(i), []).append(i)
        self.left = limit

    def __call__(self, value: str) -> str | None:
        found = self.squashed.get(_squash(value))
        if found is not None or self.left <= 0:
            return found
        self.left -= 1
        n = len(value)
        pool = [i for length in range(int(n * 0.75), int(n / 0.75) + 2)
                for i in self.by_length.get(length, ())]
        near = difflib.get_close_matches(value, pool, n=1, cutoff=0.8)
        return near[0] if near else None


def _squash(text: str) -> str:
    return "".join(text.lower().split()).replace("_", "-")


_PICKED = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


def _picked_to_ids(data: dict[str, Any], sheets: Sequence[Sheet], types: Registry) -> None:
    """References picked from a dropdown as "James Park (p-park)": the id in brackets,
    where it names an object and the whole text does not."""
    ids = {e["id"] for t in types if t.nested is None for e in data.get(t.section, [])
           if isinstance(e.get("id"), str)}

    def plain(value: Any) -> Any:
        if isinstance(value, str) and value not in ids:
            m = _PICKED.match(value)
            if m is not None and m.group(2).strip() in ids:
                return m.group(2).strip()
        return value

    for sheet in sheets:
        refs = [c.name for c in sheet.columns if c.refs]
        if not refs:
            continue
        for entry in data.get(sheet.section, []):
            targets = [entry] if sheet.field is None else entry.get(sheet.field, [])
            for item in targets:
                for name in refs:
                    if name in item:
                        value = item[name]
                        item[name] = ([plain(v) for v in value] if isinstance(value, list)
                                      else plain(value))


def _check_references(data: Mapping[str, Any], cells: Mapping[str, str],
                      sheets: Sequence[Sheet], types: Registry, problems: _Problems) -> None:
    """An id that names nothing but matches one in another case or spacing: which."""
    ids: dict[str, list[str]] = {}
    for t in types:
        if t.nested is None:
            ids[t.name] = [e["id"] for e in data.get(t.section, []) if isinstance(
                e.get("id"), str)]
    present = {name: set(found) for name, found in ids.items()}
    suggest: dict[tuple[str, ...], _Suggestions] = {}
    for sheet in sheets:
        for column in sheet.columns:
            if not column.refs or (sheet.field is not None and column is sheet.columns[0]):
                continue
            targets = tuple(t for t in column.refs if t in ids)
            for pointer, value in _column_values(data, sheet, column.name):
                for item in value if isinstance(value, list) else [value]:
                    if not isinstance(item, str) or any(item in present[t] for t in targets):
                        continue
                    if targets not in suggest:
                        suggest[targets] = _Suggestions([i for t in targets for i in ids[t]])
                    near = suggest[targets](item)
                    if near is not None:
                        problems.add(cells.get(pointer, pointer), f"no object with id "
                                     f"{item!r} (did you mean {near!r}?)", field=column.name)


def _column_values(data: Mapping[str, Any], sheet: Sheet, name: str
                   ) -> Iterator[tuple[str, Any]]:
    for i, entry in enumerate(data.get(sheet.section, [])):
        if sheet.field is None:
            if name in entry:
                yield f"/{sheet.section}/{i}/{name}", entry[name]
            continue
        for j, item in enumerate(entry.get(sheet.field, ())):
            if name in item:
                yield f"/{sheet.section}/{i}/{sheet.field}/{j}/{name}", item[name]


@attrs.frozen
class Cells:
    """Where each object of a workbook is: its sheet and row, and the column of each of
    its fields (see :func:`workbook_cells`)."""

    #: object id -> (sheet title, row number)
    rows: Mapping[str, tuple[str, int]]
    #: sheet title -> field -> column letter
    columns: Mapping[str, Mapping[str, str]]

    def of(self, ident: str, field: str | None = None) -> str | None:
        """``Visions!C5``: the cell of ``field`` of object ``ident`` (its id cell without
        a field or when the sheet has no such column); ``None`` for an id not in it."""
        found = self.rows.get(ident)
        if found is None:
            return None
        sheet, row = found
        column = self.columns.get(sheet, {}).get(field or "id", "A")
        return f"{sheet}!{column}{row}"


def workbook_cells(path: str | os.PathLike[str], types: Registry = TYPES) -> Cells:
    """The sheet, row and columns of every object of a workbook, to point a finding at
    its cell (what ``mtss validate`` prints for a workbook).

    >>> import tempfile, pathlib
    >>> from mtss_core import example
    >>> from mtss_core.io import dump
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "lakeshore.xlsx"
    >>> dump(example(), path)
    >>> workbook_cells(path).of("v-cedar-high", "aligned_to")
    'Visions!C8'
    """
    pyxl = openpyxl()
    rows: dict[str, tuple[str, int]] = {}
    columns: dict[str, dict[str, str]] = {}
    from openpyxl.utils import get_column_letter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = pyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in layout(types):
            if sheet.field is not None:
                continue
            name = find_sheet(book.sheetnames, sheet.title)
            if name is None:
                continue
            found = sheet_rows(book[name])
            first = next(found, None)
            if first is None or first[0] != 1:
                continue
            header = {header_key(v): c for c, v in first[1].items() if _filled(v)}
            columns[sheet.title] = {k: get_column_letter(c) for k, c in header.items()}
            id_column = header.get("id", 1)
            for r, cells in found:
                value = cells.get(id_column)
                if isinstance(value, str) and value.strip():
                    rows.setdefault(value.strip(), (sheet.title, r))
    except SheetFaultError:
        pass  # the document was read already; where it cannot be read, no cells
    finally:
        book.close()
    return Cells(rows=rows, columns=columns)
