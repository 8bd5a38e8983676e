"""The edit values and their plain form (see :mod:`mtss_core.edits`)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import attrs

from ..errors import EditError

__all__ = ["AddItem", "Create", "Delete", "EditOp", "RemoveItem", "Rename", "Seat",
           "SetField", "SetSeat", "Unseat", "did_you_mean", "edit_from_dict",
           "edits_from_data", "edits_schema"]


class _Edit:
    """What every edit shares: its ``op`` and its plain form, every field by name (a
    mapping as a dict of its own, a tuple as a list)."""

    op: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op}
        for a in attrs.fields(type(self)):  # type: ignore[arg-type]
            value = getattr(self, a.name)
            out[a.name] = (dict(value) if isinstance(value, Mapping) else
                           list(value) if isinstance(value, tuple) else value)
        return out


@attrs.frozen(kw_only=True)
class Create(_Edit):
    """Make an object of a registered type from its document entry."""

    op: ClassVar[str] = "create"
    type: str
    object: Mapping[str, Any] = attrs.field(converter=dict)


@attrs.frozen(kw_only=True)
class SetField(_Edit):
    """Set one field of an object (``None`` sets it to its default)."""

    op: ClassVar[str] = "set"
    id: str
    field: str
    value: Any = None


@attrs.frozen(kw_only=True)
class AddItem(_Edit):
    """Add a value to a list field (nothing if it is there already)."""

    op: ClassVar[str] = "add"
    id: str
    field: str
    value: Any


@attrs.frozen(kw_only=True)
class RemoveItem(_Edit):
    """Remove a value from a list field."""

    op: ClassVar[str] = "remove"
    id: str
    field: str
    value: Any


@attrs.frozen(kw_only=True)
class Delete(_Edit):
    """Delete an object no other object refers to."""

    op: ClassVar[str] = "delete"
    id: str


@attrs.frozen(kw_only=True)
class Rename(_Edit):
    """Give an object another id; every reference to it follows."""

    op: ClassVar[str] = "rename"
    id: str
    to: str


@attrs.frozen(kw_only=True)
class Seat(_Edit):
    """Seat a person on a team, with roles, since a date."""

    op: ClassVar[str] = "seat"
    team: str
    person: str
    roles: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    since: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if self.since is None:
            del out["since"]
        return out


@attrs.frozen(kw_only=True)
class Unseat(_Edit):
    """End a person's seat on a team on a date (the seat stays, as history)."""

    op: ClassVar[str] = "unseat"
    team: str
    person: str
    until: str


@attrs.frozen(kw_only=True)
class SetSeat(_Edit):
    """A seat's whole record (its document entry without the team), or ``None`` to take
    the seat away entirely: what undoes a ``seat`` or an ``unseat``."""

    op: ClassVar[str] = "set_seat"
    team: str
    person: str
    seat: Mapping[str, Any] | None = None


EditOp = Create | SetField | AddItem | RemoveItem | Delete | Rename | Seat | Unseat | SetSeat
_CLASSES: dict[str, type[Any]] = {c.op: c for c in (
    Create, SetField, AddItem, RemoveItem, Delete, Rename, Seat, Unseat, SetSeat)}


def edit_from_dict(data: Any, index: int | None = None) -> EditOp:
    """An edit from its plain form (``to_dict()``'s): a typed
    :class:`~mtss_core.errors.EditError` for anything else.

    >>> edit_from_dict({"op": "set", "id": "v-1", "field": "aligned_to", "value": "v-0"})
    SetField(id='v-1', field='aligned_to', value='v-0')
    >>> edit_from_dict({"op": "sett", "id": "v-1"})
    Traceback (most recent call last):
    ...
    mtss_core.errors.EditError: edit 0: unknown op 'sett' (did you mean 'set'?)
    """
    where = 0 if index is None else index
    if isinstance(data, tuple(_CLASSES.values())):
        found: EditOp = data  # type: ignore[assignment]
        return found
    if not isinstance(data, Mapping):
        raise EditError(where, f"an edit is an object with an 'op', got {type(data).__name__}")
    op = data.get("op")
    cls = _CLASSES.get(op) if isinstance(op, str) else None
    if cls is None:
        raise EditError(where, f"unknown op {op!r}" + did_you_mean(str(op), _CLASSES),
                        field="op")
    names = [a.name for a in attrs.fields(cls)]
    unknown = [k for k in data if k != "op" and k not in names]
    if unknown:
        raise EditError(where, f"{op}: unknown key {unknown[0]!r}"
                        + did_you_mean(unknown[0], names), field=unknown[0])
    missing = [a.name for a in attrs.fields(cls)
               if a.default is attrs.NOTHING and a.name not in data]
    if missing:
        raise EditError(where, f"{op}: missing {missing[0]!r}", field=missing[0])
    for key in ("id", "to", "team", "person", "type", "field"):
        if key in data and not (isinstance(data[key], str) and data[key]):
            raise EditError(where, f"{op}: {key!r} must be a non-empty text, got "
                                   f"{data[key]!r}", field=key)
    if op == "create" and not isinstance(data["object"], Mapping):
        raise EditError(where, "create: 'object' must be an object (the document entry)",
                        field="object")
    if op == "seat" and (isinstance(data.get("roles"), str)
                         or not isinstance(data.get("roles", []), list | tuple)):
        raise EditError(where, "seat: 'roles' must be a list", field="roles")
    if op == "set_seat" and data.get("seat") is not None and not isinstance(data["seat"],
                                                                             Mapping):
        raise EditError(where, "set_seat: 'seat' must be an object or null", field="seat")
    return cls(**{k: v for k, v in data.items() if k != "op"})  # type: ignore[no-any-return]


def edits_from_data(data: Any) -> list[EditOp]:
    """A batch of edits from plain data: a list of edit objects (or ``{"edits": [...]}``).

    >>> [e.op for e in edits_from_data([{"op": "delete", "id": "x"}])]
    ['delete']
    """
    if isinstance(data, Mapping) and "edits" in data:
        data = data["edits"]
    if isinstance(data, Mapping | str) or not isinstance(data, Sequence):
        if isinstance(data, Mapping) and "op" in data:
            data = [data]
        else:
            raise EditError(0, "a batch of edits is a list of edit objects")
    return [edit_from_dict(d, i) for i, d in enumerate(data)]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    near = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


# --- the JSON Schema --------------------------------------------------------------------

def edits_schema() -> dict[str, Any]:
    """The JSON Schema of a batch of edits (published as ``edits-1.schema.json``).

    >>> sorted(edits_schema()["$defs"])[:3]
    ['add', 'create', 'delete']
    """
    text = {"type": "string", "minLength": 1}
    any_value: dict[str, Any] = {}
    date = {"type": ["string", "null"], "format": "date"}

    def op(name: str, props: dict[str, Any], required: list[str], doc: str
           ) -> dict[str, Any]:
        return {"type": "object", "description": doc, "additionalProperties": False,
                "required": ["op", *required],
                "properties": {"op": {"const": name}, **props}}

    defs = {
        "create": op("create", {"type": text, "object": {"type": "object"}},
                     ["type", "object"], "Make an object of a registered type (the type as "
                     "its name or its document section names it) from its document entry."),
        "set": op("set", {"id": text, "field": text, "value": any_value},
                  ["id", "field", "value"], "Set a field (null: its default)."),
        "add": op("add", {"id": text, "field": text, "value": any_value},
                  ["id", "field", "value"], "Add a value to a list field."),
        "remove": op("remove", {"id": text, "field": text, "value": any_value},
                     ["id", "field", "value"], "Remove a value from a list field."),
        "delete": op("delete", {"id": text}, ["id"],
                     "Delete an object (refused while others refer to it)."),
        "rename": op("rename", {"id": text, "to": text}, ["id", "to"],
                     "Rename an id; every reference follows."),
        "seat": op("seat", {"team": text, "person": text,
                            "roles": {"type": "array", "items": text}, "since": date},
                   ["team", "person"], "Seat a person on a team."),
        "unseat": op("unseat", {"team": text, "person": text, "until": date},
                     ["team", "person", "until"], "End a seat on a date (kept as history)."),
        "set_seat": op("set_seat", {"team": text, "person": text,
                                    "seat": {"type": ["object", "null"]}},
                       ["team", "person", "seat"],
                       "A seat's whole record, or null to take it away (undoes seat and "
                       "unseat)."),
    }
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://mtss-core.readthedocs.io/schema/edits-1.schema.json",
            "title": "mtss_core edits",
            "description": "A batch of edits to an MTSS structure, applied all or nothing.",
            "type": "array", "items": {"oneOf": [{"$ref": f"#/$defs/{k}"} for k in defs]},
            "$defs": defs}


