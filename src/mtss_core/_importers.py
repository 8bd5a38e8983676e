"""Importers: OneRoster 1.1 / 1.2 CSV, Ed-Fi 5.x XML interchanges, any directory CSV.

Each returns an :class:`Imported` value — the graph plus notes on what the source held
that ``mtss_core`` does not model (students, national orgs, ...) — or raises one
:class:`~mtss_core.DocumentError` listing every problem with its file, row (line) and
column.  Nothing half-built is ever returned.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

import attrs
import pendulum

from ._errors import DocumentError, Problem
from ._graph import AlignmentGraph, bulk
from ._model import OrgUnit, Person, Role, UnitKind, to_date
from ._objects import ModelObject

__all__ = ["Imported", "import_directory_csv", "import_edfi", "import_oneroster"]


@attrs.frozen(kw_only=True)
class Imported:
    """The result of an import: a graph, and notes on what was left out and why."""

    graph: AlignmentGraph = attrs.field(eq=False)
    notes: tuple[str, ...] = ()
    source: str = ""


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, source: str, message: str, *, line: int | None = None,
            field: str | None = None, received: str | None = None,
            expected: str | None = None) -> None:
        self.items.append(Problem(source=source, pointer="", message=message, line=line,
                                  field=field, received=received, expected=expected))

    def raise_if_any(self) -> None:
        if self.items:
            raise DocumentError(self.items[:200], truncated=len(self.items) > 200)


def _finish(objects: list[ModelObject], problems: _Problems, notes: list[str],
            source: str, as_of: pendulum.Date | None = None) -> Imported:
    problems.raise_if_any()
    with bulk():
        graph = AlignmentGraph()
        errors = graph.integrity_errors(objects)
        for err in errors:
            problems.add(source, err.message, field=err.field)
        problems.raise_if_any()
        graph._insert(objects)
    graph.as_of = as_of
    return Imported(graph=graph, notes=tuple(notes), source=source)


# --- CSV reading ---------------------------------------------------------------------------


class _Files:
    """CSV files from a folder or a zip archive, read as UTF-8 (a BOM is allowed)."""

    def __init__(self, src: str | os.PathLike[str]) -> None:
        self.src = Path(src)
        self._zip: zipfile.ZipFile | None = None
        if self.src.is_file() and zipfile.is_zipfile(self.src):
            self._zip = zipfile.ZipFile(self.src)
        elif not self.src.is_dir():
            raise DocumentError([Problem(source=str(self.src), pointer="",
                                         message="not a folder or a zip file")])

    def name(self, file: str) -> str:
        return f"{self.src}!{file}" if self._zip else str(self.src / file)

    def exists(self, file: str) -> bool:
        if self._zip:
            return any(Path(n).name == file for n in self._zip.namelist())
        return (self.src / file).is_file()

    def text(self, file: str) -> str:
        if self._zip:
            member = next(n for n in self._zip.namelist() if Path(n).name == file)
            raw = self._zip.read(member)
        else:
            raw = (self.src / file).read_bytes()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError([Problem(source=self.name(file), pointer="",
                                         message=f"not UTF-8 text (byte {exc.start})")]
                                ) from None


def _rows(text: str, source: str, required: Iterable[str], problems: _Problems
          ) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs; unknown columns are kept, missing required ones reported."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        problems.add(source, "missing required column(s): " + ", ".join(missing), line=1,
                     expected="columns " + ", ".join(required),
                     received=", ".join(header) or "no header")
        return []
    out = []
    for row in reader:
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        out.append((reader.line_num, values))
    return out


# --- OneRoster -------------------------------------------------------------------------------

_OR_ORG_KINDS = {"state": UnitKind.STATE, "local": UnitKind.ISD, "district": UnitKind.DISTRICT,
                 "school": UnitKind.SCHOOL, "department": UnitKind.DEPARTMENT}
#: OneRoster roles -> positions; ``None`` means not imported (noted).
_OR_ROLES: dict[str, str | None] = {
    "administrator": Role.ADMINISTRATOR, "districtadministrator": Role.ADMINISTRATOR,
    "siteadministrator": Role.ADMINISTRATOR, "systemadministrator": "system-administrator",
    "principal": Role.PRINCIPAL, "teacher": Role.TEACHER,
    "counselor": Role.SERVICE_PROVIDER, "aide": "aide", "proctor": "proctor",
    "parent": Role.PARENT, "guardian": Role.PARENT, "relative": Role.PARENT,
    "student": None,
}


def import_oneroster(src: str | os.PathLike[str], *, as_of: pendulum.Date | str | None = None
                     ) -> Imported:
    """Import a OneRoster 1.1 or 1.2 CSV export (a folder or a zip file).

    ``orgs.csv`` gives the org units (state, ``local`` as an ISD, district, school,
    department; national orgs are noted, not modelled), ``users.csv`` (and, in 1.2,
    ``roles.csv``) the people and their positions.  Rows with status
    ``tobedeleted`` are skipped; students are not imported (both noted).  With
    ``as_of``, only 1.2 roles current on that date count.
    """
    files = _Files(src)
    problems = _Problems()
    notes: list[str] = []
    when = to_date(as_of) if as_of is not None else None
    for needed in ("orgs.csv", "users.csv"):
        if not files.exists(needed):
            problems.add(files.name(needed), "file not found in the export")
    problems.raise_if_any()
    version = "1.2" if files.exists("roles.csv") else "1.1"
    objects: list[ModelObject] = []
    orgs_src = files.name("orgs.csv")
    org_rows = _rows(files.text("orgs.csv"), orgs_src, ("sourcedId", "name", "type"), problems)
    deleted = 0
    kinds: dict[str, tuple[str, int]] = {}
    national: set[str] = set()
    for line, row in org_rows:
        if row.get("status", "").lower() == "tobedeleted":
            deleted += 1
            continue
        kind = row["type"].lower()
        if kind == "national":
            national.add(row["sourcedId"])
            continue
        if kind not in _OR_ORG_KINDS:
            problems.add(orgs_src, "unknown org type", line=line, field="type",
                         expected=", ".join(["national", *_OR_ORG_KINDS]),
                         received=repr(row["type"]))
            continue
        kinds[row["sourcedId"]] = (kind, line)
    for line, row in org_rows:
        sid = row["sourcedId"]
        if sid not in kinds:
            continue
        parent = row.get("parentSourcedId") or None
        if parent in national:
            parent = None
        if parent is not None and parent not in kinds:
            problems.add(orgs_src, f"parent org {parent!r} is not in orgs.csv", line=line,
                         field="parentSourcedId", received=repr(parent))
            continue
        objects.append(_built(problems, orgs_src, line, OrgUnit,
                              id=row["sourcedId"], kind=_OR_ORG_KINDS[row["type"].lower()],
                              name=row["name"], parent=parent,
                              code=row.get("identifier") or None))
    if national:
        notes.append(f"{len(national)} national org(s) not modelled: "
                     + ", ".join(sorted(national)))
    users_src = files.name("users.csv")
    required = ("sourcedId", "givenName", "familyName") + (
        ("role", "orgSourcedIds") if version == "1.1" else ())
    user_rows = _rows(files.text("users.csv"), users_src, required, problems)
    positions: dict[str, list[tuple[str, str | None, bool]]] = {}
    if version == "1.2":
        roles_src = files.name("roles.csv")
        for line, row in _rows(files.text("roles.csv"), roles_src,
                               ("userSourcedId", "roleType", "role", "orgSourcedId"), problems):
            if row.get("status", "").lower() == "tobedeleted":
                deleted += 1
                continue
            begin, end = row.get("beginDate") or None, row.get("endDate") or None
            if when is not None and ((begin and to_date(begin[:10]) > when) or  # type: ignore[operator]
                                     (end and to_date(end[:10]) < when)):  # type: ignore[operator]
                continue
            org = row["orgSourcedId"] or None
            if org is not None and org not in kinds and org not in national:
                problems.add(roles_src, f"org {org!r} is not in orgs.csv", line=line,
                             field="orgSourcedId", received=repr(org))
                continue
            positions.setdefault(row["userSourcedId"], []).append(
                (row["role"], org, row["roleType"].lower() == "primary"))
    students = 0
    for line, row in user_rows:
        if row.get("status", "").lower() == "tobedeleted":
            deleted += 1
            continue
        if version == "1.1":
            orgs = [o.strip() for o in row["orgSourcedIds"].split(",") if o.strip()]
            bad = [o for o in orgs if o not in kinds and o not in national]
            if bad:
                problems.add(users_src, f"org {bad[0]!r} is not in orgs.csv", line=line,
                             field="orgSourcedIds", received=repr(row["orgSourcedIds"]))
                continue
            held: list[tuple[str, str | None, bool]] = [
                (row["role"], o, i == 0) for i, o in enumerate(orgs)] or [
                (row["role"], None, True)]
        else:
            held = positions.get(row["sourcedId"], [])
        mapped = [(_OR_ROLES.get(r.lower().replace(" ", ""), r), o, primary)
                  for r, o, primary in held]
        if any(m is None for m, _, _ in mapped):
            students += 1
            continue
        kept = list(dict.fromkeys(str(m) for m, _, _ in mapped))
        home = next((o for _, o, primary in mapped if primary and o in kinds),
                    next((o for _, o, _ in mapped if o in kinds), None))
        others = {o for _, o, _ in mapped if o in kinds and o != home}
        if others:
            notes.append(f"user {row['sourcedId']!r} also holds positions at "
                         + ", ".join(sorted(others)) + f"; based at {home!r}")
        name = " ".join(p for p in (row["givenName"], row["familyName"]) if p)
        objects.append(_built(problems, users_src, line, Person, id=row["sourcedId"],
                              name=name, unit=home, positions=kept))
    if students:
        notes.append(f"{students} student(s) not imported: mtss_core models leaders and staff")
    if deleted:
        notes.append(f"{deleted} row(s) with status 'tobedeleted' skipped")
    return _finish(objects, problems, notes, str(src), when)


def _built(problems: _Problems, source: str, line: int, cls: Callable[..., Any],
           **fields: Any) -> Any:
    """``cls(**fields)``, or ``None`` with the problem recorded at ``source``:``line``."""
    try:
        return cls(**fields)
    except (TypeError, ValueError) as exc:
        problems.add(source, str(exc), line=line or None)
        return None


# --- directory CSV -----------------------------------------------------------------------------

#: The columns a directory mapping can name (each maps to a column of the CSV).
DIRECTORY_FIELDS = ("isd_id", "isd_name", "district_id", "district_name", "school_id",
                    "school_name", "grades", "superintendent", "principal")


def _mapping_from(value: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    from ._config_file import _toml

    path = Path(value)
    try:
        data: dict[str, Any] = _toml().loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DocumentError([Problem(source=str(path), pointer="",
                                     message=f"cannot read the file: {exc.strerror}")]) from None
    return data


def import_directory_csv(path: str | os.PathLike[str],
                         mapping: Mapping[str, Any] | str | os.PathLike[str],
                         *, state: str | None = None) -> Imported:
    """Import a directory of schools (one row per school) with a column mapping.

    ``mapping`` (a dict, or a TOML file) names, for each of ``district_id``,
    ``district_name``, ``school_id``, ``school_name`` (required) and ``isd_id``,
    ``isd_name``, ``grades``, ``superintendent``, ``principal`` (optional), the CSV
    column that holds it; ``id_prefix`` (optional) is put before every id.

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
    source = str(path)
    columns = _mapping_from(mapping)
    problems = _Problems()
    prefix = str(columns.pop("id_prefix", ""))
    unknown = [k for k in columns if k not in DIRECTORY_FIELDS]
    if unknown:
        problems.add("mapping", f"unknown mapping key(s): {', '.join(unknown)}",
                     expected="keys among " + ", ".join(DIRECTORY_FIELDS))
    for key in ("district_id", "district_name", "school_id", "school_name"):
        if key not in columns:
            problems.add("mapping", f"the mapping must name the column for {key!r}",
                         field=key)
    problems.raise_if_any()
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DocumentError([Problem(source=source, pointer="",
                                     message=f"cannot read the file: {exc.strerror}")]) from None
    rows = _rows(text, source, [str(c) for c in columns.values()], problems)
    objects: list[ModelObject] = []
    seen: dict[str, tuple[ModelObject, int]] = {}

    def add(obj: ModelObject | None, line: int) -> None:
        if obj is None:
            return
        key = obj.id  # type: ignore[union-attr]
        if key in seen:
            first, first_line = seen[key]
            if first != obj:
                problems.add(source, f"{key!r} is described differently than on line "
                             f"{first_line}", line=line, received=repr(obj),
                             expected=repr(first))
            return
        seen[key] = (obj, line)
        objects.append(obj)

    if state:
        add(OrgUnit(id=f"{prefix}state", kind="state", name=state), 1)

    def col(row: dict[str, str], key: str) -> str:
        return row.get(str(columns.get(key, "")), "") if key in columns else ""

    for line, row in rows:
        isd = col(row, "isd_id")
        district, school = col(row, "district_id"), col(row, "school_id")
        for key, value in (("district_id", district), ("school_id", school)):
            if not value:
                problems.add(source, f"empty {columns[key]!r} ({key})", line=line,
                             field=str(columns[key]))
        if not district or not school:
            continue
        top = f"{prefix}state" if state else None
        if isd:
            add(_built(problems, source, line, OrgUnit, id=f"{prefix}isd-{isd}", kind="isd",
                       name=col(row, "isd_name"), parent=top, code=isd), line)
        add(_built(problems, source, line, OrgUnit, id=f"{prefix}district-{district}",
                   kind="district", name=col(row, "district_name"),
                   parent=f"{prefix}isd-{isd}" if isd else top, code=district), line)
        add(_built(problems, source, line, OrgUnit, id=f"{prefix}school-{school}",
                   kind="school", name=col(row, "school_name"),
                   parent=f"{prefix}district-{district}", code=school,
                   grades=col(row, "grades")), line)
        if col(row, "superintendent"):
            add(Person(id=f"{prefix}superintendent-{district}", name=col(row, "superintendent"),
                       unit=f"{prefix}district-{district}", positions=["superintendent"]), line)
        if col(row, "principal"):
            add(Person(id=f"{prefix}principal-{school}", name=col(row, "principal"),
                       unit=f"{prefix}school-{school}", positions=["principal"]), line)
    return _finish(objects, problems, [], source)


# --- Ed-Fi -------------------------------------------------------------------------------------

_EDFI_KINDS = {"StateEducationAgency": UnitKind.STATE,
               "EducationServiceCenter": UnitKind.ISD,
               "LocalEducationAgency": UnitKind.DISTRICT,
               "School": UnitKind.SCHOOL,
               "OrganizationDepartment": UnitKind.DEPARTMENT}
_EDFI_ID = {"StateEducationAgency": "StateEducationAgencyId",
            "EducationServiceCenter": "EducationServiceCenterId",
            "LocalEducationAgency": "LocalEducationAgencyId",
            "School": "SchoolId", "OrganizationDepartment": "OrganizationDepartmentId"}
#: Reference elements that name a parent, in order of preference.
_EDFI_PARENTS = ("ParentLocalEducationAgencyReference", "LocalEducationAgencyReference",
                 "EducationServiceCenterReference", "StateEducationAgencyReference",
                 "ParentEducationOrganizationReference")


def _read_xml(path: Path) -> ElementTree.Element:
    """Parse with the standard library's expat, refusing DTDs and entity declarations."""
    builder = ElementTree.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_: Any) -> None:
        raise ValueError("DTDs and entity declarations are not allowed")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    with path.open("rb") as fh:
        parser.ParseFile(fh)
    return builder.close()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ElementTree.Element, *path: str) -> ElementTree.Element | None:
    for name in path:
        found = next((c for c in el if _local(c.tag) == name), None)
        if found is None:
            return None
        el = found
    return el


def _text_of(el: ElementTree.Element, *path: str) -> str:
    found = _child(el, *path)
    return (found.text or "").strip() if found is not None else ""


def _parse_xml(path: Path, problems: _Problems) -> ElementTree.Element | None:
    try:
        if path.stat().st_size > 512 * 1024 * 1024:
            problems.add(str(path), "the file is larger than 512 MiB")
            return None
        return _read_xml(path)
    except OSError as exc:
        problems.add(str(path), f"cannot read the file: {exc.strerror}")
    except expat.ExpatError as exc:
        problems.items.append(Problem(source=str(path), pointer="", line=exc.lineno,
                                      column=exc.offset + 1,
                                      message=f"not valid XML: {expat.ErrorString(exc.code)}"))
    except ValueError as exc:
        problems.add(str(path), str(exc))
    return None


def _descriptor(value: str) -> str:
    """``uri://ed-fi.org/StaffClassificationDescriptor#Superintendent`` -> ``Superintendent``."""
    return value.rsplit("#", 1)[-1].strip()


def import_edfi(*paths: str | os.PathLike[str], as_of: pendulum.Date | str | None = None
                ) -> Imported:
    """Import Ed-Fi (Data Standard 5.x) XML interchanges.

    EducationOrganization interchanges give the units (state agency, education service
    centers as ISDs, local education agencies, schools, departments) with their
    parent references; StaffAssociation interchanges give staff and their
    StaffEducationOrganizationAssignmentAssociations, whose StaffClassification
    becomes a position.  With ``as_of``, only assignments current on that date count
    (BeginDate on or before it, EndDate absent or on or after it).  Files are parsed
    by the standard library with DTDs and entities refused.
    """
    problems = _Problems()
    notes: list[str] = []
    when = to_date(as_of) if as_of is not None else None
    units: dict[str, tuple[str, str, list[str], str]] = {}  # id -> kind, name, parents, src
    staff: dict[str, tuple[str, str]] = {}
    assignments: list[tuple[str, str, str, str, int]] = []
    for raw in paths:
        path = Path(raw)
        root = _parse_xml(path, problems)
        if root is None:
            continue
        for el in root:
            tag = _local(el.tag)
            if tag in _EDFI_KINDS:
                uid = _text_of(el, _EDFI_ID[tag])
                if not uid:
                    problems.add(str(path), f"{tag} without {_EDFI_ID[tag]}",
                                 field=_EDFI_ID[tag])
                    continue
                parents: list[str] = []
                for ref in _EDFI_PARENTS:
                    node = _child(el, ref)
                    if node is not None:
                        parents.extend((c.text or "").strip() for c in node if c.text)
                units[uid] = (tag, _text_of(el, "NameOfInstitution"), parents, str(path))
            elif tag == "Staff":
                sid = _text_of(el, "StaffUniqueId")
                name = " ".join(p for p in (_text_of(el, "FirstName"),
                                            _text_of(el, "LastSurname")) if p)
                if sid:
                    staff[sid] = (name, str(path))
                else:
                    problems.add(str(path), "Staff without StaffUniqueId", field="StaffUniqueId")
            elif tag == "StaffEducationOrganizationAssignmentAssociation":
                sid = _text_of(el, "StaffReference", "StaffUniqueId")
                org = _text_of(el, "EducationOrganizationReference", "EducationOrganizationId")
                role = _descriptor(_text_of(el, "StaffClassificationDescriptor")
                                   or _text_of(el, "StaffClassification"))
                begin, end = _text_of(el, "BeginDate"), _text_of(el, "EndDate")
                try:
                    if when is not None and ((begin and to_date(begin) > when) or  # type: ignore[operator]
                                             (end and to_date(end) < when)):  # type: ignore[operator]
                        continue
                except ValueError as exc:
                    problems.add(str(path), str(exc), field="BeginDate/EndDate")
                    continue
                title = _text_of(el, "PositionTitle")
                assignments.append((sid, org, role or title, str(path), 0))
            else:
                notes.append(f"{path.name}: {tag} not modelled")
    objects: list[ModelObject] = []
    for uid, (tag, name, parents, src) in units.items():
        parent = next((p for p in parents if p != uid), None)
        if parent is not None and parent not in units:
            problems.add(src, f"{tag} {uid!r} refers to {parent!r}, which is in no "
                         "interchange given", field=_EDFI_PARENTS[0])
            continue
        obj = _built(problems, src, 0, OrgUnit, id=uid, kind=_EDFI_KINDS[tag], name=name,
                     parent=parent, code=uid)
        if obj is not None:
            objects.append(obj)
    held: dict[str, list[tuple[str, str]]] = {}
    for sid, org, role, src, _ in assignments:
        if sid not in staff:
            problems.add(src, f"assignment of unknown staff {sid!r}", field="StaffUniqueId")
        elif org not in units:
            problems.add(src, f"assignment to unknown education organization {org!r}",
                         field="EducationOrganizationId")
        else:
            held.setdefault(sid, []).append((org, role))
    for sid, (name, _src) in staff.items():
        seats = held.get(sid, [])
        orgs = list(dict.fromkeys(o for o, _ in seats))
        if len(orgs) > 1:
            notes.append(f"staff {sid!r} has assignments at {', '.join(orgs)}; "
                         f"based at {orgs[0]!r}")
        objects.append(Person(id=sid, name=name, unit=orgs[0] if orgs else None,
                              positions=[r for _, r in seats if r]))
    unassigned = [s for s in staff if s not in held]
    if when is not None and unassigned:
        notes.append(f"{len(unassigned)} staff with no assignment current on {when}")
    notes = list(dict.fromkeys(notes))
    return _finish(objects, problems, notes, ", ".join(str(p) for p in paths), when)
