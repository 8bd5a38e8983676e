"""A school directory, as state agencies publish them: one row per school, any columns.

A mapping (a dict, or a TOML file) says which column holds what.  Files saved from Excel
are read as they are: UTF-8 with or without a byte-order mark, UTF-16, Windows-1252;
ids keep their leading zeros but lose the guards and padding spreadsheets add
(``'001902``, ``="001902"``); a school listed on two rows with two principals has two
co-principals.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..._files import read_file
from ..._limits import Limits
from ...errors import DocumentError
from ...model import Assignment, ModelObject, OrgUnit, Person
from ._common import (
    Account,
    Imported,
    Row,
    clean_id,
    decode,
    examples,
    finish,
    origin,
    read_csv,
    refuse_if_not_csv,
)
from ._vocabulary import match_position

__all__ = ["DIRECTORY_FIELDS", "import_directory_csv"]

#: The mapping keys that name a column of the CSV.
DIRECTORY_FIELDS = ("isd_id", "isd_name", "district_id", "district_name", "school_id",
                    "school_name", "grades", "grades_low", "grades_high", "superintendent",
                    "principal", "status", "closed_on")
#: The other keys a mapping may hold, and what each must be: ``status_values`` maps a
#: status column's values to open, closed, inactive or future; ``office_pattern`` is a
#: regular expression a row's school id matches when the row is the district's own (or an
#: office's), not a school's.
OPTIONS = {"id_prefix": str, "encoding": str, "clean_ids": bool, "isd_names": dict,
           "status_values": dict, "office_pattern": str}
#: The statuses a directory's status column is read as, and the values read by default.
STATUSES = ("open", "closed", "inactive", "future")
_STATUS_WORDS = {"open": "open", "active": "open", "1": "open", "closed": "closed",
                 "2": "closed", "inactive": "inactive", "6": "inactive",
                 "future": "future", "pending": "future", "new": "open", "3": "open",
                 "4": "open", "5": "open", "7": "future", "8": "open"}
_REQUIRED = ("district_id", "district_name", "school_id", "school_name")
#: Several people in one cell are separated by these.
_SEPARATORS = re.compile(r"\s*[;|\n]\s*")


def _toml_error_place(message: str) -> tuple[int | None, int | None]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


def read_mapping(value: Mapping[str, Any] | str | os.PathLike[str],
                 limits: Limits | None = None) -> tuple[dict[str, Any], str]:
    """The mapping as a dict and where it came from (a TOML file's path, or ``mapping``)."""
    if isinstance(value, Mapping):
        return dict(value), "mapping"
    from ..._toml import toml as _toml

    path = Path(value)
    source = str(path)
    raw = read_file(path, source, limits or Limits())
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError.single(source, f"not UTF-8 text: byte {exc.start} is "
                                           f"0x{raw[exc.start]:02x}") from None
    toml = _toml()
    try:
        data: dict[str, Any] = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        line, column = _toml_error_place(str(exc))
        raise DocumentError.single(source, f"not valid TOML: {str(exc).split(' (at ')[0]}",
                                   line=line, column=column) from None
    except RecursionError:
        raise DocumentError.single(source, "not readable TOML: arrays or tables nested too "
                                           "deep") from None
    except ValueError as exc:  # an integer of more digits than Python will read
        raise DocumentError.single(source, f"not readable TOML: {exc}") from None
    return data, source


def _check_mapping(columns: dict[str, Any], where: str, account: Account) -> None:
    for key, value in columns.items():
        if key in DIRECTORY_FIELDS:
            if not isinstance(value, str) or not value.strip():
                account.problem(where, f"{key} must name a column of the CSV", field=key,
                                expected="a column name", received=repr(value))
        elif key in OPTIONS:
            kind = OPTIONS[key]
            if not isinstance(value, kind) or (kind is bool) != isinstance(value, bool):
                account.problem(where, f"{key} must be {kind.__name__}", field=key,
                                received=repr(value))
        else:
            account.problem(where, f"unknown mapping key {key!r}", field=key,
                            expected="keys among " + ", ".join((*DIRECTORY_FIELDS, *OPTIONS)))
    for key in _REQUIRED:
        if key not in columns:
            account.problem(where, f"the mapping must name the column for {key!r}", field=key)
    span = [k for k in ("grades_low", "grades_high") if k in columns]
    if len(span) == 1:
        other = "grades_high" if span[0] == "grades_low" else "grades_low"
        account.problem(where, f"{span[0]} names a column but {other} does not: a grade "
                               "span needs both (or one 'grades' column)", field=other)
    elif span and "grades" in columns:
        account.problem(where, "the mapping names both a 'grades' column and a grade span "
                               "(grades_low, grades_high): name one or the other",
                        field="grades")


#: Grade names as directories write them (NCES codes and words), to the codes a span uses.
_GRADE_NAMES = {"pk": "PK", "prek": "PK", "prekindergarten": "PK", "preschool": "PK",
                "ee": "PK", "earlyeducation": "PK",
                "k": "K", "kg": "K", "kindergarten": "K", "tk": "K",
                "transitionalkindergarten": "K", "ug": "UG", "ungraded": "UG",
                "ae": "AE", "adulteducation": "AE", "13": "13", "it": "IT",
                "infanttoddler": "IT"}
_SPAN_ORDER = ["IT", "PK", "K", *map(str, range(1, 14))]
_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
          "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}


def grade_code(text: str) -> str | None:
    """A grade as a span writes it (``PK``, ``K``, ``1`` ... ``12``, ``UG``); ``""`` for
    "none" (NCES ``N``, ``M``, blank); ``None`` if it is not a grade.

    >>> [grade_code(g) for g in ("KG", "05", "5th Grade", "Prekindergarten", "N", "Z")]
    ['K', '5', '5', 'PK', '', None]
    """
    key = re.sub(r"[^0-9a-z]", "", text.lower())
    if key in ("", "n", "m", "na", "none"):
        return ""
    if key in _GRADE_NAMES:
        return _GRADE_NAMES[key]
    found = re.fullmatch(r"(?:grade)?0*(\d{1,2})(?:st|nd|rd|th)?(?:grade)?", key)
    if found and 1 <= int(found.group(1)) <= 13:
        return str(int(found.group(1)))
    word = re.fullmatch(r"([a-z]+)grade", key)
    if word and word.group(1) in _WORDS:
        return str(_WORDS[word.group(1)])
    return None


def grade_span(low: str, high: str) -> str:
    """The grades from ``low`` to ``high`` as one span (``K-5``, ``9-12``, ``PK``).

    >>> grade_span("KG", "05"), grade_span("09", "12"), grade_span("PK", "PK")
    ('K-5', '9-12', 'PK')
    >>> grade_span("Z", "5")
    Traceback (most recent call last):
    ...
    ValueError: 'Z' is not a grade (expected PK, KG, 1-12, UG or words such as '5th Grade')
    """
    a, b = grade_code(low), grade_code(high)
    for text, code in ((low, a), (high, b)):
        if code is None:
            raise ValueError(f"{text!r} is not a grade (expected PK, KG, 1-12, UG or words "
                             "such as '5th Grade')")
    assert a is not None
    assert b is not None
    if not a or not b or a == b:
        return a or b
    if a in _SPAN_ORDER and b in _SPAN_ORDER:
        if _SPAN_ORDER.index(a) > _SPAN_ORDER.index(b):
            raise ValueError(f"the low grade {low!r} is above the high grade {high!r}")
        return f"{a}-{b}"
    return f"{a},{b}"


def grades_of(text: str) -> str | None:
    """A grades cell as a directory writes it — through Excel's text guard (``'EE-05``),
    as a span (``PK-12``, ``KG-08``, ``9 to 12``) or one grade — as a span (``PK-5``);
    ``None`` when it is not understood.

    >>> grades_of("'EE-05"), grades_of("KG-08"), grades_of("9 to 12"), grades_of("K")
    ('PK-5', 'K-8', '9-12', 'K')
    >>> grades_of("Various") is None
    True
    """
    clean = text.strip().lstrip("'").strip()
    if not clean:
        return ""
    span = re.fullmatch(r"([A-Za-z0-9]+)\s*(?:-|\u2013|to|through)\s*([A-Za-z0-9]+)", clean)
    try:
        if span:
            return grade_span(span.group(1), span.group(2))
    except ValueError:
        return None
    return grade_code(clean)


def import_directory_csv(path: str | os.PathLike[str],
                         mapping: Mapping[str, Any] | str | os.PathLike[str],
                         *, state: str | None = None, limits: Limits | None = None,
                         lenient: bool = False) -> Imported:
    """Import a directory of schools (one row per school) with a column mapping.

    ``mapping`` (a dict, or a TOML file) names the CSV column for each of
    ``district_id``, ``district_name``, ``school_id``, ``school_name`` (required) and
    ``isd_id``, ``isd_name``, ``grades``, ``superintendent``, ``principal`` (optional).
    A directory that gives the grades as two columns (NCES: "Low Grade", "High Grade")
    names them ``grades_low`` and ``grades_high`` instead of ``grades``; the school's
    grades are the span between (``KG`` and ``05`` give ``K-5``).
    Options: ``id_prefix`` (put before every id), ``encoding`` (when it is not UTF-8,
    UTF-16 or Windows-1252, which are recognised), ``clean_ids`` (``false`` keeps ids
    exactly as written; by default spreadsheet guards and padding go) and
    ``isd_names`` (a table from ISD id to name, for directories that give only a
    region number).  Several people in one cell (``A; B``) or on several rows of one
    school are co-leaders; schools without a principal are named in a note; a row
    repeated exactly is read once and counted.  ``lenient`` builds what is sound and
    sets the rest aside (:attr:`Imported.dangling`), as the other importers do.

    >>> import tempfile, os
    >>> from mtss_core import import_directory_csv
    >>> folder = tempfile.mkdtemp()
    >>> with open(os.path.join(folder, "dir.csv"), "w") as f:
    ...     _ = f.write("LEA,LEA Name,Bldg,Building,Span,Principal\\n"
    ...                 "101,Maple Valley,1,Lincoln Elementary,K-5,Grace Kim\\n")
    >>> result = import_directory_csv(os.path.join(folder, "dir.csv"), {
    ...     "district_id": "LEA", "district_name": "LEA Name", "school_id": "Bldg",
    ...     "school_name": "Building", "grades": "Span", "principal": "Principal"})
    >>> result.graph["school-1"].grades, result.graph["principal-1"].positions
    ('K-5', (<Role.PRINCIPAL: 'principal'>,))
    """
    limits = limits or Limits()
    source = str(path)
    account = Account(lenient)
    columns, where_mapping = read_mapping(mapping, limits)
    _check_mapping(columns, where_mapping, account)
    account.raise_if_any()
    prefix = str(columns.get("id_prefix", ""))
    clean = bool(columns.get("clean_ids", True))
    isd_names = {clean_id(str(k)): str(v) for k, v in columns.get("isd_names", {}).items()}
    raw = read_file(Path(path), source, limits)
    refuse_if_not_csv(raw, source)
    text, guessed = decode(raw, source, columns.get("encoding"))
    del raw
    if guessed:
        account.note(guessed)
    fields = {k: v.strip() for k, v in columns.items() if k in DIRECTORY_FIELDS}
    rows = read_csv(text, source, list(fields.values()), list(fields.values()), account,
                    limits)
    account.count(Path(path).name, len(rows))

    def col(row: Row, key: str) -> str:
        return row.get(fields[key]) if key in fields else ""

    def ident(row: Row, key: str) -> str:
        raw = col(row, key)
        return clean_id(raw) if clean else raw

    unread_grades: list[str] = []

    def grades(row: Row) -> str:
        if "grades_low" not in fields:
            text = col(row, "grades")
            found = grades_of(text)
            if found is None:  # kept as written, and said with its line
                unread_grades.append(f"line {row.line} {text!r}")
                return text.strip().lstrip("'").strip()
            return found
        try:
            return grade_span(col(row, "grades_low"), col(row, "grades_high"))
        except ValueError as exc:
            bad = ("grades_low" if grade_code(col(row, "grades_low")) is None
                   else "grades_high")
            raise _SpanError(bad) from exc

    objects: list[ModelObject] = []
    where: dict[int, tuple[str, int | None]] = {}
    seen: dict[str, tuple[OrgUnit, int]] = {}
    leaders: dict[tuple[str, str], list[str]] = {}  # (role, unit id) -> names in order
    lines: dict[tuple[str, str], int] = {}

    def add_unit(unit: OrgUnit, line: int) -> None:
        first = seen.get(unit.id)
        if first is None:
            seen[unit.id] = (unit, line)
            objects.append(unit)
            where[id(unit)] = (source, line)
            return
        other, other_line = first
        for field in ("kind", "name", "parent", "code", "grades"):
            here, there = getattr(unit, field), getattr(other, field)
            if here != there:
                column = fields.get({"name": f"{unit.kind.value}_name",
                                     "grades": "grades"}.get(field, ""), "")
                account.problem(source, f"{unit.kind.value} {unit.id!r} is described "
                                        f"differently than on line {other_line}: {field} is "
                                        f"{here!r} here, {there!r} there", line=line,
                                field=column or field, received=repr(here),
                                expected=repr(there))
                return

    came_from = origin("directory", source)
    if state:
        top = OrgUnit(id=f"{prefix}state", kind="state", name=state, source=came_from)
        add_unit(top, 1)
    seen_rows: set[tuple[str, ...]] = set()
    statuses = {**_STATUS_WORDS, **{str(k).strip().lower(): str(v).strip().lower()
                                    for k, v in columns.get("status_values", {}).items()}}
    wrong = sorted({v for v in statuses.values() if v not in STATUSES})
    if wrong:
        account.problem(where_mapping, f"status_values maps to {wrong[0]!r}; expected one of "
                        + ", ".join(STATUSES), field="status_values")
        account.raise_if_any()
    office = (re.compile(str(columns["office_pattern"])) if "office_pattern" in columns
              else None)
    for row in rows:
        if row.cells in seen_rows:  # the same row twice: read once, and counted
            account.skip("repeated row (identical)")
            continue
        seen_rows.add(row.cells)
        isd, district, school = ident(row, "isd_id"), ident(row, "district_id"), ident(
            row, "school_id")
        for key, value in (("district_id", district), ("school_id", school)):
            if not value:
                account.problem(source, f"empty {fields[key]!r} ({key})", line=row.line,
                                column=row.column(fields[key]), field=fields[key])
        if not district or not school:
            continue
        status = "open"
        if "status" in fields:
            raw_status = col(row, "status").strip()
            status = statuses.get(raw_status.lower(), "")
            if not status:
                account.problem(source, f"status {raw_status!r} is not one of the mapping's "
                                "status_values (" + ", ".join(sorted(statuses)) + ")",
                                line=row.line, column=row.column(fields["status"]),
                                field=fields["status"], received=repr(raw_status))
                continue
        if status == "future":
            account.skip("not yet open (a future school)")
            continue
        closed_on = None
        if status == "closed":
            closed_on = col(row, "closed_on").strip() if "closed_on" in fields else ""
            if not closed_on:
                account.skip("closed, with no closing date to mark it")
                continue
        if status == "inactive":
            account.skip("inactive")
            continue
        is_office = (office.search(school) is not None if office is not None
                     else not col(row, "school_name").strip())
        top_id = f"{prefix}state" if state else None
        try:
            if isd:
                name = col(row, "isd_name") or isd_names.get(isd, "")
                if not name and isd_names:
                    account.note(f"ISD {isd!r} is not in isd_names")
                add_unit(OrgUnit(id=f"{prefix}isd-{isd}", kind="isd", name=name, parent=top_id,
                                 code=isd, source=came_from), row.line)
            add_unit(OrgUnit(id=f"{prefix}district-{district}", kind="district",
                             name=col(row, "district_name"),
                             parent=f"{prefix}isd-{isd}" if isd else top_id, code=district,
                             source=came_from),
                     row.line)
            if is_office:  # the district's own row (or an office's): no school
                account.skip("a district's or an office's own row (no school)")
                continue
            add_unit(OrgUnit(id=f"{prefix}school-{school}", kind="school",
                             name=col(row, "school_name"),
                             parent=f"{prefix}district-{district}", code=school,
                             grades=grades(row), closed_on=closed_on or None,
                             source=came_from), row.line)
        except _SpanError as exc:
            account.problem(source, str(exc.__cause__), line=row.line,
                            column=row.column(fields[exc.args[0]]), field=fields[exc.args[0]],
                            received=repr(col(row, exc.args[0])))
            continue
        except (TypeError, ValueError) as exc:
            account.problem(source, str(exc), line=row.line)
            continue
        for role, unit_id in (("superintendent", district), ("principal", school)):
            if role not in fields:
                continue
            names = leaders.setdefault((role, unit_id), [])
            lines.setdefault((role, unit_id), row.line)
            for name in _SEPARATORS.split(col(row, role)):
                if name and name not in names:
                    names.append(name)
    people = _leaders(leaders, lines, seen, prefix, source, where, account)
    objects.extend(people)
    if unread_grades:
        shown = ", ".join(unread_grades[:5]) + (
            f" and {len(unread_grades) - 5} more" if len(unread_grades) > 5 else "")
        account.notes.append(f"grades not read as a span in {len(unread_grades)} row(s), "
                             f"kept as written: {shown}")
    return finish(objects, where, account, source)


class _SpanError(ValueError):
    """A grade span that cannot be read; ``args[0]`` is the mapping key at fault."""


def _leaders(leaders: Mapping[tuple[str, str], list[str]], lines: Mapping[tuple[str, str], int],
             seen: Mapping[str, tuple[OrgUnit, int]], prefix: str, source: str,
             where: dict[int, tuple[str, int | None]], account: Account) -> list[Person]:
    people: list[Person] = []
    missing: dict[str, list[str]] = {}
    co: list[str] = []
    for (role, unit_id), names in leaders.items():
        unit = f"{prefix}{'district' if role == 'superintendent' else 'school'}-{unit_id}"
        if unit not in seen:
            continue
        if not names:
            missing.setdefault(role, []).append(unit)
            continue
        if len(names) > 1:
            co.append(unit)
        position = match_position("directory", role).position
        came_from = origin("directory", source)
        for i, name in enumerate(names):
            person = Person(id=f"{prefix}{role}-{unit_id}" + (f"-{i + 1}" if i else ""),
                            name=name, unit=unit, positions=[position], source=came_from,
                            assignments=[Assignment(unit=unit, position=position,
                                                    source=came_from)])
            people.append(person)
            where[id(person)] = (source, lines[(role, unit_id)])
    for role, units in missing.items():
        account.note(f"{len(units)} {'district' if role == 'superintendent' else 'school'}(s) "
                     f"list no {role}: {examples(units)}")
    if co:
        account.note(f"{len(co)} unit(s) have co-leaders (several people in one role): "
                     + examples(co))
    return people
