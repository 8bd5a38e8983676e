"""Rule sets and configuration: which rules run, at which severity, with which settings."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import attrs
import pendulum

from ..errors import ConfigError, ModelError, ModelTypeError, UnknownIdError
from ..model import to_date
from ._protocol import Lifecycle, Rule, RuleContext, Severity, to_severity

__all__ = ["Config", "RuleSet"]


def _rules_tuple(value: Iterable[Rule]) -> tuple[Rule, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ModelTypeError(f"a RuleSet is made of a list of rules, got {value!r}")
    return tuple(value)


def _unique_rules(_i: object, _a: attrs.Attribute[Any], rules: tuple[Rule, ...]) -> None:
    seen: dict[str, str] = {}
    for r in rules:
        if not isinstance(r, Rule):
            raise ModelTypeError(f"a RuleSet holds Rule values, got {r!r}")
        for key in (r.code, r.name):
            if key in seen:
                raise ConfigError(f"rule {r.code} ({r.name}) reuses {key!r} of rule "
                                  f"{seen[key]}")
            seen[key] = r.code


def _is_prefix(selector: str) -> bool:
    """Whether ``selector`` can be a code prefix (``ALN``, ``aln``, ``FOC00``)."""
    return selector.isalnum() and selector[:1].isalpha()


@attrs.frozen
class RuleSet:
    """An immutable, ordered collection of rules.  Build your own; nothing is global.

    Rules are found by code or name, case-insensitively.

    >>> from mtss_core import DEFAULT_RULES
    >>> DEFAULT_RULES["ALN001"].name
    'vision-not-aligned'
    >>> DEFAULT_RULES["too-many-focus-areas"].code, DEFAULT_RULES["foc001"].code
    ('FOC001', 'FOC001')
    """

    #: Iterating gives rules (how a rule pickled by reference is found again in it).
    holds_rules: ClassVar[bool] = True

    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple, validator=_unique_rules)
    _index: dict[str, Rule] = attrs.field(init=False, eq=False, repr=False)

    @_index.default
    def _make_index(self) -> dict[str, Rule]:
        return {key: r for r in self.rules for key in (r.code, r.name)}

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def get(self, key: str) -> Rule | None:
        """The rule with code or name ``key`` (any case), or ``None``."""
        return self._index.get(key) or self._index.get(key.upper()) or self._index.get(
            key.lower())

    def __getitem__(self, key: str) -> Rule:
        found = self.get(key) if isinstance(key, str) else None
        if found is None:
            raise UnknownIdError(str(key), "rule")
        return found

    def with_rules(self, *rules: Rule) -> RuleSet:
        """A new rule set with ``rules`` added after these ones."""
        return RuleSet((*self.rules, *rules))

    def matching(self, selector: str) -> list[Rule]:
        """Rules whose code, code prefix or name is ``selector`` (any case)."""
        exact = self.get(selector)
        if exact is not None:
            return [exact]
        if not _is_prefix(selector):
            return []
        prefix = selector.upper()
        return [r for r in self.rules if r.code.startswith(prefix)]


def _to_selectors(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Iterable) or isinstance(value, (bytes, Mapping)):
        raise ConfigError(f"rule selectors must be a list of codes or names (or one string "
                          f"separated by commas), got {value!r}")
    out = []
    for s in value:
        if not isinstance(s, str):
            raise ConfigError(f"rule selectors must be codes or names, got {s!r}")
        if s.strip():
            out.append(s.strip())
    return tuple(out)


def _to_ignore(value: Iterable[str] | str | None) -> tuple[str, ...]:
    return _to_selectors(value) or ()


def _to_nested(value: Mapping[str, Mapping[str, Any]] | None
               ) -> Mapping[str, Mapping[str, Any]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"settings must map rule codes or names to their settings, got "
                          f"{value!r}")
    out = {}
    for k, v in value.items():
        if not isinstance(v, Mapping):
            raise ConfigError(f"settings of {k!r} must map setting names to values, got "
                              f"{v!r}")
        out[str(k)] = dict(v)
    return out


def _to_severities(value: Mapping[str, Severity | str] | None) -> Mapping[str, Severity]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"severity must map rule codes or names to a severity, got "
                          f"{value!r}")
    out: dict[str, Severity] = {}
    for k, v in value.items():
        try:
            out[str(k)] = to_severity(v)
        except ModelError:
            raise ConfigError(
                f"severity for {k!r} must be one of 'error', 'warning', 'info', got {v!r}"
            ) from None
    return out


def _to_as_of(value: pendulum.Date | str | None) -> pendulum.Date | None:
    try:
        return to_date(value)
    except ModelError as exc:
        raise ConfigError(f"as_of: {exc}") from None


def _selection(_i: object, _a: attrs.Attribute[Any], value: tuple[str, ...] | None) -> None:
    if value is not None and not value:
        raise ConfigError("select names no rule: leave it out to run every rule, or name "
                          "rules by code, code prefix or name")


@attrs.frozen(kw_only=True)
class Config:
    """Which rules run, at which severity, with which settings, as of which date.

    Rules are chosen by code (``"ALN001"``), code prefix (``"ALN"``) or name
    (``"vision-not-aligned"``), in any case.  ``select=None`` means every rule that is
    not in preview.  ``settings`` and ``severity`` are keyed by code or name.

    >>> from mtss_core import Config
    >>> Config(select="ALN,FOC001", settings={"FOC001": {"max_focus_areas": 5}}).select
    ('ALN', 'FOC001')
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=_to_selectors,
                                                 validator=_selection)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_to_ignore)
    severity: Mapping[str, Severity] = attrs.field(factory=dict, converter=_to_severities)
    settings: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict,
                                                            converter=_to_nested)
    as_of: pendulum.Date | None = attrs.field(default=None, converter=_to_as_of)

    def plan(self, rules: RuleSet, *, as_of: pendulum.Date | None = None
             ) -> list[tuple[Rule, Severity, RuleContext]]:
        """The rules to run, each with its severity and context; raise on unknown names.

        ``as_of`` is used when the config has none (a document's own date).  Rules
        that need a date are left out when there is none: see :meth:`skipped`.
        """
        def resolve(selector: str, what: str) -> list[Rule]:
            found = rules.matching(selector)
            if not found:
                raise ConfigError(
                    f"{what} {selector!r} matches no rule; known rules: "
                    + ", ".join(f"{r.code} ({r.name})" for r in rules)
                )
            return found

        if self.select is None:
            chosen = [r for r in rules if r.lifecycle is not Lifecycle.PREVIEW]
        else:
            picked = {r.code for s in self.select for r in resolve(s, "select")}
            explicit = {r.code for s in self.select if (r := rules.get(s)) is not None}
            chosen = [r for r in rules if r.code in picked
                      and (r.lifecycle is not Lifecycle.PREVIEW or r.code in explicit)]
        dropped = {r.code for s in self.ignore for r in resolve(s, "ignore")}
        severity = {r.code: sev for key, sev in self.severity.items()
                    for r in [_one(rules, key, "severity override")]}
        settings: dict[str, dict[str, Any]] = {}
        for key, values in self.settings.items():
            r = _one(rules, key, "settings")
            known = {s.name: s for s in r.settings}
            for name, value in values.items():
                if name not in known:
                    raise ConfigError(
                        f"rule {r.code} ({r.name}) has no setting {name!r}; its settings: "
                        + (", ".join(known) or "none")
                    )
                settings.setdefault(r.code, {})[name] = known[name].coerce(value)
        memo: dict[Any, Any] = {}
        when = self.as_of or as_of
        return [
            (r, severity.get(r.code, r.severity),
             RuleContext(settings={**r.defaults(), **settings.get(r.code, {})},
                         as_of=when, memo=memo))
            for r in chosen if r.code not in dropped and (when is not None or not r.needs_as_of)
        ]

    def skipped(self, rules: RuleSet, *, as_of: pendulum.Date | None = None) -> list[str]:
        """Codes of selected rules that cannot run because no "as of" date is known."""
        if self.as_of or as_of:
            return []
        planned = {r.code for r, _, _ in Config(select=self.select, ignore=self.ignore).plan(
            RuleSet([attrs.evolve(r, needs_as_of=False) for r in rules]))}
        return [r.code for r in rules if r.needs_as_of and r.code in planned]


def _one(rules: RuleSet, key: str, what: str) -> Rule:
    found = rules.get(key)
    if found is None:
        raise ConfigError(f"{what} names {key!r}, which is not a rule code or name")
    return found
