"""Each level's products, kept by the graph and maintained by every edit.

A level (see :mod:`mtss_core.graph._levels`) is a unit with the teams that stand for it,
or an instructional team serving a school directly.  The graph keeps, for every level
with a product, its products of each kind, sorted: what "the level above" of every
product below is read from, so that neither a full run nor an edit's re-check works it
out from the products by owner again.  People's products are not kept (a teacher is a
level of one; millions of them at nation scale): they are read from the person.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable
from typing import Any

from ..model import INSTRUCTIONAL_TEAMS, OrgUnit, Person, Product, ProductKind, Team

#: A level: ("unit", unit id) or ("team", team id) ("person", id for a person's own).
Level = tuple[str, str]

#: (level, kind of product) -> the level's products of the kind, sorted by id.
LevelProducts = dict[tuple[Level, ProductKind], list[str]]


def team_level(team: Team, unit: OrgUnit) -> Level:
    """The level of a team serving ``unit``: its unit's, or its own for a grade,
    department or course team serving a school (or other unit) directly."""
    if team.kind in INSTRUCTIONAL_TEAMS and not unit.kind.is_subunit:
        return ("team", team.id)
    return ("unit", unit.id)


def owner_level(node: dict[str, Any], owner_id: str) -> Level | None:
    """The level of a product's owner; ``None`` for a person (not kept)."""
    obj = node[owner_id]
    if type(obj) is Team:
        return team_level(obj, node[obj.unit])
    if type(obj) is Person:
        return None
    return ("unit", owner_id)


def add_product(index: LevelProducts, node: dict[str, Any], product: Product) -> None:
    """Note a product (already in the graph, with its owner) under its owner's level."""
    level = owner_level(node, product.owner)
    if level is not None:
        _add(index, (level, product.kind), product.id)


def drop_product(index: LevelProducts, node: dict[str, Any], product: Product) -> None:
    """Take a product out of its owner's level (its owner still in the graph)."""
    level = owner_level(node, product.owner)
    if level is not None:
        _drop(index, (level, product.kind), product.id)


def move_owners(index: LevelProducts, node: dict[str, Any], moves: Iterable[
        tuple[Level, Level, Iterable[str]]]) -> None:
    """Move the products of owners whose level changed: (old level, new level, the ids
    of what they own) each."""
    for old, new, owned in moves:
        if old == new:
            continue
        for pid in owned:
            product = node[pid]
            if isinstance(product, Product):  # (an owner may own other things)
                _drop(index, (old, product.kind), pid)
                _add(index, (new, product.kind), pid)


def _add(index: LevelProducts, key: tuple[Level, ProductKind], product_id: str) -> None:
    found = index.get(key)
    if found is None:
        index[key] = [product_id]
    else:
        insort(found, product_id)


def _drop(index: LevelProducts, key: tuple[Level, ProductKind], product_id: str) -> None:
    found = index[key]
    found.remove(product_id)
    if not found:
        del index[key]
