"""How far each district has come: whether it has started an MTSS layer of its own, and
its implementation stage when one is recorded.

Progress is decided unit by unit, not for a whole structure: a state directory with one
pilot district holds one district that has started and many that have not.  The units
progress is decided for (*progress units*) are the districts, each with its schools and
their grades, departments and courses; each ISD and state for its own level (its teams
and products); and a school that stands on its own (a charter with no district above).
A progress unit has **started** when anything of an MTSS layer is there: a team serving
it or a unit in it, a product owned by one of those units, teams or the people based
there, or (for a district) a priority focus area.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import attrs
import pendulum

from ..model import OrgUnit, Person, Stage, UnitKind, to_date
from ._place import follow_home
from ._queries import OWNED_BY
from ._store import AlignmentGraph

__all__ = ["UnitProgress", "home_unit", "inactive", "progress", "progress_unit"]

_LEVELS = frozenset({UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT})
#: Kinds whose progress unit is not simply their parent's (a school under an ISD stands
#: on its own): worked out by :func:`progress_unit`.
_OWN = frozenset({*_LEVELS, UnitKind.SCHOOL})
_RANK = {UnitKind.STATE: 0, UnitKind.ISD: 1, UnitKind.DISTRICT: 2}
_RANK.update((k, 3) for k in UnitKind if k not in _RANK)


@attrs.frozen
class UnitProgress:
    """Where one progress unit stands: started or not, and its latest implementation
    stage (of MTSS) on the as-of date, when one is recorded."""

    unit: str
    kind: UnitKind
    started: bool
    stage: Stage | None = None
    #: When the unit entered ``stage``.
    since: pendulum.Date | None = None

    @property
    def status(self) -> str:
        """``not-started``, ``started``, or the stage (``initial-implementation``)."""
        if self.stage is not None:
            return self.stage.value
        return "started" if self.started else "not-started"

    def to_dict(self) -> dict[str, object]:
        return {"unit": self.unit, "kind": self.kind.value, "started": self.started,
                "status": self.status,
                "stage": None if self.stage is None else self.stage.value,
                "since": None if self.since is None else self.since.isoformat()}


def progress_unit(graph: AlignmentGraph, unit_id: str, memo: dict[str, str] | None = None
                  ) -> str:
    """The unit whose progress ``unit_id`` shares: its district (a school, a grade); an
    ISD's or state's own level (itself, its central-office departments); a school with
    no district above, itself.

    >>> from mtss_core import example
    >>> progress_unit(example(), "grade-cedar-k"), progress_unit(example(), "isd-lakeshore")
    ('dist-cedar', 'isd-lakeshore')
    """
    memo = {} if memo is None else memo
    found = memo.get(unit_id)
    if found is not None:
        return found
    path = []
    node = graph._node
    unit: OrgUnit = node[unit_id]
    result = unit_id
    while True:
        path.append(unit.id)
        if unit.id in memo:
            result = memo[unit.id]
            break
        if unit.kind in _LEVELS:
            result = unit.id
            break
        parent = None if unit.parent is None else node[unit.parent]
        if parent is None:
            result = unit.id
            break
        if unit.kind is UnitKind.SCHOOL and parent.kind is not UnitKind.DISTRICT:
            result = unit.id  # a school no district holds stands on its own
            break
        unit = parent
    for u in path:
        memo[u] = result
    return result


def home_unit(graph: AlignmentGraph, id: str) -> str | None:
    """The org unit an object belongs to: a unit itself, a team's unit, a person's base
    (or the unit of their first team), and for every other object the unit its home
    reference leads to (a product's owner's, a meeting's team's, a waiver's subject's).

    >>> from mtss_core import example
    >>> home_unit(example(), "v-okafor"), home_unit(example(), "fa-maple-literacy")
    ('sch-lincoln', 'dist-maple')
    """
    def base(person: Any) -> str | None:
        if person.unit is not None:
            return str(person.unit)
        seats = graph.memberships_of(person.id)
        return None if not seats else str(seats[0].team)

    found = follow_home(graph, id, base)
    if found is None:
        return None
    obj = graph._node[found]
    return str(obj.unit) if obj.type_name == "team" else found


def _started(graph: AlignmentGraph, memo: dict[str, str]) -> set[str]:
    """The progress units with anything of an MTSS layer."""
    node = graph._node

    def of(unit_ids: Iterable[str]) -> set[str]:  # each distinct unit once
        return {memo[u] if u in memo else progress_unit(graph, u, memo) for u in unit_ids}

    units = set()  # every unit's progress unit, most from its parent's (parents come first)
    get = memo.get
    for unit in graph._by_type["unit"].values():
        up = None if unit.kind in _OWN else get(unit.parent)
        if up is None:
            up = progress_unit(graph, unit.id, memo)
        else:
            memo[unit.id] = up
        units.add(up)

    started = of({team.unit for team in graph.teams()})
    started |= of({area.district for area in graph.all_focus_areas()})
    waiting = units - started
    if not waiting:
        return started

    def place(unit: str | None) -> bool:
        """Count ``unit``'s progress unit as started; whether every one now is."""
        if unit is not None:
            waiting.discard(memo[unit] if unit in memo else progress_unit(graph, unit, memo))
        return not waiting

    # products: the owners of units' and teams' first, from the graph's index (a few per
    # level; a team's unit has started already), then, only if some progress unit is
    # still without a layer, the people's (based at a unit: a person with none counts
    # from their first team, whose unit has started)
    kinds = frozenset(graph.types.group("product"))
    for owner, sources in graph._refd[OWNED_BY].items():
        name = node[owner].type_name
        if name == "team" or not any(node[s].type_name in kinds for s in sources):
            continue
        if place(owner if name == "unit" else home_unit(graph, owner)):
            return units
    for name in kinds:
        for product in graph.objects(name):
            person = node[product.owner]
            if type(person) is Person and person.unit is not None and place(person.unit):
                return units
    return units - waiting


def progress(graph: AlignmentGraph, as_of: pendulum.Date | str | None = None,
             units: Iterable[str] | None = None) -> tuple[UnitProgress, ...]:
    """The progress of every progress unit (or of ``units``), states first, then ISDs,
    districts and schools with no district, each by id (``d2`` before ``d10``): its
    MTSS stage is the latest stage record on or before ``as_of`` (without a date: the
    latest recorded).

    >>> from mtss_core import example
    >>> [(p.unit, p.status) for p in progress(example(), "2025-01-01")]
    [('isd-lakeshore', 'started'), ('dist-cedar', 'installation'), \
('dist-maple', 'initial-implementation')]
    """
    day = to_date(as_of)
    memo: dict[str, str] = {}
    started = _started(graph, memo)
    wanted = None if units is None else set(units)
    out = []
    for unit in graph.units():  # (the memo holds every unit's once started is known)
        if (memo.get(unit.id) or progress_unit(graph, unit.id, memo)) != unit.id:
            continue
        if wanted is not None and unit.id not in wanted:
            continue
        if unit.closed_on is not None and (day is None or unit.closed_on <= day):
            continue  # closed: kept as history, no longer progressing
        stage = since = None
        for record in graph.stage_records(unit.id):
            if (record.innovation == "mtss" and (day is None or record.entered_on <= day)
                    and (since is None or record.entered_on >= since)):
                stage, since = record.stage, record.entered_on
        out.append(UnitProgress(unit.id, unit.kind, unit.id in started, stage, since))
    return tuple(sorted(out, key=lambda p: (_RANK[p.kind], _natural(p.unit))))


def _natural(ident: str) -> tuple[tuple[int, int | str], ...]:
    """``d2`` before ``d10``: digits compared as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", ident) if part)


def inactive(graph: AlignmentGraph, as_of: pendulum.Date | str | None = None
             ) -> dict[str, pendulum.Date]:
    """The units closed and the people gone on ``as_of`` (without a date: every one with
    a ``closed_on`` or ``left_on``), each with the date; a closed unit's units below it
    count as closed with it.  A refresh keeps them because the MTSS layer refers to them.

    >>> import attrs
    >>> from mtss_core import example
    >>> g = example()
    >>> g.replace(attrs.evolve(g["sch-cedar-high"], closed_on="2026-06-30"))
    >>> sorted(inactive(g, "2026-09-01"))
    ['dept-cedar-high-ela', 'sch-cedar-high']
    >>> inactive(g, "2026-06-29")
    {}
    """
    day = to_date(as_of)
    found: dict[str, pendulum.Date] = {}
    for unit in graph.units():
        if unit.closed_on is not None and (day is None or unit.closed_on <= day):
            found[unit.id] = unit.closed_on
            for below in graph.descendants(unit.id):
                found.setdefault(below.id, unit.closed_on)
    for person in graph.people():
        if person.left_on is not None and (day is None or person.left_on <= day):
            found[person.id] = person.left_on
    return found


def is_inactive(graph: AlignmentGraph, id: str, gone: dict[str, pendulum.Date]) -> bool:
    """Whether ``id`` is, or belongs to, a unit that closed or a person who left
    (``gone`` from :func:`inactive`): a team of a closed school, a departed teacher's
    vision, a meeting of a closed school's team."""
    if not gone:
        return False
    if id in gone:
        return True

    def person(obj: Any) -> str | None:
        if obj.id in gone:
            return str(obj.id)
        return None if obj.unit is None else str(obj.unit)

    found = follow_home(graph, id, person)
    if found is None:
        return False
    if found in gone:
        return True
    obj = graph._node[found]
    return obj.type_name == "team" and obj.unit in gone
