"""The engine: run a rule set over a graph and collect the findings in a report.

A rule's check yields :class:`Violation` values; the engine adds the bookkeeping (code,
name, severity) to make each one a :class:`Finding`, and a :class:`Report` holds the
findings in a canonical order with a verdict.  Around the rules, the engine:

- says once, at the top, when the structure has no MTSS layer yet (no teams, no
  products, no focus areas, nobody in an MTSS role) instead of a finding per school for
  each missing thing (:func:`guidance`);
- keeps findings a waiver accepts apart, as waived (:func:`assemble`);
- checks one unit's subtree when asked (``root=``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import pendulum

from .._gc import collector_paused
from ..errors import ConfigError
from ..graph import (
    UnitProgress,
    home_unit,
    inactive,
    is_inactive,
    progress_unit,
    subtree,
)
from ..graph import progress as unit_progress
from ..model import UnitKind
from ._config import Config, RuleSet
from ._protocol import Rule, RuleContext, Severity, Violation
from ._report import Finding, Notice, Report

if TYPE_CHECKING:
    from ..graph import AlignmentGraph

__all__ = [
    "assemble",
    "check_types",
    "guidance",
    "is_valid",
    "iter_findings",
    "to_finding",
    "validate",
]

Plan = list[tuple[Rule, Severity, RuleContext]]
#: ``progress(done, total, code)``: called after each rule.
Progress = Callable[[int, int, str], None]


def iter_findings(
    graph: AlignmentGraph, config: Config | None = None, *, rules: RuleSet | None = None
) -> Iterator[Finding]:
    """Yield findings lazily, rule by rule, in the graph's own order.

    Configuration errors are raised before the first finding.  Use
    :func:`validate` for the canonical order, waivers, guidance and a verdict.
    """
    plan = (config or Config()).plan(_default_rules() if rules is None else rules,
                                     as_of=graph.as_of)
    check_types(graph, plan)
    return _run(graph, plan)


def subject_name(graph: AlignmentGraph, subject: str) -> str:
    """What a person would call a finding's subject: its name or title, or, for a product
    without a title, whose it is (``vision of Lincoln Elementary``); ``""`` when the id is
    not an object of the graph."""
    obj = graph.get(subject)
    if obj is None:
        return ""
    name = getattr(obj, "name", "") or getattr(obj, "title", "")
    if name:
        return str(name)
    owner_id = getattr(obj, "owner", None) or getattr(obj, "team", None) \
        or getattr(obj, "unit", None) or getattr(obj, "district", None)
    owner = graph.get(owner_id) if isinstance(owner_id, str) else None
    whose = (getattr(owner, "name", "") or owner_id) if owner_id else ""
    return f"{graph.types.of(obj).singular} of {whose}" if whose else ""


def _run(graph: AlignmentGraph, plan: Plan, within: frozenset[str] | None = None,
         progress: Progress | None = None) -> Iterator[Finding]:
    for i, (r, severity, ctx) in enumerate(plan):
        for v in r.run(graph, ctx, within=within):
            yield to_finding(r, severity, v)
        if progress is not None:
            progress(i + 1, len(plan), r.code)


def check_types(graph: AlignmentGraph, plan: Plan) -> None:
    """Refuse a plan whose rules name object types the graph's registry does not hold (a
    rule about cohorts run on a graph built without them)."""
    for r, _severity, _ctx in plan:
        unknown = r.unknown_types(graph.types)
        if unknown:
            raise ConfigError(f"rule {r.code} ({r.name}) names the object type "
                              f"{unknown[0]!r}, which the graph's registry does not hold; "
                              "build the graph with the registry that declares it "
                              "(AlignmentGraph(..., types=...))")


def to_finding(r: Rule, severity: Severity, v: Violation) -> Finding:
    """The finding ``r`` reports, at ``severity``, for what its check yielded."""
    return Finding(code=r.code, name=r.name, severity=severity, subject=v.subject,
                   message=v.message, hint=v.hint, related=v.related, fix=v.fix)


# --- districts that have not started an MTSS layer ------------------------------------------

_INIT = ("add the MTSS layer: `mtss init --from FILE --district ID` writes a starter to "
         "fill in, or overlay a document of teams, products and focus areas "
         "(mtss_core.overlay)")
_KIND_WORDS = {UnitKind.DISTRICT: ("district", "districts"), UnitKind.ISD: ("ISD", "ISDs"),
               UnitKind.STATE: ("state", "states"), UnitKind.SCHOOL: ("school", "schools")}


def guidance(graph: AlignmentGraph, config: Config, plan: Plan, findings: Iterable[Finding],
             progress: Sequence[UnitProgress]) -> tuple[list[Finding], list[Notice]]:
    """The findings to report one by one, and a notice per kind of unit that has not
    started: the findings of rules ``about_absence`` (a missing team, product, focus area)
    about a district, ISD or state with no MTSS layer of its own are summarized there,
    with their count by rule and the first few units, instead of one per school.  A unit
    that has started gets every finding.  Rules selected by their own code or name are
    never summarized.

    >>> from mtss_core import AlignmentGraph, OrgUnit, validate
    >>> g = AlignmentGraph([OrgUnit(id="d1", kind="district"),
    ...                     OrgUnit(id="s1", kind="school", parent="d1")])
    >>> report = validate(g)
    >>> report.notices[0].silenced, report.notices[0].related
    (('ALN006', 'FOC002', 'TEA001', 'TEA002', 'LED001', 'COA002'), ('d1',))
    >>> [f.code for f in report]  # (an ISD's support is not about starting MTSS)
    ['SUP002']
    """
    named = {s.upper() for s in config.select or ()}
    quiet_codes = {r.code for r, _, _ in plan if r.about_absence
                   and r.code.upper() not in named and r.name.upper() not in named}
    waiting = {p.unit: p for p in progress if not p.started}
    if not quiet_codes or not waiting:
        return list(findings), []
    memo: dict[str, str] = {}
    kept: list[Finding] = []
    held: dict[str, list[Finding]] = {}  # progress unit -> its findings summarized
    for f in findings:
        unit = None
        if f.code in quiet_codes:
            home = home_unit(graph, f.subject)
            unit = None if home is None else progress_unit(graph, home, memo)
        if unit is not None and unit in waiting:
            held.setdefault(unit, []).append(f)
        else:
            kept.append(f)
    notices: list[Notice] = []
    order = [r.code for r, _, _ in plan if r.code in quiet_codes]
    for kind in (UnitKind.STATE, UnitKind.ISD, UnitKind.DISTRICT, UnitKind.SCHOOL):
        units = [u for u, p in waiting.items() if p.kind is kind and u in held]
        if not units:
            continue
        one, many = _KIND_WORDS[kind]
        counts = Counter(f.code for u in units for f in held[u])
        codes = tuple(c for c in order if counts[c])
        total = sum(counts.values())
        shown = ", ".join(units[:5]) + (f" and {len(units) - 5:,} more" if len(units) > 5
                                        else "")
        noun = one if len(units) == 1 else many
        verb = "has" if len(units) == 1 else "have"
        notices.append(Notice(
            kind="not-started", silenced=codes, related=tuple(units), next_step=_INIT,
            message=(f"{len(units):,} {noun} {verb} not started an MTSS layer yet (no team, "
                     f"product or focus area; typical right after an import): {total:,} "
                     f"finding{'s' if total != 1 else ''} about "
                     f"{'it' if len(units) == 1 else 'them'} "
                     f"({', '.join(f'{c} {counts[c]:,}' for c in codes)}) "
                     f"{'is' if total == 1 else 'are'} summarized here, not reported one "
                     f"by one: {shown}.")))
    return kept, notices


# --- units that closed and people who left --------------------------------------------------

def set_aside_inactive(graph: AlignmentGraph, findings: list[Finding],
                       as_of: pendulum.Date | None) -> tuple[list[Finding], list[Notice]]:
    """The findings to report, and a notice counting those about units that had closed
    and people who had left by ``as_of`` (kept by a refresh as history) and what they
    held: their teams, products and records.

    >>> import attrs
    >>> from mtss_core import example, validate
    >>> g = example()
    >>> g.replace(attrs.evolve(g["sch-cedar-high"], closed_on="2026-06-30"))
    >>> report = validate(g)
    >>> "sch-cedar-high" in {f.subject for f in report}, report.notices[0].kind
    (False, 'inactive')
    """
    gone = inactive(graph, as_of)
    if not gone:
        return findings, []
    kept: list[Finding] = []
    held: list[Finding] = []
    for f in findings:
        (held if is_inactive(graph, f.subject, gone) else kept).append(f)
    if not held:
        return kept, []
    units = sorted(i for i in gone if graph.node(i).type_name == "unit")
    people = sorted(i for i in gone if i not in units)
    what = "; ".join(part for part in (
        f"units closed: {', '.join(units[:5])}{' and more' if len(units) > 5 else ''}"
        if units else "",
        f"people who left: {', '.join(people[:5])}{' and more' if len(people) > 5 else ''}"
        if people else "") if part)
    n = len(held)
    return kept, [Notice(
        kind="inactive", silenced=tuple(sorted({f.code for f in held})),
        related=(*units, *people),
        next_step="nothing to do: they are kept as history (remove them to forget them)",
        message=(f"{n:,} finding{'s' if n != 1 else ''} about units that closed and people "
                 f"who left, and what they held, {'is' if n == 1 else 'are'} not reported "
                 f"({what})."))]


# --- waivers and the report -----------------------------------------------------------------

def assemble(graph: AlignmentGraph, config: Config, rules: RuleSet, plan: Plan,
             findings: Iterable[Finding], notices: Iterable[Notice] = (), *,
             root: str | None = None, within: frozenset[str] | None = None,
             progress: Sequence[UnitProgress] | None = None) -> Report:
    """The report of a run: ``findings`` of the rules in ``plan``, those outside ``root``'s
    subtree left out, those about units that have not started summarized (:func:`guidance`),
    those a waiver accepts set apart as waived.  ``progress`` is each progress unit's (of
    the graph, on the run's as-of date), when the caller has it already."""
    as_of = config.as_of or graph.as_of
    notes = list(notices)
    if root is not None and within is None:
        within = subtree(graph, root)
    if progress is None:
        progress = unit_progress(graph, as_of)
    if within is not None:
        progress = [p for p in progress if p.unit in within]
    kept = [f for f in findings if within is None or f.subject in within]
    kept, history = set_aside_inactive(graph, kept, as_of)
    kept, summaries = guidance(graph, config, plan, kept, progress)
    notes[:0] = [*summaries, *history]
    standing, waived, waiver_notes = _apply_waivers(graph, rules, kept, as_of, within)
    notes.extend(waiver_notes)
    names = {subject: name for subject in dict.fromkeys(f.subject for f in (*standing, *waived))
             if (name := subject_name(graph, subject))}
    return Report(findings=standing, waived=waived, rules=[r.code for r, _, _ in plan],
                  as_of=as_of, skipped=config.skipped(rules, as_of=graph.as_of),
                  names=names, notices=notes, root=root,
                  severities={r.code: sev for r, sev, _ in plan}, progress=progress)


def _apply_waivers(graph: AlignmentGraph, rules: RuleSet, findings: list[Finding],
                   as_of: Any, within: frozenset[str] | None
                   ) -> tuple[list[Finding], list[Finding], list[Notice]]:
    """(standing findings, waived findings, notices about the waivers)."""
    waivers = [w for w in graph.objects("waiver") if within is None or w.subject in within]
    if not waivers:
        return findings, [], []
    notes: list[Notice] = []
    active = []
    for w in waivers:
        found = rules.get(w.rule)
        if found is None:
            notes.append(Notice(kind="waiver-unknown-rule", related=(w.id,),
                                message=f"waiver {w.id!r} names {w.rule!r}, which is not a "
                                        "rule: it waives nothing"))
            continue
        if w.until is not None and as_of is not None and as_of > w.until:
            continue  # expired: WAI001 reports it
        covers = (subtree(graph, w.subject) if w.scope.value == "subtree"
                  and graph.get(w.subject) is not None
                  and graph.node(w.subject).type_name == "unit" else frozenset({w.subject}))
        active.append((w, found.code, covers))
    used: set[str] = set()
    standing, waived = [], []
    for f in findings:
        for w, code, covers in active:
            if f.code == code and f.subject in covers:
                waived.append(_waived(f, w.id))
                used.add(w.id)
                break
        else:
            standing.append(f)
    for w, code, _covers in active:
        if w.id not in used:
            notes.append(Notice(kind="waiver-unused", related=(w.id, w.subject),
                                message=f"waiver {w.id!r} of {code} for {w.subject!r} "
                                        "matches no finding: withdraw it, or check its "
                                        "subject and rule"))
    if as_of is None and any(w.until is not None for w, _, _ in active):
        notes.append(Notice(kind="waiver-no-date", message=(
            "waivers with an until date were applied without checking their expiry: no "
            "as-of date is known (pass one to check them)")))
    return standing, waived, notes


def _waived(f: Finding, waiver: str) -> Finding:
    return Finding(code=f.code, name=f.name, severity=f.severity, subject=f.subject,
                   message=f.message, hint=f.hint, related=f.related, waiver=waiver,
                   fix=f.fix)


def validate(
    graph: AlignmentGraph, config: Config | None = None, *, rules: RuleSet | None = None,
    root: str | None = None, progress: Progress | None = None,
) -> Report:
    """Run the rules over ``graph`` and return a :class:`Report`.

    ``root`` checks one unit and everything below it (a district with its schools, teams
    and people): findings about objects outside that subtree are not reported.
    ``progress(done, total, code)`` is called after each rule.

    >>> from mtss_core import example, validate, Config
    >>> report = validate(example())
    >>> report
    <Report fail: 13 findings (4 errors, 9 warnings)>
    >>> validate(example(), Config(select=["ALN001", "FOC001"])).counts_by_code()
    {'ALN001': 3, 'FOC001': 1}
    >>> sorted({f.subject for f in validate(example(), root="sch-cedar-high")})
    ['cip-cedar-high', 'sch-cedar-high', 'v-cedar-high', 'v-garcia']
    """
    config = config or Config()
    ruleset = _default_rules() if rules is None else rules
    plan = config.plan(ruleset, as_of=graph.as_of)
    check_types(graph, plan)
    within = None if root is None else subtree(graph, root)
    with collector_paused():  # the run's indexes are freed before the collector ever scans them
        findings = list(_run(graph, plan, within, progress))
        report = assemble(graph, config, ruleset, plan, findings, root=root, within=within)
        del plan
    return report


def is_valid(
    graph: AlignmentGraph, config: Config | None = None, *, rules: RuleSet | None = None
) -> bool:
    """True when no rule finds anything at error severity.

    >>> from mtss_core import example, is_valid, Config
    >>> is_valid(example()), is_valid(example(), Config(select=["FOC", "DAT"]))
    (False, True)
    """
    return validate(graph, config, rules=rules).ok


def _default_rules() -> RuleSet:
    from ._catalogue import DEFAULT_RULES

    return DEFAULT_RULES
