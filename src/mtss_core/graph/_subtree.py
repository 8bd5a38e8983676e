"""What belongs to a unit's subtree: the unit and everything below it.

The units under it, the teams serving them, the people based at them or seated on those
teams, and every object that hangs off one of those (products by their owner, focus areas
by their district, records by their unit or team, a barrier by the team that raised it, a
protocol by either of its teams).  Reports, status packs and ``validate(root=...)`` use it.
"""

from __future__ import annotations

from ..errors import UnknownIdError
from ..model._core import OrgUnit
from ._queries import MEMBER
from ._store import AlignmentGraph

__all__ = ["subtree"]

#: Per type name: the fields that place an object under a unit, team or person.
HOME_FIELDS: dict[str, tuple[str, ...]] = {
    "vision": ("owner",), "non_negotiables": ("owner",), "improvement_plan": ("owner",),
    "focus_area": ("district",), "data_source": ("unit",), "risk_threshold": ("unit",),
    "meeting": ("team",), "status_update": ("team",), "stage_record": ("unit",),
    "readiness_assessment": ("unit",), "fidelity_assessment": ("unit",),
    "leadership_assessment": ("subject",), "resource_allocation": ("unit",),
    "barrier": ("raised_by",), "protocol": ("from_team", "to_team"), "evidence": ("team",),
}


def subtree(graph: AlignmentGraph, root: str) -> frozenset[str]:
    """The ids of everything in ``root``'s subtree (``root`` an org unit).

    >>> from mtss_core import example
    >>> from mtss_core.graph import subtree
    >>> ids = subtree(example(), "sch-lincoln")
    >>> "t-lincoln-g3" in ids, "v-okafor" in ids, "sch-cedar-high" in ids
    (True, True, False)
    """
    top = graph.get(root)
    if not isinstance(top, OrgUnit):
        raise UnknownIdError(root, "org unit")
    units = {root, *(u.id for u in graph.descendants(root))}
    teams = {t.id for t in graph.teams() if t.unit in units}
    succ = graph._succ
    people = {p.id for p in graph.people()
              if p.unit in units or any(t in teams and MEMBER in keys
                                        for t, keys in succ[p.id].items())}
    inside = units | teams | people
    ids = set(inside)
    for type_name, fields in HOME_FIELDS.items():
        for obj in graph.objects(type_name):
            if any(getattr(obj, f) in inside for f in fields):
                ids.add(obj.id)
    return frozenset(ids)
