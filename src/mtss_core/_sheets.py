"""Reading a workbook's sheets cell by cell: the cells that exist, never the size a sheet
claims, and every fault of the file a typed problem at its sheet and row.

openpyxl parses a sheet lazily, while its rows are read, and pads rows to the size the
sheet's ``<dimension>`` claims: a stale dimension drops rows, a claimed ``A1:XFD1048576``
makes a million empty rows, and a damaged cell raises whatever its parser meets
(``ParseError``, ``ValueError``, ``IndexError``, ``TypeError``).  :func:`sheet_rows` reads
the sheet's XML with openpyxl's own cell parser and yields only the rows and cells that are
there; :class:`SheetFaultError` carries what went wrong, and where.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

__all__ = ["SheetFaultError", "find_sheet", "sheet_rows"]

_DATE_WARNING = re.compile(r"Cell (\$?[A-Z]+\$?\d+) is marked as a date but the serial "
                           r"value (\S+) is outside")


class SheetFaultError(Exception):
    """A sheet that cannot be read: ``sheet``, ``row`` (when known), ``cell`` (when known)
    and what is wrong."""

    def __init__(self, sheet: str, message: str, *, row: int | None = None,
                 cell: str | None = None) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.row = row
        self.cell = cell
        self.message = message

    @property
    def where(self) -> str:
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        return f"{self.sheet}!A{self.row}" if self.row else f"{self.sheet}!A1"


def find_sheet(sheetnames: list[str], title: str) -> str | None:
    """The sheet of ``sheetnames`` that is ``title`` but for case and surrounding spaces."""
    wanted = title.strip().lower()
    for name in sheetnames:
        if name.strip().lower() == wanted:
            return name
    return None


def sheet_rows(ws: Any, *, max_cells: int | None = None,
               bad_dates: list[tuple[str, str]] | None = None
               ) -> Iterator[tuple[int, dict[int, Any]]]:
    """``(row number, {column number: value})`` for each row of ``ws`` (a read-only
    worksheet of openpyxl) that holds a cell, in the order of the file.

    Rows and cells the file does not hold are never made, whatever size the sheet claims;
    a fault of the sheet's XML or of a cell is a :class:`SheetFaultError` naming the sheet and
    the row reached; a date cell holding a serial number no date can have is added to
    ``bad_dates`` as ``(cell, value)`` (openpyxl would warn and read ``#VALUE!``).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    title = str(ws.title)
    book = ws.parent
    row_number: int | None = None
    cells = 0
    try:
        with ws._get_source() as src, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parser = WorkSheetParser(src, ws._shared_strings, data_only=book.data_only,
                                     epoch=book.epoch, date_formats=book._date_formats,
                                     timedelta_formats=book._timedelta_formats)
            for index, row in parser.parse():
                row_number = index
                if not isinstance(index, int) or index < 1:
                    raise SheetFaultError(title, f"a row numbered {index!r}", row=None)
                values: dict[int, Any] = {}
                for cell in row:
                    column = cell["column"]
                    if not isinstance(column, int) or column < 1:
                        raise SheetFaultError(title, "a cell with a bad reference", row=index)
                    values[column] = cell["value"]
                cells += len(values)
                if max_cells is not None and cells > max_cells:
                    raise SheetFaultError(title, f"more than {max_cells:,} cells "
                                            "(Limits.max_rows)", row=index)
                for w in caught:
                    m = _DATE_WARNING.search(str(w.message))
                    if m and bad_dates is not None:
                        bad_dates.append((f"{title}!{m.group(1).replace('$', '')}",
                                          m.group(2)))
                caught.clear()
                yield index, values
    except SheetFaultError:
        raise
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError,
            SyntaxError, EOFError, OSError) as exc:  # ParseError is a SyntaxError
        message = str(exc).split("\n")[0] or type(exc).__name__
        raise SheetFaultError(title, f"the sheet cannot be read ({type(exc).__name__}: "
                                f"{message})", row=row_number) from None
