"""Refresh: next year's roster under this year's MTSS layer.

Rosters change every year, and real exports carry no deltas: a principal who left is a
row that is missing.  :func:`refresh` takes the current structure (a roster imported last
year, and the MTSS layer people have kept on it since) and a new import, and makes the
next structure: the roster replaced by the new one, every layer object kept.

- The roster is the units and people an importer made: those with a ``source``.  The
  layer is everything else: teams, seats, products, focus areas, meetings, records,
  waivers, and units and people added by hand.
- A person who left (in the current roster, not in the new one) keeps their seats as
  history: each seat current on the as-of date ends on it (``until``), never deleted.  The
  person is kept (``left_on``) when a seat or a layer object names them.
- A person who moved keeps the seats on teams whose unit holds their new place (a
  district team, when they moved between two of its schools); the seats on their old
  school's teams end.
- A unit that closed (absent from the new roster) is kept, marked ``closed_on``, when the
  layer refers to it, with its teams and products; the seats on its teams end.
- Units and people in the new roster only have arrived.

The change record (:class:`Refresh`) names every unit, team and person involved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import pendulum

from ..errors import IntegrityError, MassChangeError, ModelError
from ..graph import AlignmentGraph
from ..model import Membership, ModelObject, OrgUnit, Person, UnitKind, label, to_date

__all__ = ["MASS_CHANGE", "ClosedUnit", "Departure", "Move", "PostTurnover", "Refresh",
           "Succession",
           "person_key", "refresh"]

Seat = tuple[str, tuple[str, ...]]  # (team id, roles)


@attrs.frozen(kw_only=True)
class Departure:
    """A person in the current roster and not in the new one."""

    person: str
    name: str
    #: The seats that ended with their leaving: (team, roles).
    vacated: tuple[Seat, ...]
    #: Kept in the next structure (their seats or products are history), or dropped.
    kept: bool


@attrs.frozen(kw_only=True)
class Move:
    """A person whose unit changed between the two rosters."""

    person: str
    name: str
    before: str | None
    after: str | None
    #: Seats on teams of the place they left, ended: (team, roles).
    ended: tuple[Seat, ...]
    #: Seats kept (on teams whose unit holds their new place): team ids.
    kept: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ClosedUnit:
    """A unit in the current roster and not in the new one."""

    unit: str
    name: str
    #: The teams serving it (or a unit in it) and the products they and it own: kept.
    teams: tuple[str, ...]
    products: tuple[str, ...]
    #: The seats on those teams that ended: (team, person).
    ended: tuple[tuple[str, str], ...]
    #: Kept in the next structure (marked ``closed_on``), or dropped (nothing referred
    #: to it).
    kept: bool


@attrs.frozen(kw_only=True)
class Succession:
    """A post that changed hands: the roster gives the post the same id (a directory's
    ``principal-<school>``), but another person holds it.  The predecessor leaves — their
    seats end and stay as history under ``history`` — and the successor arrives with no
    seat of theirs."""

    post: str
    before: str
    after: str
    #: The id the predecessor and their history are kept under.
    history: str
    #: Whether the predecessor moved to another post (``history`` is then its id).
    moved: bool = False


@attrs.frozen(kw_only=True)
class PostTurnover:
    """How a district's leaders changed between two rosters: of its principals and
    superintendents (the posts the new roster holds, and those it no longer has), how
    many changed hands, moved away or left — the figures a state publishes."""

    district: str
    principals: int = 0
    principals_changed: int = 0
    superintendents: int = 0
    superintendents_changed: int = 0

    @property
    def share_changed(self) -> float | None:
        """Of the district's principals and superintendents, the share that changed."""
        whole = self.principals + self.superintendents
        return None if not whole else (
            self.principals_changed + self.superintendents_changed) / whole

    def to_dict(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "share_changed": self.share_changed}


@attrs.frozen(kw_only=True)
class Refresh:
    """What changed between two rosters, as a refresh applied it."""

    as_of: pendulum.Date
    arrived_units: tuple[str, ...] = ()
    closed_units: tuple[ClosedUnit, ...] = ()
    #: Units in both rosters whose name, kind, parent or grades changed: (unit, fields).
    changed_units: tuple[tuple[str, tuple[str, ...]], ...] = ()
    arrived_people: tuple[str, ...] = ()
    left_people: tuple[Departure, ...] = ()
    moved_people: tuple[Move, ...] = ()
    #: Layer objects carried over (every one of the current structure's).
    kept_layer: int = 0
    notes: tuple[str, ...] = ()
    #: Posts held by another person than before (their ids the same).
    successions: tuple[Succession, ...] = ()
    #: Per district (and ``"*"`` for the whole file): its principals and
    #: superintendents, and how many changed hands, moved or left.
    posts: tuple[PostTurnover, ...] = ()
    #: The key MTSS seats (:data:`~mtss_core.analysis.KEY_ROLES`) the refresh left empty:
    #: (team, role, who held it).
    vacancies: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def turnover(self) -> PostTurnover | None:
        """The whole file's leader turnover (``None`` without principals or
        superintendents)."""
        return next((p for p in self.posts if p.district == "*"), None)

    @property
    def vacated(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """Every seat that ended: (team, person, roles), by departures and moves."""
        out = [(team, d.person, roles) for d in self.left_people for team, roles in d.vacated]
        out += [(team, m.person, roles) for m in self.moved_people for team, roles in m.ended]
        return tuple(out)

    def summary(self) -> str:
        """One line: how many of each change."""
        parts = [(len(self.arrived_units), "unit arrived", "units arrived"),
                 (len(self.closed_units), "unit closed", "units closed"),
                 (len(self.changed_units), "unit changed", "units changed"),
                 (len(self.arrived_people), "person arrived", "people arrived"),
                 (len(self.left_people), "person left", "people left"),
                 (len(self.moved_people), "person moved", "people moved"),
                 (len(self.successions), "post changed hands", "posts changed hands")]
        said = [f"{n:,} {one if n == 1 else many}" for n, one, many in parts if n]
        return (f"refresh as of {self.as_of}: " + (", ".join(said) or "no roster change")
                + f"; {self.kept_layer:,} layer objects kept")

    def to_dict(self) -> dict[str, Any]:
        """Plain data, ready for JSON."""
        return {
            "as_of": self.as_of.isoformat(),
            "arrived_units": list(self.arrived_units),
            "closed_units": [{"unit": c.unit, "name": c.name, "teams": list(c.teams),
                              "products": list(c.products),
                              "seats_ended": [{"team": t, "person": p} for t, p in c.ended],
                              "kept": c.kept} for c in self.closed_units],
            "changed_units": [{"unit": u, "fields": list(f)} for u, f in self.changed_units],
            "arrived_people": list(self.arrived_people),
            "left_people": [{"person": d.person, "name": d.name, "kept": d.kept,
                             "seats_vacated": [{"team": t, "roles": list(r)}
                                               for t, r in d.vacated]}
                            for d in self.left_people],
            "moved_people": [{"person": m.person, "name": m.name, "from": m.before,
                              "to": m.after, "kept": list(m.kept),
                              "seats_ended": [{"team": t, "roles": list(r)}
                                              for t, r in m.ended]}
                             for m in self.moved_people],
            "kept_layer": self.kept_layer,
            "notes": list(self.notes),
            "posts": [p.to_dict() for p in self.posts],
            "vacancies": [{"team": t, "role": r, "was": list(w)}
                          for t, r, w in self.vacancies],
            "successions": [{"post": c.post, "before": c.before, "after": c.after,
                             "history": c.history, "moved": c.moved}
                            for c in self.successions],
        }

    def _lines(self, bullet: str, code: Any) -> list[str]:
        def seats(found: Iterable[Seat]) -> str:
            return ", ".join(f"{code(t)} ({', '.join(r) or 'no role'})" for t, r in found)

        out: list[str] = []
        if self.arrived_units:
            out.append(f"{bullet}units arrived: " + ", ".join(map(code, self.arrived_units)))
        for c in self.closed_units:
            held = ", ".join(map(code, (*c.teams, *c.products))) or "nothing of the layer"
            out.append(f"{bullet}unit closed: {code(c.unit)} {c.name}; "
                       + (f"kept, marked closed, with {held}" if c.kept else "dropped (the "
                          "layer held nothing there)")
                       + (f"; seats ended: {', '.join(code(t) + ' ' + code(p) for t, p in c.ended)}"
                          if c.ended else ""))
        for unit, fields in self.changed_units:
            out.append(f"{bullet}unit changed: {code(unit)} ({', '.join(fields)})")
        if self.arrived_people:
            out.append(f"{bullet}people arrived: " + ", ".join(map(code, self.arrived_people)))
        for d in self.left_people:
            out.append(f"{bullet}left: {code(d.person)} {d.name}".rstrip()
                       + (f"; seats vacated: {seats(d.vacated)}" if d.vacated else
                          "; held no seat")
                       + ("" if d.kept else " (not kept: nothing refers to them)"))
        for m in self.moved_people:
            out.append(f"{bullet}moved: {code(m.person)} {m.name}".rstrip()
                       + f" from {code(m.before or '(none)')} to {code(m.after or '(none)')}"
                       + (f"; seats ended: {seats(m.ended)}" if m.ended else "")
                       + (f"; seats kept: {', '.join(map(code, m.kept))}" if m.kept else ""))
        for sc in self.successions:
            after = (f"{sc.before} moved to {code(sc.history)}" if sc.moved else
                     f"the predecessor's seats ended, kept under {code(sc.history)}")
            out.append(f"{bullet}succession: {code(sc.post)}: {sc.before} → {sc.after} "
                       f"({after})")
        for team, role, was in self.vacancies:
            out.append(f"{bullet}key seat now empty: {role} on {code(team)} (was "
                       f"{', '.join(map(code, was))})")
        out += [f"{bullet}note: {n}" for n in self.notes]
        return out

    def __str__(self) -> str:
        return "\n".join([self.summary(), *self._lines("  ", str)])

    def to_markdown(self) -> str:
        """The change record as Markdown (a list under a heading)."""
        from .._text import md_text

        def code(ident: str) -> str:
            return f"`{md_text(ident)}`"

        return "\n".join([f"## Roster refresh as of {self.as_of}", "",
                          self.summary()[0].upper() + self.summary()[1:] + ".", "",
                          *self._lines("- ", code)]) + "\n"


def _roster(graph: AlignmentGraph) -> tuple[set[str], bool]:
    """The ids of the roster (units and people with a source), and whether the graph
    records sources at all (without any, every unit and person is roster)."""
    found: list[OrgUnit | Person] = [*graph.units(), *graph.people()]
    sourced = {o.id for o in found if o.source}
    if sourced:
        return sourced, True
    return {o.id for o in found}, False


def _units_of(person: Person) -> set[str]:
    return {u for u in (person.unit, *person.assigned_units) if u is not None}


def _within(graph: AlignmentGraph, unit: str, inside: str) -> bool:
    """Whether ``unit`` is ``inside`` or below it in ``graph``."""
    if unit not in graph or inside not in graph:
        return False
    return unit == inside or any(a.id == inside for a in graph.ancestors(unit))


#: The share of the roster's units or people a refresh may close or remove before it asks
#: for confirmation (a year's real turnover stays well under it).
MASS_CHANGE = 0.2
#: Rosters smaller than this are not held to the share (one person of three leaving is
#: not a mass change).
_GUARDED_FROM = 50


def refresh(current: AlignmentGraph, new: AlignmentGraph | Any, *,
            as_of: pendulum.Date | str | None = None, max_change: float = MASS_CHANGE,
            accept_mass_change: bool = False) -> tuple[AlignmentGraph, Refresh]:
    """The next structure: ``new``'s roster (a graph, or an importer's result) under
    ``current``'s MTSS layer, as of ``as_of`` (by default the new roster's date), and the
    change record.  ``current`` is not changed.

    A new roster with no unit at all, or one that would close more than ``max_change`` of
    the roster's units or remove more than that share of its people (rosters of 50 or
    more), is refused with a :class:`~mtss_core.errors.MassChangeError` giving the figures,
    unless ``accept_mass_change``: an export of the wrong files would otherwise close a
    whole state.

    >>> from mtss_core import AlignmentGraph, Membership, OrgUnit, Person, Team
    >>> from mtss_core.analysis import refresh
    >>> year1 = AlignmentGraph([
    ...     OrgUnit(id="d", kind="district", source="oneroster:orgs.csv"),
    ...     OrgUnit(id="s", kind="school", parent="d", source="oneroster:orgs.csv"),
    ...     Person(id="kim", unit="s", source="oneroster:users.csv"),
    ...     Team(id="slt", kind="school-leadership", unit="s"),
    ...     Membership(team="slt", person="kim", roles=["principal"])])
    >>> year2 = AlignmentGraph([
    ...     OrgUnit(id="d", kind="district", source="oneroster:orgs.csv"),
    ...     OrgUnit(id="s", kind="school", parent="d", source="oneroster:orgs.csv")])
    >>> nxt, changes = refresh(year1, year2, as_of="2027-08-01")
    >>> changes.summary()
    'refresh as of 2027-08-01: 1 person left; 2 layer objects kept'
    >>> nxt.membership("slt", "kim").until, nxt["kim"].left_on
    (Date(2027, 8, 1), Date(2027, 8, 1))
    """
    new_graph: AlignmentGraph = getattr(new, "graph", new)
    if not isinstance(new_graph, AlignmentGraph):
        raise ModelError(f"refresh takes the new roster as a graph or an import's result, "
                         f"got {type(new).__name__}")
    day = to_date(as_of) if as_of is not None else new_graph.as_of
    if day is None:
        raise ModelError("a refresh needs an as-of date (none given, none in the new "
                         "roster)")
    roster, sourced = _roster(current)
    current, successions, _moves, people_notes = _people_first(current, new_graph, roster)
    roster, sourced = _roster(current)
    notes = [*people_notes] if sourced else [*people_notes,
        "the current structure records no sources (imported before sources were kept): "
        "every unit and person in it is taken as roster"]
    new_units = {u.id: u for u in new_graph.units()}
    new_people = {p.id: p for p in new_graph.people()}
    gone_units = [u for u in current.units() if u.id in roster and u.id not in new_units]
    gone_people = [p for p in current.people() if p.id in roster and p.id not in new_people]
    if not accept_mass_change:
        _guard(current, roster, new_units, gone_units, gone_people, max_change)
    layer: list[Any] = []
    for o in current:
        ident = getattr(o, "id", "")
        if ident in roster:
            continue
        taken = new_units.get(ident) or new_people.get(ident)
        if taken is None:
            layer.append(o)
        elif type(taken) is type(o):  # added by hand last year, in the roster now
            notes.append(f"{current.types[o.type_name].singular} {ident!r}, added by hand, "
                         "is in the new roster: the roster's record is kept")
        else:
            raise ModelError(
                f"the new roster's {new_graph.types[taken.type_name].singular} {ident!r} "
                f"takes the id of the layer's {current.types[o.type_name].singular} "
                f"{label(o)!r}; rename the layer's object (mtss_core.Session.apply with a "
                "rename) or the roster's, then refresh again")
    layer += _brought(current, new_graph, layer, notes)
    old_people = {p.id: p for p in current.people()}
    keep = _kept(current, {u.id for u in gone_units}, {p.id for p in gone_people}, layer)
    closed = {u.id for u in gone_units}
    # the seats: ended for people who left, people who moved away, units that closed
    seats: list[Membership] = []
    vacated: dict[str, list[Seat]] = {}
    moved_ended: dict[str, list[Seat]] = {}
    moved_kept: dict[str, list[str]] = {}
    closed_seats: dict[str, list[tuple[str, str]]] = {}
    team_unit = {t.id: t.unit for t in current.teams()}
    left = {p.id for p in gone_people}
    for m in current.memberships(history=True):
        holding = m.current(day)
        unit = team_unit[m.team]
        closing = next((c for c in closed if _within(current, unit, c)), None)
        if holding and m.person in left:
            vacated.setdefault(m.person, []).append((m.team, tuple(map(str, m.roles))))
            m = attrs.evolve(m, until=day)
        elif holding and closing is not None:
            closed_seats.setdefault(closing, []).append((m.team, m.person))
            m = attrs.evolve(m, until=day)
        elif holding and m.person in new_people and m.person in roster:
            before, after = old_people[m.person], new_people[m.person]
            if _units_of(before) != _units_of(after):
                now = any(_within(new_graph, n, unit) for n in _units_of(after))
                then = any(_within(current, o, unit) for o in _units_of(before))
                if then and not now:
                    moved_ended.setdefault(m.person, []).append(
                        (m.team, tuple(map(str, m.roles))))
                    m = attrs.evolve(m, until=day)
                else:
                    moved_kept.setdefault(m.person, []).append(m.team)
        seats.append(m)
    kept_units = [attrs.evolve(u, closed_on=u.closed_on or day) for u in gone_units
                  if u.id in keep]
    kept_people = [attrs.evolve(p, left_on=p.left_on or day) for p in gone_people
                   if p.id in keep]
    objects: list[ModelObject] = [*new_graph.units(), *kept_units, *new_graph.people(),
                                  *kept_people, *layer, *seats]
    graph = AlignmentGraph(as_of=day, types=current.types)
    errors = graph.try_add_all(objects)
    if errors:
        raise _refused(errors)
    return graph, Refresh(
        as_of=day,
        arrived_units=tuple(u for u in new_units if u not in current),
        closed_units=tuple(_closed(current, u, closed_seats.get(u.id, []), u.id in keep)
                           for u in gone_units),
        changed_units=tuple(_changed(current, new_units)),
        arrived_people=tuple(p for p in new_people if p not in current),
        left_people=tuple(Departure(person=p.id, name=p.name,
                                    vacated=tuple(vacated.get(p.id, ())), kept=p.id in keep)
                          for p in gone_people),
        moved_people=tuple(
            Move(person=pid, name=new_people[pid].name, before=old_people[pid].unit,
                 after=new_people[pid].unit, ended=tuple(moved_ended.get(pid, ())),
                 kept=tuple(moved_kept.get(pid, ())))
            for pid in new_people if pid in roster and pid in old_people
            and (old_people[pid].unit != new_people[pid].unit or pid in moved_ended)),
        kept_layer=len(layer) + len(seats), notes=tuple(notes),
        successions=tuple(successions),
        vacancies=_vacancies(graph, day),
        posts=_posts(current, new_graph, roster, gone_people, successions,
                     [pid for pid in new_people if pid in roster and pid in old_people
                      and old_people[pid].unit != new_people[pid].unit]))


_TITLES = re.compile(r"\b(mr|mrs|ms|miss|mx|dr|prof|sr|jr|ii|iii)\b\.?")


def person_key(name: str) -> str:
    """A person's name as two records of one human agree on it: case, titles (Mr, Ms,
    Dr), punctuation and spacing set aside.

    >>> person_key("Dr. Renee  HALE"), person_key("Ms Renée Hale")
    ('renee hale', 'renée hale')
    """
    text = _TITLES.sub(" ", name.lower().replace(".", " ").replace(",", " "))
    return " ".join(re.sub(r"[^\w\s'-]", " ", text).split())


def _people_first(current: AlignmentGraph, new_graph: AlignmentGraph, roster: set[str]
                  ) -> tuple[AlignmentGraph, list[Succession], dict[str, str], list[str]]:
    """Tell people from posts before the roster is compared: a post id held by another
    person (by name) is a succession — the predecessor is renamed to an id of their own,
    every reference following, so their seats end as a departure's and stay as history;
    a person who left one post id and arrived under another (one name on each side, no
    other) moved — renamed to the new id, so the seats of the place they left end and the
    others are theirs still.  Works on a copy; returns it, the successions, the moves
    (old id -> new id) and notes (names matched more than once are not guessed)."""
    from ..edits import Rename, apply_edits

    new_people = {p.id: p for p in new_graph.people()}
    old_people = {p.id: p for p in current.people() if p.id in roster}
    renames: list[Rename] = []
    successions: list[Succession] = []
    taken = {getattr(o, "id", "") for o in current} | set(new_people)
    for pid, before in old_people.items():
        after = new_people.get(pid)
        if after is None or not before.name or not after.name:
            continue
        if person_key(before.name) == person_key(after.name):
            continue
        history = _free(f"{pid}~{'-'.join(person_key(before.name).split()) or 'before'}",
                        taken)
        renames.append(Rename(id=pid, to=history))
        successions.append(Succession(post=pid, before=before.name, after=after.name,
                                      history=history))
    succeeded = {c.post for c in successions}
    gone = [p for pid, p in old_people.items() if pid not in new_people]
    gone += [old_people[pid] for pid in succeeded]
    arrived = [p for pid, p in new_people.items() if pid not in old_people or pid in succeeded]
    by_key_gone: dict[str, list[Any]] = {}
    by_key_new: dict[str, list[Any]] = {}
    for p in gone:
        if p.name:
            by_key_gone.setdefault(person_key(p.name), []).append(p)
    for p in arrived:
        if p.name:
            by_key_new.setdefault(person_key(p.name), []).append(p)
    moves: dict[str, str] = {}
    notes: list[str] = []
    for key, left in sorted(by_key_gone.items()):
        came = by_key_new.get(key, [])
        if not came:
            continue
        if len(left) == 1 and len(came) == 1:
            old_id = left[0].id
            if old_id == came[0].id:
                continue
            source = next((r.to for r in renames if r.id == old_id), old_id)
            moves[source] = came[0].id
        else:
            notes.append(f"{len(left)} people named {left[0].name!r} left and {len(came)} "
                         "arrived: not matched (a move or a successor is not guessed)")
    # a predecessor who moved to another post is kept under the id they moved to
    successions = [attrs.evolve(c, history=moves[c.history], moved=True)
                   if c.history in moves else c for c in successions]
    if not renames and not moves:
        return current, successions, moves, notes
    work = current.copy()
    apply_edits(work, renames)
    # a mover takes their new id; their successor at the old post, if any, was renamed
    order = sorted(moves.items(), key=lambda kv: kv[1] in moves)  # free targets first
    apply_edits(work, [Rename(id=a, to=b) for a, b in order if b not in work])
    moved = {a: b for a, b in moves.items() if b in work}
    return work, successions, moved, notes


def _posts(current: AlignmentGraph, new_graph: AlignmentGraph, roster: set[str],
           gone: list[Any], successions: list[Succession], moved: list[str]
           ) -> tuple[PostTurnover, ...]:
    """Each district's principals and superintendents and how many of them changed."""
    changed = {s.post for s in successions} | {p.id for p in gone} | set(moved)
    counts: dict[str, list[int]] = {}

    def district_of(graph: AlignmentGraph, unit: str | None) -> str | None:
        if unit is None or unit not in graph:
            return None
        node = graph.get(unit, default=None)
        if isinstance(node, OrgUnit) and node.kind is UnitKind.DISTRICT:
            return unit
        return next((a.id for a in graph.ancestors(unit) if a.kind is UnitKind.DISTRICT),
                    None)

    # a predecessor is the post's holder before: the post is counted once, by its id
    seen: set[str] = {s.history for s in successions if not s.moved}
    for graph, people in ((new_graph, new_graph.people()),
                          (current, [p for p in current.people() if p.id in roster])):
        for person in people:
            if person.id in seen:
                continue
            roles = {str(r) for r in person.positions}
            role = ("principal" if "principal" in roles else
                    "superintendent" if "superintendent" in roles else None)
            if role is None:
                continue
            seen.add(person.id)
            district = district_of(graph, person.unit)
            if district is None:
                continue
            row = counts.setdefault(district, [0, 0, 0, 0])
            base = 0 if role == "principal" else 2
            row[base] += 1
            row[base + 1] += person.id in changed
    out = [PostTurnover(district=d, principals=r[0], principals_changed=r[1],
                        superintendents=r[2], superintendents_changed=r[3])
           for d, r in sorted(counts.items())]
    if out:
        total = [sum(r[i] for r in counts.values()) for i in range(4)]
        out.append(PostTurnover(district="*", principals=total[0],
                                principals_changed=total[1], superintendents=total[2],
                                superintendents_changed=total[3]))
    return tuple(out)


def _vacancies(graph: AlignmentGraph, day: pendulum.Date
               ) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The key seats that emptied on the refresh's day."""
    from ._turnover import turnover

    return tuple((t.team, e.role, e.was) for t in turnover(graph, as_of=day, window="P1D")
                 for e in t.empty if e.since == day)


def _free(ident: str, taken: set[str]) -> str:
    found, n = ident, 2
    while found in taken:
        found, n = f"{ident}-{n}", n + 1
    taken.add(found)
    return found


def _guard(current: AlignmentGraph, roster: set[str], new_units: Mapping[str, Any],
           gone_units: list[Any], gone_people: list[Any], max_change: float) -> None:
    """Refuse a refresh that empties the roster or changes more of it than a year does."""
    units = sum(1 for u in current.units() if u.id in roster)
    people = sum(1 for p in current.people() if p.id in roster)
    figures = (f"it would close {len(gone_units):,} of {units:,} units and remove "
               f"{len(gone_people):,} of {people:,} people")
    if units and not new_units:
        raise MassChangeError(f"the new roster holds no unit: {figures}; check that the "
                              "export is the right one (mtss import said what it read); "
                              "if it is, confirm with --accept-mass-change")
    for gone, whole, what in ((len(gone_units), units, "units"),
                              (len(gone_people), people, "people")):
        if whole >= _GUARDED_FROM and gone > max_change * whole:
            raise MassChangeError(
                f"{figures}: {gone / whole:.0%} of the roster's {what}, more than "
                f"{max_change:.0%}; a year's turnover is far less, so check the export; "
                "if it is right, confirm with --accept-mass-change")


def _brought(current: AlignmentGraph, new_graph: AlignmentGraph, layer: list[Any],
             notes: list[str]) -> list[Any]:
    """The layer objects the new document holds itself (an import with ``--overlay``):
    those the current layer lacks are added and named; where both hold one, the current
    layer's is kept, and a difference is named."""
    have: dict[Any, Any] = {o.id: o for o in layer}
    have.update((m.key, m) for m in current.memberships(history=True))
    added: list[Any] = []
    differ: list[str] = []
    for o in [*new_graph, *new_graph.memberships(history=True)]:
        if isinstance(o, OrgUnit | Person):
            continue
        key = o.key if isinstance(o, Membership) else o.id
        mine = have.get(key)
        if mine is None:
            added.append(o)
        elif mine != o:
            differ.append(f"seat {o.person} on {o.team}" if isinstance(o, Membership)
                          else o.id)
    if added:
        shown = ", ".join(f"seat {o.person} on {o.team}" if isinstance(o, Membership)
                          else o.id for o in added[:10])
        more = f" and {len(added) - 10} more" if len(added) > 10 else ""
        notes.append(f"{len(added)} layer object(s) the new document holds were added: "
                     f"{shown}{more}")
    if differ:
        notes.append(f"{len(differ)} layer object(s) differ in the new document; the current "
                     f"layer's are kept: {', '.join(differ[:10])}"
                     + (f" and {len(differ) - 10} more" if len(differ) > 10 else ""))
    return added


def _kept(current: AlignmentGraph, units: set[str], people: set[str],
          layer: list[Any]) -> set[str]:
    """The units and people gone from the roster that the next structure keeps: those a
    layer object or a seat refers to, and (for those) the units they refer to in turn."""
    keep: set[str] = set()
    layer_ids = {o.id for o in layer}
    seated = {m.person for m in current.memberships(history=True)}
    kinds = sorted(current.types.edge_keys)
    frontier = [i for i in (*units, *people)
                if i in seated or any(r in layer_ids for k in kinds
                                      for r in current.referrers(i, k))]
    while frontier:
        ident = frontier.pop()
        if ident in keep:
            continue
        keep.add(ident)
        obj = current[ident]
        # what a kept unit or person refers to must be there too: a parent, a base unit
        targets = ({obj.parent} if isinstance(obj, OrgUnit)
                   else _units_of(obj) if isinstance(obj, Person) else set())
        frontier += [t for t in targets if t in units]
    return keep


def _closed(current: AlignmentGraph, unit: OrgUnit, ended: list[tuple[str, str]],
            kept: bool) -> ClosedUnit:
    inside = {unit.id, *(u.id for u in current.descendants(unit.id))}
    teams = [t.id for t in current.teams() if t.unit in inside]
    products = [p.id for owner in (*inside, *teams) for p in current.products_of(owner)]
    return ClosedUnit(unit=unit.id, name=label(unit), teams=tuple(teams),
                      products=tuple(products), ended=tuple(ended), kept=kept)


def _changed(current: AlignmentGraph, new_units: dict[str, OrgUnit]
             ) -> Iterable[tuple[str, tuple[str, ...]]]:
    for uid, unit in new_units.items():
        old = current.get(uid)
        if isinstance(old, OrgUnit):
            fields = tuple(f for f in ("name", "kind", "parent", "grades")
                           if getattr(old, f) != getattr(unit, f))
            if fields:
                yield uid, fields


def _refused(errors: list[IntegrityError]) -> ModelError:
    """The layer does not fit the new roster (a team serving a unit that changed kind)."""
    shown = "; ".join(e.message for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return ModelError(f"the MTSS layer does not fit the new roster: {shown}{more}")
