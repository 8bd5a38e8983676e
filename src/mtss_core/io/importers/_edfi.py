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

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pendulum

from ..._files import read_file
from ..._limits import Limits
from ...errors import DocumentError
from .._xml import Element, records
from ._common import (
    Account,
    Imported,
)
from ._edfi_records import (
    _ASSIGNMENT,
    _CATEGORIES,
    _EMPLOYMENT,
    _NETWORK,
    _OLD_NAMES,
    _OLD_NAMESPACES,
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

__all__ = ["import_edfi"]


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
    return build(found, account, ", ".join(str(p) for p in paths), as_of, id_prefix,
                  positions)


