"""OneRoster 1.1 and 1.2 CSV exports (a folder or a zip), as real exports are.

``orgs.csv`` gives the org units; ``users.csv`` the people; in 1.2, ``roles.csv`` the
positions each person holds at each org, with dates.  Field lists follow the 1EdTech
OneRoster v1.1 CSV tables and the v1.2 CSV binding (``docs/import-oneroster.md``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

import pendulum

from ..._limits import Limits
from ...errors import ConfigError, DocumentError
from ...model import PARENT_KINDS, Assignment, ModelObject, OrgUnit, Person, Role, UnitKind, to_date
from ._common import (
    Account,
    Files,
    Imported,
    Row,
    clean_id,
    date_or_problem,
    decode,
    examples,
    finish,
    origin,
    people_notes,
    primary_of,
    read_csv,
    refuse_if_not_csv,
)
from ._vocabulary import GUARDIAN, STUDENT, match_position

__all__ = ["ONEROSTER_INCLUDE", "import_oneroster"]

ORG_KINDS = {"state": UnitKind.STATE, "local": UnitKind.ISD, "district": UnitKind.DISTRICT,
             "school": UnitKind.SCHOOL, "department": UnitKind.DEPARTMENT}

#: Every column of the spec's tables (1.1 and 1.2), so a misspelt header is recognised.
ORG_COLUMNS = ("sourcedId", "status", "dateLastModified", "name", "type", "identifier",
               "parentSourcedId")
USER_COLUMNS = ("sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds",
                "role", "username", "userIds", "givenName", "familyName", "middleName",
                "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
                "password", "userMasterIdentifier", "resourceSourcedIds",
                "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
                "primaryOrgSourcedId", "pronouns")
ROLE_COLUMNS = ("sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
                "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId")
#: What ``include=`` may name: the people a staff import leaves out unless asked.
ONEROSTER_INCLUDE = ("guardians", "students")


def import_oneroster(src: str | os.PathLike[str], *, as_of: pendulum.Date | str | None = None,
                     id_prefix: str = "", include: Collection[str] = (),
                     limits: Limits | None = None,
                     positions: Mapping[str, str] | None = None,
                     lenient: bool = False) -> Imported:
    """Import a OneRoster 1.1 or 1.2 CSV export (a folder or a zip file).

    Orgs become units: ``state``, ``local`` (an ISD), ``district``, ``school`` and
    ``department``; a school with no parent is a standalone root, and a department with
    no parent hangs under the export's one root (or is left out, with a note).  Staff
    become people, each role a dated :class:`~mtss_core.Assignment` whose position
    comes from the shared vocabulary; students and guardians are counted, and imported
    only when ``include`` names them (``"students"``, ``"guardians"``).  With ``as_of``,
    only roles current that day become assignments (who is a student never depends on
    the date).  Rows with status ``tobedeleted`` and national orgs are counted, not
    imported.  Misspelt headers, trailing empty columns and common non-ISO dates are
    tolerated with a note; every refusal names file, row and column.  An org under a
    parent of a kind it cannot sit under (a school whose parent is another school, as in
    1EdTech's own sample) is imported without that link, with a note.

    With ``lenient``, a reference to an org that ``orgs.csv`` does not hold (a parent, a
    role's org) does not refuse the export: the org is imported without its parent, the
    role is left out, and each is listed in :attr:`Imported.dangling`.

    >>> from mtss_core import import_oneroster
    >>> result = import_oneroster("tests/fixtures/oneroster/single-school")
    >>> [(u.id, u.kind.value, u.parent) for u in result.graph.units()]
    [('s-riverside', 'school', None), ('dep-sped', 'department', 's-riverside')]
    """
    unknown = sorted(set(include) - set(ONEROSTER_INCLUDE))
    if unknown:
        raise ConfigError(f"include names {', '.join(map(repr, unknown))}; expected among "
                          f"{', '.join(ONEROSTER_INCLUDE)}")
    limits = limits or Limits()
    files = Files(src, limits)
    account = Account(lenient)
    when = to_date(as_of)
    for needed in ("orgs.csv", "users.csv"):
        if not files.exists(needed):
            account.problem(files.name(needed), "file not found in the export")
    account.raise_if_any()
    version = _version(files, account)
    tables = {name: _table(files, name, columns, required, account, limits)
              for name, columns, required in (
                  ("orgs.csv", ORG_COLUMNS, ("sourcedId", "name", "type")),
                  ("users.csv", USER_COLUMNS, ("sourcedId", "givenName", "familyName",
                                               *(("role", "orgSourcedIds")
                                                 if version == "1.1" else ()))),
                  ("roles.csv", ROLE_COLUMNS, ("userSourcedId", "roleType", "role",
                                               "orgSourcedId")))
              if name != "roles.csv" or version == "1.2"}
    account.raise_if_any()
    units, where, national = _units(tables["orgs.csv"], files.name("orgs.csv"), account,
                                    id_prefix)
    known = {u.id.removeprefix(id_prefix) for u in units}
    # orgs listed but not imported (deleted, refused, or a parentless department left out):
    # a role there is counted, not reported again
    listed = {clean_id(r.get("sourcedId")) for r in tables["orgs.csv"]} - known
    objects: list[ModelObject] = list(units)
    people = _people(tables, files, version, known, national | listed, account, id_prefix,
                     when, set(include), positions)
    users_source = files.name("users.csv")
    for person, line in people:
        objects.append(person)
        where[id(person)] = (users_source, line)
    people_notes((p for p, _ in people), account)
    _unread(files, version, account)
    _roots(units, account)
    return finish(objects, where, account, str(src), when)


#: The files of a OneRoster export the leadership structure does not need (1.1 and 1.2).
_OTHER_FILES = frozenset({
    "academicsessions.csv", "classes.csv", "courses.csv", "demographics.csv",
    "enrollments.csv", "lineitems.csv", "results.csv", "categories.csv", "resources.csv",
    "classresources.csv", "courseresources.csv", "userresources.csv", "userprofiles.csv",
    "scoreScales.csv".lower(), "lineitemlearningobjectiveids.csv", "lineitemscorescales.csv",
    "resultlearningobjectiveids.csv", "resultscorescales.csv", "assessmentlineitems.csv",
    "assessmentresults.csv"})


def _unread(files: Files, version: str, account: Account) -> None:
    """Name every file of the export that was not read, and why: nothing is passed over
    in silence (a stray test-csv.csv beside the export, say)."""
    read = {"orgs.csv", "users.csv", "manifest.csv", *(("roles.csv",) if version == "1.2"
                                                        else ())}
    stray: list[str] = []
    other: list[str] = []
    for name in files.names():
        key = name.lower().rsplit("/", 1)[-1]
        if key in read:
            continue
        (other if key in _OTHER_FILES else stray).append(name)
    if stray:
        account.note(f"not read, not a OneRoster file: {', '.join(sorted(stray))}")
    if other:
        account.note(f"not read, OneRoster files the leadership structure does not need: "
                     f"{', '.join(sorted(other))}")


def _roots(units: list[OrgUnit], account: Account) -> None:
    """A unit with no parent beside the export's one district is a second root: said."""
    districts = [u for u in units if u.kind is UnitKind.DISTRICT and u.parent is None]
    loose = [u for u in units if u.parent is None and u.kind is not UnitKind.DISTRICT
             and u.kind not in (UnitKind.STATE, UnitKind.ISD)]
    if len(districts) == 1 and loose:
        shown = ", ".join(f"{u.kind.value} {u.id!r}" for u in loose[:5]) + (
            f" and {len(loose) - 5} more" if len(loose) > 5 else "")
        account.note(f"{shown} name(s) no parent: they stand as roots beside the district "
                     f"{districts[0].id!r} (set parentSourcedId to place them under it)")


def _version(files: Files, account: Account) -> str:
    """``1.1`` or ``1.2``: from manifest.csv when there is one, else from roles.csv."""
    version = "1.2" if files.exists("roles.csv") else "1.1"
    if files.exists("manifest.csv"):
        source = files.name("manifest.csv")
        text, _ = decode(files.data("manifest.csv"), source)
        rows = read_csv(text, source, ("propertyName", "value"), ("propertyName", "value"),
                        account, Limits())
        manifest = {r.get("propertyName"): r.get("value") for r in rows}
        stated = manifest.get("oneroster.version", "")
        if stated.startswith(("1.1", "1.2")):
            version = stated[:3]
        deltas = [k.removeprefix("file.") for k, v in manifest.items()
                  if k.startswith("file.") and v.lower() == "delta"]
        if deltas:
            account.note("manifest.csv: " + ", ".join(deltas) + " hold changes only (delta); "
                         "the structure imported is only what changed")
    return version


def _table(files: Files, name: str, columns: tuple[str, ...], required: tuple[str, ...],
           account: Account, limits: Limits) -> list[Row]:
    if not files.exists(name):
        account.problem(files.name(name), "file not found in the export")
        return []
    source = files.name(name)
    try:
        raw = files.data(name)
        refuse_if_not_csv(raw, source)
        text, guessed = decode(raw, source)
    except DocumentError as exc:
        account.problems.extend(exc.problems)
        return []
    if guessed:
        account.note(guessed)
    rows = read_csv(text, source, columns, required, account, limits)
    account.count(name, len(rows))
    return rows


def _status_deleted(row: Row, what: str, account: Account) -> bool:
    if row.get("status").lower() == "tobedeleted":
        account.skip(f"{what} with status 'tobedeleted'")
        return True
    return False


def _units(rows: list[Row], source: str, account: Account, prefix: str
           ) -> tuple[list[OrgUnit], dict[int, tuple[str, int | None]], set[str]]:
    kinds: dict[str, tuple[UnitKind, Row]] = {}
    national: set[str] = set()
    #: orgs listed but not imported, and why (so a child is told why its parent is gone)
    refused: dict[str, str] = {}
    unmodelled: set[str] = set()  # extension types: their children stand on their own
    for row in rows:
        sid = clean_id(row.get("sourcedId"))
        if not sid:
            account.problem(source, "an org without a sourcedId", line=row.line,
                            column=row.column("sourcedId"), field="sourcedId")
            continue
        if _status_deleted(row, "org row", account):
            refused.setdefault(sid, "has status 'tobedeleted'")
            continue
        kind = row.get("type").strip()
        if kind.lower() == "national":
            national.add(sid)
            account.skip("national org (not modelled)")
            continue
        if kind.lower().startswith("ext:"):
            account.skip(f"org of extension type {kind!r} (not modelled)")
            unmodelled.add(sid)
            continue
        if kind.lower() not in ORG_KINDS:
            account.problem(source, "unknown org type", line=row.line,
                            column=row.column("type"), field="type",
                            expected=", ".join(["national", *ORG_KINDS, "ext:..."]),
                            received=repr(kind))
            refused.setdefault(sid, f"was refused for its unknown type {kind!r} (line "
                                    f"{row.line})")
            continue
        if sid in kinds:
            first = kinds[sid][1]
            account.problem(source, f"org {sid!r} is listed twice (first on line "
                                    f"{first.line})", line=row.line,
                            column=row.column("sourcedId"), field="sourcedId")
            continue
        kinds[sid] = (ORG_KINDS[kind.lower()], row)
    parents: dict[str, str | None] = {}
    unlinked: list[str] = []
    for sid, (kind, row) in kinds.items():
        parent = clean_id(row.get("parentSourcedId")) or None
        if parent in national or parent in unmodelled:
            parent = None
        if parent is not None and parent not in kinds:
            why = refused.get(parent, "is not in orgs.csv")
            place: dict[str, Any] = {"line": row.line, "column": row.column("parentSourcedId"),
                                     "field": "parentSourcedId", "received": repr(parent)}
            if parent in refused:  # already reported (or counted) where it is listed
                account.problem(source, f"parent org {parent!r} {why}", **place)
                continue
            account.dangling(source, f"parent org {parent!r} {why}", **place)
            if not account.lenient:
                continue
            parent = None
        elif parent is not None and kinds[parent][0] not in PARENT_KINDS[kind]:
            # a school under a school (a campus or annex): kept as a unit of its own
            unlinked.append(f"{sid} ({kind.value} under {kinds[parent][0].value} {parent}, "
                            f"line {row.line})")
            account.skip("parent link of a kind the model does not nest (link dropped)")
            parent = None
        parents[sid] = parent
    if unlinked:
        account.note(f"{len(unlinked)} org(s) name a parent they cannot sit under and were "
                     "imported without that link: " + examples(unlinked))
    roots = [s for s, p in parents.items() if p is None and kinds[s][0] is not UnitKind.DEPARTMENT]
    units: list[OrgUnit] = []
    where: dict[int, tuple[str, int | None]] = {}
    for sid, parent in parents.items():
        kind, row = kinds[sid]
        if kind is UnitKind.DEPARTMENT and parent is None:
            if len(roots) != 1:
                account.skip("department with no parent org")
                account.note(f"department {sid!r} (orgs.csv line {row.line}) has no "
                             f"parentSourcedId and the export has {len(roots)} roots to "
                             "choose from; left out")
                continue
            parent = roots[0]
            account.note(f"department {sid!r} has no parentSourcedId; placed under the "
                         f"export's one root, {parent!r}")
        try:
            unit = OrgUnit(id=prefix + sid, kind=kind, name=row.get("name"),
                           parent=None if parent is None else prefix + parent,
                           code=clean_id(row.get("identifier")) or None,
                           source=origin("oneroster", source))
        except (TypeError, ValueError) as exc:
            account.problem(source, str(exc), line=row.line)
            continue
        units.append(unit)
        where[id(unit)] = (source, row.line)
    if national:
        account.note(f"{len(national)} national org(s) not modelled: "
                     + examples(sorted(national)))
    return units, where, national


#: (role as written, org or None, primary, begin, end, line, source) for one held role.
_Held = tuple[str, str | None, bool, Any, Any, int, str]


def _roles(rows: list[Row], source: str, account: Account, known: set[str],
           elsewhere: set[str], users: set[str]) -> dict[str, list[_Held]]:
    """Each user's roles; ``elsewhere`` are orgs listed but not imported."""
    held: dict[str, list[_Held]] = {}
    for row in rows:
        if _status_deleted(row, "role row", account):
            continue
        user = clean_id(row.get("userSourcedId"))
        if user not in users:
            account.skip("role of a user not in users.csv")
            continue
        ok_begin, begin = date_or_problem(row.get("beginDate"), account, source, row.line,
                                          row.column("beginDate"), "beginDate")
        ok_end, end = date_or_problem(row.get("endDate"), account, source, row.line,
                                      row.column("endDate"), "endDate")
        if not (ok_begin and ok_end):
            continue
        org = clean_id(row.get("orgSourcedId")) or None
        if org in elsewhere:
            account.skip("role at an org not imported (national, deleted or left out)")
            continue
        if org is not None and org not in known:
            account.dangling(source, f"org {org!r} is not in orgs.csv", line=row.line,
                             column=row.column("orgSourcedId"), field="orgSourcedId",
                             received=repr(org))
            continue
        held.setdefault(user, []).append(
            (row.get("role"), org, row.get("roleType").lower() == "primary", begin, end,
             row.line, source))
    return held


def _people(tables: Mapping[str, list[Row]], files: Files, version: str, known: set[str],
            elsewhere: set[str], account: Account, prefix: str, when: pendulum.Date | None,
            include: set[str], extra: Mapping[str, str] | None
            ) -> list[tuple[Person, int]]:
    source = files.name("users.csv")
    users: dict[str, Row] = {}
    for row in tables["users.csv"]:
        sid = clean_id(row.get("sourcedId"))
        if not sid:
            account.problem(source, "a user without a sourcedId", line=row.line,
                            column=row.column("sourcedId"), field="sourcedId")
            continue
        if _status_deleted(row, "user row", account):
            continue
        if sid in users:
            first = users[sid]
            if first.cells != row.cells:
                account.problem(source, f"user {sid!r} is listed twice, differently (first "
                                        f"on line {first.line})", line=row.line,
                                column=row.column("sourcedId"), field="sourcedId")
            else:
                account.skip("repeated user row (identical)")
            continue
        users[sid] = row
    if version == "1.2":
        held = _roles(tables["roles.csv"], files.name("roles.csv"), account, known, elsewhere,
                      set(users))
    else:
        held = {}
        for sid, row in users.items():
            orgs = [clean_id(o) for o in row.get("orgSourcedIds").split(",") if clean_id(o)]
            bad = [o for o in orgs if o not in known and o not in elsewhere]
            for o in bad:
                account.dangling(source, f"org {o!r} is not in orgs.csv", line=row.line,
                                 column=row.column("orgSourcedIds"), field="orgSourcedIds",
                                 received=repr(row.get("orgSourcedIds")))
            if bad and not account.lenient:
                continue
            kept = [o for o in orgs if o not in elsewhere and o not in bad]
            held[sid] = ([(row.get("role"), o, i == 0, None, None, row.line, source)
                          for i, o in enumerate(kept)]
                         or [(row.get("role"), None, True, None, None, row.line, source)])
    out: list[tuple[Person, int]] = []
    unmapped: Counter[str] = Counter()
    not_current: list[str] = []
    no_role = [sid for sid in users if not held.get(sid)]
    if no_role:
        account.note(f"{len(no_role)} user(s) hold no role at any org: "
                     + examples([prefix + s for s in no_role]))
    for sid, row in users.items():
        roles = held.get(sid, [])
        matches = [match_position("oneroster", r[0], extra) for r in roles]
        kinds = {m.person for m in matches}
        if roles and None not in kinds:  # a student or guardian in every role
            who = "students" if STUDENT in kinds else "guardians"
            if who not in include:
                word = "student" if who == "students" else "guardian"
                account.skip(f"{word} ({who} are not imported unless asked)")
                continue
        assignments = []
        for (title, org, primary, begin, end, _line, src), m in zip(roles, matches, strict=True):
            if not m.known and title:
                unmapped[m.title] += 1
            if org is None:
                continue
            if when is not None and ((begin is not None and begin > when)
                                     or (end is not None and end < when)):
                account.skip(f"role not current on {when}")
                continue
            position = (Role.PARENT if m.person == GUARDIAN
                        else "student" if m.person == STUDENT else m.position)
            assignments.append(Assignment(unit=prefix + org, position=position,
                                          title=title if title != str(position) else "",
                                          begins_on=begin, ends_on=end,
                                          order=1 if primary else None,
                                          source=origin("oneroster", src)))
        if roles and not assignments and when is not None:
            not_current.append(sid)
        stated = clean_id(row.get("primaryOrgSourcedId"))
        base = (prefix + stated if stated in known
                else head.unit if (head := primary_of(assignments)) else None)
        name = " ".join(p for p in (row.get("givenName"), row.get("familyName")) if p)
        try:
            person = Person(id=prefix + sid, name=name, unit=base,
                            positions=[a.position for a in assignments if a.position],
                            assignments=assignments, source=origin("oneroster", source))
        except (TypeError, ValueError) as exc:
            account.problem(source, f"user {sid!r}: {exc}", line=row.line)
            continue
        out.append((person, row.line))
    if not_current:
        account.note(f"{len(not_current)} user(s) hold no role current on {when}: "
                     + examples([prefix + s for s in not_current]))
    if unmapped:
        account.note(f"{sum(unmapped.values())} role(s) not in the position vocabulary, kept "
                     "as written: " + ", ".join(f"{t!r} ({n})" for t, n in unmapped.most_common(5)))
    return out
