"""The engine: run a rule set over a graph and collect the findings in a report.

A rule's check yields :class:`Violation` values; the engine adds the bookkeeping (code,
name, severity) to make each one a :class:`Finding`, and a :class:`Report` holds the
findings in a canonical order with a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from ..graph._store import bulk
from ._config import Config, RuleSet
from ._protocol import Rule, RuleContext, Severity, Violation
from ._report import Finding, Report

if TYPE_CHECKING:
    from ..graph._store import AlignmentGraph

__all__ = ["is_valid", "iter_findings", "present", "to_finding", "validate"]

_T = TypeVar("_T")


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
        for v in r.run(graph, ctx):
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
