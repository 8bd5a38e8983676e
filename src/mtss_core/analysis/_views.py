"""Notebook displays of a status pack and a diff: HTML tables, capped, left-aligned."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .._html import RULE_DOCS_URL
from .._html import STYLE as _STYLE
from .._html import table as _table
from ..model import ref

if TYPE_CHECKING:
    from ..rules import Finding
    from ._diff import Diff
    from ._status_pack import StatusPack

__all__ = ["diff_html", "status_pack_html"]


def _finding_rows(found: tuple[Finding, ...]) -> list[list[str]]:
    ordered = sorted(found, key=lambda f: (-f.severity.rank, f.sort_key()))
    return [[f'<span class="{f.severity.value}">{escape(f.severity.value)}</span>',
             f'<a href="{escape(RULE_DOCS_URL.format(code=f.code), quote=True)}">'
             f"{escape(f.code)}</a>", escape(f.subject), escape(f.message)]
            for f in ordered]


def status_pack_html(pack: StatusPack) -> str:
    """HTML for a status pack: stages, latest assessments, open barriers, findings."""
    counts = pack.counts()
    parts = [_STYLE, '<div class="mtss">',
             f"<p><b>MTSS status: {escape(pack.district_name or pack.district)}</b> as of "
             f"{escape(str(pack.as_of))} — {counts['error']} errors, {counts['warning']} "
             f"warnings, {counts['info']} notes</p>",
             _table(["unit", "stage", "time in stage"],
                    [[escape(n), escape(s or "not started"), "" if d is None else f"{d} days"]
                     for _, n, s, d in pack.stages])]
    if pack.assessments:
        parts.append(_table(["unit", "instrument", "date", "score", "target"], [
            [escape(u), escape(i), escape(str(on)), f"{t:g}% {'✓' if r else '✗'}", f"{g:g}%"]
            for u, i, on, t, g, r in pack.assessments]))
    parts.append(_table(["open barrier", "with", "since", "owner", "days open"], [
        [f"{escape(t)} <small>({escape(b)})</small>", escape(w), escape(str(since)),
         escape(o) if o else "<b>none</b>", str(d)] for b, t, w, since, o, d in pack.barriers])
        if pack.barriers else "<p>No open barriers.</p>")
    for _, name, found in pack.by_node:
        parts.append(f"<h4>{escape(name)}</h4>")
        parts.append(_table(["severity", "rule", "subject", "finding"], _finding_rows(found)))
    parts.append("</div>")
    return "".join(parts)


def diff_html(d: Diff) -> str:
    """HTML for a diff: what changed, then the findings introduced and resolved."""
    rows = ([["added", escape(ref(o)), ""] for o in d.added]
            + [["removed", escape(ref(o)), ""] for o in d.removed]
            + [["changed", escape(f"{c.singular} {c.id!r}"), escape(str(c))]
               for c in d.changed]
            + [["seat taken", escape(f"{m.person} on {m.team}"), escape(", ".join(m.roles))]
               for m in d.seats_added]
            + [["seat given up", escape(f"{m.person} on {m.team}"), ""]
               for m in d.seats_removed]
            + [["seat changed", escape(f"{c.after.person} on {c.after.team}"), escape(str(c))]
               for c in d.seats_changed])
    parts = [_STYLE, '<div class="mtss">', f"<p><b>What changed</b> — {escape(d.summary())}</p>",
             _table(["change", "what", "details"], rows) if rows
             else "<p>The structure is the same.</p>"]
    for title, found in (("New findings", d.introduced), ("Resolved findings", d.resolved)):
        if found:
            parts.append(f"<h4>{title} ({len(found)})</h4>")
            parts.append(_table(["severity", "rule", "subject", "finding"],
                                _finding_rows(found)))
    parts.append("</div>")
    return "".join(parts)
