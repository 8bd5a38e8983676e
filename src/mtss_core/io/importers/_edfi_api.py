"""Ed-Fi ODS/API resources saved as JSON: one file per collection, arrays or JSON Lines, and
the folders of pages Ed-Fi's JSON tooling keeps beside them."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pendulum

from ..._files import read_file
from ..._json import decoder, deeper_than
from ..._limits import Limits
from ...errors import DocumentError
from ._common import (
    Account,
    Imported,
    decode,
    short,
)
from ._edfi_records import (
    _ASSIGNMENT,
    _EMPLOYMENT,
    _NETWORK,
    PARENT_REFERENCES,
    UNIT_KINDS,
    Target,
    _Association,
    _Org,
    _Staff,
    build,
    grades_text,
)
from ._vocabulary import descriptor_value

__all__ = ["import_edfi_api", "json_records"]


# --- JSON (ODS/API resources) --------------------------------------------------------------

#: The API resources read, by their collection name (the file's name without suffix).
RESOURCES = {
    "stateeducationagencies": "StateEducationAgency",
    "educationservicecenters": "EducationServiceCenter",
    "localeducationagencies": "LocalEducationAgency",
    "schools": "School",
    "organizationdepartments": "OrganizationDepartment",
    "educationorganizationnetworks": _NETWORK,
    "staffs": "Staff",
    "staffeducationorganizationassignmentassociations": _ASSIGNMENT,
    "staffeducationorganizationemploymentassociations": _EMPLOYMENT,
}
_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
#: The resources read, as the API spells them.
_RESOURCE_NAMES = ("stateEducationAgencies", "educationServiceCenters",
                   "localEducationAgencies", "schools", "organizationDepartments",
                   "educationOrganizationNetworks", "staffs",
                   "staffEducationOrganizationAssignmentAssociations",
                   "staffEducationOrganizationEmploymentAssociations")


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


def _json_target(value: Any) -> Target | None:
    if not isinstance(value, Mapping):
        return None
    for key, v in value.items():
        if (str(key).endswith("Id") or key == "staffUniqueId") and v not in (None, ""):
            return ("id", _text(v), None)
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value).strip()


def _json_record(tag: str, obj: Mapping[str, Any], source: str, line: int) -> Any:
    get = obj.get
    if tag in UNIT_KINDS or tag == _NETWORK:
        levels = get("gradeLevels")
        grades = [g.get("gradeLevelDescriptor", "") for g in
                  (levels if isinstance(levels, list) else ()) if isinstance(g, Mapping)]
        return _Org(tag=tag, id=_text(get(f"{_camel(tag)}Id")),
                    name=_text(get("nameOfInstitution")),
                    parents=[(ref, t) for ref in PARENT_REFERENCES.get(tag, ())
                             if (t := _json_target(get(_camel(ref)))) is not None],
                    source=source, line=line, grades=grades_text(map(str, grades)),
                    category=descriptor_value(_text(get("localEducationAgencyCategoryDescriptor"))))
    if tag == "Staff":
        name = " ".join(p for p in (_text(get("firstName")), _text(get("lastSurname"))) if p)
        return _Staff(id=_text(get("staffUniqueId")), name=name, source=source, line=line)
    return _Association(
        kind=tag, staff=_json_target(get("staffReference")),
        org=_json_target(get("educationOrganizationReference")), source=source, line=line,
        classification=descriptor_value(_text(get("staffClassificationDescriptor"))),
        title=_text(get("positionTitle")),
        begin=_text(get("beginDate") or get("hireDate")), end=_text(get("endDate")),
        order=_text(get("orderOfAssignment")), fte=_text(get("fullTimeEquivalency")),
        department=_text(get("department")))


_SPACE = re.compile(r"[ \t\r\n]*")


def json_records(text: str, source: str, account: Account, limits: Limits
                 ) -> Iterator[tuple[int, Any]]:
    """(line, value) for each record of a JSON array or of JSON Lines text."""
    counted = [0, 1]  # (position, line there): lines are counted forward, once

    def line_of(pos: int) -> int:
        start, line = counted
        if pos < start:
            start, line = 0, 1
        line += text.count("\n", start, pos)
        counted[:] = [pos, line]
        return line

    pos = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    array = text.startswith("[", pos)
    if array:
        pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
    count = 0
    while pos < len(text):
        if array and text.startswith("]", pos):
            rest = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            if rest < len(text):
                account.problem(source, "text after the end of the JSON array",
                                line=line_of(rest))
            return
        try:
            value, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, ValueError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            account.problem(source, f"not valid JSON: {msg}", line=line_of(pos))
            return
        count += 1
        if count > limits.max_rows:
            account.problem(source, f"more than {limits.max_rows} records (Limits.max_rows)",
                            line=line_of(pos))
            return
        if deeper_than(value, limits.max_depth, 2 if array else 1):
            account.problem(source, f"a record nested deeper than {limits.max_depth} levels "
                                    "(Limits.max_depth)", line=line_of(pos))
            return
        yield line_of(pos), value
        pos = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if array:
            if text.startswith(",", pos):
                pos = _SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            elif not text.startswith("]", pos):
                account.problem(source, "expected ',' or ']' between records",
                                line=line_of(pos))
                return
    if array:
        account.problem(source, "the JSON array is not closed", line=line_of(len(text)))


def import_edfi_api(*paths: str | os.PathLike[str], as_of: pendulum.Date | str | None = None,
                    id_prefix: str = "", limits: Limits | None = None,
                    positions: Mapping[str, str] | None = None, lenient: bool = False
                    ) -> Imported:
    """Import Ed-Fi ODS/API resources saved as JSON: a folder of them, or the files.

    Each file holds one resource collection, named as the API names it
    (``localEducationAgencies.json``, ``schools.json``, ``staffs.json``,
    ``staffEducationOrganizationAssignmentAssociations.json``, ...), as a JSON array or
    as JSON Lines (``.jsonl``, ``.ndjson``), as an API client saves pages of results.
    Ed-Fi's JSON tooling (lightbeam, earthmover) also keeps a resource as a folder of
    pages beside it: ``schools.jsonl`` and ``schools/*.jsonl`` are both read, and a page
    named directly (``schools/2.jsonl``) is read as its folder's resource.  Every file
    left alone is named in the notes with the reason.  The result is the same as
    importing the equivalent XML with :func:`import_edfi`; ``lenient`` as there.

    >>> from mtss_core import import_edfi_api
    >>> result = import_edfi_api("tests/fixtures/edfi-api", as_of="2026-09-01")
    >>> result.graph["255901001"].parent, str(result.graph["207220"].positions[0])
    ('255901', 'principal')
    """
    limits = limits or Limits()
    account = Account(lenient)
    found: list[Any] = []
    for path, tag in _resource_files(paths, account):
        source = str(path)
        try:
            text, guessed = decode(read_file(path, source, limits), source)
        except DocumentError as exc:
            account.problems.extend(exc.problems)
            continue
        if guessed:
            account.note(guessed)
        count = 0
        for line, obj in json_records(text, source, account, limits):
            count += 1
            if not isinstance(obj, Mapping):
                account.problem(source, "a record is not a JSON object", line=line,
                                expected="an object", received=short(obj))
                continue
            found.append(_json_record(tag, obj, source, line))
        account.count(_shown(path), count)
    return build(found, account, ", ".join(str(p) for p in paths), as_of, id_prefix,
                  positions)


def _resource_of(name: str) -> str | None:
    """The record tag of the resource a file or folder is named after, if any."""
    stem = name
    for suffix in _JSON_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return RESOURCES.get(stem.lower().replace("-", "").replace("_", ""))


def _is_json(path: Path) -> bool:
    return path.suffix.lower() in _JSON_SUFFIXES


def _shown(path: Path) -> str:
    """A page in a resource's folder is shown with its folder (``schools/2.jsonl``)."""
    if _resource_of(path.name) is None and _resource_of(path.parent.name) is not None:
        return f"{path.parent.name}/{path.name}"
    return path.name


def _resource_files(paths: Sequence[str | os.PathLike[str]], account: Account
                    ) -> list[tuple[Path, str]]:
    """Every file to read, with the resource it holds; every other file named in a note,
    with why it was left alone (nothing is dropped silently)."""
    out: list[tuple[Path, str]] = []
    left: list[str] = []

    def leave(shown: str, why: str) -> None:
        account.skip("file not read (not an Ed-Fi resource read here)")
        left.append(f"{shown} ({why})")

    def pages(folder: Path, tag: str, shown: str) -> None:
        for page in sorted(folder.iterdir()):
            name = f"{shown}/{page.name}"
            if page.is_dir():
                leave(name, "a folder inside a resource's folder")
            elif not _is_json(page):
                leave(name, "not a .json, .jsonl or .ndjson file")
            else:
                out.append((page, tag))

    for raw in paths:
        path = Path(raw)
        if path.is_dir() and _resource_of(path.name) is not None:  # a resource's folder
            pages(path, _resource_of(path.name) or "", path.name)
        elif path.is_dir():
            for entry in sorted(path.iterdir()):
                tag = _resource_of(entry.name)
                if entry.is_dir():
                    if tag is None:
                        leave(f"{entry.name}/", "a folder not named after a resource read "
                                                "here")
                    else:
                        pages(entry, tag, entry.name)
                elif not _is_json(entry):
                    leave(entry.name, "not a .json, .jsonl or .ndjson file")
                elif tag is None:
                    leave(entry.name, "not one of the resources read")
                else:
                    out.append((entry, tag))
        else:
            tag = _resource_of(path.name)
            if tag is None and _is_json(path):  # a page named directly: its folder's
                tag = _resource_of(path.parent.name)
            if tag is None:
                leave(str(path), "not one of the resources read, nor a page in a "
                                 "resource's folder")
            else:
                out.append((path, tag))
    if left:
        account.note(f"{len(left)} file(s) left alone: " + "; ".join(left)
                     + f". The resources read are {', '.join(_RESOURCE_NAMES)}, each as "
                     "name.json, name.jsonl or name.ndjson, or a folder name/ of such pages")
    return out


