"""STR: what a lenient build refused or doubted, as findings (duplicate ids, dangling
references, wrong kinds of parent, cycles)."""

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
from ._protocol import RuleContext, Violation, rule

__all__ = ['cycle', 'dangling_reference', 'duplicate_id', 'wrong_parent_kind']

#: The family of codes this module declares.
PREFIX = "STR"


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


#: The family's rules, in code order.
RULES = (duplicate_id, dangling_reference, wrong_parent_kind, cycle)
