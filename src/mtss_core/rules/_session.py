"""Incremental re-checking: edit a structure and keep its findings current.

A :class:`Session` holds a graph and the findings of each rule, by subject.  After an edit
it asks each rule which of its subjects the edit affects (the rule's ``reads``, see
:mod:`mtss_core.rules`) and re-checks only those, with the rule's own check:

- a rule that checks subjects one at a time and reads the edited type re-checks the
  subjects its ``reads`` function names (or all of them, for :data:`~mtss_core.rules.ALL`);
- a rule that does not read the edited type keeps its findings;
- a rule that declares no ``reads`` (what it reads is unknown) is re-run in full;
- a rename (only a name changed) re-checks, for rules whose findings name objects only
  through their label (``labels_only``), just the subjects whose findings mention it;
- a new configuration re-runs only the rules whose settings, severity or date changed.

The findings always equal those of a full :func:`~mtss_core.validate`.  Nothing here
knows any rule by its code: the rules the library ships use the same public protocol as
a custom rule.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from itertools import accumulate, repeat
from operator import add
from typing import Any

import attrs

from .._gc import collector_paused
from ..edits import Applied, apply_edits
from ..errors import ModelTypeError, ReadsError
from ..graph import AlignmentGraph, UnitProgress, progress
from ..model import Membership, ModelObject, label
from ._catalogue import DEFAULT_RULES
from ._config import Config, RuleSet
from ._engine import assemble, check_types, to_finding
from ._fix import Fix, apply_change
from ._protocol import ALL, Edit, Rule, RuleContext, Severity
from ._report import Finding, Report

__all__ = ["Session", "check_reads"]

#: What re-checking found for one rule: every subject's findings anew (``full``), or the
#: findings of some subjects (the others kept).
_Staged = tuple[bool, dict[str, list[Finding]]]


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

    The session works on the graph it is given.  Edit it through the session; an edit
    made to the graph directly is noticed (the graph's ``version`` moved) and the next
    call re-validates in full.  An edit that fails leaves the graph and the findings as
    they were.
    """

    def __init__(self, graph: AlignmentGraph, config: Config | None = None, *,
                 rules: RuleSet | None = None, root: str | None = None,
                 verify: bool = False) -> None:
        self.graph = graph
        #: The unit whose subtree the report covers (``None``: the whole graph).
        self.root = root
        #: With ``verify``, every re-check after an edit is compared with a full run of
        #: the rule, and a difference raises :class:`~mtss_core.errors.ReadsError` naming
        #: the rule and the type of object its ``reads`` misses (slow: for testing rules).
        self.verify = verify
        self.rules = DEFAULT_RULES if rules is None else rules
        self._config = config or Config()
        self._plan: dict[str, tuple[Rule, Severity, RuleContext]] = {}
        # rule code -> subject id -> its findings: an edit replaces a few subjects' findings
        self._findings: dict[str, dict[str, list[Finding]]] = {}
        # rule code -> subject id -> its findings' messages and hints as one text, made
        # when a rename first asks which findings mention a label, then kept up to date
        self._texts: dict[str, _Texts] = {}
        self._seen = graph.version
        self._progress: tuple[Any, tuple[UnitProgress, ...]] | None = None
        # told the findings each re-check replaces, while a batch of edits is applied
        self._journal: Callable[[list[Finding], list[Finding]], None] | None = None
        self.configure(self._config)

    # --- the current state --------------------------------------------------------------------

    @property
    def config(self) -> Config:
        """The configuration the findings are for."""
        return self._config

    def report(self) -> Report:
        """The current report: equal to ``validate(graph, config, rules=rules, root=root)``."""
        self._sync()
        plan = list(self._plan.values())
        findings = [f for r, _sev, _ctx in plan for f in self._found(r.code)]
        key = (self.graph.version, self._config.as_of or self.graph.as_of)
        if self._progress is None or self._progress[0] != key:  # once per graph state
            self._progress = (key, progress(self.graph, key[1]))
        return assemble(self.graph, self._config, self.rules, plan, findings,
                        root=self.root, progress=self._progress[1])

    # --- edits --------------------------------------------------------------------------------

    def configure(self, config: Config) -> None:
        """Change the configuration; re-run only the rules whose plan changed."""
        planned = config.plan(self.rules, as_of=self.graph.as_of)
        check_types(self.graph, planned)
        plan = {r.code: (r, sev, ctx) for r, sev, ctx in planned}
        stale = self.graph.version != self._seen
        old = self._plan
        self._config, self._plan = config, plan
        changed = []
        for code, (_rule, sev, ctx) in plan.items():
            before = old.get(code)
            if (not stale and before is not None and before[2] == ctx
                    and code in self._findings):
                if before[1] is not sev:
                    self._findings[code] = {
                        key: [attrs.evolve(f, severity=sev) for f in found]
                        for key, found in self._findings[code].items()}
                continue
            changed.append(code)
        self._run_all(changed)
        for code in set(self._findings) - set(plan):
            del self._findings[code]
            self._texts.pop(code, None)
        self._seen = self.graph.version

    def add(self, obj: ModelObject) -> None:
        """Add an object (or a membership) and re-check what it can change."""
        self._sync()
        self.graph.add(obj)
        if isinstance(obj, Membership):
            seat = obj
            self._after(Edit(None, obj),
                        lambda: self.graph.remove_membership(seat.team, seat.person))
        else:
            ident = obj.id
            self._after(Edit(None, obj), lambda: self.graph.remove(ident))

    def remove(self, id: str) -> ModelObject:
        """Remove an object no other object refers to (see :meth:`AlignmentGraph.remove`),
        re-check what that can change, and return it."""
        self._sync()
        obj = self.graph.remove(id)
        self._after(Edit(obj, None), lambda: self.graph.add(obj))
        return obj

    def remove_membership(self, team_id: str, person_id: str) -> None:
        """Take a person off a team and re-check what that can change."""
        self._sync()
        seat = self.graph.remove_membership(team_id, person_id)
        self._after(Edit(seat, None), lambda: self.graph.add(seat))

    def replace(self, obj: ModelObject) -> None:
        """Replace an object by id (a membership: the seat of its team and person, in
        place; ending it with ``until`` keeps it as history) and re-check what the change
        can affect."""
        self._sync()
        if isinstance(obj, Membership):
            old_seat = self.graph.membership(obj.team, obj.person)
            self.graph.replace(obj)  # refuses a seat that does not exist
            assert old_seat is not None
            # judged as the old seat taken away and the new one given: what each can change
            self._after(Edit(old_seat, None), lambda: self.graph.replace(old_seat),
                        also=Edit(None, obj))
            return
        if not attrs.has(type(obj)) or not isinstance(getattr(obj, "id", None), str):
            raise ModelTypeError(f"replace takes a model object (a unit, a team, a vision, "
                                 f"...), got {type(obj).__name__} {obj!r:.60}")
        old = self.graph[obj.id]
        self.graph.replace(obj)  # refuses unknown ids and objects of another type
        self._after(Edit(old, obj), lambda: self.graph.replace(old))

    # --- re-checking --------------------------------------------------------------------------

    def _sync(self) -> None:
        """Re-validate in full if the graph was edited behind the session's back."""
        if self.graph.version != self._seen:
            self._run_all(list(self._plan))
            self._seen = self.graph.version

    def _after(self, edit: Edit, undo: Callable[[], Any], also: Edit | None = None) -> None:
        """Re-check what ``edit`` (already made; with ``also``, made together with it)
        affects; if that fails, undo the edit and leave the findings as they were."""
        try:
            staged = self._recheck(edit)
            if also is not None:
                for code, (full, found) in self._recheck(also).items():
                    before = staged.get(code)
                    if before is None or full:
                        staged[code] = (full, found)
                    elif not before[0]:
                        before[1].update(found)
            if self.verify:
                self._verify(edit, staged)
        except BaseException:
            undo()
            self._seen = self.graph.version
            raise
        journal = self._journal
        for code, (full, found) in staged.items():
            if full:
                if journal is not None:
                    journal([f for fs in self._findings[code].values() for f in fs],
                            [f for fs in found.values() for f in fs])
                self._findings[code] = found
                self._texts.pop(code, None)
                continue
            by_subject = self._findings[code]
            if journal is not None:
                for key, fresh in found.items():
                    journal(by_subject.get(key, []), fresh)
            texts = self._texts.get(code)
            for key, fresh in found.items():
                if fresh:
                    by_subject[key] = fresh
                    if texts is not None:
                        texts.put(key, _text(fresh))
                else:
                    by_subject.pop(key, None)
                    if texts is not None:
                        texts.discard(key)
        self._seen = self.graph.version

    def _recheck(self, edit: Edit) -> dict[str, _Staged]:
        """What each planned rule finds anew after ``edit``, by rule code."""
        graph = self.graph
        # an object shown under another label (renamed, re-kinded): rules whose findings
        # name objects only through their labels (``labels_only``) check again the subjects
        # whose findings mention it; if only its name changed, that is all they do
        relabelled = _relabelled(edit)
        renamed = relabelled is not None and _only_renamed(edit)
        memo: dict[Any, Any] = {}  # shared by this edit's checks, made afresh for each edit
        staged: dict[str, _Staged] = {}
        with collector_paused():
            for code, (r, sev, ctx) in self._plan.items():
                ctx = attrs.evolve(ctx, memo=memo)
                targets: set[str] | object = set()
                if not (renamed and r.labels_only):
                    affects = ALL if r.reads is None else r.reads.get(edit.type_name)
                    if affects is ALL:
                        targets = ALL
                    elif affects is not None:
                        found = affects(graph, ctx, edit)  # type: ignore[operator]
                        targets = ALL if found is ALL else set(found)  # type: ignore[arg-type]
                if relabelled is not None and r.labels_only and targets is not ALL:
                    assert isinstance(targets, set)
                    texts = self._texts.get(code)
                    if texts is None:
                        texts = self._texts[code] = _Texts({
                            key: _text(found) for key, found in self._findings[code].items()})
                    targets.update(texts.mentioning(relabelled))
                if targets is ALL or (targets and r.subjects is None):
                    staged[code] = (True, _run(r, sev, graph, ctx))
                elif targets:
                    staged[code] = (False, self._check(r, sev, ctx, targets))  # type: ignore[arg-type]
        return staged

    def _verify(self, edit: Edit, staged: dict[str, _Staged]) -> None:
        """Compare each rule's findings after ``edit`` (the kept ones and those re-checked)
        with a full run of the rule; raise naming the first rule that differs."""
        memo: dict[Any, Any] = {}
        for code, (r, sev, ctx) in self._plan.items():
            full, found = staged.get(code, (False, {}))
            if full:
                continue
            incremental = {k: v for k, v in self._findings[code].items() if k not in found}
            incremental.update((k, v) for k, v in found.items() if v)
            truth = _run(r, sev, self.graph, attrs.evolve(ctx, memo=memo))
            if incremental != truth:
                wrong = sorted(k for k in {*incremental, *truth}
                               if incremental.get(k) != truth.get(k))
                raise ReadsError.of(r, edit, wrong)

    def apply(self, edit: Edit | Fix | Iterable[Any] | Mapping[str, Any] | Any
              ) -> Applied | None:
        """Make a batch of edits as data (:mod:`mtss_core.edits`: a list of edit values or
        of their dicts, or one of them), all or nothing, and return what it changed
        (:class:`~mtss_core.edits.Applied`: objects created, changed and deleted, the
        findings added and resolved); or make an :class:`~mtss_core.rules.Edit` (add: no
        ``old``; remove: no ``new``; otherwise a replacement), or every change of a
        finding's :class:`~mtss_core.rules.Fix` (all or nothing).  Either way only what
        the edits can change is re-checked.

        >>> from mtss_core import Session, example
        >>> session = Session(example())
        >>> done = session.apply([{"op": "set", "id": "v-cedar-high", "field": "aligned_to",
        ...                        "value": "v-cedar"}])
        >>> [f.code for f in done.resolved]
        ['ALN001']

        >>> from mtss_core import Session, example
        >>> session = Session(example())
        >>> (f,) = [f for f in session.report() if f.subject == "v-cedar-high"]
        >>> session.apply(f.fix)
        >>> [f.subject for f in session.report().by_code("ALN001")]
        ['v-cedar-elem-k', 'v-garcia']

        >>> from mtss_core import Session, example
        >>> from mtss_core.model import FocusArea
        >>> from mtss_core.rules import Edit
        >>> session = Session(example())
        >>> session.apply(Edit(None, FocusArea(id="fa-x", district="dist-cedar")))
        >>> session.report().counts_by_code()["FOC001"]
        1
        """
        if isinstance(edit, Fix):
            self._apply_fix(edit)
            return None
        if not isinstance(edit, Edit):
            batch = [edit] if isinstance(edit, Mapping) or hasattr(edit, "op") else edit
            return apply_edits(self, batch)
        if edit.old is None and edit.new is not None:
            self.add(edit.new)
        elif edit.new is None and isinstance(edit.old, Membership):
            self.remove_membership(edit.old.team, edit.old.person)
        elif edit.new is None and edit.old is not None:
            self.remove(getattr(edit.old, "id", ""))
        elif edit.new is not None:
            self.replace(edit.new)
        return None

    def _apply_fix(self, fix: Fix) -> None:
        done: list[tuple[str, Any]] = []
        try:
            for change in fix.changes:
                old = self.graph[change.target]
                if change.op == "delete":
                    self.remove(change.target)
                    done.append(("add", old))
                else:
                    self.replace(apply_change(old, change))
                    done.append(("replace", old))
        except Exception:
            for how, obj in reversed(done):
                self.add(obj) if how == "add" else self.replace(obj)
            raise

    def _check(self, r: Rule, sev: Severity, ctx: RuleContext, keys: Iterable[str]
               ) -> dict[str, list[Finding]]:
        """The findings of ``r`` about each subject of ``keys``, checked again (none for a
        subject no longer in the graph)."""
        graph = self.graph
        fresh: dict[str, list[Finding]] = {}
        for key in keys:
            obj = graph.get(key)
            fresh[key] = ([] if obj is None else
                          [to_finding(r, sev, v) for v in r.check_one(graph, ctx, obj)])
        return fresh

    def _run_all(self, codes: list[str]) -> None:
        """Re-run the rules ``codes`` in full, sharing one memo."""
        memo: dict[Any, Any] = {}
        with collector_paused():
            for code in codes:
                r, sev, ctx = self._plan[code]
                self._findings[code] = _run(r, sev, self.graph, attrs.evolve(ctx, memo=memo))
                self._texts.pop(code, None)

    def _found(self, code: str) -> list[Finding]:
        """The current findings of one rule."""
        return [f for found in self._findings[code].values() for f in found]


def check_reads(rule: Rule, graph: AlignmentGraph, edits: Iterable[Edit],
                config: Config | None = None) -> None:
    """Check a rule's ``reads``: make each edit, in turn, to a copy of ``graph`` in a
    verifying :class:`Session`, and raise :class:`~mtss_core.errors.ReadsError` at the
    first edit after which re-checking only what ``reads`` names finds something other
    than a full run (the error names the rule and the type of object it misses).
    ``graph`` itself is not changed.

    >>> from mtss_core import OrgUnit, Team, Violation, example, rule
    >>> from mtss_core.rules import Edit
    >>> @rule(code="ACME030", name="school-without-teams", severity="warning",
    ...       subjects="unit", reads={"unit": lambda graph, ctx, edit: [
    ...           o.id for o in edit.versions]})
    ... def lonely(graph, ctx, unit):
    ...     "A school no team serves."
    ...     if unit.kind.value == "school" and not graph.teams_of(unit.id):
    ...         return Violation(subject=unit.id, message=f"{unit.id} has no team")
    >>> edits = [Edit(None, OrgUnit(id="s-new", kind="school", parent="dist-maple")),
    ...          Edit(None, Team(id="t-new", kind="school-leadership", unit="s-new"))]
    >>> check_reads(lonely, example(), edits)
    Traceback (most recent call last):
    ...
    mtss_core.errors.ReadsError: rule ACME030 (school-without-teams): after a team was \
added, re-checking what its reads names found other findings than a full run about 's-new': \
its reads leaves out 'team' (declare reads['team'], or ALL for it)
    """
    session = Session(graph.copy(), config, rules=RuleSet([rule]), verify=True)
    for edit in edits:
        session.apply(edit)


def _run(r: Rule, sev: Severity, graph: AlignmentGraph, ctx: RuleContext
         ) -> dict[str, list[Finding]]:
    """Everything ``r`` finds, by subject."""
    return {key: [to_finding(r, sev, v) for v in found]
            for key, found in r.run_by_subject(graph, ctx)}


def _relabelled(edit: Edit) -> str | None:
    """The label an object was shown under, when ``edit`` changed it (a rule that shows
    objects only through their labels has it in the text of every finding naming it)."""
    old, new = edit.old, edit.new
    if old is None or new is None:
        return None
    before = label(old)
    return None if before == label(new) else before


class _Texts:
    """One rule's findings' texts by subject, searched for a label as one string (a
    search in C over the joined text, not a test per subject: 42,000 subjects at state
    scale).  The subjects whose text changed since it was joined are searched one by one
    until there are enough of them to join it again."""

    __slots__ = ("_by_key", "_changed", "_joined")

    def __init__(self, by_key: dict[str, str]) -> None:
        self._by_key = by_key
        self._joined: tuple[list[str], str, list[int]] | None = None
        self._changed: dict[str, None] = {}

    def put(self, key: str, text: str) -> None:
        self._by_key[key] = text
        if self._joined is not None:
            self._changed[key] = None

    def discard(self, key: str) -> None:
        if self._by_key.pop(key, None) is not None and self._joined is not None:
            self._changed[key] = None

    def mentioning(self, text: str) -> list[str]:
        """The subjects whose text contains ``text``, each once."""
        changed = self._changed
        if self._joined is None or len(changed) > 64 + len(self._by_key) // 16:
            parts = list(self._by_key.values())
            # where each subject's text ends in the joined string (one separator after each)
            ends = list(accumulate(map(add, map(len, parts), repeat(1))))
            self._joined = (list(self._by_key), "\n".join(parts), ends)
            changed.clear()
        keys, joined, ends = self._joined
        found: dict[str, None] = {}
        at = joined.find(text)
        while at != -1:
            i = bisect_right(ends, at)  # the subject whose text the match starts in
            if at + len(text) < ends[i] and keys[i] not in changed:  # and ends in
                found[keys[i]] = None
            at = joined.find(text, at + 1)
        by_key = self._by_key
        for key in changed:  # as they are now (gone: no longer there to mention it)
            if text in by_key.get(key, ""):
                found[key] = None
        return list(found)


def _text(found: list[Finding]) -> str:
    """A subject's findings' messages and hints, as one text to search for a label."""
    return "\0".join(part for f in found for part in (f.message, f.hint))


def _only_renamed(edit: Edit) -> bool:
    """Whether ``edit`` changed nothing but the object's name."""
    old, new = edit.old, edit.new
    name: Any = getattr(new, "name", None)
    return (old is not None and new is not None and name is not None
            and attrs.evolve(old, name=name) == new)
