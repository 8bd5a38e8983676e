"""A vendor's extension, importable (so process pools and the command line load it by
name): a type of object of its own, and a rule about it."""

from __future__ import annotations

import attrs

from mtss_core import Violation, rule
from mtss_core.model import TYPES, ObjectType, Reference, fields


@attrs.frozen(kw_only=True)
class Intervention:
    """An intervention a school runs, owned by one of its teams."""

    id: str = attrs.field(validator=fields.valid_id)
    team: str = attrs.field(validator=fields.valid_id)
    name: str = attrs.field(default="", validator=fields.valid_text)
    tier: int = attrs.field(default=2)


INTERVENTION = ObjectType("intervention", Intervention, "interventions", "intervention",
                          "interventions",
                          (Reference("team", "run_by", "team", home=True),))
TYPES_WITH_INTERVENTIONS = TYPES.extend([INTERVENTION])


@rule(code="ACME100", name="tier-three-without-name", severity="warning",
      subjects="intervention", reads={"intervention": lambda graph, ctx, edit: [
          o.id for o in edit.versions]})
def tier_three_without_name(graph, ctx, item):
    "A tier 3 intervention with no name."
    if item.tier == 3 and not item.name:
        return Violation(subject=item.id, message=f"intervention {item.id} has no name")
    return None
