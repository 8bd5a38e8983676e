"""What every importer shares: safe reading, encodings, CSV tables, dates, ids, the result.

Each importer reads its source through these helpers, so that every source is bounded by
the same :class:`~mtss_core.Limits`, reports problems the same way (file, line, column,
field, what was expected and what arrived) and accounts for everything it read: each row,
element or record either becomes an object or is counted, with its reason, in the
:class:`Imported` result.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import functools
import io
import lzma
import os
import re
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from ..._files import read_file
from ..._gc import collector_paused
from ..._limits import Limits
from ...errors import DocumentError, Problem
from ...graph import AlignmentGraph
from ...model import ModelObject, Person, UnitKind, to_date

__all__ = ["Imported"]

#: At most this many problems are listed; the error says when there were more.
MAX_PROBLEMS = 200


@attrs.frozen(kw_only=True)
class Imported:
    """The result of an import: a graph, and an account of what was read and left out.

    ``read`` counts what each file held (``{"orgs.csv": 7, ...}``: rows of a CSV file,
    elements of an XML interchange, records of a JSON file), ``skipped`` counts what did
    not become an object, by reason (``{"national org (not modelled)": 1, ...}``), and
    ``notes`` say what else a data
    steward should know (a column read under a corrected name, an encoding guessed,
    schools without a principal, ...).  :meth:`summary` puts it in one paragraph.
    """

    graph: AlignmentGraph = attrs.field(eq=False)
    notes: tuple[str, ...] = ()
    source: str = ""
    read: Mapping[str, int] = attrs.field(factory=dict)
    skipped: Mapping[str, int] = attrs.field(factory=dict)
    #: With ``lenient=True``: each reference to something not in the files (a school's
    #: LEA, an assignment's school, a role's org), with its file, line and field; the
    #: object was imported without it (or, for an assignment, left out).
    dangling: tuple[Problem, ...] = ()

    def made(self) -> dict[str, int]:
        """What the import made: units by kind, people and assignments."""
        kinds = Counter(u.kind for u in self.graph.units())
        out = {f"units: {_kind_word(k)}": kinds[k] for k in UnitKind if kinds[k]}
        people = list(self.graph.people())
        out["people"] = len(people)
        out["assignments"] = sum(len(p.assignments) for p in people)
        return out

    def summary(self) -> str:
        """One paragraph: what was read, what was made, what was skipped and why.

        >>> from mtss_core import import_oneroster
        >>> print(import_oneroster("tests/fixtures/oneroster/single-school").summary())
        ... # doctest: +NORMALIZE_WHITESPACE
        Read 3 files: orgs.csv (2 rows), users.csv (4 rows), roles.csv (5 rows). Made 2
        units (1 school, 1 department), 2 people and 3 assignments. Skipped 2: 1 student
        (students are not imported unless asked), 1 guardian (guardians are not imported
        unless asked).
        """
        files = list(self.read.items())
        read = (f"Read {len(files)} {_plural(len(files), 'file')}: "
                + ", ".join(f"{name} ({n} {_plural(n, _unit_of(name))})" for name, n in files)
                + ".") if files else "Read nothing."
        made = self.made()
        units = [(k.removeprefix("units: "), n) for k, n in made.items() if k.startswith("units")]
        n_units = sum(n for _, n in units)
        unit_text = f"{n_units} {_plural(n_units, 'unit')}"
        if units:
            unit_text += " (" + ", ".join(f"{n} {_plural(n, k)}" for k, n in units) + ")"
        made_text = (f"Made {unit_text}, {made['people']} "
                     f"{'person' if made['people'] == 1 else 'people'} and "
                     f"{made['assignments']} {_plural(made['assignments'], 'assignment')}.")
        total = sum(self.skipped.values())
        skipped = (f" Skipped {total}: " + ", ".join(
            f"{n} {_plural_reason(reason, n)}" for reason, n in self.skipped.items()) + "."
        ) if total else " Nothing was skipped."
        dangling = (f" Imported without {len(self.dangling)} "
                    f"{_plural(len(self.dangling), 'reference')} to what the files do not "
                    "hold (lenient)." if self.dangling else "")
        return f"{read} {made_text}{skipped}{dangling}"


def _unit_of(file: str) -> str:
    suffix = file.rsplit(".", 1)[-1].lower()
    return {"csv": "row", "xml": "element"}.get(suffix, "record")


_CONNECTORS = re.compile(r" \(| with | of | at | not | that | in ")


def _plural_reason(reason: str, n: int) -> str:
    """A reason with its leading noun phrase in the plural: ``national orgs (not modelled)``."""
    found = _CONNECTORS.search(reason)
    cut = found.start() if found else len(reason)
    return _plural(n, reason[:cut]) + reason[cut:]


def _kind_word(kind: UnitKind) -> str:
    return "ISD" if kind is UnitKind.ISD else kind.value


_IRREGULAR = {"person": "people", "ISD": "ISDs", "entry": "entries", "agency": "agencies"}


def _plural(n: int, word: str) -> str:
    """``word`` for one, its plural otherwise (the last word of a phrase)."""
    if n == 1:
        return word
    head, _, last = word.rpartition(" ")
    last = _IRREGULAR.get(last, last if last.endswith("s") else last + "s")
    return f"{head} {last}" if head else last


class Account:
    """Problems, notes and counts gathered while one import runs.

    With ``lenient``, a reference to something the files do not hold is not a problem:
    :meth:`dangling` sets it aside (reported in :attr:`Imported.dangling`) and the import
    goes on without it.
    """

    def __init__(self, lenient: bool = False) -> None:
        self.lenient = lenient
        self.problems: list[Problem] = []
        self.truncated = False
        #: Every problem found, those past the list included.
        self.found = 0
        self.notes: list[str] = []
        self.read: dict[str, int] = {}
        self.skipped: Counter[str] = Counter()
        self.set_aside: list[Problem] = []

    def dangling(self, source: str, message: str, *, line: int | None = None,
                 column: int | None = None, field: str | None = None,
                 received: str | None = None) -> None:
        """A reference to something not in the files: a problem, or with ``lenient`` a
        reference set aside (the caller goes on without it)."""
        if not self.lenient:
            self.problem(source, message, line=line, column=column, field=field,
                         received=received)
            return
        self.set_aside.append(Problem(source=source, pointer="", message=message, line=line,
                                      column=column, field=field, received=received))

    def problem(self, source: str, message: str, *, line: int | None = None,
                column: int | None = None, field: str | None = None,
                expected: str | None = None, received: str | None = None) -> None:
        self.found += 1
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.problems.append(Problem(source=source, pointer="", message=message, line=line,
                                     column=column, field=field, expected=expected,
                                     received=received))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] += n

    def count(self, what: str, n: int) -> None:
        self.read[what] = self.read.get(what, 0) + n

    def raise_if_any(self) -> None:
        if self.problems:
            raise DocumentError(self.problems, truncated=self.truncated, total=self.found)


def short(value: object, limit: int = 60) -> str:
    """``repr`` of a value, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _file_error(source: str, message: str) -> DocumentError:
    return DocumentError.single(source, message)


class Files:
    """The files of an export: a folder or a zip archive, found by name (case-insensitive).

    A zip member is read only once its declared size and compression ratio are within
    the limits; two members with the same file name are refused, naming both.
    """

    def __init__(self, src: str | os.PathLike[str], limits: Limits) -> None:
        self.src = Path(src)
        self.limits = limits
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, list[str]] = {}
        if self.src.is_file():
            try:
                self._zip = zipfile.ZipFile(self.src)
                names = self._zip.namelist()
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise _file_error(str(self.src), f"not a folder or a readable zip file ({exc})"
                                  ) from None
            for name in names:
                if not name.endswith("/"):
                    self._members.setdefault(Path(name).name.lower(), []).append(name)
        elif self.src.is_dir():
            for entry in sorted(self.src.iterdir()):
                self._members.setdefault(entry.name.lower(), []).append(entry.name)
        else:
            raise _file_error(str(self.src), "not a folder or a zip file")

    def name(self, file: str) -> str:
        found = self._members.get(file.lower())
        member = found[0] if found else file
        return f"{self.src}!{member}" if self._zip else str(self.src / member)

    def exists(self, file: str) -> bool:
        return file.lower() in self._members

    def names(self) -> list[str]:
        """Every member's own name (the folder's files, the archive's members)."""
        return [n for found in self._members.values() for n in found]

    def data(self, file: str) -> bytes:
        found = self._members[file.lower()]
        if len(found) > 1:
            raise _file_error(str(self.src), f"{len(found)} files named {file}: "
                                             + ", ".join(found) + "; keep one")
        if self._zip is None:
            return read_file(self.src / found[0], self.name(file), self.limits,
                             follow_links=False)
        return self._member(found[0], self.name(file))

    def _member(self, member: str, source: str) -> bytes:
        assert self._zip is not None
        info = self._zip.getinfo(member)
        limits = self.limits
        if info.file_size > limits.max_bytes:
            raise _file_error(source, f"unpacks to {info.file_size} bytes; the limit is "
                                      f"{limits.max_bytes} (Limits.max_bytes)")
        if info.compress_size and info.file_size / info.compress_size > limits.max_zip_ratio:
            raise _file_error(source, f"unpacks to {info.file_size // info.compress_size} "
                                      "times its compressed size; the limit is "
                                      f"{limits.max_zip_ratio} (Limits.max_zip_ratio)")
        if info.compress_type == zipfile.ZIP_LZMA:
            self._check_lzma_dictionary(info, source)
        try:
            with self._zip.open(info) as fh:  # the declared size, then a byte to see more
                data = fh.read(info.file_size + 1)
        except RuntimeError as exc:  # encrypted
            raise _file_error(source, f"cannot be read: {exc}") from None
        except NotImplementedError as exc:
            raise _file_error(source, f"uses a compression this reader lacks: {exc}") from None
        except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError,
                ValueError) as exc:  # (a damaged bzip2 stream raises OSError)
            raise _file_error(source, f"is damaged: {exc}") from None
        if len(data) > info.file_size:
            raise _file_error(source, "unpacks to more than its declared size "
                                      f"({info.file_size} bytes): a damaged or forged archive")
        return data


    def _check_lzma_dictionary(self, info: zipfile.ZipInfo, source: str) -> None:
        """An LZMA member names the dictionary its decoder must allocate (up to 4 GiB)
        before a byte is read: refuse one larger than the member could need."""
        assert self._zip is not None
        fp = self._zip.fp
        assert fp is not None
        try:
            fp.seek(info.header_offset)
            head = fp.read(30)
            name_len, extra_len = struct.unpack("<HH", head[26:30])
            fp.seek(info.header_offset + 30 + name_len + extra_len)
            props = fp.read(9)  # version (2), size of the properties (2), properties (5)
            dictionary = struct.unpack("<I", props[5:9])[0]
        except (OSError, struct.error, ValueError):
            raise _file_error(source, "is damaged: its LZMA header cannot be read") from None
        allowed = max(_LZMA_DICTIONARY, info.file_size)
        if dictionary > allowed:
            raise _file_error(source, f"is damaged or forged: its LZMA stream asks for a "
                                      f"{dictionary}-byte dictionary, more than the "
                                      f"{allowed} bytes it could need")


#: The largest LZMA dictionary accepted beyond a member's own size (what the strongest
#: presets of common tools use).
_LZMA_DICTIONARY = 64 * 1024 * 1024


# --- what a file is ------------------------------------------------------------------------

_HTML = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                   rb"<(?:!doctype\s+html|html|head|body|table|meta)\b", re.I | re.S)


def refuse_if_not_csv(raw: bytes, source: str) -> None:
    """Refuse, by name, the files that arrive under a .csv or .xls name but are not CSV
    text: an HTML page (what a "Download to Excel" link often saves, NCES' among them),
    an Excel workbook (.xlsx is a zip, .xls an OLE2 compound file).
    """
    head = raw[:4096]
    if _HTML.match(head):
        raise _file_error(source, "this is an HTML page, not a CSV export (a web page saved "
                                  "under a spreadsheet's name): open it in a spreadsheet "
                                  "program and save it as CSV")
    if head.startswith(b"PK\x03\x04"):
        raise _file_error(source, "this is an Excel workbook (.xlsx) or another zip file, "
                                  "not a CSV export: save the sheet as CSV")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise _file_error(source, "this is an Excel 97-2003 workbook (.xls), not a CSV "
                                  "export: save the sheet as CSV")


# --- text encodings ----------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(raw: bytes, source: str, encoding: str | None = None) -> tuple[str, str | None]:
    """Text and, if the encoding had to be guessed away from UTF-8, a note saying so.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32); otherwise UTF-8 is tried, then
    UTF-16 without a mark (every other byte zero), then Windows-1252 (what Excel saves
    as "CSV" on Windows).  With ``encoding`` given, only that is tried.  Undecodable
    text is refused naming the byte offset.
    """
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except (LookupError, ValueError):  # (a name holding NUL is a ValueError)
            raise _file_error(source, f"unknown encoding {encoding!r}") from None
        if not getattr(info, "_is_text_encoding", True):  # rot13, base64, hex, zlib ...
            raise _file_error(source, f"{encoding!r} is not a text encoding; name the "
                                      "file's character set (utf-8, latin-1, cp1252, ...)")
        return _strict(raw, source, encoding), None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, source, name), None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    head = raw[:4096]
    if len(head) >= 4 and head.count(0) * 3 >= len(head):
        name = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        return _strict(raw, source, name), f"{_base(source)}: read as UTF-16 (no byte-order mark)"
    try:
        return raw.decode("cp1252"), (f"{_base(source)}: read as Windows-1252 (the file is "
                                      "not UTF-8)")
    except UnicodeDecodeError as exc:
        raise _file_error(source, f"neither UTF-8 nor Windows-1252 text: byte {exc.start} is "
                                  f"0x{raw[exc.start]:02x}; name the encoding "
                                  "(e.g. encoding = \"latin-1\")") from None


def _strict(raw: bytes, source: str, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _file_error(source, f"not {encoding} text: byte {exc.start} is "
                                  f"0x{raw[exc.start]:02x}") from None
    except (UnicodeError, ValueError, TypeError) as exc:  # punycode, idna ...: not text
        raise _file_error(source, f"cannot be read as {encoding} text: {exc}") from None


def _base(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1].rsplit("!", 1)[-1]


def origin(fmt: str, file: str) -> str:
    """What an imported object's ``source`` says: the format and the file it came from
    (``oneroster:orgs.csv``), without the folder (the same roster next year compares
    equal).

    >>> origin("oneroster", "exports/2026/orgs.csv")
    'oneroster:orgs.csv'
    """
    return f"{fmt}:{_base(file)}"


# --- CSV tables --------------------------------------------------------------------------


class Row:
    """One CSV row: the line it starts on, and its cells read by (canonical) column name.

    The cells are one tuple; the column positions are shared by every row of the file.
    """

    __slots__ = ("cells", "columns", "line")

    def __init__(self, line: int, cells: tuple[str, ...], columns: Mapping[str, int]) -> None:
        self.line = line
        self.cells = cells
        self.columns = columns

    def get(self, name: str) -> str:
        """The cell of column ``name`` (stripped), or '' when the file has no such column."""
        at = self.columns.get(name)
        return self.cells[at - 1] if at is not None and at <= len(self.cells) else ""

    def column(self, name: str) -> int | None:
        """The 1-based position of column ``name`` (as a spreadsheet counts), if any."""
        return self.columns.get(name)


def _squash(name: str) -> str:
    return re.sub(r"[^0-9a-z.]", "", name.lower())


def read_csv(text: str, source: str, known: Sequence[str], required: Sequence[str],
             account: Account, limits: Limits) -> list[Row]:
    """The rows of a CSV text, with columns matched to ``known`` names.

    A header is matched exactly, then ignoring case, spaces and underscores, then to a
    close spelling (``dataLastModified`` is ``dateLastModified``), with a note; empty
    header cells at the end (trailing commas) are dropped with a note; a name heading
    two columns, and a missing required column, are problems.  Other columns are kept
    under their own names.
    """
    name = _base(source)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        account.problem(source, f"not a readable CSV header: {exc}", line=1)
        return []
    if header is None:
        account.problem(source, "the file is empty; expected a header row", line=1,
                        expected="columns " + ", ".join(required))
        return []
    header = [h.strip().lstrip("\ufeff") for h in header]
    trailing = 0
    while header and not header[-1]:
        header.pop()
        trailing += 1
    if trailing:
        account.note(f"{name}: {trailing} empty column(s) at the end of the header ignored")
    canonical = _match_columns(header, known, name, account)
    seen: dict[str, int] = {}
    for i, col in enumerate(canonical):
        if not col:
            account.problem(source, "a column without a name", line=1, column=i + 1,
                            expected="a name for every column")
        elif col in seen:
            account.problem(source, f"two columns are both {col!r} (columns {seen[col] + 1} "
                                    f"and {i + 1})", line=1, column=i + 1, field=col)
        else:
            seen[col] = i
    missing = [c for c in required if c not in seen]
    if missing:
        account.problem(source, "missing required column(s): " + ", ".join(missing), line=1,
                        expected="columns " + ", ".join(required),
                        received=short(", ".join(header) or "no header", 120))
    if missing or len(seen) != len(canonical):
        return []
    columns = {col: i + 1 for col, i in seen.items()}  # 1-based, as a spreadsheet counts
    rows: list[Row] = []
    line = 2
    width = len(canonical)
    extra_cells = 0
    try:
        for cells in reader:
            start = line
            line = reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue  # a blank line
            if len(rows) >= limits.max_rows:
                account.problem(source, f"more than {limits.max_rows} rows "
                                        "(Limits.max_rows)", line=start)
                break
            if len(cells) > width:
                if any(c.strip() for c in cells[width:]):
                    account.problem(source, f"{len(cells)} cells, but the header names "
                                            f"{width} columns", line=start, column=width + 1)
                    continue
                extra_cells += 1
            rows.append(Row(start, tuple(c.strip() for c in cells[:width]), columns))
    except csv.Error as exc:
        account.problem(source, f"not readable as CSV: {exc}", line=reader.line_num)
    if extra_cells:
        account.note(f"{name}: {extra_cells} row(s) end with empty cells beyond the header "
                     "(ignored)")
    return rows


def _match_columns(header: list[str], known: Sequence[str], name: str,
                   account: Account) -> list[str]:
    exact = set(known)
    by_squash = {_squash(k): k for k in known}
    out = []
    taken = {h for h in header if h in exact}
    for h in header:
        if h in exact or not h:
            out.append(h)
            continue
        found = by_squash.get(_squash(h))
        if found is None:
            close = difflib.get_close_matches(h, [k for k in known if k not in taken], n=1,
                                              cutoff=0.85)
            found = close[0] if close else None
        if found is None or found in taken:
            out.append(h)
            continue
        taken.add(found)
        account.note(f"{name}: column {h!r} read as {found!r}")
        out.append(found)
    return out


# --- values ------------------------------------------------------------------------------

_GUARD = re.compile(r'^="(.*)"$')


def clean_id(value: str) -> str:
    """An id without the padding and guards spreadsheets add.

    >>> clean_id("  '001902 "), clean_id('="00123"'), clean_id("\\ufeffS-1")
    ('001902', '00123', 'S-1')
    """
    value = value.strip().strip("\ufeff\u200b")
    found = _GUARD.match(value)
    if found:
        value = found.group(1)
    if value.startswith("'"):
        value = value[1:]
    return value.strip()


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_SLASH_ISO = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")


@functools.lru_cache(maxsize=4096)
def parse_date(value: str) -> pendulum.Date:
    """A date in ISO form, or a common non-ISO one; ``ValueError`` naming the forms if not.

    Dates repeat (most roles begin on the first day of school): each text is parsed once
    and its (immutable) date shared.

    >>> [str(parse_date(v)) for v in ("2021-08-20", "2021-08-20T00:00:00Z", "8/20/2021",
    ...                               "2021/08/20", "20210820")]
    ['2021-08-20', '2021-08-20', '2021-08-20', '2021-08-20', '2021-08-20']
    """
    text = value.strip()
    iso = _ISO_TIME.match(text)
    if iso:
        text = iso.group(1)
    for pattern, order in ((_US_DATE, (3, 1, 2)), (_SLASH_ISO, (1, 2, 3)),
                           (_COMPACT, (1, 2, 3))):
        found = pattern.match(text)
        if found:
            year, month, day = (int(found.group(i)) for i in order)
            try:
                return pendulum.Date(year, month, day)
            except ValueError:
                break
    else:
        try:
            parsed = to_date(text)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None and 1900 <= parsed.year <= 2200:
            return parsed
    raise ValueError(f"expected a date such as 2021-08-20 (or 8/20/2021, 2021/08/20, "
                     f"20210820), got {value!r}")


def date_or_problem(value: str, account: Account, source: str, line: int | None,
                    column: int | None, field: str) -> tuple[bool, pendulum.Date | None]:
    """(ok, the date in ``value`` or ``None`` when blank); not ok with a problem recorded."""
    if not value.strip():
        return True, None
    try:
        return True, parse_date(value)
    except ValueError as exc:
        account.problem(source, str(exc), line=line, column=column, field=field)
        return False, None


# --- finishing -------------------------------------------------------------------------------


def primary_of(assignments: Sequence[Any]) -> Any | None:
    """The primary assignment: the lowest order, then still open, then the largest FTE."""
    if not assignments:
        return None
    ranked = sorted(enumerate(assignments), key=lambda ia: (
        ia[1].order if ia[1].order is not None else 10_000,
        ia[1].ends_on is not None, -(ia[1].fte if ia[1].fte is not None else 0), ia[0]))
    return ranked[0][1]


def finish(objects: list[ModelObject], where: Mapping[int, tuple[str, int | None]],
           account: Account, source: str, as_of: pendulum.Date | None = None) -> Imported:
    """Check the objects as a whole and build the graph, or raise every problem at once.

    ``where`` maps ``id(obj)`` to the (file, line) it came from, so an integrity problem
    (a reference to nothing, a school under a school) names its place.  A lenient import
    builds what is sound (:meth:`AlignmentGraph.lenient`) and sets the rest aside.
    """
    account.raise_if_any()
    with collector_paused():
        if account.lenient:
            graph = AlignmentGraph.lenient(objects, as_of=as_of)
            for err in graph.integrity_problems:
                file, line = where.get(id(err.obj), (source, None))
                account.set_aside.append(Problem(source=file, pointer="", message=err.message,
                                                 line=line, field=err.field))
        else:
            graph = AlignmentGraph(as_of=as_of)
            for err in graph.try_add_all(objects):
                file, line = where.get(id(err.obj), (source, None))
                account.problem(file, err.message, line=line, field=err.field)
            account.raise_if_any()
    return Imported(graph=graph, notes=tuple(account.notes), source=source,
                    read=dict(account.read), skipped=dict(account.skipped),
                    dangling=tuple(account.set_aside))


def people_notes(people: Iterable[Person], account: Account) -> None:
    """Notes on people whose positions are spread over several units."""
    shared = [p for p in people if len(p.assigned_units) > 1]
    if shared:
        verb = "holds" if len(shared) == 1 else "hold"
        account.note(f"{len(shared)} {_plural(len(shared), 'person')} {verb} positions at more "
                     "than one unit (all kept as assignments; based at the primary one): "
                     + examples([p.id for p in shared]))


def examples(ids: Sequence[str], limit: int = 5) -> str:
    """The first few ids, comma-separated, with an ellipsis when there are more."""
    return ", ".join(ids[:limit]) + (", ..." if len(ids) > limit else "")

