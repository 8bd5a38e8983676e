"""A shareable report for a leadership-team meeting: one self-contained HTML file.

No network, no external assets: it opens from an e-mail attachment.  The org and
alignment tree of the chosen unit (collapsible, each node marked by its findings), the
alignment scorecard with its heat map, and the findings grouped by level and rule with
their fix hints; the as-of date and the rules used.  Headings, landmarks, native
``<details>`` (keyboard-operable), colours that keep their contrast and never carry
meaning alone; it prints to PDF from the browser with every branch open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

import pendulum

from .._html import RULE_DOCS_URL
from ..analysis import alignment_scorecard, heatmap_table
from ..graph import Levels, place, subtree
from ..model import OrgUnit, Person, Product, Team, caption, label
from ..rules import Verdict

if TYPE_CHECKING:
    from ..graph import AlignmentGraph
    from ..rules import Config, Finding, Report, RuleSet

__all__ = ["html_report"]

_LEVEL_ORDER = ("state", "isd", "district", "school", "grade", "department", "course",
                "people", "other")
_LEVEL_TITLES = {"state": "State", "isd": "ISD", "district": "District", "school": "School",
                 "grade": "Grade", "department": "Department", "course": "Course",
                 "people": "People", "other": "Records"}
_SEVERITY_ORDER = ("error", "warning", "info")
#: Findings that a product is not aligned as its level requires.
_ALIGNMENT_CODES = frozenset({"ALN001", "ALN002", "ALN003", "ALN005"})

_CSS = """
:root{color-scheme:light;--ink:#1d2329;--muted:#4a5560;--line:#c9d1d9;--bg:#ffffff;
--error:#a3121f;--error-bg:#fbe3e5;--warning:#7a4b00;--warning-bg:#fff1cf;--info:#1e4f7a;
--info-bg:#e1eefa;--ok:#1f5e2e;--ok-bg:#dff1e3}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
color:var(--ink);background:var(--bg);margin:0 auto;max-width:72rem;padding:1rem 1.5rem}
a{color:#0b4f8a}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.3rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;border-bottom:2px solid var(--line);
padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.1rem;margin-top:1.4rem}
h4{font-size:1rem;margin:1rem 0 .3rem}
.meta{color:var(--muted)}
table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f1f4f7}
.heat{text-align:center;font-variant-numeric:tabular-nums}
.badge{display:inline-block;border-radius:.6rem;padding:0 .5rem;margin-right:.4rem;
font-size:.8rem;font-weight:600;border:1px solid currentColor}
.badge.error{color:var(--error);background:var(--error-bg)}
.badge.warning{color:var(--warning);background:var(--warning-bg)}
.badge.info{color:var(--info);background:var(--info-bg)}
.badge.ok{color:var(--ok);background:var(--ok-bg)}
.tree,.tree ul{list-style:none;margin:0;padding-left:1.2rem}
.tree{padding-left:0}
.tree li{margin:.15rem 0}
summary{cursor:pointer;padding:.1rem .2rem;border-radius:.2rem}
summary:focus-visible,button:focus-visible{outline:3px solid #0b4f8a;outline-offset:2px}
.node-error>summary{border-left:4px solid var(--error)}
.node-warning>summary{border-left:4px solid var(--warning)}
.node-info>summary{border-left:4px solid var(--info)}
.kind{color:var(--muted);font-size:.85rem}
.expected{color:var(--error);font-size:.85rem}
.leaf{padding-left:1.1rem}
.controls button{font:inherit;margin-right:.5rem;padding:.2rem .7rem;border:1px solid #5b6670;
border-radius:.3rem;background:#f6f8fa;color:var(--ink);cursor:pointer}
footer{margin-top:3rem;color:var(--muted);font-size:.85rem}
@media print{.controls,.skip{display:none}body{max-width:none}
details>summary{list-style:none}a{color:inherit;text-decoration:none}
h2{break-after:avoid}tr{break-inside:avoid}}
"""

_SCRIPT = """
(function(){
  function all(open){document.querySelectorAll('details').forEach(function(d){d.open=open;});}
  document.getElementById('expand-all').addEventListener('click',function(){all(true);});
  document.getElementById('collapse-all').addEventListener('click',function(){all(false);});
  window.addEventListener('beforeprint',function(){all(true);});
})();
"""


def _worst(found: list[Finding]) -> str | None:
    severities = {f.severity.value for f in found}
    return next((s for s in _SEVERITY_ORDER if s in severities), None)


def _badges(found: list[Finding]) -> str:
    counts = Counter(f.severity.value for f in found)
    parts = [f'<span class="badge {s}">{counts[s]} {s}{"s" if counts[s] != 1 else ""}</span>'
             for s in _SEVERITY_ORDER if counts[s]]
    return "".join(parts)


class _Tree:
    """The org and alignment tree as nested lists of ``<details>``: every finding under
    the node it is about (:func:`~mtss_core.graph.place`), so each branch's counts are
    what is in it, and the top branches' add up to the report's."""

    def __init__(self, graph: AlignmentGraph, findings: list[Finding],
                 units: list[OrgUnit], as_of: pendulum.Date | None = None) -> None:
        self.graph = graph
        self.as_of = as_of
        self.levels = Levels(graph, as_of=as_of)
        self.by_subject: dict[str, list[Finding]] = {}
        for f in findings:
            self.by_subject.setdefault(f.subject, []).append(f)
        shown = {u.id for u in units}
        shown.update(t.id for u in units for t in graph.teams_of(u.id))
        #: node (unit or team) -> the subjects shown as leaves under it, in order
        self.placed: dict[str, dict[str, None]] = {}
        #: subjects no shown node holds (listed apart, so the counts still add up)
        self.elsewhere: dict[str, None] = {}
        for subject in self.by_subject:
            node = place(graph, subject, shown)
            if node is None or node not in shown:
                self.elsewhere[subject] = None
            elif node != subject:
                self.placed.setdefault(node, {})[subject] = None

    def _found(self, ids: Iterable[str]) -> list[Finding]:
        return [f for i in ids for f in self.by_subject.get(i, ())]

    def _own(self, ident: str, ok: bool = False) -> str:
        """The badges of the findings about ``ident`` itself."""
        found = self.by_subject.get(ident, [])
        if not found:
            return '<span class="badge ok">ok</span>' if ok else ""
        return (f'<span class="found" data-subject="{escape(ident, quote=True)}" '
                f'data-count="{len(found)}">{_badges(found)}</span>')

    def _expected(self, p: Product) -> str:
        """For a product with an alignment finding: what it should align to, inline."""
        if not any(f.code in _ALIGNMENT_CODES for f in self.by_subject.get(p.id, ())):
            return ""
        expected = self.levels.expected(p.owner, p.kind)
        targets = [] if expected is None else [t for t in expected.targets
                                               if t != p.aligned_to]
        if not targets:
            return ""
        codes = " or ".join(f"<code>{escape(t)}</code>" for t in targets[:3])
        return f' <span class="expected">should align to {codes}</span>'

    def product(self, p: Product) -> str:
        target = (f"aligned to <code>{escape(p.aligned_to)}</code>" if p.aligned_to
                  else "aligned to nothing")
        return (f'<li class="leaf" data-id="{escape(p.id, quote=True)}">'
                f"{self._own(p.id, ok=True)}{escape(p.kind.value)} <code>{escape(p.id)}</code>"
                f' <span class="kind">{target}</span>{self._expected(p)}</li>')

    def _leaves(self, node: str, skip: Iterable[str]) -> tuple[str, list[Finding]]:
        """The subjects placed under ``node`` as leaves: people (with their products that
        have findings), then every other object; and their findings."""
        g = self.graph
        skipped = set(skip)
        people: dict[str, list[Product]] = {}
        others: list[str] = []
        for subject in self.placed.get(node, {}):
            if subject in skipped:
                continue
            obj = g[subject]
            if isinstance(obj, Product) and isinstance(g[obj.owner], Person):
                people.setdefault(obj.owner, []).append(obj)
            elif isinstance(obj, Person):
                people.setdefault(subject, [])
            else:
                others.append(subject)
        parts: list[str] = []
        found: list[Finding] = []
        for pid, products in people.items():
            person = g[pid]
            inner = "".join(self.product(p) for p in products)
            parts.append(f'<li class="leaf" data-id="{escape(pid, quote=True)}">'
                         f"{self._own(pid)}person {escape(getattr(person, 'name', '') or pid)}"
                         f" <code>{escape(pid)}</code>"
                         f"{f'<ul>{inner}</ul>' if inner else ''}</li>")
            found += self._found([pid, *(p.id for p in products)])
        for subject in others:
            parts.append(f'<li class="leaf" data-id="{escape(subject, quote=True)}">'
                         f"{self._own(subject)}{escape(caption(g[subject]))} "
                         f"<code>{escape(subject)}</code></li>")
            found += self._found([subject])
        return "".join(parts), found

    def team(self, t: Team) -> tuple[str, list[Finding]]:
        g = self.graph
        products = g.products_of(t.id)
        members = g.members(t.id, self.as_of)
        former = [m for m in g.members(t.id, history=True) if not m.current(self.as_of)]
        leaves, placed = self._leaves(t.id, (p.id for p in products))
        found = [*self._found([t.id, *(p.id for p in products)]), *placed]
        inner = "".join(self.product(p) for p in products) + leaves
        people = ", ".join(escape(getattr(g[m.person], "name", "") or m.person)
                           for m in members[:12]) + (", ..." if len(members) > 12 else "")
        if former:
            inner = ('<li class="leaf kind">former members: ' + ", ".join(
                f"{escape(getattr(g[m.person], 'name', '') or m.person)} (until {m.until})"
                for m in former[:12]) + (", ..." if len(former) > 12 else "")
                + "</li>" + inner)
        if people:
            inner = f'<li class="leaf kind">members: {people}</li>' + inner
        own = len(self.by_subject.get(t.id, ()))
        return (f'<li><details class="node-{_worst(found) or "ok"}"{_data(found)}>'
                f'<summary data-id="{escape(t.id, quote=True)}">{self._own(t.id)}'
                f"{escape(label(t))} <span class=\"kind\">{len(members)} member"
                f"{'s' if len(members) != 1 else ''}</span>{_branch(found, own)}"
                f"</summary><ul>{inner or '<li class=leaf>(no products)</li>'}</ul>"
                "</details></li>"), found

    def unit(self, u: OrgUnit, depth: int) -> tuple[str, list[Finding]]:
        """The unit's branch, and every finding in it (for the counts above it)."""
        g = self.graph
        products = g.products_of(u.id)
        leaves, placed = self._leaves(u.id, (p.id for p in products))
        inside = [*self._found([u.id, *(p.id for p in products)]), *placed]
        parts = [*(self.product(p) for p in products), leaves]
        for t in g.teams_of(u.id):
            html, found = self.team(t)
            parts.append(html)
            inside += found
        for child in g.children(u.id):
            html, found = self.unit(child, depth + 1)
            parts.append(html)
            inside += found
        open_ = " open" if depth < 2 else ""
        return (f'<li><details class="node-{_worst(inside) or "ok"}"{_data(inside)}{open_}>'
                f'<summary data-id="{escape(u.id, quote=True)}">{self._own(u.id)}'
                f"{escape(label(u))}{_branch(inside, len(self.by_subject.get(u.id, ())))}</summary>"
                f"<ul>{''.join(parts) or '<li>(empty)</li>'}</ul></details></li>"), inside

    def render(self, tops: list[OrgUnit]) -> tuple[str, list[Finding]]:
        """The whole tree (and the findings outside it, listed apart), and every finding
        shown."""
        parts, shown = [], []
        for top in tops:
            html, found = self.unit(top, 0)
            parts.append(html)
            shown += found
        if self.elsewhere:
            leaves = []
            for subject in self.elsewhere:
                obj = self.graph.get(subject)
                text = caption(obj) if obj is not None else subject
                leaves.append(f'<li class="leaf" data-id="{escape(subject, quote=True)}">'
                              f"{self._own(subject)}{escape(text)}</li>")
                shown += self.by_subject[subject]
            parts.append(f'<li><details class="node-{_worst(shown) or "ok"}" open>'
                         "<summary>Not under a unit or team of this tree</summary>"
                         f"<ul>{''.join(leaves)}</ul></details></li>")
        return "".join(parts), shown


def _data(found: list[Finding]) -> str:
    """The branch's counts by severity, as data attributes (for tools and tests)."""
    counts = Counter(f.severity.value for f in found)
    return "".join(f' data-{s}="{counts[s]}"' for s in _SEVERITY_ORDER)


def _branch(found: list[Finding], own: int) -> str:
    """``in this branch: ...`` when the branch holds more than the node's own findings."""
    if len(found) <= own:
        return ""
    return f' <span class="kind">in this branch: {_badges(found)}</span>'


def _level_of(graph: AlignmentGraph, subject: str) -> str:
    obj: Any = graph.get(subject)
    if obj is None:
        return "other"
    if isinstance(obj, Person):
        return "people"
    unit_id = (obj.id if isinstance(obj, OrgUnit) else obj.unit if isinstance(obj, Team)
               else None)
    if isinstance(obj, Product):
        owner = graph[obj.owner]
        if isinstance(owner, Person):
            return "people"
        unit_id = owner.id if isinstance(owner, OrgUnit) else owner.unit  # type: ignore[union-attr]
    if unit_id is None:
        unit_id = getattr(obj, "unit", None) or getattr(obj, "district", None)
        team = getattr(obj, "team", None) or getattr(obj, "raised_by", None)
        if unit_id is None and team is not None:
            unit_id = graph[team].unit  # type: ignore[union-attr]
    unit = graph.get(unit_id or "")
    return unit.kind.value if isinstance(unit, OrgUnit) else "other"


def html_report(graph: AlignmentGraph, *, root: str | None = None,
                config: Config | None = None, rules: RuleSet | None = None,
                report: Report | None = None, title: str | None = None) -> str:
    """One self-contained HTML page for a leadership-team meeting.

    ``root`` (an org unit) limits it to that unit and everything below; ``report`` is
    used as given, or made with ``validate(graph, config, rules=rules)``.

    >>> from mtss_core import example, html_report
    >>> page = html_report(example(), root="dist-cedar")
    >>> page.startswith("<!doctype html>"), "http" in page.split("<body")[0]
    (True, False)
    >>> "Cedar Creek Community Schools" in page and "ALN001" in page
    True
    """
    from .._version import __version__
    from ..rules import validate

    if report is None:
        report = validate(graph, config, rules=rules)
    if root is None:
        tops = [u for u in graph.units() if u.parent is None]
        scope = None
        heading = title or "MTSS alignment report"
    else:
        top = graph.get(root, OrgUnit)
        tops = [top]
        scope = subtree(graph, root)
        heading = title or f"MTSS alignment report: {top.name or top.id}"
    findings = [f for f in report if scope is None or f.subject in scope]
    counts = Counter(f.severity.value for f in findings)
    verdict = Verdict.FAIL if counts["error"] else Verdict.PASS
    summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
                        for s in _SEVERITY_ORDER if counts[s]) or "no findings"
    when = f"As of {report.as_of}. " if report.as_of else "No as-of date: time-based rules " \
        "were not run. "
    units = [u for top in tops for u in (top, *graph.descendants(top.id))]
    tree_html, _ = _Tree(graph, findings, units, report.as_of).render(tops)
    card = alignment_scorecard(graph, root)
    parts = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(heading)}</title><style>{_CSS}</style></head><body>",
        '<a class="skip" href="#findings">Skip to the findings</a>',
        f'<header><h1>{escape(heading)}</h1><p class="meta">{escape(when)}Verdict: '
        f"<strong>{verdict}</strong> ({escape(summary)}). Rules used: {len(report.rules)} "
        f"({escape(', '.join(report.rules))}).</p></header><main>",
        '<section aria-labelledby="tree-h"><h2 id="tree-h">Org and alignment tree</h2>',
        '<p class="controls"><button type="button" id="expand-all">Expand all</button>'
        '<button type="button" id="collapse-all">Collapse all</button></p>',
        '<p class="meta">Each unit and team shows its products and what they are aligned to '
        "(and, when one is not, what it should align to). Every finding sits under what it "
        "is about: a person and their products under the team they sit on, a focus area "
        "under its district, a barrier, threshold, protocol or record under its unit or "
        "team. Badges count the findings about a node itself, and \u201cin this "
        "branch\u201d everything below it; a coloured edge marks the most severe finding "
        "in the branch.</p>",
        f'<ul class="tree">{tree_html}</ul></section>',
        '<section aria-labelledby="score-h"><h2 id="score-h">Alignment scorecard</h2>',
        _score_tables(card), "</section>",
        '<section id="findings" aria-labelledby="findings-h">'
        '<h2 id="findings-h">Findings</h2>', _findings(graph, findings), "</section></main>",
        f'<footer>Made with mtss_core {escape(__version__)}. Rule pages: '
        f'{escape(RULE_DOCS_URL.format(code="CODE"))}</footer>',
        f"<script>{_SCRIPT}</script></body></html>", ""]
    return "\n".join(parts)


def _score_tables(card: Any) -> str:
    head = ("<tr><th scope=\"col\">level</th><th scope=\"col\">product</th>"
            "<th scope=\"col\">levels</th><th scope=\"col\">have it</th>"
            "<th scope=\"col\">aligned</th><th scope=\"col\">misaligned</th>"
            "<th scope=\"col\">waiting for the level above</th>"
            "<th scope=\"col\">aligned, of those with it</th></tr>")
    rows = "".join(
        f"<tr><td>{escape(r.level)}</td><td>{escape(r.kind)}</td><td>{r.levels}</td>"
        f"<td>{r.with_product}</td><td>{r.aligned}</td><td>{r.misaligned}</td>"
        f"<td>{r.waiting}</td><td>{'n/a' if r.share_aligned is None else f'{r.share_aligned:.0%}'}"
        "</td></tr>" for r in card.rows if r.levels)
    parts = ['<h3>By level</h3><table><caption class="meta">Units, teams and teachers at '
             f"each level</caption><thead>{head}</thead><tbody>{rows}</tbody></table>"]
    if card.heatmap:
        parts.append("<h3>By unit</h3>" + heatmap_table(card))
    if card.focus:
        focus = "".join(
            f"<tr><td>{escape(f.name or f.area)} <code>{escape(f.area)}</code></td>"
            f"<td>{'yes' if f.in_vision else '<strong>no</strong>'}</td>"
            f"<td>{escape(', '.join(f.worked_on_by)) or '<strong>nobody: orphaned</strong>'}"
            "</td></tr>" for f in card.focus)
        parts.append("<h3>Focus areas</h3><table><thead><tr><th scope=\"col\">focus area</th>"
                     "<th scope=\"col\">in the district vision</th><th scope=\"col\">worked "
                     f"on by</th></tr></thead><tbody>{focus}</tbody></table>")
    return "".join(parts)


def _findings(graph: AlignmentGraph, findings: list[Finding]) -> str:
    if not findings:
        return "<p>No findings.</p>"
    groups: dict[str, dict[str, list[Finding]]] = {}
    for f in findings:
        groups.setdefault(_level_of(graph, f.subject), {}).setdefault(f.code, []).append(f)
    out = []
    for level in _LEVEL_ORDER:
        if level not in groups:
            continue
        n = sum(len(v) for v in groups[level].values())
        out.append(f"<h3>{_LEVEL_TITLES[level]} level ({n})</h3>")
        for code in sorted(groups[level], key=lambda c: (
                _SEVERITY_ORDER.index(groups[level][c][0].severity.value), c)):
            found = groups[level][code]
            first = found[0]
            link = escape(RULE_DOCS_URL.format(code=code), quote=True)
            rows = "".join(
                f"<tr><td><code>{escape(f.subject)}</code></td><td>{escape(f.message)}</td>"
                f"<td>{escape(f.hint)}</td></tr>" for f in found)
            out.append(f'<h4><span class="badge {first.severity.value}">'
                       f"{first.severity.value}</span>{escape(code)} "
                       f'<a href="{link}">{escape(first.name)}</a> ({len(found)})</h4>'
                       '<table><thead><tr><th scope="col">subject</th><th scope="col">'
                       'finding</th><th scope="col">how to fix</th></tr></thead>'
                       f"<tbody>{rows}</tbody></table>")
    return "".join(out)

