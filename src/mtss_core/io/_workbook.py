"""Workbooks: the document as an ``.xlsx`` spreadsheet that districts fill in by hand.

One sheet per section of the document, in its order (the roster first: units, people),
a header row of field names (bold, frozen, columns sized to fit), one row per object.
What a document nests in another object (a team's members, a person's assignments, a
barrier's escalations, a meeting's agenda) has a sheet of its own whose first column
names the object it belongs to.  Lists are comma-separated cells (one item a line when an
item holds a comma), scores by name are ``name: value; name: value``, dates are date
cells.  Every enumerated field and every reference has a dropdown: the choices from a
hidden ``Lists`` sheet, the ids of the sheet referred to through defined names (a row
added on People appears in the Team members dropdown).  An ``About`` sheet says how to
fill it in and holds the format version, the as-of date and the time zone.

Reading is as strict as a JSON document and as forgiving as a person typing: blank rows
and trailing spaces are ignored, a date may be typed as text, and every problem names the
file, the sheet and the cell (``maple.xlsx: Team members!C7 (roles): ...``), with a "did
you mean" for an id or a choice typed in another case or spelling.  Nothing is built
when anything is wrong.  Needs the ``xlsx`` extra (openpyxl).
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from .._atomic import saved_bytes, write_bytes
from .._extras import openpyxl
from .._version import __version__
from ..errors import DocumentError, Problem
from ..graph import AlignmentGraph
from ..model import TYPES, Registry
from ._encode import to_data
from ._schema import json_schema

__all__ = ["ABOUT", "LISTS", "Column", "Sheet", "layout", "sheet_title", "write_workbook"]

#: Excel's last row: a sheet holds one header and this many rows less one.
MAX_ROWS = 1_048_576
ABOUT, LISTS = "About", "Lists"
_REFERS = {"unit": ("unit",), "team": ("team",), "person": ("person",)}


# --- the layout, derived from the document's declarations --------------------------------

@attrs.frozen
class Column:
    """One column of a sheet: a field, how its cells are written, what it may hold."""

    name: str
    #: text, date, datetime, number, bool, list or mapping
    kind: str = "text"
    choices: tuple[str, ...] = ()
    #: The choices are suggestions (any other value is kept as written).
    free: bool = False
    #: The types whose ids it names (a reference), if any.
    refs: tuple[str, ...] = ()
    required: bool = False


@attrs.frozen
class Sheet:
    """One sheet: a section of the document, or what its objects nest (``field``)."""

    title: str
    section: str
    columns: tuple[Column, ...]
    #: The registry type of a section's objects.
    type_name: str = ""
    #: For a nested sheet: the field of the parent's entry it fills, and the name of
    #: the column naming the parent.
    field: str | None = None
    parent: str | None = None


def sheet_title(section: str) -> str:
    return section.replace("_", " ").capitalize().replace("Non negotiables", "Non-negotiables")


def _column(name: str, schema: Mapping[str, Any], refs: tuple[str, ...], required: bool
            ) -> Column:
    kind, free = "text", False
    choices: tuple[str, ...] = ()
    alternatives = schema.get("anyOf", [schema])
    listed = next((a for a in alternatives if a.get("type") == "array"), None)
    plain = listed["items"] if listed is not None else next(
        (a for a in alternatives if a.get("type") != "null"), schema)
    types = plain.get("type")
    if isinstance(types, list):
        types = next((t for t in types if t != "null"), "string")
    if "enum" in plain:
        choices = tuple(str(v) for v in plain["enum"])
    elif "examples" in plain:
        choices, free = tuple(str(v) for v in plain["examples"]), True
    if listed is not None:
        kind = "list"
    elif types == "object":
        kind = "mapping"
    elif types in ("number", "integer"):
        kind = "number"
    elif types == "boolean":
        kind = "bool"
    elif plain.get("format") == "date":
        kind = "date"
    elif plain.get("format") == "date-time":
        kind = "datetime"
    return Column(name=name, kind=kind, choices=choices, free=free, refs=refs,
                  required=required)


def layout(types: Registry = TYPES) -> tuple[Sheet, ...]:
    """The sheets of a workbook of ``types``, in order.

    >>> [s.title for s in layout()][:5]
    ['Units', 'People', 'Person assignments', 'Teams', 'Team members']
    """
    schema = json_schema(types)
    defs = schema["$defs"]
    by_section = {t.section: t for t in types}
    sheets: list[Sheet] = []
    for section, prop in schema["properties"].items():
        if prop.get("type") != "array" or section not in by_section:
            continue
        t = by_section[section]
        definition = defs[prop["items"]["$ref"].rsplit("/", 1)[-1]]
        required = set(definition.get("required", ()))
        refs = {r.field: r.targets for r in t.references}
        columns, nested = [], []
        for name, field_schema in definition["properties"].items():
            items = field_schema.get("items", {})
            if field_schema.get("type") == "array" and "$ref" in items:
                nested.append((name, defs[items["$ref"].rsplit("/", 1)[-1]]))
                continue
            columns.append(_column(name, field_schema, refs.get(name, ()), name in required))
        sheets.append(Sheet(title=sheet_title(section), section=section, columns=tuple(columns),
                            type_name=t.name))
        for name, inner in nested:
            child = next((n for n in types if n.nested == (t.name, name)), None)
            inner_refs = ({r.field: r.targets for r in child.references} if child else {})
            inner_required = set(inner.get("required", ()))
            cols = [Column(name=t.name, refs=(t.name,), required=True)]
            cols += [_column(n, s, inner_refs.get(n, _REFERS.get(n, ())), n in inner_required)
                     for n, s in inner["properties"].items()]
            sheets.append(Sheet(title=f"{t.singular.capitalize()} {name}", section=section,
                                columns=tuple(cols), field=name, parent=t.name))
    return tuple(sheets)


# --- writing ----------------------------------------------------------------------------------

def _join(items: Sequence[Any]) -> str:
    """A list as one cell: ``a, b``; one a line when an item holds a comma (a single such
    item ends with a line break, so the reader splits it by lines too)."""
    texts = [str(i) for i in items]
    if any("," in t for t in texts):
        return "\n".join(texts) + ("\n" if len(texts) == 1 else "")
    return ", ".join(texts)


#: The most characters a spreadsheet cell holds (Excel's limit; LibreOffice's too).
CELL_LIMIT = 32_767


def _unkeepable(column: Column, value: Any, cell: Any) -> str | None:
    """Why a value cannot go into a cell and come back the same (``None``: it can)."""
    if column.kind == "list" and isinstance(value, list | tuple):
        for item in value:
            text = str(item)
            if "\n" in text or "\r" in text:
                return f"the list item {_short(text)} holds a line break"
            if text != text.strip():
                return f"the list item {_short(text)} begins or ends with spaces"
        return None
    if isinstance(cell, float) and float(f"{cell:.16g}") != cell:
        return (f"the number {cell!r} has more digits than a workbook keeps (16 "
                "significant digits)")
    if not isinstance(cell, str):
        return None
    if len(cell) > CELL_LIMIT:
        return f"{len(cell):,} characters; a cell holds {CELL_LIMIT:,}"
    if "\r" in cell:
        return "the text holds a carriage return, which a cell does not keep"
    if cell != cell.strip():
        return "the text begins or ends with spaces or line breaks, which are not kept"
    return None


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _cell(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "list":
        return _join(value) if value else None
    if column.kind == "mapping":
        return "; ".join(f"{k}: {_number(v)}" for k, v in value.items()) or None
    if column.kind == "date" and isinstance(value, str):
        return _dt.date.fromisoformat(value[:10])
    return value


def write_workbook(graph: AlignmentGraph, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` as a workbook (``.xlsx``) to fill in by hand.

    >>> import tempfile, pathlib
    >>> from mtss_core import example, load, to_data
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "lakeshore.xlsx"
    >>> write_workbook(example(), path)
    >>> to_data(load(path)) == to_data(example())
    True
    """
    pyxl = openpyxl()
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    data = to_data(graph)
    sheets = layout(graph.types)
    book = pyxl.Workbook()
    about = book.active
    about.title = ABOUT
    _about(about, data, Font)
    _print_setup(about)
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    id_ranges: dict[str, str] = {}
    for sheet in sheets:
        if sheet.field is None:
            id_ranges[sheet.type_name] = (f"{quote_sheetname(sheet.title)}!$A$2:$A${MAX_ROWS}")
    list_names: dict[tuple[str, ...], str] = {}
    ws_of: dict[str, Any] = {}
    problems: list[Problem] = []
    all_rows = {}
    for sheet in sheets:
        rows = list(_rows(sheet, data))
        if len(rows) >= MAX_ROWS:
            raise DocumentError.single(str(path), (
                f"{len(rows):,} rows for the sheet {sheet.title!r}: a workbook sheet holds "
                f"{MAX_ROWS - 1:,}; write a JSON document instead"))
        for r, (raw, row) in enumerate(zip(_raw_rows(sheet, data), rows, strict=True),
                                       start=2):
            for i, (column, value, cell) in enumerate(zip(sheet.columns, raw, row,
                                                          strict=True), start=1):
                why = _unkeepable(column, value, cell)
                if why:
                    problems.append(Problem(
                        source=str(path), field=column.name, message=why,
                        pointer=f"{sheet.title}!{get_column_letter(i)}{r} ({column.name})"))
        all_rows[sheet.title] = rows
    if problems:
        raise DocumentError(problems[:200], truncated=len(problems) > 200)
    for sheet in sheets:
        rows = all_rows[sheet.title]
        ws = book.create_sheet(sheet.title)
        ws_of[sheet.title] = ws
        ws.append([c.name for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        wrap = Alignment(wrap_text=True, vertical="top")
        for row_cells in ws.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text: never a formula
                    if "\n" in cell.value:
                        cell.alignment = wrap
                elif isinstance(cell.value, _dt.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        _print_setup(ws)
        if sheet.columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}1"
        for i, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(i)
            width = max([len(column.name), _room(column, graph)]
                        + [len(str(r[i - 1]).split("\n")[0])
                           for r in rows[:500] if r[i - 1] is not None])
            ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
            source = _dropdown(column, sheet, id_ranges, list_names, lists, graph,
                               DefinedName, book, quote_sheetname, get_column_letter)
            if source is None:
                continue
            # (a reference may be typed as its id or picked as "Name (id)": not enforced)
            strict = not column.free and column.kind != "list" and bool(column.choices)
            rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                                  showErrorMessage=strict)
            if strict:
                rule.error = (f"{column.name}: choose one of the list"
                              if column.choices else f"{column.name}: no such id")
                rule.errorTitle = "mtss_core"
            ws.add_data_validation(rule)
            rule.add(f"{letter}2:{letter}{MAX_ROWS}")
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    book.calculation.fullCalcOnLoad = True  # the dropdowns' name lists are formulas
    write_bytes(path, lambda: saved_bytes(book.save))


def _room(column: Column, graph: AlignmentGraph) -> int:
    """The width a column needs before anything is typed in it: the ids it names, the
    choices it lists, a date."""
    if column.refs:
        lengths = [len(o.id) for t in column.refs if t != "membership"
                   for o in graph.objects(t)[:2000]]
        return min(max(lengths, default=10), 40)
    if column.choices:
        return min(max(len(c) for c in column.choices) + (6 if column.kind == "list" else 0),
                   30)
    return {"date": 11, "datetime": 25, "list": 20, "mapping": 24}.get(column.kind, 0)


def _about(ws: Any, data: Mapping[str, Any], font: Any) -> None:
    ws.append(["MTSS leadership structure (mtss_core workbook)"])
    ws["A1"].font = font(bold=True, size=14)
    for line in (
        "Each sheet is a kind of object; each row one object. Row 1 names the fields: keep "
        "it as it is.",
        "Ids (first column) are unique within a sheet and are how rows name each other: a "
        "team's unit, a member's team and person, a vision's owner and what it aligns to.",
        "Dropdowns list the choices and the ids of the sheet referred to; rows you add "
        "there appear in them.",
        "Lists go in one cell, comma-separated (one item a line when an item holds a "
        "comma); scores by name as 'name: value; name: value'.",
        "Dates as dates, or typed as 2026-09-01. Blank rows are ignored.",
        "What an object holds of its own (a team's members, a person's assignments) has "
        "its own sheet; the first column names the object.",
        "Check it with: mtss validate THIS-FILE.xlsx",
    ):
        ws.append([line])
    ws.append([])
    ws.append(["format_version", data.get("format_version")])
    day = data.get("as_of")
    ws.append(["as_of", _cell(Column(name="as_of", kind="date"), day) if day else None])
    if isinstance(ws.cell(ws.max_row, 2).value, _dt.date):
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd"
    ws.append(["timezone", data.get("timezone")])
    ws.append(["written_by", f"mtss_core {__version__}"])
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 24


def _rows(sheet: Sheet, data: Mapping[str, Any]) -> Iterator[list[Any]]:
    entries = data.get(sheet.section, [])
    if sheet.field is None:
        for entry in entries:
            yield [_cell(c, entry.get(c.name)) for c in sheet.columns]
        return
    for entry in entries:
        for item in entry.get(sheet.field, ()):
            yield [entry["id"], *(_cell(c, item.get(c.name)) for c in sheet.columns[1:])]


def _print_setup(ws: Any) -> None:
    """Print a sheet as a coordinator reads it: landscape, every column on one page width,
    the header row repeated on each page (no fixed print area: rows added later print
    too)."""
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True


#: Up to how many objects a reference's dropdown lists by name ("James Park
#: (p-park)"); past that it lists the ids (a list of thousands helps no one pick).
LABELS_UP_TO = 5_000
#: Rows of room a dropdown keeps below each sheet's last object, for rows added by hand.
ROOM = 200


def _labels(targets: tuple[str, ...], sizes: list[int], list_names: dict[Any, str],
            lists: Any, graph: AlignmentGraph, defined_name: Any, book: Any, quote: Any,
            letter_of: Any) -> str:
    """A dropdown of the objects of ``targets`` by name and id ("James Park (p-park)"):
    a column of the hidden Lists sheet whose formulas read each target sheet's rows, the
    ones there and ``ROOM`` more, so a row added later appears in the dropdown too (the
    reader takes "Name (id)" back as the id)."""
    found = list_names.get(targets)
    if found is not None:
        return found
    index = len(list_names) + 1
    name = f"list_{index}_{'_'.join(graph.types[t].section for t in targets)}"[:250]
    lists.cell(1, index, "name (id)")
    row = 2
    for t, size in zip(targets, sizes, strict=True):
        sheet = quote(sheet_title(graph.types[t].section))
        label = _label_column(graph, t)
        for r in range(2, size + ROOM + 2):
            ident = f"{sheet}!$A{r}"
            shown = (f'IF({sheet}!${label}{r}="",{ident},{sheet}!${label}{r}&" ("&{ident}&")")'
                     if label else ident)
            lists.cell(row, index, f'=IF({ident}="","",{shown})')
            row += 1
    letter = letter_of(index)
    book.defined_names[name] = defined_name(
        name, attr_text=f"{quote(LISTS)}!${letter}$2:${letter}${row - 1}")
    list_names[targets] = name
    return name


def _label_column(graph: AlignmentGraph, type_name: str) -> str | None:
    """The column letter of a type's name (or title) on its sheet, if it has one."""
    from openpyxl.utils import get_column_letter

    for sheet in layout(graph.types):
        if sheet.type_name == type_name and sheet.field is None:
            names = [c.name for c in sheet.columns]
            for field in ("name", "title"):
                if field in names:
                    return str(get_column_letter(names.index(field) + 1))
    return None


def _raw_rows(sheet: Sheet, data: Mapping[str, Any]) -> Iterator[list[Any]]:
    """The values of :func:`_rows` as the document holds them."""
    entries = data.get(sheet.section, [])
    if sheet.field is None:
        for entry in entries:
            yield [entry.get(c.name) for c in sheet.columns]
        return
    for entry in entries:
        for item in entry.get(sheet.field, ()):
            yield [entry["id"], *(item.get(c.name) for c in sheet.columns[1:])]


def _dropdown(column: Column, sheet: Sheet, id_ranges: Mapping[str, str],
              list_names: dict[tuple[str, ...], str], lists: Any, graph: AlignmentGraph,
              defined_name: Any, book: Any, quote: Any, letter_of: Any) -> str | None:
    """The defined name a column's dropdown lists, made on first use; ``None`` for a
    column with no choices and no reference."""
    if column.choices:
        values = column.choices
    elif column.refs:
        targets = tuple(t for t in column.refs if t != "membership" and t in id_ranges)
        if not targets:
            return None
        sizes = [len(graph.objects(t)) for t in targets]
        if sum(sizes) > LABELS_UP_TO:  # too many to pick from a list: the ids themselves
            name = f"ids_{graph.types[targets[0]].section}"
            if name not in book.defined_names:
                book.defined_names[name] = defined_name(name,
                                                        attr_text=id_ranges[targets[0]])
            return name
        return _labels(targets, sizes, list_names, lists, graph, defined_name, book, quote,
                       letter_of)
    else:
        return None
    found = list_names.get(values)
    if found is not None:
        return found
    index = len(list_names) + 1
    name = f"list_{index}_{column.name}"
    lists.cell(1, index, column.name)
    for row, value in enumerate(values, start=2):
        lists.cell(row, index, value)
    letter = letter_of(index)
    book.defined_names[name] = defined_name(
        name, attr_text=f"{quote(LISTS)}!${letter}$2:${letter}${len(values) + 1}")
    list_names[values] = name
    return name
