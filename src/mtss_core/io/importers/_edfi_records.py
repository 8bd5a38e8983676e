"""Ed-Fi records: what the XML and the API JSON readers both produce, and how records
become a structure (units under their parents, staff with dated assignments)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from ...model import Assignment, ModelObject, OrgUnit, Person, Role, UnitKind, to_date
from ._common import (
    Account,
    Imported,
    date_or_problem,
    examples,
    finish,
    origin,
    people_notes,
    primary_of,
    short,
)
from ._vocabulary import descriptor_value, match_position

__all__ = ["build", "grades_text"]


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




# --- from records to a structure ------------------------------------------------------------


def _same(a: _Org, b: _Org) -> list[str]:
    return [f for f in ("tag", "name", "parents", "grades") if getattr(a, f) != getattr(b, f)]


def build(found: list[Any], account: Account, source: str,
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
                           grades=rec.grades, source=origin("edfi", rec.source))
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
        if a.classification and a.title and (
                not match.known or match.position == Role.ADMINISTRATOR):
            # "Leader" / "Principal"; and the 5.2 descriptors' generic "School
            # Administrator" and "LEA Administrator", whose title says which
            by_title = match_position("edfi", a.title, extra)
            if by_title.known and by_title.position is not None and (
                    not match.known or by_title.position != Role.TEACHER):
                match = by_title
        if not match.known and (a.classification or a.title):
            unmapped[match.title] += 1
        try:
            assignment = Assignment(
                unit=prefix + org, position=match.position,
                title=a.title or (match.title if match.title != match.position else ""),
                begins_on=begin, ends_on=end, fte=_number(a.fte, float),
                order=_number(a.order, int), source=origin("edfi", a.source))
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
                            departments=[d for _, d in jobs if d], assignments=seats,
                            source=origin("edfi", rec.source))
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

