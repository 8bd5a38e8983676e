"""Incremental re-checking: edit a structure and keep its findings current.

A :class:`Session` holds a graph and the findings of each rule.  After an edit it
re-checks only what the edit can change:

- relinking a product (a new ``aligned_to``, nothing else changed) re-checks that one
  product for the alignment rules, in milliseconds even at state scale;
- adding or removing a membership re-checks the subjects the seat can change, as
  :data:`SEAT_SCOPE` lists them per rule (the team, the unit's executive teams, the
  district's coaches, the person's products and plans);
- any other edit re-runs the rules that read the kinds of object it touched;
- a new configuration re-runs only the rules whose settings, severity or date changed.

Rules the library does not ship are re-run after every edit, since what they read is
unknown.  The findings always equal those of a full :func:`~mtss_core.validate`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

from ._catalogue import DEFAULT_RULES
from ._engine import (
    Config,
    Finding,
    Report,
    Rule,
    RuleContext,
    RuleSet,
    Severity,
    Violation,
    to_finding,
)
from ._graph import AlignmentGraph, bulk
from ._model import ImprovementPlan, Membership, Product, Role, Team, TeamKind, UnitKind
from ._objects import ModelObject
from ._rules_alignment import _Ladder, loop_from, misalignment_of
from ._rules_focus import plan_outside_district
from ._rules_practice import coaches_in, skills_uncovered, team_without_coach
from ._rules_teams import liaison_gap, missing_constituency
from ._rules_time import update_overdue

__all__ = ["Session"]

_ALN_KIND = {"ALN001": "vision", "ALN002": "non-negotiables", "ALN003": "improvement-plan"}
_PRODUCTS = frozenset({"vision", "non_negotiables", "improvement_plan"})
_TREE = frozenset({"unit", "team", "person", "membership"})
#: The objects whose names appear in messages.
_NAMES = frozenset({"unit", "team", "person"})
_TIME = frozenset({"stage_record", "unit"})

#: What each shipped rule reads, by type name; a rule not listed reads everything.
READS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("ALN001", "ALN002", "ALN003", "ALN004", "ALN005"), _PRODUCTS | _TREE),
    "FOC001": frozenset({"focus_area", "unit"}),
    "FOC002": frozenset({"focus_area", "unit", "team"}),
    "FOC003": frozenset({"focus_area", "unit", "team", "vision"}),
    "FOC004": frozenset({"improvement_plan", "focus_area"}) | _TREE,
    "TEA001": frozenset({"unit", "team"}),
    "TEA002": frozenset({"unit", "team"}),
    "TEA003": frozenset({"team", "membership"}),
    "TEA004": frozenset({"unit", "team", "membership"}),
    **dict.fromkeys(("LED001", "LED002", "LED003"), _TREE),
    "DAT001": frozenset({"improvement_plan"}) | _NAMES,
    "DAT002": frozenset({"risk_threshold", "unit"}),
    **{c: frozenset() for c in ("STR001", "STR002", "STR003", "STR004")},
    "SUP001": frozenset({"unit"}),
    "SUP002": frozenset({"unit"}),
    "CAD001": _TIME | {"team", "meeting"},
    "CAD002": _TIME | {"team", "meeting"},
    "CAD003": _TIME | {"team", "status_update", "membership"},
    "CAD004": _PRODUCTS | _NAMES,
    **{c: _TIME | {"readiness_assessment"} for c in ("STG001", "STG002", "STG003", "STG004",
                                                     "STG005")},
    "FID001": _TIME | {"fidelity_assessment"},
    "FID002": _TIME | {"fidelity_assessment"},
    "IMP001": _TIME | {"team"},
    "COA001": frozenset({"team", "membership"}),
    "COA002": _TREE,
    "RES001": _TIME | {"resource_allocation", "team"},
    "RES002": _TIME | {"resource_allocation", "team"},
    **{c: frozenset({"barrier", "team", "unit"}) for c in ("BAR001", "BAR002", "BAR003")},
    "COM001": frozenset({"protocol", "team", "unit"}),
    "COM002": frozenset({"protocol"}),
}


#: What a seat (a membership added or removed) changes for one rule: ``None`` nothing,
#: ``"rerun"`` anything (re-run the rule), or the subjects whose findings it changes with
#: their fresh findings (``None`` where a subject is now clean).
Patch = tuple[set[str], list[Violation | None]]
SeatScope = Callable[[AlignmentGraph, RuleContext, Membership, Team],
                     Patch | Literal["rerun"] | None]

#: The alignment rules for a product (re-checked for each product of the seated person:
#: their level follows their seats).  Loops (ALN004) follow ``aligned_to`` alone.
_SEAT_ALN = frozenset({"ALN001", "ALN002", "ALN003", "ALN005"})


def _unchanged(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team) -> None:
    return None


def _composition(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team
                 ) -> Patch | None:
    wanted = ctx["composition"].get(team.kind.value)
    return None if wanted is None else ({team.id}, [missing_constituency(graph, team, wanted)])


def _coach(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team
           ) -> Patch | None:
    if team.kind is not TeamKind.SCHOOL_LEADERSHIP:
        return None
    return {team.id}, [team_without_coach(graph, team)]


def _liaison(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team
             ) -> Patch | None:
    if team.kind not in {TeamKind.EXECUTIVE_LEADERSHIP, TeamKind.DISTRICT_IMPLEMENTATION}:
        return None
    executive = graph.teams_of(team.unit, TeamKind.EXECUTIVE_LEADERSHIP)
    return {t.id for t in executive}, [liaison_gap(graph, t) for t in executive]


def _update(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team
            ) -> Patch | None:
    if team.kind is not TeamKind.EXECUTIVE_LEADERSHIP:  # its liaisons are named
        return None
    return {team.id}, [update_overdue(graph, team, ctx)]


def _skills(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team
            ) -> Patch | None:
    district = graph.nearest(team.unit, UnitKind.DISTRICT)
    if Role.COACH not in seat.roles or district is None:
        return None
    coaches = coaches_in(graph, district.id)
    return {district.id}, [skills_uncovered(graph, district.id, coaches, ctx["skills"])
                           if coaches else None]


def _plans(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team) -> Patch:
    # a person's district follows their seats when they have no unit of their own
    plans = [p for p in graph.products_of(seat.person) if isinstance(p, ImprovementPlan)]
    return {p.id for p in plans}, [v for p in plans for v in plan_outside_district(graph, p)]


def _leads(graph: AlignmentGraph, ctx: RuleContext, seat: Membership, team: Team
           ) -> Literal["rerun"] | None:
    return "rerun" if Role.MTSS_LEAD in seat.roles else None


#: For each shipped rule that reads memberships, what a seat can change.
SEAT_SCOPE: dict[str, SeatScope] = {
    **dict.fromkeys(_SEAT_ALN | {"ALN004"}, _unchanged),  # products re-checked one by one
    "TEA003": _composition,
    "TEA004": _liaison,
    "COA001": _coach,
    "COA002": _skills,
    "CAD003": _update,
    "FOC004": _plans,
    **dict.fromkeys(("LED001", "LED002", "LED003"), _leads),
}


def _shipped(r: Rule) -> bool:
    """Whether ``r`` is the library's own rule (whose reads are known)."""
    return r.code in DEFAULT_RULES and DEFAULT_RULES[r.code] is r


class Session:
    """A graph being edited, with the findings of every rule kept current.

    >>> import attrs
    >>> from mtss_core import Session, example
    >>> session = Session(example())
    >>> session.report().counts_by_code()["ALN001"]
    3
    >>> g = session.graph
    >>> session.replace(attrs.evolve(g["v-cedar-high"], aligned_to="v-cedar"))
    >>> session.report().counts_by_code()["ALN001"]
    2

    Edits (``add``, ``replace``, ``remove_membership``, ``configure``) re-check at once;
    ``report()`` assembles the current report when it is wanted.
    """

    def __init__(self, graph: AlignmentGraph, config: Config | None = None, *,
                 rules: RuleSet | None = None) -> None:
        self.graph = graph
        self.rules = DEFAULT_RULES if rules is None else rules
        self._config = config or Config()
        self._plan: dict[str, tuple[Rule, Severity, RuleContext]] = {}
        self._findings: dict[str, list[Finding]] = {}
        self.configure(self._config)

    # --- the current state --------------------------------------------------------------------

    @property
    def config(self) -> Config:
        """The configuration the findings are for."""
        return self._config

    def report(self) -> Report:
        """The current report: equal to ``validate(graph, config, rules=rules)``."""
        findings = [f for code in self._plan for f in self._findings[code]]
        names = {f.subject: name for f in findings
                 if (name := getattr(self.graph.get(f.subject), "name", "") or "")}
        return Report(findings=findings, rules=list(self._plan),
                      as_of=self._config.as_of or self.graph.as_of,
                      skipped=self._config.skipped(self.rules, as_of=self.graph.as_of),
                      names=names)

    # --- edits --------------------------------------------------------------------------------

    def configure(self, config: Config) -> None:
        """Change the configuration; re-run only the rules whose plan changed."""
        plan = {r.code: (r, sev, ctx) for r, sev, ctx in
                config.plan(self.rules, as_of=self.graph.as_of)}
        old = self._plan
        self._config, self._plan = config, plan
        for code, (_rule, sev, ctx) in plan.items():
            before = old.get(code)
            if before is not None and before[2] == ctx and code in self._findings:
                if before[1] is not sev:
                    self._findings[code] = [attrs.evolve(f, severity=sev)
                                            for f in self._findings[code]]
                continue
            self._run(code)
        for code in set(self._findings) - set(plan):
            del self._findings[code]

    def add(self, obj: ModelObject) -> None:
        """Add an object (or a membership) and re-check what it can change."""
        self.graph.add(obj)
        if isinstance(obj, Membership):
            self._membership_changed(obj)
        else:
            self._rerun({obj.type_name})

    def remove_membership(self, team_id: str, person_id: str) -> None:
        """Take a person off a team and re-check what that can change."""
        self._membership_changed(self.graph.remove_membership(team_id, person_id))

    def _membership_changed(self, seat: Membership) -> None:
        """A seat was added or removed: re-check what :data:`SEAT_SCOPE` says it changes."""
        graph = self.graph
        team: Team = graph._obj(seat.team)
        for product in graph.products_of(seat.person):
            self._recheck_product(product, _SEAT_ALN)
        rerun = []
        for code, (r, _sev, ctx) in self._plan.items():
            found: Patch | Literal["rerun"] | None
            if not _shipped(r):
                found = "rerun"
            elif code in SEAT_SCOPE:
                found = SEAT_SCOPE[code](graph, ctx, seat, team)
            else:  # a shipped rule the table leaves out: re-run it if it reads seats
                found = "rerun" if "membership" in READS.get(code, {"membership"}) else None
            if found == "rerun":
                rerun.append(code)
            elif found is not None:
                self._patch(code, *found)
        self._run_all(rerun)

    def replace(self, obj: ModelObject) -> None:
        """Replace an object by id and re-check what the change can affect."""
        if isinstance(obj, Membership):
            raise TypeError("replace a membership with remove_membership() and add()")
        old = self.graph[obj.id]
        self.graph.replace(obj)
        if (isinstance(obj, Product) and isinstance(old, Product)
                and attrs.evolve(old, aligned_to=obj.aligned_to) == obj):
            self._relinked(obj, old)
        else:
            self._rerun({obj.type_name})

    # --- re-checking --------------------------------------------------------------------------

    def _run(self, code: str, memo: dict[Any, Any] | None = None) -> None:
        r, sev, ctx = self._plan[code]
        ctx = attrs.evolve(ctx, memo={} if memo is None else memo)
        with bulk():
            self._findings[code] = [to_finding(r, sev, v) for v in r.check(self.graph, ctx)]

    def _rerun(self, types: set[str]) -> None:
        """Re-run the planned rules that read any of ``types`` (unknown rules: always)."""
        self._run_all([code for code, (r, _sev, _ctx) in self._plan.items()
                       if not _shipped(r) or READS.get(code, types) & types])

    def _run_all(self, codes: list[str]) -> None:
        """Re-run the rules ``codes`` in full, sharing one memo."""
        memo: dict[Any, Any] = {}
        for code in codes:
            self._run(code, memo)

    def _relinked(self, product: Product, old: Product) -> None:
        """Only ``aligned_to`` changed: re-check that product for the alignment rules."""
        self._recheck_product(product, frozenset({"ALN001", "ALN002", "ALN003", "ALN004",
                                                  "ALN005"}))
        # products aligned to the relinked one are unaffected: validity depends on the
        # target's owner, which did not change.  No other shipped rule reads aligned_to.
        self._run_all([c for c, (r, _, _) in self._plan.items() if not _shipped(r)])

    def _patch(self, code: str, subjects: set[str], fresh: list[Violation | None]) -> None:
        """Replace the findings of ``code`` about ``subjects`` by ``fresh`` ones."""
        r, sev, _ctx = self._plan[code]
        keep = [f for f in self._findings[code] if f.subject not in subjects]
        keep.extend(to_finding(r, sev, v) for v in fresh if v is not None)
        self._findings[code] = keep

    def _recheck_product(self, product: Product, codes: frozenset[str]) -> None:
        """Recompute one product's findings for the alignment rules in ``codes``."""
        kind_rule = {v: k for k, v in _ALN_KIND.items()}[product.kind.value]
        patched = codes & frozenset({kind_rule, "ALN004", "ALN005"})
        for code in patched & set(self._plan):
            r, sev, ctx = self._plan[code]
            keep = [f for f in self._findings[code]
                    if f.subject != product.id and product.id not in f.related]
            if code == "ALN004":
                loop = loop_from(self.graph, product.id)
                dropped = [f for f in self._findings[code] if f not in keep]
                fresh = [loop] if loop is not None else []
                # a loop that ran through the product, rebuilt from its other members
                for f in dropped:
                    for member in (f.subject, *f.related):
                        if member != product.id:
                            again = loop_from(self.graph, member)
                            if again is not None:
                                fresh.append(again)
                seen = {f.subject for f in keep}
                for v in fresh:
                    if v.subject not in seen:
                        seen.add(v.subject)
                        keep.append(to_finding(r, sev, v))
            else:
                keep = [f for f in self._findings[code] if f.subject != product.id]
                ladder = _Ladder(self.graph, product.kind, bool(ctx["above_district"]))
                found = misalignment_of(self.graph, ladder, product)
                if found is not None and found[1] == (code == "ALN005"):
                    v = found[0]
                    keep.append(to_finding(r, sev, found[0]))
            self._findings[code] = keep
