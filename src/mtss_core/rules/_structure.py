"""Structure rules: what a lenient build refused or doubted, as findings; and ISD support."""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import (
    CycleError,
    DanglingReferenceError,
    DuplicateIdError,
    IntegrityError,
    ParentKindError,
)
from ..graph import AlignmentGraph
from ..model import OrgUnit, UnitKind, label
from ._protocol import RuleContext, Violation, rule
from .reads import ITSELF, structural

__all__ = [
    "cycle",
    "dangling_reference",
    "district_without_isd",
    "duplicate_id",
    "isd_not_formal_partner",
    "wrong_parent_kind",
]

_HINTS = {
    DuplicateIdError: "give each object its own id (or drop the second copy)",
    DanglingReferenceError: "add the missing object, or correct the id",
    ParentKindError: "move the object under a unit of the kind it needs",
    CycleError: "correct one parent so the units form a tree",
}


def _problems(graph: AlignmentGraph, kind: type[IntegrityError]) -> Iterator[Violation]:
    for err in graph.integrity_problems:
        if type(err) is kind:
            yield Violation(subject=err.subject, message=err.message, hint=_HINTS[kind],
                            related=err.related)


def _structure_rule(kind: type[IntegrityError], code: str, name: str, summary: str,
                    why: str, example: str) -> object:
    def check(graph: AlignmentGraph, ctx: RuleContext) -> Iterator[Violation]:
        return _problems(graph, kind)

    check.__doc__ = summary
    # what a lenient build refused is fixed when the graph is built: no edit changes it
    return rule(code=code, name=name, severity="error", source="(integrity)", reads={},
                labels_only=True,
                why=why + (" A strict build refuses such input with a typed error; a "
                           "lenient build (AlignmentGraph.lenient, load(..., strict=False)) "
                           "keeps what is sound and reports this finding."),
                fix=_HINTS[kind][0].upper() + _HINTS[kind][1:] + ".", example=example)(check)


duplicate_id = _structure_rule(
    DuplicateIdError, "STR001", "duplicate-id", "Two objects share one id.",
    "Ids are how everything else refers to an object; a shared id makes every reference "
    "to it ambiguous.", "Two units both use id 'sch-1': STR001 fires on 'sch-1'.")
dangling_reference = _structure_rule(
    DanglingReferenceError, "STR002", "dangling-reference",
    "A reference to an object that is not there (or is of the wrong type).",
    "A team serving a unit that does not exist, or a vision aligned to nothing real, "
    "cannot be placed in the structure.",
    "A school's parent is 'dist-9', which no unit has as id: STR002 fires on the school.")
wrong_parent_kind = _structure_rule(
    ParentKindError, "STR003", "wrong-parent-kind",
    "A unit, team or focus area under the wrong kind of unit.",
    "The levels form a tree: schools under districts, districts under ISDs or the state. "
    "A school under a school breaks every check that walks the levels.",
    "School 'sch-annex' has school 'sch-main' as its parent: STR003 fires on 'sch-annex'.")
cycle = _structure_rule(
    CycleError, "STR004", "unit-cycle", "Org units whose parents form a loop.",
    "A loop of parents has no top: no district, ISD or state to align to.",
    "Course 'c1' sits under 'c2' and 'c2' under 'c1': STR004 fires on 'c1'.")


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
    return not_a_partner(graph, unit)


def not_a_partner(graph: AlignmentGraph, unit: OrgUnit) -> Violation | None:
    """SUP001 for one unit: an ISD with ``formal_partner`` false."""
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
    return no_isd_above(graph, unit)


def no_isd_above(graph: AlignmentGraph, unit: OrgUnit) -> Violation | None:
    """SUP002 for one unit: a district with no ISD among its ancestors."""
    if unit.kind is not UnitKind.DISTRICT or graph.nearest(unit.id, UnitKind.ISD) is not None:
        return None
    return Violation(
        subject=unit.id,
        message=f"{label(unit)} gets no support from an ISD",
        hint="no action required",
        related=tuple(u.id for u in graph.ancestors(unit.id)))
