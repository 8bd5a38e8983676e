"""Findings and reports: what a validation found, in a canonical order, with a verdict."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from html import escape
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from .._extras import pandas
from .._html import RULE_DOCS_URL
from .._html import STYLE as _STYLE
from .._html import table as _table
from ..graph import AlignmentGraph, UnitProgress
from ..model import Stage, to_date
from ._fix import Fix
from ._protocol import Severity, Verdict, to_severity

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FINDING_COLUMNS",
    "Finding",
    "Notice",
    "Report",
    "RuleCount",
    "findings_frame",
    "fingerprint",
    "report_html",
]


def _strs(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True, order=False)
class Finding:
    """One problem found by one rule, as a plain value.

    >>> f = Finding(code="FOC001", name="too-many-focus-areas", severity="warning",
    ...             subject="dist-cedar", message="...", hint="...", related=["fa-1"])
    >>> f.to_dict()["severity"], f.related
    ('warning', ('fa-1',))
    """

    code: str
    name: str
    severity: Severity = attrs.field(converter=to_severity)
    subject: str
    message: str
    hint: str = ""
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    #: The waiver that accepts this finding (``None``: it stands).
    waiver: str | None = None
    #: What would resolve it, where that is mechanical (not part of the value).
    fix: Fix | None = attrs.field(default=None, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: strings and a list of related ids (and the waiver and the fix, if
        any)."""
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "subject": self.subject,
            "message": self.message,
            "hint": self.hint,
            "related": list(self.related),
        }
        if self.waiver is not None:
            out["waiver"] = self.waiver
        if self.fix is not None:
            out["fix"] = self.fix.to_dict()
        return out

    @property
    def fingerprint(self) -> str:
        """What identifies the finding across runs, for baselines and diffs: its rule and
        subject with its message's wording, leaving out names, quoted text and numbers
        (so a rename or a changed count does not make it another finding).

        >>> import attrs
        >>> a = Finding(code="FOC001", name="n", severity="warning", subject="d1",
        ...             message="district 'Maple' (d1) has 9 priority focus areas")
        >>> b = attrs.evolve(a, message="district 'Oak' (d1) has 8 priority focus areas")
        >>> a.fingerprint == b.fingerprint
        True
        """
        return fingerprint(self.code, self.subject, self.message)

    def sort_key(self) -> tuple[str, str, str, tuple[str, ...]]:
        """The key of the canonical order: code, subject, message, related ids."""
        return (self.code, self.subject, self.message, self.related)

    def __str__(self) -> str:
        return f"{self.code} [{self.severity.value}] {self.subject}: {self.message}"


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d+(?:\.\d+)?")


def fingerprint(code: str, subject: str, message: str) -> str:
    """A short, stable hash of a finding (see :attr:`Finding.fingerprint`)."""
    wording = " ".join(_QUOTED.sub("", message).split())
    return hashlib.sha1(f"{code}\0{subject}\0{wording}".encode()).hexdigest()[:16]


def _sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=Finding.sort_key))


@attrs.frozen(kw_only=True)
class Notice:
    """Something a report says once, at the top, instead of (or besides) findings: a
    structure with no MTSS layer yet, a waiver that matched nothing, a stale baseline
    entry."""

    kind: str
    message: str
    #: The rules not reported because of it.
    silenced: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    next_step: str = ""
    related: tuple[str, ...] = attrs.field(default=(), converter=_strs)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message, "silenced": list(self.silenced),
                "next_step": self.next_step, "related": list(self.related)}

    def __str__(self) -> str:
        return self.message + (f" Next: {self.next_step}" if self.next_step else "")


@attrs.frozen
class RuleCount:
    """One line of a report's statistics: a rule and how many findings it made."""

    code: str
    name: str
    severity: Severity
    count: int


def _notices(value: Iterable[Notice]) -> tuple[Notice, ...]:
    return tuple(value)


def _progress(value: Iterable[UnitProgress]) -> tuple[UnitProgress, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Report:
    """The findings of one validation, in canonical order, with a verdict.

    The order is by rule code, then subject id, then message, so the same
    graph gives the same report whatever order its objects were added in.
    """

    findings: tuple[Finding, ...] = attrs.field(converter=_sorted_findings)
    rules: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    as_of: pendulum.Date | None = attrs.field(default=None, converter=to_date)
    #: Rules that were selected but not run because no "as of" date was known.
    skipped: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    #: The names of the findings' subjects, for display (not part of the value).
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    #: What the report says once, at the top (a bare structure, unused waivers, ...).
    notices: tuple[Notice, ...] = attrs.field(default=(), converter=_notices)
    #: Findings a waiver accepts: kept, but not counted in the verdict.
    waived: tuple[Finding, ...] = attrs.field(default=(), converter=_sorted_findings)
    #: Findings a baseline already knew (see :class:`~mtss_core.rules.Baseline`).
    baselined: tuple[Finding, ...] = attrs.field(default=(), converter=_sorted_findings)
    #: The unit whose subtree was checked (``None``: the whole graph).
    root: str | None = None
    #: The severity of each rule that ran, by code (for statistics; not part of the value).
    severities: Mapping[str, Severity] = attrs.field(factory=dict, eq=False, repr=False)
    #: Where each district (each ISD and state, for its own level) stands: started or
    #: not, and its implementation stage (see :func:`mtss_core.graph.progress`).
    progress: tuple[UnitProgress, ...] = attrs.field(default=(), converter=_progress,
                                                      repr=False)

    def _repr_html_(self) -> str:
        return report_html(self)

    def to_frame(self, graph: AlignmentGraph | None = None) -> pd.DataFrame:
        """The findings as a pandas DataFrame (needs the ``dataframes`` extra): one row
        per finding with the columns of :data:`FINDING_COLUMNS`; given the ``graph`` the
        report is about, also the state, ISD, district and school of each finding's
        subject (``report.to_frame(g).groupby("district").size()``)."""
        return findings_frame(self, graph)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def ok(self) -> bool:
        """True when no finding has error severity."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def verdict(self) -> Verdict:
        """:attr:`Verdict.PASS` or :attr:`Verdict.FAIL` (equal to ``"pass"``/``"fail"``)."""
        return Verdict.PASS if self.ok else Verdict.FAIL

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings with error severity."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def by_code(self, code: str) -> tuple[Finding, ...]:
        """The findings of one rule, by code or name."""
        return tuple(f for f in self.findings if code in (f.code, f.name))

    def counts_by_code(self) -> dict[str, int]:
        """How many findings each rule produced, by code (rules that ran and found nothing: 0)."""
        counts = dict.fromkeys(sorted(self.rules), 0)
        counts.update(Counter(f.code for f in self.findings))
        return dict(sorted(counts.items()))

    def statistics(self) -> tuple[RuleCount, ...]:
        """One line per rule that found something: code, name, severity and how many,
        most first (``mtss validate --statistics``).

        >>> from mtss_core import example, validate
        >>> validate(example()).statistics()[0]
        RuleCount(code='ALN001', name='vision-not-aligned', severity=<Severity.ERROR: \
'error'>, count=3)
        """
        counts = Counter((f.code, f.name, f.severity) for f in self.findings)
        rows = [RuleCount(code, name, sev, n) for (code, name, sev), n in counts.items()]
        return tuple(sorted(rows, key=lambda r: (-r.count, r.code)))

    def progress_counts(self) -> dict[str, dict[str, int]]:
        """How many districts (ISDs, states, schools with no district) stand where: by
        kind of unit, then by status (``not-started``, ``started`` or a stage).

        >>> from mtss_core import example, validate
        >>> from mtss_core import Config
        >>> validate(example(), Config(as_of="2025-01-01")).progress_counts()
        {'isd': {'started': 1}, 'district': {'installation': 1, 'initial-implementation': 1}}
        """
        order = ["not-started", "started", *(s.value for s in Stage)]
        counts: dict[str, Counter[str]] = {}
        for p in self.progress:
            counts.setdefault(p.kind.value, Counter())[p.status] += 1
        return {kind: {s: c[s] for s in order if c[s]} for kind, c in counts.items()}

    def progress_summary(self) -> str:
        """One line: where the districts (ISDs, states) stand, ``""`` with none.

        >>> from mtss_core import Config, example, validate
        >>> validate(example(), Config(as_of="2025-01-01")).progress_summary()
        '1 ISD: 1 started; 2 districts: 1 installation, 1 initial-implementation'
        """
        words = {"state": ("state", "states"), "isd": ("ISD", "ISDs"),
                 "district": ("district", "districts"),
                 "school": ("school with no district", "schools with no district")}
        parts = []
        for kind, counts in self.progress_counts().items():
            total = sum(counts.values())
            one, many = words.get(kind, (kind, kind))
            parts.append(f"{total:,} {one if total == 1 else many}: " + ", ".join(
                f"{n:,} {s.replace('-', ' ') if s.endswith('started') else s}"
                for s, n in counts.items()))
        return "; ".join(parts)

    def counts_by_severity(self) -> dict[str, int]:
        """How many findings there are of each severity, most severe first."""
        counter = Counter(f.severity for f in self.findings)
        return {s.value: counter.get(s, 0) for s in sorted(Severity, reverse=True)}

    def to_dict(self) -> dict[str, Any]:
        """Plain data with a stable shape, ready for ``json.dumps``."""
        return {
            "verdict": self.verdict.value,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "rules": list(self.rules),
            "skipped": list(self.skipped),
            "counts": {"by_severity": self.counts_by_severity(),
                       "by_code": self.counts_by_code()},
            "root": self.root,
            "notices": [n.to_dict() for n in self.notices],
            "progress": [p.to_dict() for p in self.progress],
            "findings": [f.to_dict() for f in self.findings],
            "waived": [f.to_dict() for f in self.waived],
            "baselined": len(self.baselined),
        }

    def __repr__(self) -> str:
        return f"<Report {self.verdict}: {self.summary()}>"

    def summary(self) -> str:
        """One line: ``"4 findings (3 errors, 1 warning)"``."""
        n = len(self.findings)
        parts = [f"{c} {s}{'s' if c != 1 else ''}"
                 for s, c in self.counts_by_severity().items() if c]
        return f"{n} finding{'s' if n != 1 else ''} ({', '.join(parts) or 'none'})"


#: The columns of a findings frame, in order; stable across releases.
FINDING_COLUMNS = ("code", "name", "severity", "subject", "subject_name", "message", "hint",
                   "related", "n_related")


def report_html(report: Report) -> str:
    """HTML for a report: findings grouped by severity, codes linked to their rule pages."""
    parts = [_STYLE, '<div class="mtss">',
             f"<p><b>Report: {escape(report.verdict)}</b> — {escape(report.summary())}"
             + (f" as of {escape(str(report.as_of))}" if report.as_of else "") + "</p>"]
    if report.progress:
        parts.append(f"<p>Progress: {escape(report.progress_summary())}</p>")
    parts += [f"<p><i>Note:</i> {escape(str(n))}</p>" for n in report.notices]
    for severity in sorted(Severity, reverse=True):
        found = [f for f in report if f.severity is severity]
        if not found:
            continue
        rows = []
        for f in found:
            link = escape(RULE_DOCS_URL.format(code=f.code), quote=True)
            name = report.names.get(f.subject)
            subject = escape(f.subject) + (f"<br><small>{escape(name)}</small>" if name else "")
            rows.append([f'<a href="{link}" title="{escape(f.name, quote=True)}">'
                         f"{escape(f.code)}</a>", subject, escape(f.message),
                         escape(f.hint)])
        parts.append(f'<h4 class="{severity.value}">{escape(severity.value)} '
                     f"({len(found)})</h4>")
        parts.append(_table(["rule", "subject", "finding", "how to fix"], rows))
    if report.skipped:
        parts.append("<p>Not run without an as-of date: "
                     + escape(", ".join(report.skipped)) + "</p>")
    parts.append("</div>")
    return "".join(parts)


def findings_frame(report: Report, graph: AlignmentGraph | None = None) -> Any:
    """One row per finding with the columns of :data:`FINDING_COLUMNS`.

    ``severity`` is an ordered categorical (info < warning < error), ready for groupby
    and sorting; ``related`` is the list of related ids (``explode("related")`` gives one
    row per id); ``subject_name`` names every subject that is an object of the graph (a
    product without a title by whose it is: ``vision of Lincoln Elementary``).
    """
    pd = pandas()
    rows = [{"code": f.code, "name": f.name, "severity": f.severity.value,
             "subject": f.subject, "subject_name": report.names.get(f.subject, ""),
             "message": f.message, "hint": f.hint, "related": list(f.related),
             "n_related": len(f.related)} for f in report]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame["severity"] = pd.Categorical(frame["severity"], categories=["info", "warning",
                                                                      "error"], ordered=True)
    if graph is not None:
        from ..graph import PATH_LEVELS, unit_path

        cache: dict[str, dict[str, str | None]] = {}
        paths = [unit_path(graph, f.subject, cache) if f.subject in graph
                 else dict.fromkeys(PATH_LEVELS) for f in report]
        for level in PATH_LEVELS:
            frame[level] = pd.Series([p[level] for p in paths], dtype="string")
    return frame
