"""Applying a batch of edits, all or nothing (see :mod:`mtss_core.edits`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from ..errors import DocumentError, EditError, MtssError
from ..graph import AlignmentGraph, EdgeKind
from ..io import from_entry, plain, to_entry
from ..model import Membership, Person, Registry, Team
from ._ops import (
    AddItem,
    Create,
    Delete,
    RemoveItem,
    Rename,
    Seat,
    SetField,
    SetSeat,
    Unseat,
    did_you_mean,
    edits_from_data,
)

if TYPE_CHECKING:
    from ..rules import Finding


class Session(Protocol):
    """What the applier needs of a :class:`~mtss_core.Session` (which sits in the rules
    engine, above this package): its graph, its editing methods, and the journal it tells
    of the findings each re-check replaces."""

    graph: AlignmentGraph
    _journal: Any

    def add(self, obj: Any) -> None: ...

    def replace(self, obj: Any) -> None: ...

    def remove(self, id: str) -> Any: ...

    def remove_membership(self, team_id: str, person_id: str) -> Any: ...

__all__ = ["Applied", "apply_edits", "finding_key"]


# --- what a batch changed ---------------------------------------------------------------

def finding_key(finding: Finding) -> str:
    """A finding's stable key: rule, subject and fingerprint (the same finding has the
    same key in every run and every process).

    >>> from mtss_core import example, validate
    >>> finding_key(validate(example()).by_code("FOC001")[0])
    'FOC001:dist-cedar:...'
    """
    return f"{finding.code}:{finding.subject}:{finding.fingerprint}"


@attrs.frozen(kw_only=True)
class Applied:
    """What a batch of edits changed (see :func:`apply_edits`)."""

    #: The edits made, as given (their plain form).
    edits: tuple[Mapping[str, Any], ...] = ()
    created: tuple[str, ...] = ()
    #: (id, field, old, new), values as a document writes them.
    changed: tuple[tuple[str, str, Any, Any], ...] = ()
    deleted: tuple[str, ...] = ()
    #: (old id, new id).
    renamed: tuple[tuple[str, str], ...] = ()
    #: Seats made, changed or taken away: (team, person).
    seats: tuple[tuple[str, str], ...] = ()
    #: The edits that undo the batch, in order (plain form).
    inverse: tuple[Mapping[str, Any], ...] = ()
    #: In a session: the findings the batch raised and resolved (by :func:`finding_key`).
    added: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()

    @property
    def touched(self) -> tuple[str, ...]:
        """Every id the batch touched, in order, once each."""
        ids = [*self.created, *(c[0] for c in self.changed), *self.deleted,
               *(i for pair in self.renamed for i in pair),
               *(i for pair in self.seats for i in pair)]
        return tuple(dict.fromkeys(ids))

    def summary(self) -> str:
        """``"1 created, 2 changed, 0 deleted; fixed 2 problems, raised 1"``."""
        return (f"{len(self.created)} created, {len(self.changed)} changed, "
                f"{len(self.deleted)} deleted, {len(self.renamed)} renamed, "
                f"{len(self.seats)} seats; fixed {len(self.resolved)} problem(s), raised "
                f"{len(self.added)}")

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return {"created": list(self.created),
                "changed": [{"id": i, "field": f, "old": o, "new": n}
                            for i, f, o, n in self.changed],
                "deleted": list(self.deleted),
                "renamed": [{"id": a, "to": b} for a, b in self.renamed],
                "seats": [{"team": t, "person": p} for t, p in self.seats],
                "findings_added": [dict(f.to_dict(), key=finding_key(f)) for f in self.added],
                "findings_resolved": [dict(f.to_dict(), key=finding_key(f))
                                      for f in self.resolved]}


# --- applying ---------------------------------------------------------------------------

class _Target:
    """The graph, or the session around it: edits go through the session when there is
    one, so its findings follow; each step is recorded with what undoes it."""

    def __init__(self, target: AlignmentGraph | Session) -> None:
        self.session: Any = None if isinstance(target, AlignmentGraph) else target
        self.graph: AlignmentGraph = (target if isinstance(target, AlignmentGraph)
                                      else target.graph)
        self.editor: Any = self.session or self.graph  # what the edits go through
        self.undo: list[Any] = []  # callables undoing each step, in order

    def add(self, obj: Any) -> None:
        self.editor.add(obj)
        self.undo.append(lambda: self.editor.remove_membership(obj.team, obj.person)
                         if isinstance(obj, Membership) else self.editor.remove(obj.id))

    def replace(self, obj: Any) -> None:
        old: Any = (self.graph.membership(obj.team, obj.person) if isinstance(obj, Membership)
                    else self.graph[obj.id])
        self.editor.replace(obj)
        self.undo.append(lambda: self.editor.replace(old))

    def remove(self, ident: str) -> Any:
        old = self.editor.remove(ident)
        self.undo.append(lambda: self.editor.add(old))
        return old

    def remove_seat(self, team: str, person: str) -> None:
        old: Any = self.graph.membership(team, person)
        self.editor.remove_membership(team, person)
        self.undo.append(lambda: self.editor.add(old))

    def rollback(self) -> None:
        for step in reversed(self.undo):
            step()
        self.undo.clear()


class _Journal:
    """The findings a session replaced while the batch was applied."""

    def __init__(self) -> None:
        self.before: list[Finding] = []
        self.after: list[Finding] = []

    def __call__(self, old: Iterable[Finding], new: Iterable[Finding]) -> None:
        self.before.extend(old)
        self.after.extend(new)

    def difference(self) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
        """The findings raised and resolved: those re-checked to the same finding cancel
        first (by equality, cheaply); the rest are matched by their stable keys."""
        same = Counter(self.before) & Counter(self.after)
        left = Counter(same)
        after = [f for f in self.after if not _take(left, f)]
        right = Counter(same)
        before = [f for f in self.before if not _take(right, f)]
        old = Counter(finding_key(f) for f in before)
        new = Counter(finding_key(f) for f in after)
        added = [f for f in after if not _take(old, finding_key(f))]
        resolved = [f for f in before if not _take(new, finding_key(f))]
        return tuple(added), tuple(resolved)


def _take(counts: Counter[Any], key: Any) -> bool:
    """Take one ``key`` from ``counts`` if there is one left."""
    if counts[key] > 0:
        counts[key] -= 1
        return True
    return False


def apply_edits(target: AlignmentGraph | Session, edits: Iterable[Any], *,
                types: Registry | None = None, findings: bool = True) -> Applied:
    """Make ``edits`` (edit values or their dicts) to a graph or a session, all or
    nothing: if one is refused, the ones before it are undone and an
    :class:`~mtss_core.errors.EditError` names it (its index, id and field).

    >>> from mtss_core import Session, example
    >>> session = Session(example())
    >>> done = apply_edits(session, [
    ...     {"op": "set", "id": "v-cedar-high", "field": "aligned_to", "value": "v-cedar"},
    ...     {"op": "create", "type": "focus_areas",
    ...      "object": {"id": "fa-cedar-arts", "district": "dist-cedar"}}])
    >>> done.created, done.changed
    (('fa-cedar-arts',), (('v-cedar-high', 'aligned_to', 'v-maple', 'v-cedar'),))
    >>> sorted(f.code for f in done.resolved), sorted(f.code for f in done.added)
    (['ALN001'], ['FOC003'])
    >>> apply_edits(session, [{"op": "set", "id": "v-cedar-high", "field": "statment",
    ...                        "value": "x"}])
    Traceback (most recent call last):
    ...
    mtss_core.errors.EditError: edit 0 (v-cedar-high): unknown field 'statment' of a vision \
(did you mean 'statement'?)
    """
    batch = edits_from_data(list(edits))
    where = _Target(target)
    registry = types or where.graph.types
    journal = _Journal() if where.session is not None and findings else None
    out: dict[str, list[Any]] = {"created": [], "changed": [], "deleted": [],
                                 "renamed": [], "seats": [], "inverse": []}
    if journal is not None:
        where.session._journal = journal
    try:
        for i, edit in enumerate(batch):
            try:
                _apply_one(where, registry, edit, out)
            except EditError as exc:
                raise exc.at(i) from None
            except (MtssError, ValueError, TypeError) as exc:  # (a vendor type's own)
                raise _edit_error(i, edit, exc) from None
    except BaseException:
        where.rollback()
        raise
    finally:
        if journal is not None:
            where.session._journal = None
    added, resolved = journal.difference() if journal is not None else ((), ())
    return Applied(edits=tuple(e.to_dict() for e in batch), created=tuple(out["created"]),
                   changed=tuple(out["changed"]), deleted=tuple(out["deleted"]),
                   renamed=tuple(out["renamed"]), seats=tuple(out["seats"]),
                   inverse=tuple(reversed(out["inverse"])), added=added, resolved=resolved)


def _edit_error(index: int, edit: Any, exc: BaseException) -> EditError:
    ident = getattr(edit, "id", None) or (
        f"{edit.person} on {edit.team}" if hasattr(edit, "team") else None)
    field = getattr(exc, "field", None) or getattr(edit, "field", None)
    return EditError(index, str(exc), id=ident, field=field)


def _obj(graph: AlignmentGraph, ident: str, index: int, edit: Any) -> Any:
    found: Any = graph.get(ident, default=None)
    if found is None:
        raise EditError(index, f"no object with id {ident!r}"
                        + did_you_mean(ident, _ids_like(graph, ident)), id=ident,
                        field="id")
    return found


def _ids_like(graph: AlignmentGraph, ident: str) -> list[str]:
    n = len(ident)
    return [i for o in graph if abs(len(i := getattr(o, "id", "")) - n) <= 3][:50_000]


def _apply_one(where: _Target, types: Registry, edit: Any, out: dict[str, list[Any]]
               ) -> None:
    graph = where.graph
    index = -1  # the caller puts in the edit's index (EditError.at)
    if isinstance(edit, Create):
        t = _type_of(types, edit.type)
        obj = _make(types, t, edit.object)
        if t.edge:
            where.add(obj)
            out["seats"].append(obj.key)
            out["inverse"].append(SetSeat(team=obj.team, person=obj.person).to_dict())
            return
        where.add(obj)
        out["created"].append(obj.id)
        out["inverse"].append(Delete(id=obj.id).to_dict())
        return
    if isinstance(edit, SetField | AddItem | RemoveItem):
        old = _obj(graph, edit.id, index, edit)
        names = {a.name: a for a in attrs.fields(type(old))}
        if edit.field not in names or edit.field == "id":
            what = types.of(old).singular
            hint = ("; rename an id with the rename edit" if edit.field == "id" else
                    did_you_mean(edit.field, [n for n in names if n != "id"]))
            raise EditError(index, f"unknown field {edit.field!r} of a {what}{hint}",
                            id=edit.id, field=edit.field)
        current = getattr(old, edit.field)
        if isinstance(edit, SetField):
            value = edit.value
            if value is None:
                default = names[edit.field].default
                if default is attrs.NOTHING:
                    raise EditError(index, f"{edit.field!r} is required: it cannot be unset",
                                    id=edit.id, field=edit.field)
                value = default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]
        else:
            if not isinstance(current, tuple):
                raise EditError(index, f"{edit.field!r} is not a list: use set",
                                id=edit.id, field=edit.field)
            items = list(plain(current))
            if isinstance(edit, AddItem):
                if edit.value not in items:
                    items.append(edit.value)
            else:
                items = [v for v in items if v != edit.value]
            value = items
        try:
            new = attrs.evolve(old, **{edit.field: value})
        except (TypeError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            raise EditError(index, f"{edit.field}: {reason}", id=edit.id,
                            field=edit.field) from None
        if new == old:
            return
        where.replace(new)
        before, after = plain(current), plain(getattr(new, edit.field))
        out["changed"].append((edit.id, edit.field, before, after))
        out["inverse"].append(SetField(id=edit.id, field=edit.field, value=before).to_dict())
        return
    if isinstance(edit, Delete):
        old = _obj(graph, edit.id, index, edit)
        where.remove(edit.id)
        out["deleted"].append(edit.id)
        out["inverse"].append(Create(type=types.of(old).name, object=to_entry(old)).to_dict())
        return
    if isinstance(edit, Rename):
        _rename(where, types, edit, index)
        out["renamed"].append((edit.id, edit.to))
        out["inverse"].append(Rename(id=edit.to, to=edit.id).to_dict())
        return
    if isinstance(edit, Seat | Unseat | SetSeat):
        for value in (edit.team, edit.person):
            _obj(graph, value, index, edit)
        existing = graph.membership(edit.team, edit.person)
        if isinstance(edit, Seat):
            if existing is not None:
                raise EditError(index, f"{edit.person} already has a seat on {edit.team} "
                                       "(end it with unseat, or change it with set_seat)",
                                id=edit.person, field="person")
            seat = _seat(types, {"team": edit.team, "person": edit.person,
                                 "roles": list(edit.roles),
                                 **({"since": edit.since} if edit.since else {})})
            where.add(seat)
        elif isinstance(edit, Unseat):
            if existing is None:
                raise EditError(index, f"{edit.person} has no seat on {edit.team}",
                                id=edit.person, field="person")
            try:
                seat = attrs.evolve(existing, until=edit.until)
            except (TypeError, ValueError) as exc:
                raise EditError(index, f"until: {getattr(exc, 'reason', exc)}",
                                id=edit.person, field="until") from None
            where.replace(seat)
        elif edit.seat is None:
            if existing is None:
                return
            where.remove_seat(edit.team, edit.person)
        else:
            seat = _seat(types, {**edit.seat, "team": edit.team, "person": edit.person})
            if existing is None:
                where.add(seat)
            else:
                where.replace(seat)
        out["seats"].append((edit.team, edit.person))
        out["inverse"].append(SetSeat(team=edit.team, person=edit.person, seat=(
            None if existing is None else to_entry(existing))).to_dict())
        return
    raise EditError(index, f"not an edit: {edit!r}")  # pragma: no cover - checked on reading


def _type_of(types: Registry, name: str) -> Any:
    found = types.find(name)
    if found is None:
        for t in types:
            if name in (t.singular, t.plural, t.singular.replace(" ", "_"),
                        t.plural.replace(" ", "_")):
                found = t
                break
    if found is None:
        choices = [t.name for t in types] + [t.section for t in types]
        raise EditError(-1, f"unknown type {name!r}" + did_you_mean(name, choices),
                        field="type")
    return found


def _make(types: Registry, t: Any, entry: Mapping[str, Any], what: str = "",
          ident: str | None = None) -> Any:
    """An object of type ``t`` from its document entry: the first bad field named."""
    try:
        return from_entry(t.name, dict(entry), types=types)
    except DocumentError as exc:
        problem = exc.problems[0]
        text = str(problem).removeprefix(f"{problem.source}: ").lstrip("/")
        raise EditError(-1, f"{what or 'create ' + t.singular}: {text}",
                        id=ident or entry.get("id"), field=problem.field) from None


def _seat(types: Registry, entry: Mapping[str, Any]) -> Membership:
    t = next(t for t in types if t.edge)
    seat: Membership = _make(types, t, entry, "seat", f"{entry['person']} on {entry['team']}")
    return seat


def _rename(where: _Target, types: Registry, edit: Rename, index: int) -> None:
    """A new object under the new id, every reference moved to it, the old one removed."""
    graph = where.graph
    old = _obj(graph, edit.id, index, edit)
    if edit.to in graph:
        raise EditError(index, f"id {edit.to!r} is taken by {types.of(graph[edit.to]).singular}"
                               f" {edit.to!r}", id=edit.id, field="to")
    try:
        renamed = attrs.evolve(old, id=edit.to)
    except (TypeError, ValueError) as exc:
        raise EditError(index, f"to: {getattr(exc, 'reason', exc)}", id=edit.id,
                        field="to") from None
    # what refers to it, from the graph's own reverse references (not a scan)
    referrers = [graph[i] for i in dict.fromkeys(
        i for key in sorted(types.edge_keys - {EdgeKind.MEMBER.value})
        for i in graph.referrers(edit.id, key) if i != edit.id)]
    seats = (graph.memberships_of(edit.id, history=True) if isinstance(old, Person)
             else graph.members(edit.id, history=True) if isinstance(old, Team) else ())
    own = [r for r in types.of(old).references if edit.id in r.ids(old)]
    if own:  # an object referring to itself (rare): follows too
        renamed = _moved(renamed, own, edit.id, edit.to)
    where.add(renamed)
    for obj in referrers:
        t = types.of(obj)
        where.replace(_moved(obj, [r for r in t.references if edit.id in r.ids(obj)],
                             edit.id, edit.to))
    for seat in seats:
        where.remove_seat(seat.team, seat.person)
        where.add(attrs.evolve(seat, team=edit.to if seat.team == edit.id else seat.team,
                               person=edit.to if seat.person == edit.id else seat.person))
    where.remove(edit.id)


def _moved(obj: Any, refs: Sequence[Any], old: str, new: str) -> Any:
    changes: dict[str, Any] = {}
    for r in refs:
        value = getattr(obj, r.field)
        if r.many:
            changes[r.field] = tuple(new if v == old else v for v in value)
        elif value == old:
            changes[r.field] = new
    return attrs.evolve(obj, **changes)


