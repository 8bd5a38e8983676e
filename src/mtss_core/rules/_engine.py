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

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..graph import bulk, subtree
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
                   message=v.message, hint=v.hint, related=v.related)


# --- a structure with no MTSS layer yet -----------------------------------------------------

_INIT = ("add the MTSS layer: `mtss init --from FILE --district ID` writes a starter to "
         "fill in, or overlay a document of teams, products and focus areas "
         "(mtss_core.overlay)")
#: What may be missing, how to tell, the rules that would otherwise fire once per district
#: or school for it, and what to do next.
_BARE: tuple[tuple[str, str, Callable[[AlignmentGraph], bool], tuple[str, ...], str],
             ...] = (
    ("no-teams", "no teams", lambda g: g.count("team") == 0,
     ("TEA001", "TEA002", "LED001", "COA002", "RES001", "RES002", "IMP001"), _INIT),
    ("no-products", "no visions, non-negotiables or improvement plans",
     lambda g: not any(g.count(t) for t in g.types.group("product")),
     ("ALN006", "FOC003"), _INIT),
    ("no-focus-areas", "no priority focus areas", lambda g: g.count("focus_area") == 0,
     ("FOC002",), "have each district leadership team name its priority focus areas "
                  "(`mtss init` adds placeholders)"),
    ("no-roles", "teams, but no one on them holds a role (no lead, coach, liaison or "
                 "principal recorded)",
     lambda g: g.count("team") > 0 and not any(m.roles for m in g.memberships()),
     ("LED001", "COA001", "COA002", "TEA003", "TEA004"),
     "seat people on the teams with their roles (mtss-lead, coach, liaison, principal, "
     "...): overlay a document of team members"),
)


def guidance(graph: AlignmentGraph, config: Config, plan: Plan) -> tuple[Plan, list[Notice]]:
    """The plan without the rules a bare structure would make fire everywhere, and one
    notice per missing thing.  Rules selected by their own code or name always run.

    >>> from mtss_core import AlignmentGraph, OrgUnit, validate
    >>> g = AlignmentGraph([OrgUnit(id="d1", kind="district"),
    ...                     OrgUnit(id="s1", kind="school", parent="d1")])
    >>> report = validate(g)
    >>> report.notices[0].silenced  # (the time rules need an as-of date to run at all)
    ('TEA001', 'TEA002', 'LED001', 'COA002')
    >>> "TEA002" in report.counts_by_code()
    False
    """
    named = {s.upper() for s in config.select or ()}
    planned = {r.code for r, _, _ in plan}
    notices: list[Notice] = []
    silenced: set[str] = set()
    for kind, what, missing, codes, step in _BARE:
        quiet = tuple(c for c in codes if c in planned and c not in named)
        if not quiet or not missing(graph):
            continue
        silenced.update(quiet)
        notices.append(Notice(
            kind=kind, silenced=quiet, next_step=step,
            message=(f"The structure has {what} yet (typical right after an import): "
                     f"{', '.join(quiet)} {'is' if len(quiet) == 1 else 'are'} not "
                     f"reported, as {'it' if len(quiet) == 1 else 'they'} would fire on "
                     "every district and school.")))
    return [p for p in plan if p[0].code not in silenced], notices


# --- waivers and the report -----------------------------------------------------------------

def assemble(graph: AlignmentGraph, config: Config, rules: RuleSet, plan: Plan,
             findings: Iterable[Finding], notices: Iterable[Notice] = (), *,
             root: str | None = None, within: frozenset[str] | None = None) -> Report:
    """The report of a run: ``findings`` of the rules in ``plan``, those outside ``root``'s
    subtree left out, those a waiver accepts set apart as waived."""
    as_of = config.as_of or graph.as_of
    notes = list(notices)
    if root is not None and within is None:
        within = subtree(graph, root)
    kept = [f for f in findings if within is None or f.subject in within]
    standing, waived, waiver_notes = _apply_waivers(graph, rules, kept, as_of, within)
    notes.extend(waiver_notes)
    names = {f.subject: name for f in (*standing, *waived)
             if (name := getattr(graph.get(f.subject), "name", "") or "")}
    return Report(findings=standing, waived=waived, rules=[r.code for r, _, _ in plan],
                  as_of=as_of, skipped=config.skipped(rules, as_of=graph.as_of),
                  names=names, notices=notes, root=root,
                  severities={r.code: sev for r, sev, _ in plan})


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
                   message=f.message, hint=f.hint, related=f.related, waiver=waiver)


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
    plan, notices = guidance(graph, config, plan)
    within = None if root is None else subtree(graph, root)
    with bulk():
        findings = list(_run(graph, plan, within, progress))
    return assemble(graph, config, ruleset, plan, findings, notices, root=root,
                    within=within)


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
