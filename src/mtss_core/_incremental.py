"""Incremental re-checking: edit a structure and keep its findings current.

A :class:`Session` holds a graph and the findings of each rule, by subject.  After an edit
it re-checks only the subjects the edit can change, as ``_scopes.EDIT_SCOPE`` lists them per
kind of object and per rule:

- relinking a product (a new ``aligned_to``) re-checks that product for the alignment
  rules; adding, removing or moving a product also re-checks the products whose level
  above it belongs to;
- a seat (membership) re-checks its team, the unit's executive teams, the district's
  coaches, the person's products and plans, and the unit's lead;
- a focus area re-checks its district; a meeting or status update its team; a stage
  record, assessment or allocation its unit (and the unit's teams);
- a unit or team added, or removed, re-checks itself and the unit it serves; one changed
  in place (moved, re-kinded) re-runs the rules that read units or teams;
- a rename patches the findings' text (names appear only in labels);
- a new configuration re-runs only the rules whose settings, severity or date changed.

Rules the library does not ship are re-run after every edit, since what they read is
unknown.  The findings always equal those of a full :func:`~mtss_core.validate`.
"""

from __future__ import annotations

import re
from typing import Any, Literal, cast

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
from ._levels import Levels
from ._model import (
    Membership,
    OrgUnit,
    Person,
    Product,
    Team,
)
from ._objects import ModelObject
from ._rules_alignment import label, loop_from, misalignment_of, products_below
from ._scopes import _ALN, _ALN_KIND, _SEAT_ALN, EDIT_SCOPE, READS, Patch

__all__ = ["Session"]

_SHIPPED = {r.code: r for r in DEFAULT_RULES}


def _shipped(r: Rule) -> bool:
    """Whether ``r`` is the library's own rule (whose reads are known)."""
    return _SHIPPED.get(r.code) is r


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

    Edits (``add``, ``replace``, ``remove``, ``remove_membership``, ``configure``)
    re-check at once; ``report()`` assembles the current report when it is wanted.

    >>> from mtss_core import FocusArea
    >>> session.add(FocusArea(id="fa-cedar-reading", district="dist-cedar"))
    >>> session.report().by_code("FOC001")[0].message
    "district 'Cedar Creek Community Schools' (dist-cedar) has 9 priority focus areas; a \
workable number is at most 6"
    >>> _ = session.remove("fa-cedar-reading")
    """

    def __init__(self, graph: AlignmentGraph, config: Config | None = None, *,
                 rules: RuleSet | None = None) -> None:
        self.graph = graph
        self.rules = DEFAULT_RULES if rules is None else rules
        self._config = config or Config()
        self._plan: dict[str, tuple[Rule, Severity, RuleContext]] = {}
        # rule code -> subject -> its findings: an edit replaces a few subjects' findings
        self._findings: dict[str, dict[str, list[Finding]]] = {}
        self.configure(self._config)

    # --- the current state --------------------------------------------------------------------

    @property
    def config(self) -> Config:
        """The configuration the findings are for."""
        return self._config

    def report(self) -> Report:
        """The current report: equal to ``validate(graph, config, rules=rules)``."""
        findings = [f for code in self._plan for f in self._found(code)]
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
        changed = []
        for code, (_rule, sev, ctx) in plan.items():
            before = old.get(code)
            if before is not None and before[2] == ctx and code in self._findings:
                if before[1] is not sev:
                    self._set(code, [attrs.evolve(f, severity=sev) for f in self._found(code)])
                continue
            changed.append(code)
        self._run_all(changed)  # one memo: a new as-of date re-runs the time rules together
        for code in set(self._findings) - set(plan):
            del self._findings[code]

    def add(self, obj: ModelObject) -> None:
        """Add an object (or a membership) and re-check what it can change."""
        self.graph.add(obj)
        self._edited(obj, None, obj)

    def remove(self, id: str) -> ModelObject:
        """Remove an object no other object refers to (see :meth:`AlignmentGraph.remove`),
        re-check what that can change, and return it."""
        obj = self.graph.remove(id)
        self._edited(obj, obj, None)
        return obj

    def remove_membership(self, team_id: str, person_id: str) -> None:
        """Take a person off a team and re-check what that can change."""
        seat = self.graph.remove_membership(team_id, person_id)
        self._edited(seat, seat, None)

    def replace(self, obj: ModelObject) -> None:
        """Replace an object by id and re-check what the change can affect."""
        if isinstance(obj, Membership):
            raise TypeError("replace a membership with remove_membership() and add()")
        old = self.graph[obj.id]
        self.graph.replace(obj)
        if (isinstance(obj, (OrgUnit, Team, Person)) and isinstance(old, type(obj))
              and old.name and obj.name and attrs.evolve(old, name=obj.name) == obj):
            self._renamed(old, obj)
        elif isinstance(obj, Person):
            self._person_changed(obj)
        elif isinstance(obj, (OrgUnit, Team)):  # moved or re-kinded: anything may change
            self._rerun({obj.type_name})
        else:
            self._edited(obj, old, obj)

    def _edited(self, obj: ModelObject, old: ModelObject | None, new: ModelObject | None,
                *, alignment: bool = True) -> None:
        """``old`` became ``new`` (either may be ``None``): re-check what
        :data:`EDIT_SCOPE` says that changes; re-run the readers it does not cover."""
        graph = self.graph
        if isinstance(obj, Membership):
            for product in graph.products_of(obj.person):
                self._recheck_product(product, _SEAT_ALN)
        elif isinstance(obj, Product) and alignment:
            self._product_changed(old, new)  # type: ignore[arg-type]
        scopes = EDIT_SCOPE.get(obj.type_name, {})
        versions = [o for o in (old, new) if o is not None]
        rerun = []
        memo: dict[Any, Any] = {}  # shared by this edit's checks, made afresh for each edit
        for code, (r, _sev, ctx) in self._plan.items():
            if _shipped(r) and obj.type_name not in READS.get(code, {obj.type_name}):
                continue
            scope = scopes.get(code) if _shipped(r) else None
            if scope is not None:
                ctx = attrs.evolve(ctx, memo=memo)
            found: list[Patch | Literal["rerun"] | None] = (
                ["rerun"] if scope is None else [scope(graph, ctx, o) for o in versions])
            if "rerun" in found:
                rerun.append(code)
                continue
            subjects: set[str] = set()
            fresh: dict[Violation, None] = {}  # old and new may share subjects: once each
            for patch in found:
                if patch is not None and patch != "rerun":
                    subjects |= patch[0]
                    fresh.update((v, None) for v in patch[1] if v is not None)
            if subjects:
                self._patch(code, subjects, list(fresh))
        self._run_all(rerun)

    def _renamed(self, old: OrgUnit | Team | Person, new: OrgUnit | Team | Person) -> None:
        """Only a (non-empty) name changed: the library's rules name an object only
        through its label, ``kind 'Name' (id)``, so each finding's text is brought up to
        date in place (an unnamed label, ``kind id``, could be part of a longer one: those
        edits are re-checked instead)."""
        before, after = label(old), label(new)
        pattern = re.compile(r"(?<![\w-])" + re.escape(before))
        rerun = []
        for code, (r, _sev, _ctx) in self._plan.items():
            if not _shipped(r):
                rerun.append(code)
                continue
            for found in self._findings[code].values():
                found[:] = [attrs.evolve(f, message=pattern.sub(after, f.message),
                                         hint=pattern.sub(after, f.hint))
                            if before in f.message or before in f.hint else f for f in found]
        self._run_all(rerun)

    def _person_changed(self, person: Person) -> None:
        """A person's name, unit, skills or positions changed: what they hold is re-checked
        as if each of their seats and products had just been added (a person is named
        only in findings about their seats, teams and products)."""
        graph = self.graph
        for seat in graph.memberships_of(person.id):
            self._edited(seat, None, seat)
        for product in graph.products_of(person.id):
            self._recheck_product(product, _ALN)
            for other in graph.aligned_from(product.id):  # its owner is named in theirs
                self._recheck_product(other, _SEAT_ALN)
            self._edited(cast(ModelObject, product), None, cast(ModelObject, product),
                         alignment=False)

    def _product_changed(self, old: Product | None, new: Product | None) -> None:
        """The alignment rules after a product was added, removed or changed."""
        product = new or old
        assert product is not None
        moved = old is None or new is None or old.owner != new.owner
        if new is None:
            self._drop_product(product.id)
        elif moved or old is None or old.aligned_to != new.aligned_to:
            self._recheck_product(new, _ALN)
        if not moved:
            return  # the same owner: no one else's level above changed
        above = self._above_district()
        again: dict[str, Product] = {}
        for version in (old, new):
            if version is not None and version.owner in self.graph:
                again.update((p.id, p) for p in products_below(
                    self.graph, version.owner, version.kind, above))
        if new is not None:  # aligned to it: judged by the level of its owner
            again.update((p.id, p) for p in self.graph.aligned_from(new.id))
        again.pop(product.id, None)
        for other in again.values():
            self._recheck_product(other, _SEAT_ALN)

    def _above_district(self) -> bool:
        """Whether any planned alignment rule also checks districts and ISDs."""
        return any(self._plan[code][2].settings.get("above_district", True)
                   for code in _ALN & set(self._plan))

    def _drop_product(self, product_id: str) -> None:
        """A removed product's own alignment findings go (nothing aligned to it, so it
        was in no loop)."""
        for code in _ALN & set(self._plan):
            self._findings[code].pop(product_id, None)

    # --- re-checking --------------------------------------------------------------------------

    def _run(self, code: str, memo: dict[Any, Any] | None = None) -> None:
        r, sev, ctx = self._plan[code]
        ctx = attrs.evolve(ctx, memo={} if memo is None else memo)
        with bulk():
            self._set(code, [to_finding(r, sev, v) for v in r.check(self.graph, ctx)])

    def _rerun(self, types: set[str]) -> None:
        """Re-run the planned rules that read any of ``types`` (unknown rules: always)."""
        self._run_all([code for code, (r, _sev, _ctx) in self._plan.items()
                       if not _shipped(r) or READS.get(code, types) & types])

    def _run_all(self, codes: list[str]) -> None:
        """Re-run the rules ``codes`` in full, sharing one memo."""
        memo: dict[Any, Any] = {}
        for code in codes:
            self._run(code, memo)

    def _patch(self, code: str, subjects: set[str], fresh: list[Violation | None]) -> None:
        """Replace the findings of ``code`` about ``subjects`` by ``fresh`` ones."""
        r, sev, _ctx = self._plan[code]
        by_subject = self._findings[code]
        for subject in subjects:
            by_subject.pop(subject, None)
        for v in fresh:
            if v is not None:
                by_subject.setdefault(v.subject, []).append(to_finding(r, sev, v))

    def _found(self, code: str) -> list[Finding]:
        """The current findings of one rule."""
        return [f for found in self._findings[code].values() for f in found]

    def _set(self, code: str, findings: list[Finding]) -> None:
        by_subject: dict[str, list[Finding]] = {}
        for f in findings:
            by_subject.setdefault(f.subject, []).append(f)
        self._findings[code] = by_subject

    def _recheck_product(self, product: Product, codes: frozenset[str]) -> None:
        """Recompute one product's findings for the alignment rules in ``codes``."""
        kind_rule = {v: k for k, v in _ALN_KIND.items()}[product.kind.value]
        patched = codes & frozenset({kind_rule, "ALN004", "ALN005"})
        for code in patched & set(self._plan):
            r, sev, ctx = self._plan[code]
            by_subject = self._findings[code]
            if code != "ALN004":
                by_subject.pop(product.id, None)
                levels = Levels(self.graph, above_district=bool(ctx["above_district"]),
                                isd_partners_only=bool(ctx["isd_partners_only"]))
                found = misalignment_of(self.graph, levels, product)
                if found is not None and found[1] == (code == "ALN005"):
                    by_subject[product.id] = [to_finding(r, sev, found[0])]
                continue
            # loops through the product: dropped, then rebuilt from it and their members
            dropped = [f for f in self._found(code)
                       if f.subject == product.id or product.id in f.related]
            fresh = [] if (loop := loop_from(self.graph, product.id)) is None else [loop]
            for f in dropped:
                del by_subject[f.subject]
                fresh.extend(again for member in (f.subject, *f.related)
                             if member != product.id
                             and (again := loop_from(self.graph, member)) is not None)
            for v in fresh:  # a loop is reported once, on its first member
                by_subject.setdefault(v.subject, [to_finding(r, sev, v)])
