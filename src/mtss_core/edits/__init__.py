"""Edits as data: one vocabulary of changes to a structure, addressed by id, that travels
as plain JSON, applies all or nothing and says what it changed.

Every edit is a small frozen value with ``to_dict()``; :func:`edit_from_dict` reads one
back, and ``schema/edits-1.schema.json`` (:func:`edits_schema`) publishes the form:

======================================================================  ===================
``{"op": "create", "type": "vision", "object": {...}}``                  make an object (any
                                                                         registered type, by
                                                                         its name or section)
``{"op": "set", "id": ..., "field": ..., "value": ...}``                 set a field
``{"op": "add" | "remove", "id": ..., "field": ..., "value": ...}``      add to / remove
                                                                         from a list field
``{"op": "delete", "id": ...}``                                          delete an object
                                                                         (refused while
                                                                         referred to)
``{"op": "rename", "id": ..., "to": ...}``                               rename an id; every
                                                                         reference follows
``{"op": "seat", "team": ..., "person": ..., "roles": [...],             seat a person on a
"since": ...}``                                                          team
``{"op": "unseat", "team": ..., "person": ..., "until": ...}``           end a seat (kept as
                                                                         history)
``{"op": "set_seat", "team": ..., "person": ..., "seat": {...}|null}``   a seat's record as
                                                                         a whole (the undo of
                                                                         the two above)
======================================================================  ===================

:func:`apply_edits` makes a batch of edits to a graph or a :class:`~mtss_core.Session`,
all or nothing, and returns :class:`Applied`: the objects created, changed (field, old,
new) and deleted, the edits that undo the batch, and, in a session, the findings the
batch added and resolved.  Every bad edit is an :class:`~mtss_core.errors.EditError`
naming the edit's index, its id and its field, with "did you mean" for unknown fields,
ids and roles.
"""

from ._apply import Applied, apply_edits, finding_key
from ._ops import (
    AddItem,
    Create,
    Delete,
    EditOp,
    RemoveItem,
    Rename,
    Seat,
    SetField,
    SetSeat,
    Unseat,
    edit_from_dict,
    edits_from_data,
    edits_schema,
)

__all__ = [
    "AddItem",
    "Applied",
    "Create",
    "Delete",
    "EditOp",
    "RemoveItem",
    "Rename",
    "Seat",
    "SetField",
    "SetSeat",
    "Unseat",
    "apply_edits",
    "edit_from_dict",
    "edits_from_data",
    "edits_schema",
    "finding_key",
]
