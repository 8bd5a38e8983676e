"""Fixes as data: what would make a finding go away, as edits of fields of objects.

Where a fix is mechanical (a vision aligned to the wrong level: set ``aligned_to`` to the
one the level above has), a finding carries it: a :class:`Fix` of :class:`Change`\\ s,
each naming an object by id, a field and what to do with it.  A fix is **safe** when it
only does what the finding's own message says must be so (the one product the level
above has); **unsafe** when it decides something a person should (which of several
targets, adding to what a vision addresses, deleting a record), as ruff splits them.
``mtss validate --fix`` applies the safe ones to the document, ``--unsafe-fixes`` the
rest too; :func:`apply_fix` and :meth:`mtss_core.Session.apply` apply one to a graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from ..errors import ModelError, UnknownIdError
from ..graph import AlignmentGraph

__all__ = ["Change", "Fix", "apply_change", "apply_fix"]

_OPS = ("set", "add", "remove", "delete")


def _op(value: str) -> str:
    if value not in _OPS:
        raise ModelError(f"a change's op is one of {', '.join(_OPS)}, got {value!r}")
    return value


@attrs.frozen(kw_only=True)
class Change:
    """One change of one object: ``set`` a field to ``value``, ``add`` ``value`` to a
    list field or ``remove`` it from one, or ``delete`` the object (no field).

    >>> Change(target="v-cedar-high", field="aligned_to", value="v-cedar").to_dict()
    {'target': 'v-cedar-high', 'op': 'set', 'field': 'aligned_to', 'value': 'v-cedar'}
    """

    target: str
    field: str | None = None
    op: str = attrs.field(default="set", converter=_op)
    value: Any = None

    def __attrs_post_init__(self) -> None:
        if (self.op == "delete") != (self.field is None):
            raise ModelError("a change names a field, except a delete, which names none")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"target": self.target, "op": self.op}
        if self.field is not None:
            out["field"] = self.field
        if self.op != "delete":
            out["value"] = self.value
        return out

    def __str__(self) -> str:
        if self.op == "delete":
            return f"delete {self.target!r}"
        if self.op == "set":
            return f"set {self.target}.{self.field} to {self.value!r}"
        word = "to" if self.op == "add" else "from"
        return f"{self.op} {self.value!r} {word} {self.target}.{self.field}"


def _changes(value: Iterable[Change]) -> tuple[Change, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Fix:
    """What would resolve a finding: changes, and whether applying them is safe.

    >>> fix = Fix(title="align v-cedar-high to v-cedar",
    ...           changes=[Change(target="v-cedar-high", field="aligned_to", value="v-cedar")])
    >>> fix.safe, str(fix.changes[0])
    (True, "set v-cedar-high.aligned_to to 'v-cedar'")
    """

    title: str
    changes: tuple[Change, ...] = attrs.field(converter=_changes)
    safe: bool = True

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as the JSON output carries it."""
        return {"title": self.title, "safe": self.safe,
                "changes": [c.to_dict() for c in self.changes]}


def apply_fix(graph: AlignmentGraph, fix: Fix) -> None:
    """Make ``fix``'s changes in ``graph`` (each a :meth:`~AlignmentGraph.replace` or a
    removal), all or nothing: a change the graph refuses undoes the ones made before it.

    >>> from mtss_core import example, validate, Config
    >>> g = example()
    >>> (finding,) = [f for f in validate(g) if f.subject == "v-cedar-high"]
    >>> apply_fix(g, finding.fix)
    >>> g["v-cedar-high"].aligned_to
    'v-cedar'
    """
    done: list[tuple[str, Any]] = []
    try:
        for change in fix.changes:
            old = graph.get(change.target)
            if old is None:
                raise UnknownIdError(change.target)
            if change.op == "delete":
                graph.remove(change.target)
                done.append(("add", old))
                continue
            graph.replace(apply_change(old, change))
            done.append(("replace", old))
    except Exception:
        for how, obj in reversed(done):
            if how == "add":
                graph.add(obj)
            else:
                graph.replace(obj)
        raise


def apply_change(obj: Any, change: Change) -> Any:
    """``obj`` with ``change`` made to one of its fields (not a delete)."""
    assert change.field is not None
    current = getattr(obj, change.field)
    if change.op == "set":
        value = change.value
    elif change.op == "add":
        value = (*current, change.value) if change.value not in current else current
    else:
        value = tuple(v for v in current if v != change.value)
    return attrs.evolve(obj, **{change.field: value})
