"""The rule protocol: what a rule declares, and what its check receives and yields.

A rule is a check with a stable code and name.  It says what it is about:

- ``subjects``: the types of object it checks one at a time (``("unit",)``, every
  vision, ...).  Its check then receives one subject and returns what it finds about it
  (``None``, one :class:`Violation` or an iterable of them), and the engine runs it over
  every subject.  A rule without ``subjects`` checks the whole graph at once.
- ``reads``: for each type of object whose edits can change its findings, which of its
  subjects an edit of one such object affects (a function of the graph after the edit,
  the context and the :class:`Edit`), or :data:`ALL`.  Types it does not list do not
  affect it.  A rule that declares no ``reads`` is re-run after every edit.

The :class:`~mtss_core.Session` reads these declarations to keep findings current after
an edit; full validation and the session share the rule's one check.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import pendulum

from ..errors import ModelError
from ._fix import Fix

if TYPE_CHECKING:
    from ..graph import AlignmentGraph
    from ..model import ModelObject, Registry

__all__ = [
    "ALL",
    "Affects",
    "Edit",
    "Lifecycle",
    "Rule",
    "RuleContext",
    "Setting",
    "Severity",
    "Verdict",
    "Violation",
    "rule",
]


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


class Verdict(str, enum.Enum):
    """A report's outcome: ``fail`` when any finding is an error, else ``pass``.  A string
    enum, so ``report.verdict == "fail"`` and JSON output keep working.

    >>> Verdict.FAIL == "fail", str(Verdict.PASS), f"{Verdict.FAIL}"
    (True, 'pass', 'fail')
    """

    PASS = "pass"
    FAIL = "fail"

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


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


def to_severity(value: Severity | str) -> Severity:
    """A severity from its name, case-insensitively; :class:`~mtss_core.errors.ModelError`
    names the choices otherwise."""
    if isinstance(value, Severity):
        return value
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ModelError(f"severity must be one of 'error', 'warning', 'info', got "
                         f"{value!r}") from None


class Lifecycle(str, enum.Enum):
    """Where a rule is in its life: preview rules run only when selected by code or name."""

    PREVIEW = "preview"
    STABLE = "stable"
    DEPRECATED = "deprecated"

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen
class MemoKey:
    """A key of the library's own in ``ctx.memo``: never equal to a string or a tuple, so
    a vendor's rule that keeps ``memo["teams_by_unit"]`` of its own never meets (or
    overwrites) the shipped rules' index of the same name."""

    name: str


@attrs.frozen(kw_only=True)
class Violation:
    """What a rule's check yields: a subject, a message, a fix hint and related ids."""

    subject: str
    message: str
    hint: str = ""
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    #: The mechanical fix, where there is one (:class:`~mtss_core.rules.Fix`).
    fix: Fix | None = attrs.field(default=None, eq=False)


def _check_setting_value(setting: Setting, value: Any) -> Any:
    from ..errors import ConfigError

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
        """Check ``value`` for this setting; raise :class:`~mtss_core.errors.ConfigError`
        if wrong."""
        return _check_setting_value(self, value)


def among(choices: Iterable[str], what: str) -> Callable[[Any], str | None]:
    """A ``Setting`` check: a list whose every item is one of ``choices``.

    >>> among(["district", "school"], "unit kinds")(["district", 1])
    "unknown unit kinds [1]; expected among ['district', 'school']"
    """
    allowed = list(choices)

    def check(value: Any) -> str | None:
        bad = [v for v in value if not isinstance(v, str) or v not in allowed]
        return f"unknown {what} {bad}; expected among {allowed}" if bad else None

    return check


@attrs.frozen(kw_only=True)
class RuleContext:
    """What a rule's check receives besides the graph: its settings and the "as of" date.

    ``memo`` is one dict shared by the checks of one run (a full validation, or the
    re-checks after one edit), so checks that need the same analysis compute it once.
    A memo never outlives the graph it was made for.
    """

    settings: Mapping[str, Any] = attrs.field(factory=dict)
    as_of: pendulum.Date | None = None
    memo: dict[Any, Any] = attrs.field(factory=dict, eq=False, repr=False)

    def __getitem__(self, name: str) -> Any:
        return self.settings[name]


@attrs.frozen
class Edit:
    """One edit of a graph, as a rule's ``reads`` functions see it.

    ``old`` is the object before (``None`` when it was added), ``new`` the object after
    (``None`` when it was removed).  Memberships are edited by adding and removing them.

    >>> from mtss_core import OrgUnit
    >>> edit = Edit(None, OrgUnit(id="d1", kind="district"))
    >>> edit.type_name, edit.added, [o.id for o in edit.versions]
    ('unit', True, ['d1'])
    """

    old: ModelObject | None
    new: ModelObject | None

    @property
    def type_name(self) -> str:
        """The type of object edited: ``"unit"``, ``"membership"``, ``"vision"``, ..."""
        obj = self.new if self.new is not None else self.old
        return str(getattr(obj, "type_name", "membership"))

    @property
    def versions(self) -> tuple[Any, ...]:
        """The object before and after (one of them when it was added or removed)."""
        return tuple(o for o in (self.old, self.new) if o is not None)

    @property
    def added(self) -> bool:
        """True when the object is new."""
        return self.old is None

    @property
    def removed(self) -> bool:
        """True when the object is gone."""
        return self.new is None

    def changed(self, *fields: str) -> bool:
        """Whether any of ``fields`` differs (always true for an object added or removed)."""
        if self.old is None or self.new is None:
            return True
        return any(getattr(self.old, f) != getattr(self.new, f) for f in fields)


class _All:
    """The type of :data:`ALL`."""

    _instance: _All | None = None

    def __new__(cls) -> _All:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ALL"

    def __reduce__(self) -> str:
        return "ALL"


#: What a ``reads`` function returns when an edit may change any of a rule's findings.
ALL: Final = _All()

#: A ``reads`` entry: the ids of the subjects an edit affects, or :data:`ALL`.
Affects = _All | Callable[["AlignmentGraph", RuleContext, Edit], "Iterable[str] | _All"]

_CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _settings_tuple(value: Iterable[Setting]) -> tuple[Setting, ...]:
    return tuple(value)


def _code_validator(_i: object, _a: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _CODE_RE.match(value):
        raise ModelError(f"rule code must look like 'ABC123', got {value!r}")


def _name_validator(_i: object, _a: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not _NAME_RE.match(value):
        raise ModelError(f"rule name must be kebab-case, got {value!r}")


def _to_subjects(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)


_TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _subjects_validator(_i: object, _a: attrs.Attribute[Any],
                        value: tuple[str, ...] | None) -> None:
    """Names of object types (checked against a graph's registry when the rule runs:
    a type of one's own is declared in a registry, not here)."""
    if value is None:
        return
    for name in value:
        if not isinstance(name, str) or not _TYPE_NAME.match(name) or name == "membership":
            raise ModelError(f"rule subjects are object types ('unit', 'vision', ...; not "
                             f"memberships), got {name!r}")


def _to_reads(value: Mapping[str, Affects] | None) -> Mapping[str, Affects] | None:
    if value is None:
        return None
    for name, affects in value.items():
        if not isinstance(name, str) or not _TYPE_NAME.match(name):
            raise ModelError(f"rule reads object types ('unit', 'membership', ...), "
                             f"got {name!r}")
        if affects is not ALL and not callable(affects):
            raise ModelError(f"reads[{name!r}] must be ALL or a function of (graph, ctx, "
                             f"edit), got {affects!r}")
    return dict(value)


@attrs.frozen(kw_only=True)
class Rule:
    """A check with a stable code and name, a default severity, settings and a doc.

    Make one with the :func:`rule` decorator.  See the module documentation of
    :mod:`mtss_core.rules` for ``subjects`` and ``reads``.
    """

    code: str = attrs.field(validator=_code_validator)
    name: str = attrs.field(validator=_name_validator)
    summary: str
    severity: Severity = attrs.field(converter=to_severity)
    check: Callable[..., Any] = attrs.field(eq=False, repr=False)
    settings: tuple[Setting, ...] = attrs.field(default=(), converter=_settings_tuple)
    lifecycle: Lifecycle = attrs.field(default=Lifecycle.STABLE, converter=Lifecycle)
    #: Whether the rule checks dates against an "as of" date (it is skipped without one).
    needs_as_of: bool = False
    #: The types of object checked one at a time; ``None``: the whole graph at once.
    subjects: tuple[str, ...] | None = attrs.field(default=None, converter=_to_subjects,
                                                   validator=_subjects_validator)
    #: Per type of object, which subjects an edit of one affects; ``None``: unknown.
    reads: Mapping[str, Affects] | None = attrs.field(default=None, converter=_to_reads,
                                                      eq=False, repr=False)
    #: In a full run, the subjects worth checking (default: every object of the subject
    #: types): objects of those types, leaving out only subjects the check finds nothing
    #: about.
    select: Callable[[AlignmentGraph, RuleContext], Iterable[Any]] | None = attrs.field(
        default=None, eq=False, repr=False)
    #: Called once before a full run: may put whole-graph indexes in ``ctx.memo`` for the
    #: checks to use.  A check finds the same with or without them (a Session's re-checks
    #: after an edit run without).
    prepare: Callable[[AlignmentGraph, RuleContext], None] | None = attrs.field(
        default=None, eq=False, repr=False)
    #: Whether findings name objects only through :func:`~mtss_core.model.label`, so a
    #: rename can be patched into their text instead of re-checking.
    labels_only: bool = False
    #: Whether the rule reports something every district lacks before it starts its MTSS
    #: layer (a team, a product, a focus area): for a district (or ISD) that has not
    #: started, its findings are summarized in one notice instead of one by one.
    about_absence: bool = False
    #: Where the rule comes from (the source document it traces to).
    source: str = ""
    why: str = ""
    fix: str = ""
    example: str = ""
    #: Where the rule can be found again, for pickling by reference: (module, the name
    #: holding it — a rule, or a rule set or list of rules — or ``None``: any module-level
    #: name that holds it).
    home: tuple[str, str | None] | None = attrs.field(default=None, eq=False, repr=False)

    def unknown_types(self, types: Registry) -> list[str]:
        """The object types the rule names (as subjects or in ``reads``) that ``types``
        does not hold, in the order it names them."""
        named = [*(self.subjects or ()), *(self.reads or {})]
        return [n for n in dict.fromkeys(named) if n not in types]

    def defaults(self) -> dict[str, Any]:
        """The rule's settings with their default values."""
        return {s.name: s.default for s in self.settings}

    def run(self, graph: AlignmentGraph, ctx: RuleContext, *,
            within: frozenset[str] | None = None) -> Iterator[Violation]:
        """Everything the rule finds in ``graph``: its check over every subject (or over
        the whole graph for a rule without subjects); with ``within``, over the subjects
        whose ids it holds."""
        if self.subjects is None:
            yield from self.check(graph, ctx)
            return
        for _subject, found in self.run_by_subject(graph, ctx, within=within):
            yield from found

    def run_by_subject(self, graph: AlignmentGraph, ctx: RuleContext, *,
                       within: frozenset[str] | None = None
                       ) -> Iterator[tuple[str, list[Violation]]]:
        """(subject id, what the check found about it) for each subject with findings;
        a rule without subjects gives everything under the id ``""``."""
        if self.subjects is None:
            yield "", list(self.check(graph, ctx))
            return
        check, types = self.check, self.subjects
        candidates: Iterable[Any]
        if within is not None:  # a few subjects: checked one by one, no whole-graph index
            candidates = (o for t in types for o in graph.objects(t) if o.id in within)
        elif self.select is not None:
            if self.prepare is not None:
                self.prepare(graph, ctx)
            candidates = self.select(graph, ctx)
        else:
            if self.prepare is not None:
                self.prepare(graph, ctx)
            candidates = (graph.objects(types[0]) if len(types) == 1
                          else (o for t in types for o in graph.objects(t)))
        for obj in candidates:
            found = check(graph, ctx, obj)
            if found is None:
                continue
            if isinstance(found, Violation):
                yield obj.id, [found]
            else:
                found = list(found)
                if found:
                    yield obj.id, found

    def check_one(self, graph: AlignmentGraph, ctx: RuleContext, obj: Any
                  ) -> list[Violation]:
        """What the rule finds about one subject, as a list (empty when ``obj`` is not of
        one of the rule's subject types)."""
        if self.subjects is None or getattr(obj, "type_name", None) not in self.subjects:
            return []
        found = self.check(graph, ctx, obj)
        if found is None:
            return []
        return [found] if isinstance(found, Violation) else list(found)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by reference: the module the rule lives in (its ``home``) and its code,
        and the fields changed since (a copy made with ``attrs.evolve``); by value when
        it has no home that holds it."""
        found = _find(self)
        if found is None:
            return (_rebuild_rule, (attrs.asdict(self, recurse=False),))
        (module, path), base = found
        changes = {a.name: getattr(self, a.name) for a in attrs.fields(Rule)
                   if a.name != "home" and getattr(self, a.name) is not getattr(base, a.name)
                   and getattr(self, a.name) != getattr(base, a.name)}
        if "reads" in changes and self.reads == base.reads:
            del changes["reads"]
        return (_rule_from_reference, (module, path, base.code, changes))


def _rules_in(value: Any) -> Iterator[Rule]:
    """The rules a module-level value holds: itself, or the rules of a rule set, list,
    tuple or dict of them."""
    if isinstance(value, Rule):
        yield value
    elif isinstance(value, Mapping):
        yield from (v for v in value.values() if isinstance(v, Rule))
    elif isinstance(value, (list, tuple)) or getattr(type(value), "holds_rules", False):
        yield from (v for v in value if isinstance(v, Rule))


def _locate(module: str, path: str | None, match: Callable[[Rule], bool]
            ) -> tuple[str, Rule] | None:
    """(the attribute path, the rule) of the first rule ``match`` accepts in ``module``:
    at ``path`` (a rule or a collection of rules), or, without one, wherever a
    module-level name holds it."""
    try:
        found: Any = importlib.import_module(module)
    except ImportError:
        return None
    if path is not None:
        for part in path.split("."):
            found = getattr(found, part, None)
        hit = next((r for r in _rules_in(found) if match(r)), None)
        return None if hit is None else (path, hit)
    for name, value in vars(found).items():
        for r in _rules_in(value):
            if match(r):
                return name, r
    return None


def _find(r: Rule) -> tuple[tuple[str, str], Rule] | None:
    """Where ``r``, or the rule it was copied from (its check), can be found again by
    reference: the rule of its code first, else the one its check belongs to."""
    if r.home is None:
        return None
    module, path = r.home
    found = (_locate(module, path, lambda x: x.code == r.code and x.check is r.check)
             or _locate(module, path, lambda x: x.check is r.check))
    return None if found is None else ((module, found[0]), found[1])


def _resolve(module: str, path: str, code: str) -> Rule:
    found = _locate(module, path, lambda x: x.code == code)
    if found is None:
        raise ModelError(f"{module}.{path} no longer holds rule {code}")
    return found[1]


def _rule_from_reference(module: str, path: str, code: str,
                         changes: dict[str, Any]) -> Rule:
    """The rule ``code`` at ``module.path``, with ``changes``."""
    base = _resolve(module, path, code)
    return attrs.evolve(base, **changes) if changes else base


def _rebuild_rule(fields: dict[str, Any]) -> Rule:
    return Rule(**fields)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity | str,
    subjects: str | Sequence[str] | None = None,
    reads: Mapping[str, Affects] | None = None,
    select: Callable[[AlignmentGraph, RuleContext], Iterable[Any]] | None = None,
    prepare: Callable[[AlignmentGraph, RuleContext], None] | None = None,
    settings: Sequence[Setting] = (),
    lifecycle: Lifecycle | str = Lifecycle.STABLE,
    needs_as_of: bool = False,
    labels_only: bool = False,
    about_absence: bool = False,
    source: str = "",
    why: str = "",
    fix: str = "",
    example: str = "",
    home: str | None = None,
) -> Callable[[Callable[..., Any]], Rule]:
    """Turn a check function into a :class:`Rule`; the summary is its docstring's first line.

    With ``subjects``, the check receives ``(graph, ctx, subject)`` and returns what it
    finds about that one object; with ``reads`` as well, a
    :class:`~mtss_core.Session` re-checks only the subjects an edit affects.

    >>> from mtss_core import AlignmentGraph, OrgUnit, RuleSet, Violation, rule, validate
    >>> @rule(code="ACME001", name="unnamed-unit", severity="warning", subjects="unit",
    ...       reads={"unit": lambda graph, ctx, edit: [edit.new.id] if edit.new else []})
    ... def unnamed_unit(graph, ctx, unit):
    ...     '''An org unit without a name.'''
    ...     if not unit.name:
    ...         return Violation(subject=unit.id, message=f"{unit.id} has no name",
    ...                          hint="give it a name")
    >>> report = validate(AlignmentGraph([OrgUnit(id="d1", kind="district")]),
    ...                   rules=RuleSet([unnamed_unit]))
    >>> [str(f) for f in report]
    ['ACME001 [warning] d1: d1 has no name']

    The function is left as it is.  The rule pickles by reference, as the module its
    check function is defined in and its code (so several rules made from one function,
    or by a factory, each pickle and run on process pools); ``home`` names another
    module when the rule is kept in one other than its check's.
    """
    def wrap(func: Callable[..., Any]) -> Rule:
        doc = (func.__doc__ or "").strip()
        # where the rule is kept: ``home``, else the module of its check
        where = home if home is not None else getattr(func, "__module__", None)
        return Rule(code=code, name=name, summary=doc.splitlines()[0] if doc else name,
                    severity=severity, check=func, subjects=subjects, reads=reads,
                    select=select, prepare=prepare,
                    settings=tuple(settings), lifecycle=Lifecycle(lifecycle),
                    needs_as_of=needs_as_of, labels_only=labels_only,
                    about_absence=about_absence, source=source,
                    why=why, fix=fix, example=example,
                    home=None if where is None else (where, None))

    return wrap
