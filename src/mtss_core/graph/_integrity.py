"""The graph's invariants: what may be added, and what a lenient build keeps.

Every check here reads the graph's object-type registry (:class:`~mtss_core.model.Registry`):
the references each type makes, the types they may name and which ones an object can live
without.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import (
    CycleError,
    DanglingReferenceError,
    DuplicateIdError,
    IntegrityError,
    ParentKindError,
)
from ..model import (
    PARENT_KINDS,
    TEAM_UNIT_KINDS,
    FocusArea,
    Membership,
    ModelObject,
    OrgUnit,
    Product,
    Registry,
    Team,
    UnitKind,
    ref,
)

__all__ = ["batch_errors", "lenient_batch", "reference_errors", "subject_of"]

Find = Callable[[str], Any]


def subject_of(obj: ModelObject) -> str:
    """The id an integrity problem about ``obj`` is filed under (a membership's team)."""
    return obj.team if isinstance(obj, Membership) else obj.id


def _expected(targets: tuple[str, ...], types: Registry) -> str:
    products = types.group("product")
    if products and set(targets) == set(products):
        return "a product"
    nouns = ["org unit" if t == "unit" else types[t].singular for t in targets]
    return " or ".join(("an " if n[0] in "aeiou" else "a ") + n for n in nouns)


def reference_errors(obj: ModelObject, find: Find, types: Registry) -> list[IntegrityError]:
    """Dangling references and wrong kinds of parent, owner or district."""
    errs: list[IntegrityError] = []
    subject = subject_of(obj)
    found: dict[str, Any] = {}
    for reference, target_id in types.of(obj).refs(obj):
        target = find(target_id)
        if target is not None and getattr(target, "type_name", "membership") in \
                reference.targets:
            found[reference.field] = target
            continue
        if target is None:
            message = f"{ref(obj)}: {reference.field} {target_id!r} is not in the graph"
        else:
            message = (f"{ref(obj)}: {reference.field} {target_id!r} is {ref(target)}, "
                       f"expected {_expected(reference.targets, types)}")
        errs.append(DanglingReferenceError(message, subject=subject, field=reference.field,
                                           related=(target_id,), obj=obj))
        found[reference.field] = None
    if isinstance(obj, OrgUnit):
        parent, allowed = found.get("parent"), PARENT_KINDS[obj.kind]
        if obj.parent is None and None not in allowed:
            errs.append(ParentKindError(
                f"{ref(obj)} has no parent; a {obj.kind.value} must sit under "
                f"{_kinds_phrase(allowed)}", subject=obj.id, field="parent", obj=obj))
        elif parent is not None and parent.kind not in allowed:
            errs.append(ParentKindError(
                f"{ref(obj)} cannot sit under {ref(parent)}; "
                f"a {obj.kind.value} sits under {_kinds_phrase(allowed)}",
                subject=obj.id, field="parent", related=(parent.id,), obj=obj))
    elif isinstance(obj, Team):
        unit, allowed_units = found.get("unit"), TEAM_UNIT_KINDS[obj.kind]
        if unit is not None and unit.kind not in allowed_units:
            errs.append(ParentKindError(
                f"{ref(obj)} cannot serve {ref(unit)}; "
                f"a {obj.kind.label} serves {_kinds_phrase(allowed_units)}",
                subject=obj.id, field="unit", related=(unit.id,), obj=obj))
    elif isinstance(obj, Product):
        target = found.get("aligned_to")
        if target is not None and target.kind is not obj.kind:
            errs.append(DanglingReferenceError(
                f"{ref(obj)}: aligned_to {target.id!r} is {ref(target)}, "
                f"expected a {obj.kind.value}", subject=obj.id, field="aligned_to",
                related=(target.id,), obj=obj))
    elif isinstance(obj, FocusArea):
        district = found.get("district")
        if district is not None and district.kind is not UnitKind.DISTRICT:
            errs.append(ParentKindError(
                f"{ref(obj)}: district {district.id!r} is {ref(district)}; "
                "priority focus areas belong to a district", subject=obj.id, field="district",
                related=(district.id,), obj=obj))
    return errs


def batch_errors(batch: list[ModelObject], node: dict[str, Any],
                 has_membership: Callable[[str, str], bool], types: Registry
                 ) -> list[IntegrityError]:
    """Every invariant that adding ``batch`` to a graph whose nodes are ``node`` would
    break, in input order."""
    errors: list[IntegrityError] = []
    new: dict[str, ModelObject] = {}
    new_members: set[tuple[str, str]] = set()
    for obj in batch:
        if isinstance(obj, Membership):
            if obj.key in new_members or has_membership(obj.team, obj.person):
                errors.append(DuplicateIdError(
                    f"person {obj.person!r} is already a member of team {obj.team!r}",
                    subject=obj.team, field="person", related=(obj.person,), obj=obj))
            new_members.add(obj.key)
        elif obj.id in new or obj.id in node:
            other = new.get(obj.id) or node[obj.id]
            first, second = ref(other), ref(obj)
            what = (f"by two objects, each {first}" if first == second
                    else f"by {first} and by {second}")
            errors.append(DuplicateIdError(
                f"id {obj.id!r} is used twice: {what}",
                subject=obj.id, field="id", related=(obj.id,), obj=obj))
        else:
            new[obj.id] = obj

    def find(target: str) -> object | None:
        found = new.get(target)
        if found is None:
            return node.get(target)
        return found

    for obj in batch:
        errors.extend(reference_errors(obj, find, types))
    errors.extend(_unit_cycles(new, find))
    return errors


def move_errors(unit: OrgUnit, find: Find) -> list[IntegrityError]:
    """A unit moved under its own descendant."""
    if unit.parent is None:
        return []
    seen, cur = {unit.id}, find(unit.parent)
    while isinstance(cur, OrgUnit):
        if cur.id in seen:
            return [CycleError(f"{ref(unit)} cannot sit under {unit.parent!r}, which is below "
                               "it", subject=unit.id, field="parent",
                               related=(unit.parent,), obj=unit)]
        seen.add(cur.id)
        cur = None if cur.parent is None else find(cur.parent)
    return []


def kind_change_errors(unit: OrgUnit, dependents: Iterable[ModelObject], find: Find,
                       types: Registry) -> list[IntegrityError]:
    """A unit whose new kind would leave a unit, team or focus area that refers to it
    under the wrong kind of unit (a district with schools made a department): what
    adding them to the changed graph would refuse, filed under the unit."""
    for dependent in dependents:
        for err in reference_errors(dependent, find, types):
            if isinstance(err, ParentKindError) and unit.id in err.related:
                return [ParentKindError(
                    f"{ref(unit)} cannot become a {unit.kind.value}: {err.message}",
                    subject=unit.id, field="kind", related=(subject_of(dependent),),
                    obj=unit)]
    return []


def _unit_cycles(new: dict[str, ModelObject], find: Find) -> Iterator[IntegrityError]:
    """Loops among the parents of new units (existing units cannot point at new ones)."""
    done: set[str] = set()
    for start, obj in new.items():
        if not isinstance(obj, OrgUnit) or start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        cur: Any = obj
        while isinstance(cur, OrgUnit) and cur.id in new and cur.id not in done:
            if cur.id in on_path:
                loop = path[path.index(cur.id):]
                first = min(loop)
                yield CycleError(
                    "org units form a loop through their parents: "
                    + " -> ".join([*loop, loop[0]]),
                    subject=first, field="parent", related=tuple(sorted(loop)),
                    obj=find(first))
                break
            path.append(cur.id)
            on_path.add(cur.id)
            cur = None if cur.parent is None else find(cur.parent)
        done.update(path)


def _kinds_phrase(kinds: Iterable[UnitKind | None]) -> str:
    names = sorted(("an ISD" if k is UnitKind.ISD else f"a {k.value}") if k is not None else ""
                   for k in kinds)
    return " or ".join(n for n in names if n) or "nothing"


def _optional(obj: object, field: str | None, types: Registry) -> bool:
    if field is None:
        return False
    try:
        return types.of(obj).reference(field).optional
    except KeyError:
        return False


def _drop_references(batch: list[ModelObject], errors: list[IntegrityError],
                     problems: list[IntegrityError], types: Registry
                     ) -> list[ModelObject] | None:
    """The batch with every optional dangling reference dropped (and reported in
    ``problems``), or ``None`` when there is none."""
    bad: dict[int, dict[str, set[str]]] = {}
    for err in errors:
        obj = err.obj
        if type(err) is DanglingReferenceError and _optional(obj, err.field, types):
            assert err.field is not None
            bad.setdefault(id(obj), {}).setdefault(err.field, set()).update(err.related)
            problems.append(DanglingReferenceError(
                f"{err.message}; dropped from {err.field}, the {types.of(obj).singular} kept",
                subject=err.subject, field=err.field, related=err.related, obj=obj))
    if not bad:
        return None
    out = []
    for obj in batch:
        for field, targets in bad.get(id(obj), {}).items():
            obj = types.of(obj).reference(field).without(obj, targets)
        out.append(obj)
    return out


def lenient_batch(batch: list[ModelObject], node: dict[str, Any],
                  errors_of: Callable[[list[ModelObject]], list[IntegrityError]],
                  types: Registry) -> tuple[list[ModelObject], list[IntegrityError]]:
    """What a lenient build keeps of ``batch``, and every problem it found.

    A dangling reference the object can do without is dropped and the object kept; one
    it cannot live without refuses the object, as do a second object with a taken id,
    units in a loop and anything that needs a refused object.  A unit under the wrong
    kind of parent is kept.
    """
    problems: list[IntegrityError] = []
    while True:
        errors = errors_of(batch)
        dropped = _drop_references(batch, errors, problems, types)
        if dropped is None:
            break
        batch = dropped
    refused: set[int] = set()  # id() of refused objects
    for err in errors:
        if isinstance(err, CycleError):
            refused.update(id(o) for o in batch
                           if isinstance(o, OrgUnit) and o.id in err.related)
        elif not isinstance(err, ParentKindError):
            refused.add(id(err.obj))
    # anything that needs a refused object is refused in turn; a reference it can do
    # without is dropped instead
    while True:
        present = {o.id for o in batch
                   if id(o) not in refused and not isinstance(o, Membership)}
        changed = False
        for i, o in enumerate(batch):
            if id(o) in refused:
                continue
            kind = types.of(o)
            missing = [(r, t) for r, t in kind.refs(o) if t not in present and t not in node]
            if not missing:
                continue
            changed = True
            needed = [(r, t) for r, t in missing if not r.optional]
            if needed:
                refused.add(id(o))
                if not any(e.obj is o for e in errors):
                    errors.append(DanglingReferenceError(
                        f"{ref(o)} refers to {needed[0][1]!r}, which was refused",
                        subject=subject_of(o), related=tuple(t for _, t in needed), obj=o))
                continue
            repaired: Any = o
            for reference, target in missing:
                repaired = reference.without(repaired, {target})
                problems.append(DanglingReferenceError(
                    f"{ref(o)}: {reference.field} {target!r} was refused; dropped from "
                    f"{reference.field}, the {kind.singular} kept", subject=subject_of(o),
                    field=reference.field, related=(target,), obj=o))
            batch[i] = repaired
        if not changed:
            break
    return [o for o in batch if id(o) not in refused], [*problems, *errors]
