"""Ed-Fi: XML interchanges (Data Standard 1.x to 5.2) and ODS/API JSON resources.

Both read into the same records — education organizations, staff, their assignment and
employment associations — and from there into one structure, so an XML interchange and
the same data saved from an Ed-Fi API import identically.  Shapes follow the Ed-Fi Data
Standard 5.2 bulk XSDs (``Interchange-EducationOrganization.xsd``,
``Interchange-StaffAssociation.xsd``): identities nested in references
(``StaffReference/StaffIdentity/StaffUniqueId``), parents linked either by identity or by
``ref="..."`` to an element's ``id="..."``, names under ``Staff/Name``, descriptors as
URIs (``uri://ed-fi.org/StaffClassificationDescriptor#Principal``).  The older Data
Standards (1.x and 2.x, namespace ``http://ed-fi.org/0100`` / ``0200``, as in the inBloom
sample data) name things differently — ``StaffUniqueStateId``, ``StateOrganizationId``,
``Teacher`` beside ``Staff``, ``TeacherSchoolAssociation``,
``StaffEducationOrgAssignmentAssociation`` — and are read too.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from ...errors import DocumentError
from ...model import Assignment, ModelObject, OrgUnit, Person, UnitKind, to_date
from .._files import read_file
from .._json import decoder, deeper_than
from .._limits import Limits
from .._xml import Element, records
from ._common import (
    Account,
    Imported,
    date_or_problem,
    decode,
    examples,
    finish,
    people_notes,
    primary_of,
    short,
)
from ._vocabulary import descriptor_value, match_position

__all__ = ["import_edfi", "import_edfi_api"]

#: Ed-Fi education organizations that become org units, and their level.
UNIT_KINDS = {"StateEducationAgency": UnitKind.STATE, "EducationServiceCenter": UnitKind.ISD,
              "LocalEducationAgency": UnitKind.DISTRICT, "School": UnitKind.SCHOOL,
              "OrganizationDepartment": UnitKind.DEPARTMENT}
#: The references that name each kind's parent, in order of preference.
PARENT_REFERENCES: dict[str, tuple[str, ...]] = {
    "StateEducationAgency": (),
    "EducationServiceCenter": ("StateEducationAgencyReference",),
    "LocalEducationAgency": ("ParentLocalEducationAgencyReference",
                             "EducationServiceCenterReference",
                             "StateEducationAgencyReference"),
    "School": ("LocalEducationAgencyReference",),
    "OrganizationDepartment": ("ParentEducationOrganizationReference",),
}
_NETWORK = "EducationOrganizationNetwork"
_ASSIGNMENT = "StaffEducationOrganizationAssignmentAssociation"
_EMPLOYMENT = "StaffEducationOrganizationEmploymentAssociation"
#: Data Standard 1.x/2.x names of the same records.
_OLD_NAMES = {"StaffEducationOrgAssignmentAssociation": _ASSIGNMENT,
              "StaffEducationOrgEmploymentAssociation": _EMPLOYMENT,
              "Teacher": "Staff"}
#: Data Standard 1.x (inBloom's variant): a generic EducationOrganization whose category
#: says what it is, under the agency its ParentEducationAgencyReference names.
_CATEGORIES = {"stateeducationagency": "StateEducationAgency",
               "educationservicecenter": "EducationServiceCenter",
               "localeducationagency": "LocalEducationAgency", "school": "School"}
#: The Data Standard each older interchange namespace belongs to.
_OLD_NAMESPACES = {"http://ed-fi.org/0100": "1.x", "http://ed-fi.org/0200": "2.0",
                   "http://ed-fi.org/0210": "2.1", "http://ed-fi.org/0220": "2.2",
                   "http://ed-fi.org/0230": "2.3", "http://ed-fi.org/0240": "2.4",
                   "http://ed-fi.org/0250": "2.5", "http://ed-fi.org/0260": "2.6"}

_GRADES = {"infanttoddler": "IT", "preschoolprekindergarten": "PK", "prekindergarten": "PK",
           "earlyeducation": "PK", "kindergarten": "K", "firstgrade": "1",
           "secondgrade": "2", "thirdgrade": "3", "fourthgrade": "4", "fifthgrade": "5",
           "sixthgrade": "6", "seventhgrade": "7", "eighthgrade": "8", "ninthgrade": "9",
           "tenthgrade": "10", "eleventhgrade": "11", "twelfthgrade": "12",
           "ungraded": "UG", "postsecondary": "PS", "adulteducation": "AE"}
_GRADE_ORDER = ["IT", "PK", "K", *map(str, range(1, 13))]


def grades_text(levels: Iterable[str]) -> str:
    """Ed-Fi grade levels as a directory writes them: ``K-5``, ``9-12``, ``PK,K,UG``.

    >>> grades_text(["uri://ed-fi.org/GradeLevelDescriptor#Ninth grade", "Tenth grade",
    ...              "Eleventh grade", "Twelfth grade"])
    '9-12'
    """
    codes = []
    for level in levels:
        key = re.sub(r"[^a-z]", "", descriptor_value(level).lower())
        code = _GRADES.get(key, descriptor_value(level))
        if code not in codes:
            codes.append(code)
    ordered = [c for c in _GRADE_ORDER if c in codes]
    if len(ordered) == len(codes) and len(ordered) >= 2:
        first, last = _GRADE_ORDER.index(ordered[0]), _GRADE_ORDER.index(ordered[-1])
        if last - first + 1 == len(ordered):
            return f"{ordered[0]}-{ordered[-1]}"
    return ",".join(ordered + [c for c in codes if c not in _GRADE_ORDER])


#: A reference's target: ("id", an Ed-Fi id) or ("ref", an XML element id), and the line
#: the reference is written on (``None`` when only the record's line is known).
Target = tuple[str, str, int | None]


@attrs.define
class _Org:
    tag: str
    id: str
    name: str
    parents: list[tuple[str, Target]]
    source: str
    line: int | None
    xml_id: str = ""
    grades: str = ""
    category: str = ""


@attrs.define
class _Staff:
    id: str
    name: str
    source: str
    line: int | None
    xml_id: str = ""


@attrs.define
class _Association:
    kind: str  # _ASSIGNMENT or _EMPLOYMENT
    staff: Target | None
    org: Target | None
    source: str
    line: int | None
    classification: str = ""
    title: str = ""
    begin: str = ""
    end: str = ""
    order: str = ""
    fte: str = ""
    department: str = ""


# --- XML ---------------------------------------------------------------------------------


def _xml_target(ref: Element | None) -> Target | None:
    """What a reference element names: its ``ref`` attribute, or the id in its identity."""
    if ref is None:
        return None
    if ref.attrib.get("ref"):
        return ("ref", ref.attrib["ref"].strip(), ref.line)
    holders = [c for c in ref.children if c.tag.endswith(("Identity", "Lookup"))] + [ref]
    for holder in holders:
        for c in holder.children:
            if (c.tag.endswith("Id") or c.tag == "StaffUniqueId") and c.text.strip():
                return ("id", c.text.strip(), c.line)
    return None


def _descriptor(el: Element, *names: str) -> str:
    """A descriptor's code value: the URI's fragment, or a nested ``CodeValue`` (DS 2)."""
    for name in names:
        found = el.child(name)
        if found is None:
            continue
        code = found.value("CodeValue") or found.text.strip()
        if code:
            return descriptor_value(code)
    return ""


def _xml_records(el: Element, source: str, account: Account) -> Iterator[Any]:
    tag = el.tag
    if tag == "EducationOrganization":  # Data Standard 1.x (inBloom): named by category
        categories = [re.sub(r"[^a-z]", "", c.text.lower())
                      for c in (el.child("OrganizationCategories") or el).all(
                          "OrganizationCategory")]
        found = next((_CATEGORIES[c] for c in categories if c in _CATEGORIES), None)
        if found is None:
            account.skip("education organization of a category not modelled")
            return
        parents = [(ref, t) for ref in ("ParentEducationAgencyReference",
                                        *PARENT_REFERENCES[found])
                   if (t := _xml_target(el.child(ref))) is not None]
        yield _org(el, found, parents, source)
    elif tag in UNIT_KINDS or tag == _NETWORK:
        yield _org(el, tag, [(ref, t) for ref in PARENT_REFERENCES.get(tag, ())
                             if (t := _xml_target(el.child(ref))) is not None], source)
    elif tag in ("Staff", "Teacher"):
        first = el.value("Name", "FirstName") or el.value("FirstName")
        last = el.value("Name", "LastSurname") or el.value("LastSurname")
        yield _Staff(id=el.value("StaffUniqueId") or el.value("StaffUniqueStateId"),
                     name=" ".join(p for p in (first, last) if p),
                     source=source, line=el.line, xml_id=el.attrib.get("id", ""))
    elif tag == "TeacherSchoolAssociation":  # Data Standard 1.x: a teacher at a school
        yield _Association(
            kind=_ASSIGNMENT, staff=_xml_target(el.child("TeacherReference")),
            org=_xml_target(el.child("SchoolReference")), source=source, line=el.line,
            classification="Teacher", begin=el.value("BeginDate"), end=el.value("EndDate"))
    elif tag in (_ASSIGNMENT, _EMPLOYMENT) or tag in _OLD_NAMES:
        yield _Association(
            kind=_OLD_NAMES.get(tag, tag), staff=_xml_target(el.child("StaffReference")),
            org=_xml_target(el.child("EducationOrganizationReference")), source=source,
            line=el.line,
            classification=_descriptor(el, "StaffClassification",
                                       "StaffClassificationDescriptor"),
            title=el.value("PositionTitle"),
            begin=el.value("BeginDate") or el.value("EmploymentPeriod", "HireDate")
            or el.value("HireDate"),
            end=el.value("EndDate") or el.value("EmploymentPeriod", "EndDate"),
            order=el.value("OrderOfAssignment"), fte=el.value("FullTimeEquivalency"),
            department=el.value("Department"))
    else:
        account.skip(f"{tag} element (not modelled)")


def _org(el: Element, tag: str, parents: list[tuple[str, Target]], source: str) -> _Org:
    return _Org(tag=tag, id=el.value(f"{tag}Id") or el.value("StateOrganizationId"),
                name=el.value("NameOfInstitution"), parents=parents, source=source,
                line=el.line, xml_id=el.attrib.get("id", ""),
                grades=grades_text(c.value("CodeValue") or c.text
                                   for c in (el.child("GradesOffered") or el).all("GradeLevel")),
                category=_descriptor(el, "LocalEducationAgencyCategory",
                                     "LocalEducationAgencyCategoryDescriptor", "LEACategory"))


def import_edfi(*paths: str | os.PathLike[str], as_of: pendulum.Date | str | None = None,
                id_prefix: str = "", limits: Limits | None = None,
                positions: Mapping[str, str] | None = None, lenient: bool = False
                ) -> Imported:
    """Import Ed-Fi XML interchanges (EducationOrganization and StaffAssociation).

    State agencies, education service centers (as ISDs), local education agencies
    (districts), schools and organization departments become org units under the parent
    their references name (a parent LEA, then an ESC, then the state agency); a school
    with no LEA is a standalone root.  Staff become people; each
    ``StaffEducationOrganizationAssignmentAssociation`` becomes one of their assignments
    (dated, with FTE and order; a teacher shared by two schools keeps both), its
    ``StaffClassification`` a position through the shared vocabulary; employment
    associations give their department and, lacking an assignment, their base unit.
    With ``as_of``, only assignments and employments current that day count.
    ``id_prefix`` goes before every id.  Everything else is counted in the result.
    Interchanges of the older Data Standards (1.x, 2.x) are read with their own names
    (``Teacher``, ``TeacherSchoolAssociation``, ``StaffUniqueStateId``), with a note.

    With ``lenient``, a reference to an organization or staff member the files do not
    hold (a pull of only some resources) does not refuse the import: the unit is
    imported without its parent, the association is left out, and each is listed in
    :attr:`Imported.dangling` with its file and line.

    >>> from mtss_core import import_edfi
    >>> result = import_edfi("tests/fixtures/edfi/EducationOrganization.xml",
    ...                      "tests/fixtures/edfi/StaffAssociation.xml", as_of="2026-09-01")
    >>> result.graph["255901001"].parent, result.graph["255901001"].grades
    ('255901', '9-12')
    >>> [(a.unit, str(a.position)) for a in result.graph["207250"].assignments]
    [('255901001', 'teacher'), ('255901044', 'teacher')]
    """
    limits = limits or Limits()
    account = Account(lenient)
    found: list[Any] = []
    for raw in paths:
        path = Path(raw)
        source = str(path)
        root: dict[str, str] = {}
        try:
            data = read_file(path, source, limits)
            count = 0
            for el in records(data, source, limits, root):
                count += 1
                found.extend(_xml_records(el, source, account))
            account.count(path.name, count)
        except DocumentError as exc:
            account.problems.extend(exc.problems)
        version = _OLD_NAMESPACES.get(root.get("namespace", ""))
        if version is not None:
            account.note(f"{path.name}: an Ed-Fi Data Standard {version} interchange "
                         f"(namespace {root['namespace']}), read with that standard's "
                         "names (Teacher, TeacherSchoolAssociation, StaffUniqueStateId, "
                         "StateOrganizationId)")
    return _build(found, account, ", ".join(str(p) for p in paths), as_of, id_prefix,
                  positions)


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
    return _build(found, account, ", ".join(str(p) for p in paths), as_of, id_prefix,
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


# --- from records to a structure ------------------------------------------------------------


def _same(a: _Org, b: _Org) -> list[str]:
    return [f for f in ("tag", "name", "parents", "grades") if getattr(a, f) != getattr(b, f)]


def _build(found: list[Any], account: Account, source: str,
           as_of: pendulum.Date | str | None, prefix: str,
           extra_positions: Mapping[str, str] | None) -> Imported:
    when = to_date(as_of)
    orgs: dict[str, _Org] = {}
    staff: dict[str, _Staff] = {}
    xml_ids: dict[str, tuple[str, str, _Org | _Staff]] = {}  # xml id -> (kind, id, record)
    associations: list[_Association] = []
    networks: list[_Org] = []
    for rec in found:
        if isinstance(rec, _Org):
            if not rec.id:
                account.problem(rec.source, f"{rec.tag} without its {rec.tag}Id",
                                line=rec.line, field=f"{rec.tag}Id")
                continue
            if rec.tag == _NETWORK:
                networks.append(rec)
                continue
            first = orgs.get(rec.id)
            if first is not None:
                differ = _same(first, rec)
                if not differ:
                    account.skip("repeated education organization (identical)")
                    continue
                account.problem(rec.source, _conflict(rec, first, differ), line=rec.line,
                                field=f"{rec.tag}Id")
                continue
            orgs[rec.id] = rec
            _remember_xml_id(xml_ids, rec, "org", account)
        elif isinstance(rec, _Staff):
            if not rec.id:
                account.problem(rec.source, "Staff without its StaffUniqueId", line=rec.line,
                                field="StaffUniqueId")
                continue
            first_staff = staff.get(rec.id)
            if first_staff is not None:
                if first_staff.name == rec.name:
                    account.skip("repeated staff member (identical)")
                    continue
                account.problem(rec.source, f"Staff {rec.id!r} appears twice with different "
                                f"names: {rec.name!r} here, {first_staff.name!r} at "
                                f"{_place(first_staff)}", line=rec.line, field="StaffUniqueId")
                continue
            staff[rec.id] = rec
            _remember_xml_id(xml_ids, rec, "staff", account)
        else:
            associations.append(rec)
    objects: list[ModelObject] = []
    where: dict[int, tuple[str, int | None]] = {}
    units = _units(orgs, xml_ids, account, prefix)
    for obj, rec in units:
        objects.append(obj)
        where[id(obj)] = (rec.source, rec.line)
    if networks:
        account.skip("education organization network (information, not a parent)",
                     len(networks))
        account.note(f"{len(networks)} education organization network(s) (consortia of "
                     "organizations) are information, not parents: "
                     + examples([f"{n.name or n.id} ({n.id})" for n in networks]))
    categories = Counter(rec.category for rec in orgs.values() if rec.category)
    if categories:
        account.note("local education agency categories: " + ", ".join(
            f"{c} ({n})" for c, n in sorted(categories.items())))
    people = _people(staff, orgs, associations, xml_ids, account, prefix, when,
                     extra_positions)
    for person, rec in people:
        objects.append(person)
        where[id(person)] = (rec.source, rec.line)
    people_notes((p for p, _ in people), account)
    return finish(objects, where, account, source, when)


def _place(rec: Any) -> str:
    name = Path(rec.source).name
    return f"{name} line {rec.line}" if rec.line else name


def _conflict(rec: _Org, first: _Org, differ: Sequence[str]) -> str:
    field = differ[0]
    here, there = getattr(rec, field), getattr(first, field)
    return (f"education organization id {rec.id!r} is used twice, differently: {field} is "
            f"{short(here)} here and {short(there)} at {_place(first)}")


def _remember_xml_id(xml_ids: dict[str, tuple[str, str, Any]], rec: _Org | _Staff, kind: str,
                     account: Account) -> None:
    if not rec.xml_id:
        return
    if rec.xml_id in xml_ids:
        other = xml_ids[rec.xml_id][2]
        account.problem(rec.source, f"the XML id {rec.xml_id!r} is used twice (also at "
                        f"{_place(other)})", line=rec.line, field="id")
        return
    xml_ids[rec.xml_id] = (kind, rec.id, rec)


def _resolve(target: Target, kind: str, xml_ids: Mapping[str, tuple[str, str, Any]]
             ) -> str | None:
    how, value, _ = target
    if how == "id":
        return value
    found = xml_ids.get(value)
    return found[1] if found is not None and found[0] == kind else None


def _units(orgs: Mapping[str, _Org], xml_ids: Mapping[str, tuple[str, str, Any]],
           account: Account, prefix: str) -> list[tuple[OrgUnit, _Org]]:
    parents: dict[str, str | None] = {}
    for rec in orgs.values():
        parent = None
        for ref, target in rec.parents:
            resolved = _resolve(target, "org", xml_ids)
            if resolved is None or resolved not in orgs:
                what = (f"ref={target[1]!r}, which no element's id names"
                        if target[0] == "ref" and resolved is None
                        else f"{resolved!r}, which is in no file given")
                message = f"{rec.tag} {rec.id!r}: {ref} names {what}"
                if account.lenient:  # imported without its parent
                    account.dangling(rec.source, message + "; imported without its parent",
                                     line=target[2] or rec.line, field=ref)
                    parent = None
                    break
                account.problem(rec.source, message, line=target[2] or rec.line, field=ref)
                parent = ""
                break
            if resolved != rec.id:
                parent = resolved
                break
        if parent != "":
            parents[rec.id] = parent
    roots = [i for i, p in parents.items()
             if p is None and orgs[i].tag != "OrganizationDepartment"]

    def depth(uid: str) -> int:
        seen: set[str] = set()
        while parents.get(uid) is not None and uid not in seen:
            seen.add(uid)
            uid = parents[uid]  # type: ignore[assignment]
        return len(seen)

    # top down, then by level and id: the same order whatever the files' order
    kinds = list(UNIT_KINDS)
    order = sorted(parents, key=lambda i: (depth(i), kinds.index(orgs[i].tag), i))
    out = []
    for uid in order:
        parent = parents[uid]
        rec = orgs[uid]
        if rec.tag == "OrganizationDepartment" and parent is None:
            if len(roots) == 1:
                parent = roots[0]
                account.note(f"OrganizationDepartment {uid!r} names no parent; placed under "
                             f"the one root organization, {roots[0]!r}")
            else:
                account.skip("organization department with no parent organization")
                account.note(f"OrganizationDepartment {uid!r} ({_place(rec)}) names no parent "
                             "organization, and the files hold "
                             f"{len(roots)} roots to choose from; left out")
                continue
        try:
            unit = OrgUnit(id=prefix + uid, kind=UNIT_KINDS[rec.tag], name=rec.name,
                           parent=None if parent is None else prefix + parent, code=uid,
                           grades=rec.grades)
        except (TypeError, ValueError) as exc:
            account.problem(rec.source, f"{rec.tag} {uid!r}: {exc}", line=rec.line)
            continue
        out.append((unit, rec))
    return out


def _people(staff: Mapping[str, _Staff], orgs: Mapping[str, _Org],
            associations: list[_Association], xml_ids: Mapping[str, tuple[str, str, Any]],
            account: Account, prefix: str, when: pendulum.Date | None,
            extra: Mapping[str, str] | None) -> list[tuple[Person, _Staff]]:
    held: dict[str, list[Assignment]] = {}
    employed: dict[str, list[tuple[str, str]]] = {}  # staff -> (org, department)
    unmapped: Counter[str] = Counter()
    seen: set[tuple[Any, ...]] = set()
    for a in associations:
        what = "assignment" if a.kind == _ASSIGNMENT else "employment"
        sid = None if a.staff is None else _resolve(a.staff, "staff", xml_ids)
        org = None if a.org is None else _resolve(a.org, "org", xml_ids)
        if sid is None or sid not in staff:
            report = account.problem if sid is None else account.dangling
            report(a.source, f"{what} of a staff member not in the files given"
                   + ("" if sid is None else f": {sid!r}"),
                   line=(a.staff and a.staff[2]) or a.line, field="StaffReference")
            continue
        if org is None or org not in orgs:
            report = account.problem if org is None else account.dangling
            report(a.source, f"{what} of {sid!r} to an education organization not "
                   "in the files given" + ("" if org is None else f": {org!r}"),
                   line=(a.org and a.org[2]) or a.line,
                   field="EducationOrganizationReference")
            continue
        ok_begin, begin = date_or_problem(a.begin, account, a.source, a.line, None,
                                "BeginDate" if what == "assignment" else "HireDate")
        ok_end, end = date_or_problem(a.end, account, a.source, a.line, None, "EndDate")
        if not (ok_begin and ok_end):
            continue
        key = (a.kind, sid, org, a.classification, a.title, begin, end)
        if key in seen:
            account.skip(f"repeated {what} (identical)")
            continue
        seen.add(key)
        if when is not None and ((begin is not None and begin > when)
                                 or (end is not None and end < when)):
            account.skip(f"{what} not current on {when}")
            continue
        if a.kind == _EMPLOYMENT:
            employed.setdefault(sid, []).append((org, a.department))
            continue
        match = match_position("edfi", a.classification or a.title, extra)
        if not match.known and a.classification and a.title:
            by_title = match_position("edfi", a.title, extra)  # "Leader" / "Principal"
            if by_title.known:
                match = by_title
        if not match.known and (a.classification or a.title):
            unmapped[match.title] += 1
        try:
            assignment = Assignment(
                unit=prefix + org, position=match.position,
                title=a.title or (match.title if match.title != match.position else ""),
                begins_on=begin, ends_on=end, fte=_number(a.fte, float),
                order=_number(a.order, int))
        except (TypeError, ValueError) as exc:
            account.problem(a.source, f"assignment of {sid!r}: {exc}", line=a.line)
            continue
        held.setdefault(sid, []).append(assignment)
    out = []
    without = []
    for sid, rec in staff.items():
        seats = held.get(sid, [])
        jobs = employed.get(sid, [])
        primary = primary_of(seats)
        unit = primary.unit if primary else prefix + jobs[0][0] if jobs else None
        if not seats and not jobs:
            without.append(sid)
        try:
            person = Person(id=prefix + sid, name=rec.name, unit=unit,
                            positions=[s.position for s in _primary_first(seats, primary)
                                       if s.position],
                            departments=[d for _, d in jobs if d], assignments=seats)
        except (TypeError, ValueError) as exc:
            account.problem(rec.source, f"Staff {sid!r}: {exc}", line=rec.line)
            continue
        out.append((person, rec))
    if without:
        current = f" current on {when}" if when is not None else ""
        account.note(f"{len(without)} staff with no assignment{current}: "
                     + examples([prefix + s for s in without]))
    if unmapped:
        account.note(f"{sum(unmapped.values())} staff classification(s) not in the position "
                     "vocabulary, kept as written: "
                     + ", ".join(f"{t!r} ({n})" for t, n in unmapped.most_common(5)))
    return out


def _primary_first(seats: list[Assignment], primary: Assignment | None) -> list[Assignment]:
    return sorted(seats, key=lambda s: s is not primary)


def _number(text: str, kind: type[Any]) -> Any:
    if not text:
        return None
    try:
        return kind(float(text)) if kind is float else kind(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None

