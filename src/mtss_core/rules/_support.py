"""SUP: ISD support: ISDs that are not formal partners, districts no ISD supports."""

from __future__ import annotations

from ..graph import AlignmentGraph
from ..model import OrgUnit, UnitKind, label
from ._protocol import RuleContext, Violation, rule
from .reads import ITSELF, structural

__all__ = ['district_without_isd', 'isd_not_formal_partner']

#: The family of codes this module declares.
PREFIX = "SUP"


@rule(
    code="SUP001",
    name="isd-not-formal-partner",
    severity="info",
    source="MIBLSI executive leadership",
    why=("Not every ISD is a formal partner of the state's MTSS program (MIBLSI), and that "
         "is legal; but MTSS works best when the ISD and its districts collaborate. This is "
         "information for planning, never an error."),
    fix="Nothing is required. Consider a partnership, or plan district support without one.",
    example="ISD 'isd-north' has formal_partner false: SUP001 notes it.",
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.ISD),
    # an ISD lists its units among the related ids: a unit added or removed changes the
    # findings of the unit itself and of the ISD above it
    reads={"unit": structural(lambda graph, ctx, unit: (unit.id, *(
        () if unit.parent is None else (unit.parent,))))},
    labels_only=True,
)
def isd_not_formal_partner(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                           ) -> Violation | None:
    """An ISD that is not a formal partner of the state's MTSS program (information)."""
    if unit.kind is not UnitKind.ISD or unit.formal_partner is not False:
        return None
    return Violation(
        subject=unit.id,
        message=f"{label(unit)} is not a formal partner of the state's MTSS program",
        hint="no action required; plan district support accordingly",
        related=(*(u.id for u in graph.children(unit.id)),
                 *(() if unit.parent is None else (unit.parent,))))


@rule(
    code="SUP002",
    name="district-without-isd",
    severity="info",
    source="MIBLSI executive leadership",
    why=("Not all districts receive MTSS support from an ISD, and that is legal; the "
         "district then fills the gaps an ISD would help with. This is information, never "
         "an error."),
    fix="Nothing is required. Where an ISD exists, place the district under it.",
    example="District 'dist-solo' sits directly under the state: SUP002 notes it.",
    subjects="unit",
    select=lambda graph, ctx: graph.units(UnitKind.DISTRICT),
    reads={"unit": ITSELF},
    labels_only=True,
)
def district_without_isd(graph: AlignmentGraph, ctx: RuleContext, unit: OrgUnit
                         ) -> Violation | None:
    """A district with no ISD above it (information)."""
    if unit.kind is not UnitKind.DISTRICT or graph.nearest(unit.id, UnitKind.ISD) is not None:
        return None
    return Violation(
        subject=unit.id,
        message=f"{label(unit)} gets no support from an ISD",
        hint="no action required",
        related=tuple(u.id for u in graph.ancestors(unit.id)))


#: The family's rules, in code order.
RULES = (isd_not_formal_partner, district_without_isd)
