"""The rule engine: rules, rule sets, configuration, findings and reports.

A rule is a small generator of :class:`Violation` values; the engine adds the
bookkeeping (code, name, severity) to make each one a :class:`Finding`, and a
:class:`Report` holds the findings in a canonical order with a verdict.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum

from ._errors import ConfigError
from ._model import to_date

if TYPE_CHECKING:
    from ._graph import AlignmentGraph

__all__ = [
    "Config",
    "Finding",
    "Lifecycle",
    "Report",
    "Rule",
    "RuleContext",
    "RuleSet",
    "Setting",
    "Severity",
    "Violation",
    "rule",
]


_T = TypeVar("_T")


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


class Severity(str, enum.Enum):
    """How much a finding matters.  Only ``error`` findings fail a report.

    >>> Severity("warning") < Severity.ERROR
    True
    """

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error."""
        return _SEVERITY_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Lifecycle(str, enum.Enum):
    """Where a rule is in its life: preview rules run only when selected by code or name."""

    PREVIEW = "preview"
    STABLE = "stable"
    DEPRECATED = "deprecated"

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen(kw_only=True)
class Violation:
    """What a rule's check yields: a subject, a message, a fix hint and related ids."""

    subject: str
    message: str
    hint: str = ""
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)


@attrs.frozen(kw_only=True, order=False)
class Finding:
    """One problem found by one rule, as a plain value.

    >>> f = Finding(code="FOC001", name="too-many-focus-areas", severity="warning",
    ...             subject="dist-cedar", message="...", hint="...", related=["fa-1"])
    >>> f.to_dict()["severity"], f.related
    ('warning', ('fa-1',))
    """

    code: str
    name: str
    severity: Severity = attrs.field(converter=Severity)
    subject: str
    message: str
    hint: str = ""
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: strings and a list of related ids."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "subject": self.subject,
            "message": self.message,
            "hint": self.hint,
            "related": list(self.related),
        }

    def sort_key(self) -> tuple[str, str, str, tuple[str, ...]]:
        """The key of the canonical order: code, subject, message, related ids."""
        return (self.code, self.subject, self.message, self.related)

    def __str__(self) -> str:
        return f"{self.code} [{self.severity.value}] {self.subject}: {self.message}"


def _check_setting_value(setting: Setting, value: Any) -> Any:
    expected = setting.value_type
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise ConfigError(
            f"setting {setting.name!r} expects {expected.__name__}, got {value!r}"
        )
    if setting.minimum is not None and value < setting.minimum:
        raise ConfigError(
            f"setting {setting.name!r} must be at least {setting.minimum}, got {value!r}"
        )
    if setting.check is not None:
        problem = setting.check(value)
        if problem:
            raise ConfigError(f"setting {setting.name!r}: {problem}")
    return value


@attrs.frozen(kw_only=True)
class Setting:
    """A documented, typed setting of a rule, with its default.

    ``check``, if given, receives a value of the right type and returns a
    problem description, or ``None`` when the value is fine.
    """

    name: str
    default: Any
    doc: str
    value_type: type[Any] = attrs.field()
    minimum: float | None = None
    check: Callable[[Any], str | None] | None = attrs.field(default=None, eq=False,
                                                            repr=False)

    @value_type.default
    def _value_type_default(self) -> type[Any]:
        return type(self.default)

    def coerce(self, value: Any) -> Any:
        """Check ``value`` for this setting; raise :class:`~mtss_core.ConfigError` if wrong."""
        return _check_setting_value(self, value)


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a rule's check receives besides the graph: its settings and the "as of" date.

    ``memo`` is one dict shared by every rule of a single run, so rules that
    need the same analysis (the alignment ladder, say) compute it once.
    """

    settings: Mapping[str, Any] = attrs.field(factory=dict)
    as_of: pendulum.Date | None = None
    memo: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def __getitem__(self, name: str) -> Any:
        return self.settings[name]


Check = Callable[["AlignmentGraph", RuleContext], Iterable[Violation]]

_CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _settings_tuple(value: Iterable[Setting]) -> tuple[Setting, ...]:
    return tuple(value)


def _rules_tuple(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


def _code_validator(_i: object, _a: attrs.Attribute[Any], value: str) -> None:
    if not _CODE_RE.match(value):
        raise ValueError(f"rule code must look like 'ABC123', got {value!r}")


def _name_validator(_i: object, _a: attrs.Attribute[Any], value: str) -> None:
    if not _NAME_RE.match(value):
        raise ValueError(f"rule name must be kebab-case, got {value!r}")


@attrs.frozen(kw_only=True)
class Rule:
    """A check with a stable code and name, a default severity, settings and a doc.

    Make one with the :func:`rule` decorator.
    """

    code: str = attrs.field(validator=_code_validator)
    name: str = attrs.field(validator=_name_validator)
    summary: str
    severity: Severity = attrs.field(converter=Severity)
    check: Check = attrs.field(eq=False, repr=False)
    settings: tuple[Setting, ...] = attrs.field(default=(), converter=_settings_tuple)
    lifecycle: Lifecycle = attrs.field(default=Lifecycle.STABLE, converter=Lifecycle)
    #: Whether the rule checks dates against an "as of" date (it is skipped without one).
    needs_as_of: bool = False
    #: Where the rule comes from (the source document it traces to).
    source: str = ""
    why: str = ""
    fix: str = ""
    example: str = ""

    def defaults(self) -> dict[str, Any]:
        """The rule's settings with their default values."""
        return {s.name: s.default for s in self.settings}

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle a shipped rule by its code, so rule sets travel to worker processes."""
        from ._catalogue import DEFAULT_RULES

        if self.code in DEFAULT_RULES and DEFAULT_RULES[self.code] is self:
            return (_shipped_rule, (self.code,))
        return (_rebuild_rule, (attrs.asdict(self, recurse=False),))


def _shipped_rule(code: str) -> Rule:
    from ._catalogue import DEFAULT_RULES

    return DEFAULT_RULES[code]


def _rebuild_rule(fields: dict[str, Any]) -> Rule:
    return Rule(**fields)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    settings: Sequence[Setting] = (),
    lifecycle: Lifecycle | str = Lifecycle.STABLE,
    needs_as_of: bool = False,
    source: str = "",
    why: str = "",
    fix: str = "",
    example: str = "",
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule`; the summary is its docstring's first line.

    >>> from mtss_core import RuleSet, Violation, rule, validate, AlignmentGraph, OrgUnit
    >>> @rule(code="ACME001", name="unnamed-unit", severity="warning")
    ... def unnamed_unit(graph, ctx):
    ...     '''An org unit without a name.'''
    ...     for unit in graph.units():
    ...         if not unit.name:
    ...             yield Violation(subject=unit.id, message=f"{unit.id} has no name",
    ...                             hint="give it a name")
    >>> report = validate(AlignmentGraph([OrgUnit(id="d1", kind="district")]),
    ...                   rules=RuleSet([unnamed_unit]))
    >>> [str(f) for f in report]
    ['ACME001 [warning] d1: d1 has no name']
    """

    def wrap(func: Check) -> Rule:
        doc = (func.__doc__ or "").strip()
        return Rule(code=code, name=name, summary=doc.splitlines()[0] if doc else name,
                    severity=Severity(severity), check=func, settings=tuple(settings),
                    lifecycle=Lifecycle(lifecycle), needs_as_of=needs_as_of, source=source,
                    why=why, fix=fix, example=example)

    return wrap


def _unique_rules(_i: object, _a: attrs.Attribute[Any], rules: tuple[Rule, ...]) -> None:
    seen: dict[str, str] = {}
    for r in rules:
        if not isinstance(r, Rule):
            raise TypeError(f"a RuleSet holds Rule values, got {r!r}")
        for key in (r.code, r.name):
            if key in seen:
                raise ValueError(f"rule {r.code} ({r.name}) reuses {key!r} of rule {seen[key]}")
            seen[key] = r.code


@attrs.frozen
class RuleSet:
    """An immutable, ordered collection of rules.  Build your own; nothing is global.

    >>> from mtss_core import DEFAULT_RULES
    >>> DEFAULT_RULES["ALN001"].name
    'vision-not-aligned'
    >>> DEFAULT_RULES["too-many-focus-areas"].code
    'FOC001'
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rules_tuple, validator=_unique_rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def __contains__(self, key: object) -> bool:
        return any(key in (r.code, r.name) for r in self.rules)

    def __getitem__(self, key: str) -> Rule:
        for r in self.rules:
            if key in (r.code, r.name):
                return r
        raise KeyError(key)

    def with_rules(self, *rules: Rule) -> RuleSet:
        """A new rule set with ``rules`` added after these ones."""
        return RuleSet((*self.rules, *rules))

    def matching(self, selector: str) -> list[Rule]:
        """Rules whose code, code prefix or name is ``selector``."""
        return [r for r in self.rules
                if selector in (r.code, r.name)
                or (selector.isupper() and r.code.startswith(selector))]


def _to_selectors(value: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    return tuple(s.strip() for s in value if s.strip())


def _to_ignore(value: Iterable[str] | str | None) -> tuple[str, ...]:
    return _to_selectors(value) or ()


def _to_nested(value: Mapping[str, Mapping[str, Any]] | None) -> Mapping[str, Mapping[str, Any]]:
    return {str(k): dict(v) for k, v in (value or {}).items()}


def _to_severities(value: Mapping[str, Severity | str] | None) -> Mapping[str, Severity]:
    out: dict[str, Severity] = {}
    for k, v in (value or {}).items():
        try:
            out[str(k)] = Severity(v)
        except ValueError:
            raise ConfigError(
                f"severity for {k!r} must be one of 'error', 'warning', 'info', got {v!r}"
            ) from None
    return out


@attrs.frozen(kw_only=True)
class Config:
    """Which rules run, at which severity, with which settings, as of which date.

    Rules are chosen by code (``"ALN001"``), code prefix (``"ALN"``) or name
    (``"vision-not-aligned"``).  ``select=None`` means every rule that is not in
    preview.  ``settings`` and ``severity`` are keyed by code or name.

    >>> from mtss_core import Config
    >>> Config(select="ALN,FOC001", settings={"FOC001": {"max_focus_areas": 5}}).select
    ('ALN', 'FOC001')
    """

    select: tuple[str, ...] | None = attrs.field(default=None, converter=_to_selectors)
    ignore: tuple[str, ...] = attrs.field(default=(), converter=_to_ignore)
    severity: Mapping[str, Severity] = attrs.field(factory=dict, converter=_to_severities)
    settings: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, converter=_to_nested)
    as_of: pendulum.Date | None = attrs.field(default=None, converter=to_date)

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
            explicit = {r.code for s in self.select for r in rules if s in (r.code, r.name)}
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
    try:
        return rules[key]
    except KeyError:
        raise ConfigError(f"{what} names {key!r}, which is not a rule code or name") from None


def _sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=Finding.sort_key))


@attrs.frozen(kw_only=True)
class Report:
    """The findings of one validation, in canonical order, with a verdict.

    The order is by rule code, then subject id, then message, so the same
    graph gives the same report whatever order its objects were added in.
    """

    findings: tuple[Finding, ...] = attrs.field(converter=_sorted_findings)
    rules: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    as_of: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: Rules that were selected but not run because no "as of" date was known.
    skipped: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    #: The names of the findings' subjects, for display (not part of the value).
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)

    def _repr_html_(self) -> str:
        from ._display import report_html

        return report_html(self)

    def to_frame(self) -> Any:
        """The findings as a pandas DataFrame (needs the ``dataframes`` extra)."""
        from ._frames import findings_frame

        return findings_frame(self)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def ok(self) -> bool:
        """True when no finding has error severity."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def verdict(self) -> str:
        """``"pass"`` or ``"fail"``."""
        return "pass" if self.ok else "fail"

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings with error severity."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def by_code(self, code: str) -> tuple[Finding, ...]:
        """The findings of one rule, by code or name."""
        return tuple(f for f in self.findings if code in (f.code, f.name))

    def counts_by_code(self) -> dict[str, int]:
        """How many findings each rule produced, by code (rules that ran and found nothing: 0)."""
        counts = dict.fromkeys(sorted(self.rules), 0)
        counts.update(Counter(f.code for f in self.findings))
        return dict(sorted(counts.items()))

    def counts_by_severity(self) -> dict[str, int]:
        """How many findings there are of each severity, most severe first."""
        counter = Counter(f.severity for f in self.findings)
        return {s.value: counter.get(s, 0) for s in sorted(Severity, reverse=True)}

    def to_dict(self) -> dict[str, Any]:
        """Plain data with a stable shape, ready for ``json.dumps``."""
        return {
            "verdict": self.verdict,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "rules": list(self.rules),
            "skipped": list(self.skipped),
            "counts": {"by_severity": self.counts_by_severity(),
                       "by_code": self.counts_by_code()},
            "findings": [f.to_dict() for f in self.findings],
        }

    def __repr__(self) -> str:
        return f"<Report {self.verdict}: {self.summary()}>"

    def summary(self) -> str:
        """One line: ``"4 findings (3 errors, 1 warning)"``."""
        n = len(self.findings)
        parts = [f"{c} {s}{'s' if c != 1 else ''}"
                 for s, c in self.counts_by_severity().items() if c]
        return f"{n} finding{'s' if n != 1 else ''} ({', '.join(parts) or 'none'})"


def iter_findings(
    graph: AlignmentGraph, config: Config | None = None, *, rules: RuleSet | None = None
) -> Iterator[Finding]:
    """Yield findings lazily, rule by rule, in the graph's own order.

    Configuration errors are raised before the first finding.  Use
    :func:`validate` for the canonical order and a verdict.
    """
    plan = (config or Config()).plan(_default_rules() if rules is None else rules,
                                     as_of=graph.as_of)
    return _run(graph, plan)


def _run(graph: AlignmentGraph, plan: list[tuple[Rule, Severity, RuleContext]]
         ) -> Iterator[Finding]:
    for r, severity, ctx in plan:
        for v in r.check(graph, ctx):
            yield to_finding(r, severity, v)


def to_finding(r: Rule, severity: Severity, v: Violation) -> Finding:
    """The finding ``r`` reports, at ``severity``, for what its check yielded."""
    return Finding(code=r.code, name=r.name, severity=severity, subject=v.subject,
                   message=v.message, hint=v.hint, related=v.related)


def present(found: Iterable[_T | None]) -> Iterator[_T]:
    """What per-subject checks found, leaving out their ``None`` for a clean subject.

    >>> list(present([None, Violation(subject="d1", message="m", hint="h"), None]))
    [Violation(subject='d1', message='m', hint='h', related=())]
    """
    return (v for v in found if v is not None)


def validate(
    graph: AlignmentGraph, config: Config | None = None, *, rules: RuleSet | None = None
) -> Report:
    """Run the rules over ``graph`` and return a :class:`Report`.

    >>> from mtss_core import example, validate, Config
    >>> report = validate(example())
    >>> report
    <Report fail: 13 findings (4 errors, 9 warnings)>
    >>> validate(example(), Config(select=["ALN001", "FOC001"])).counts_by_code()
    {'ALN001': 3, 'FOC001': 1}
    """
    from ._graph import bulk

    config = config or Config()
    ruleset = _default_rules() if rules is None else rules
    plan = config.plan(ruleset, as_of=graph.as_of)
    with bulk():
        findings = list(_run(graph, plan))
    names = {f.subject: name for f in findings
             if (name := getattr(graph.get(f.subject), "name", "") or "")}
    return Report(findings=findings, rules=[r.code for r, _, _ in plan],
                  as_of=config.as_of or graph.as_of,
                  skipped=config.skipped(ruleset, as_of=graph.as_of), names=names)


def is_valid(
    graph: AlignmentGraph, config: Config | None = None, *, rules: RuleSet | None = None
) -> bool:
    """True when no rule finds anything at error severity (stops at the first error).

    >>> from mtss_core import example, is_valid, Config
    >>> is_valid(example()), is_valid(example(), Config(select=["FOC", "DAT"]))
    (False, True)
    """
    return not any(f.severity is Severity.ERROR
                   for f in iter_findings(graph, config, rules=rules))


def _default_rules() -> RuleSet:
    from ._catalogue import DEFAULT_RULES

    return DEFAULT_RULES
