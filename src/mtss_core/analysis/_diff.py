"""What changed between two versions of a structure: objects and seats added, removed
and changed (field by field), and the findings introduced and resolved."""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs

from .._text import md_cell, md_text
from ..graph import AlignmentGraph
from ..io import to_entry
from ..model import Membership, ref
from ..rules import Config, Finding, RuleSet, validate

__all__ = ["Change", "Diff", "SeatChange", "diff"]


@attrs.frozen
class Change:
    """One object changed in place: its type, id and each field that differs."""

    type_name: str
    id: str
    #: (field, before, after), as they would be written in a document.
    fields: tuple[tuple[str, Any, Any], ...]
    #: How messages call the type (``improvement plan``): from the graph's registry.
    singular: str = attrs.field(default="", eq=False)

    def __str__(self) -> str:
        return "; ".join(f"{f}: {_show(a)} -> {_show(b)}" for f, a, b in self.fields)


def _show(value: Any) -> str:
    return "(none)" if value is None or value == [] or value == "" else repr(value)


@attrs.frozen
class SeatChange:
    """A seat kept from one version to the next whose roles or dates changed."""

    before: Membership
    after: Membership

    @property
    def fields(self) -> tuple[tuple[str, Any, Any], ...]:
        """(field, before, after) for each of roles, since and until that differs."""
        a, b = to_entry(self.before), to_entry(self.after)
        return tuple((f, a.get(f), b.get(f)) for f in ("roles", "since", "until")
                     if a.get(f) != b.get(f))

    def __str__(self) -> str:
        """``roles changed: coach → coach, mtss-lead``."""
        parts = []
        for f, a, b in self.fields:
            if f == "roles":
                parts.append(f"roles changed: {', '.join(a or ()) or '(none)'} → "
                             f"{', '.join(b or ()) or '(none)'}")
            else:
                parts.append(f"{f}: {a or '(none)'} → {b or '(none)'}")
        return "; ".join(parts)


@attrs.frozen
class Diff:
    """Two versions of a structure compared (see :func:`diff`)."""

    added: tuple[Any, ...]
    removed: tuple[Any, ...]
    changed: tuple[Change, ...]
    seats_added: tuple[Membership, ...]
    seats_removed: tuple[Membership, ...]
    #: Findings of the new version its old version did not have, and the reverse (matched
    #: by rule, subject and fingerprint, like a baseline).
    introduced: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    #: Seats held in both versions whose roles or dates changed.
    seats_changed: tuple[SeatChange, ...] = ()

    def __bool__(self) -> bool:
        return any((self.added, self.removed, self.changed, self.seats_added,
                    self.seats_removed, self.seats_changed, self.introduced, self.resolved))

    def to_dict(self) -> dict[str, Any]:
        """Plain data: objects as they would be written in a document."""
        def obj(o: Any) -> dict[str, Any]:
            return {"type": o.type_name, **to_entry(o)}

        return {
            "added": [obj(o) for o in self.added],
            "removed": [obj(o) for o in self.removed],
            "changed": [{"type": c.type_name, "id": c.id,
                         "fields": {f: {"before": a, "after": b} for f, a, b in c.fields}}
                        for c in self.changed],
            "seats_added": [to_entry(m) for m in self.seats_added],
            "seats_removed": [to_entry(m) for m in self.seats_removed],
            "seats_changed": [{"person": c.after.person, "team": c.after.team,
                               "fields": {f: {"before": a, "after": b}
                                          for f, a, b in c.fields}}
                              for c in self.seats_changed],
            "findings_introduced": [f.to_dict() for f in self.introduced],
            "findings_resolved": [f.to_dict() for f in self.resolved],
        }

    def __str__(self) -> str:
        lines: list[str] = []
        for o in self.added:
            lines.append(f"+ {ref(o)}")
        for o in self.removed:
            lines.append(f"- {ref(o)}")
        for c in self.changed:
            lines.append(f"~ {c.singular} {c.id!r}: {c}")
        for m in self.seats_added:
            roles = f" as {', '.join(m.roles)}" if m.roles else ""
            lines.append(f"+ seat: {m.person} on {m.team}{roles}")
        for m in self.seats_removed:
            lines.append(f"- seat: {m.person} gave up {m.team}")
        for sc in self.seats_changed:
            lines.append(f"~ seat: {sc.after.person} on {sc.after.team}: {sc}")
        for f in self.introduced:
            lines.append(f"! new finding: {f}")
        for f in self.resolved:
            lines.append(f"✓ resolved: {f}")
        counts = self.summary()
        return "\n".join([*lines, counts]) if lines else f"no changes ({counts})"

    def summary(self) -> str:
        """One line of counts: ``"0 added, 0 removed, 1 changed, ...; 1 findings ..."``."""
        return (f"{len(self.added)} added, {len(self.removed)} removed, "
                f"{len(self.changed)} changed, {len(self.seats_added)} seats taken, "
                f"{len(self.seats_removed)} given up, {len(self.seats_changed)} seats "
                f"changed; {len(self.introduced)} findings "
                f"introduced, {len(self.resolved)} resolved")

    def __repr__(self) -> str:
        return f"<Diff: {self.summary()}>"

    def _repr_html_(self) -> str:
        from ._views import diff_html

        return diff_html(self)

    def to_markdown(self) -> str:
        """For the semester's first leadership-team meeting: what changed, in tables."""
        out = ["# What changed", ""]
        rows = ([("added", ref(o), "") for o in self.added]
                + [("removed", ref(o), "") for o in self.removed]
                + [("changed", f"{c.singular} {c.id!r}", str(c))
                   for c in self.changed]
                + [("seat taken", f"{m.person} on {m.team}", ", ".join(m.roles))
                   for m in self.seats_added]
                + [("seat given up", f"{m.person} on {m.team}", "")
                   for m in self.seats_removed]
                + [("seat changed", f"{c.after.person} on {c.after.team}", str(c))
                   for c in self.seats_changed])
        if rows:
            out += ["| change | what | details |", "|---|---|---|"]
            out += [f"| {a} | {md_cell(b)} | {md_cell(c)} |" for a, b, c in rows]
        else:
            out.append("The structure is the same.")
        for title, found in (("New findings", self.introduced),
                             ("Resolved findings", self.resolved)):
            out += ["", f"## {title}", ""]
            out += ([f"- **{f.severity.value}** {f.code} `{md_text(f.subject)}`: "
                     f"{md_text(f.message)}" for f in found] or ["None."])
        return "\n".join(out) + "\n"


def diff(old: AlignmentGraph, new: AlignmentGraph, config: Config | None = None, *,
         rules: RuleSet | None = None) -> Diff:
    """What changed from ``old`` to ``new``: objects by type (field by field), seats, and
    the findings introduced and resolved (both validated with ``config``).

    >>> import attrs
    >>> from mtss_core import example
    >>> old, new = example(), example()
    >>> new.replace(attrs.evolve(new["v-cedar-high"], aligned_to="v-cedar"))
    >>> d = diff(old, new)
    >>> print(d.changed[0])
    aligned_to: 'v-maple' -> 'v-cedar'
    >>> [f.code for f in d.resolved]
    ['ALN001']
    """
    added: list[Any] = []
    removed: list[Any] = []
    changed: list[Change] = []
    for obj in map(_any, new):
        before: Any = old.get(obj.id)
        if before is None or type(before) is not type(obj):
            added.append(obj)
        elif before != obj:
            a, b = to_entry(before), to_entry(obj)
            changed.append(Change(obj.type_name, obj.id, tuple(
                (f.name, a.get(f.name), b.get(f.name)) for f in attrs.fields(type(obj))
                if a.get(f.name) != b.get(f.name)), singular=new.types[obj.type_name].singular))
    for obj in map(_any, old):
        now = new.get(obj.id)
        if now is None or type(now) is not type(obj):
            removed.append(obj)
    seats_old = {m.key: m for m in old.memberships()}
    seats_new = {m.key: m for m in new.memberships()}
    seats_added = [m for k, m in seats_new.items() if k not in seats_old]
    seats_removed = [m for k, m in seats_old.items() if k not in seats_new]
    seats_changed = [SeatChange(seats_old[k], m) for k, m in seats_new.items()
                     if k in seats_old and seats_old[k] != m]
    before = validate(old, config, rules=rules).findings
    after = validate(new, config, rules=rules).findings
    return Diff(tuple(added), tuple(removed), tuple(changed), tuple(seats_added),
                tuple(seats_removed), _beyond(after, before), _beyond(before, after),
                tuple(seats_changed))


def _any(obj: object) -> Any:
    return obj


def _beyond(these: tuple[Finding, ...], those: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings of ``these`` that ``those`` do not have (by rule, subject and
    fingerprint, counted)."""
    left = Counter((f.code, f.subject, f.fingerprint) for f in those)
    out = []
    for f in these:
        key = (f.code, f.subject, f.fingerprint)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(f)
    return tuple(out)
