"""Building blocks of the shipped rules' ``reads`` declarations.

Each is a function of ``(graph, ctx, edit)`` returning the ids of the subjects an edit
affects (or :data:`ALL`), made only from the public protocol: a custom rule can use the
same shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..graph import AlignmentGraph
from ..model import TYPES
from ._protocol import ALL, Affects, Edit, RuleContext, _All

__all__ = ["ITSELF", "ITS_UNIT", "UNCHANGED", "ids_in", "itself", "structural",
           "teams_of_unit", "with_person"]

Found = Iterable[str] | _All
PerObject = Callable[[AlignmentGraph, RuleContext, Any], Iterable[str]]


def itself(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
    """The edited object is the (only) subject it affects."""
    return {o.id for o in edit.versions}


def ids_in(*fields: str) -> Affects:
    """The subjects named in ``fields`` of the object before and after (a meeting's team,
    a record's unit)."""
    def affects(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
        return {value for o in edit.versions for f in fields
                if (value := getattr(o, f)) is not None}
    return affects


def teams_of_unit(field: str = "unit") -> Affects:
    """The teams serving the unit named in ``field`` (a stage record changes whether its
    unit's teams are implementing)."""
    def affects(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> set[str]:
        return {t.id for o in edit.versions if (unit := getattr(o, field)) in graph
                for t in graph.teams_of(unit)}
    return affects


def structural(when_added_or_removed: PerObject) -> Affects:
    """For org units and teams.  Added or removed, nothing refers to one, so only the
    subjects ``when_added_or_removed`` names for it can change; changed in place (moved,
    re-kinded) anything can: :data:`ALL`."""
    def affects(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> Found:
        if edit.old is not None and edit.new is not None:
            return ALL
        return when_added_or_removed(graph, ctx, edit.versions[0])
    return affects


#: A unit or team added or removed changes none of the rule's findings (changed in place:
#: any of them).
UNCHANGED = structural(lambda graph, ctx, obj: ())
#: A unit or team added or removed changes its own findings.
ITSELF = structural(lambda graph, ctx, obj: (obj.id,))
#: A team added or removed changes the findings of the unit it serves.
ITS_UNIT = structural(lambda graph, ctx, team: (team.unit,))

_PRODUCTS = TYPES.group("product")


def with_person(reads: Mapping[str, Affects]) -> dict[str, Affects]:
    """``reads`` with an entry for people: a person added has nothing referring to them
    yet and one is removed only once nothing does, so only a change in place matters;
    it is judged as if each of the person's seats and products had just been added."""
    def person(graph: AlignmentGraph, ctx: RuleContext, edit: Edit) -> Found:
        if edit.old is None or edit.new is None:
            return ()
        found: set[str] = set()
        pid = getattr(edit.new, "id", "")
        held: list[Any] = []
        if "membership" in reads:
            held.extend(graph.memberships_of(pid, history=True))
        if any(t in reads for t in _PRODUCTS):
            held.extend(graph.products_of(pid))
        for obj in held:
            affects = reads.get(getattr(obj, "type_name", "membership"))
            if affects is None:
                continue
            if affects is ALL:
                return ALL
            more = affects(graph, ctx, Edit(None, obj))  # type: ignore[operator]
            if more is ALL:
                return ALL
            found.update(more)  # type: ignore[arg-type]
        return found
    return {**reads, "person": person}
