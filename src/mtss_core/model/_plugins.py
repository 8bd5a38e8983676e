"""Vendors' object types from outside the process: an installed package's entry points
(``mtss_core.types``) or a ``module:attribute`` named on the command line, so a process
pool, a Dask worker or the ``mtss`` command reads documents with them as the vendor's own
process does."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from ..errors import ConfigError
from ._registry import TYPES, ObjectType, Registry

__all__ = ["TYPES_GROUP", "plugin_types", "types_from"]

#: The entry point group installed packages declare their object types in.
TYPES_GROUP = "mtss_core.types"


def _as_registry(value: Any, what: str, base: Registry) -> Registry:
    if callable(value) and not isinstance(value, Registry | ObjectType):
        value = value()
    if isinstance(value, Registry):
        return value
    found = [value] if isinstance(value, ObjectType) else list(value)
    bad = [t for t in found if not isinstance(t, ObjectType)]
    if bad:
        raise ConfigError(f"{what} gave {bad[0]!r}, not an ObjectType or a Registry")
    return base.extend(found)


def types_from(spec: str, base: Registry = TYPES) -> Registry:
    """The registry ``module:attribute`` names (a :class:`Registry`, an
    :class:`ObjectType`, a list of them, or a function returning one), over ``base``.

    >>> types_from("mtss_core.model:TYPES") is TYPES
    True
    >>> types_from("mtss_core.model:NOPE")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ConfigError: --types mtss_core.model:NOPE: the module has no 'NOPE'
    """
    module, sep, attribute = spec.partition(":")
    if not sep or not module or not attribute:
        raise ConfigError(f"--types expects MODULE:ATTRIBUTE (a registry), got {spec!r}")
    try:
        found = importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(f"--types {spec}: cannot import {module!r}: {exc}") from None
    if not hasattr(found, attribute):
        raise ConfigError(f"--types {spec}: the module has no {attribute!r}")
    return _as_registry(getattr(found, attribute), f"--types {spec}", base)


def plugin_types(group: str = TYPES_GROUP, base: Registry = TYPES) -> Registry:
    """``base`` extended with the object types installed packages offer through the
    ``mtss_core.types`` entry points (each an :class:`ObjectType`, a list of them, a
    :class:`Registry` whose types beyond ``base`` are taken, or a function returning
    one).  Opt-in: nothing is loaded unless this is called (``mtss validate
    --plugins``)."""
    from importlib.metadata import entry_points

    added: list[ObjectType] = []
    names = set(base.names)
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            registry = _as_registry(ep.load(), f"types plugin {ep.name!r}", base)
        except ConfigError:
            raise
        except Exception as exc:
            raise ConfigError(f"types plugin {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}") from exc
        added += [t for t in _declared(registry) if t.name not in names]
        names.update(t.name for t in added)
    return base.extend(added) if added else base


def _declared(registry: Registry) -> Iterable[ObjectType]:
    return registry._declarations
