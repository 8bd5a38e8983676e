"""Reading a :class:`~mtss_core.Config` from plain data or a TOML file, and rule plugins."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._toml import toml as _toml
from ..errors import ConfigError, DocumentError
from ..io import Limits, read_file
from ._config import Config, RuleSet
from ._protocol import Rule

__all__ = ["PLUGIN_GROUP", "config_from_data", "config_from_toml", "plugin_rules"]

#: The entry-point group that installed packages use to offer rules.
PLUGIN_GROUP = "mtss_core.rules"

_KEYS = ("select", "ignore", "severity", "settings", "as_of")


def config_from_data(data: Mapping[str, Any], *, source: str = "<config>") -> Config:
    """A :class:`Config` from plain data, as read from TOML or JSON.

    >>> from mtss_core.rules import config_from_data
    >>> config_from_data({"ignore": ["SUP"], "settings": {"FOC001": {"max_focus_areas": 5}}})
    Config(select=None, ignore=('SUP',), severity={}, settings={'FOC001': \
{'max_focus_areas': 5}}, as_of=None)
    >>> config_from_data({"selct": ["ALN"]}, source="mtss.toml")
    Traceback (most recent call last):
    ...
    mtss_core.errors.ConfigError: mtss.toml: unknown key 'selct'; expected one of select, \
ignore, severity, settings, as_of
    """
    if not isinstance(data, Mapping):
        raise ConfigError(f"{source}: a configuration is a table of {', '.join(_KEYS)}; "
                          f"got {data!r}")
    unknown = [k for k in data if k not in _KEYS]
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}; expected one of "
                          + ", ".join(_KEYS))
    for key, kind in (("severity", Mapping), ("settings", Mapping)):
        if key in data and not isinstance(data[key], kind):
            raise ConfigError(f"{source}: {key} must be a table, got {data[key]!r}")
    for key in ("select", "ignore"):
        value = data.get(key)
        if value is not None and not (isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(v, str) for v in value))):
            raise ConfigError(f"{source}: {key} must be a list of rule codes or names, "
                              f"got {value!r}")
    settings = data.get("settings", {})
    for rule_key, values in settings.items():
        if not isinstance(values, Mapping):
            raise ConfigError(f"{source}: settings.{rule_key} must be a table, got {values!r}")
    try:
        return Config(**{k: data[k] for k in _KEYS if k in data})
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{source}: {exc}") from None


def config_from_toml(path: str | os.PathLike[str]) -> Config:
    """A :class:`Config` from a TOML file: ``mtss.toml``, or ``pyproject.toml``'s ``[tool.mtss]``.

    ::

        select = ["ALN", "FOC", "TEA"]
        ignore = ["SUP"]
        [severity]
        FOC001 = "error"
        [settings.FOC001]
        max_focus_areas = 5
    """
    p = Path(path)
    toml = _toml()
    try:
        raw = read_file(p, str(p), Limits(max_bytes=16 * 1024 * 1024))
    except DocumentError as exc:
        raise ConfigError(str(exc.problems[0])) from None
    try:
        data = toml.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start})") from None
    except toml.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{p}: not readable TOML: arrays or tables nested too deep") from None
    except ValueError as exc:  # an integer of more digits than Python will read
        raise ConfigError(f"{p}: not readable TOML: {exc}") from None
    if p.name == "pyproject.toml":
        for key in ("tool", "mtss"):
            data = data.get(key, {})
            if not isinstance(data, Mapping):
                raise ConfigError(f"{p}: [tool.mtss] must be a table, got {data!r}")
    return config_from_data(data, source=str(p))


def plugin_rules(group: str = PLUGIN_GROUP) -> RuleSet:
    """Rules offered by installed packages through the ``mtss_core.rules`` entry points.

    Opt-in: nothing is loaded unless this is called (``mtss validate --plugins``).
    An entry point names a :class:`Rule`, a :class:`RuleSet`, an iterable of
    rules, or a function returning one of those.  Use the result with
    ``DEFAULT_RULES.with_rules(*plugin_rules())``.
    """
    from importlib.metadata import entry_points

    rules: list[Rule] = []
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            value = ep.load()
            if callable(value) and not isinstance(value, Rule):
                value = value()
            found = [value] if isinstance(value, Rule) else list(value)
        except Exception as exc:
            raise ConfigError(f"rule plugin {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(exc).__name__}: {exc}") from exc
        bad = [r for r in found if not isinstance(r, Rule)]
        if bad:
            raise ConfigError(f"rule plugin {ep.name!r} ({ep.value}) gave {bad[0]!r}, "
                              "not a Rule")
        rules.extend(found)
    try:
        return RuleSet(rules)
    except ValueError as exc:
        raise ConfigError(f"rule plugins clash: {exc}") from None
