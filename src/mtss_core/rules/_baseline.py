"""Baselines: "we know about these; show us only what is new".

A baseline records the findings of one run by rule, subject and fingerprint (the
message's wording without names, quoted text and numbers: see
:attr:`~mtss_core.rules.Finding.fingerprint`), so renaming a unit or a changed count
does not bring old findings back.  Applied to a later report it keeps only the findings
it did not know, and reports its own entries that no longer match anything as stale, so
a baseline shrinks as the structure is fixed (ESLint's bulk suppressions work the same
way).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import ConfigError, DocumentError
from ..io import Limits, read_file
from ._report import Finding, Notice, Report

__all__ = ["Baseline"]

Key = tuple[str, str, str]
FORMAT = "mtss-baseline"
VERSION = 1


def _key(f: Finding) -> Key:
    return (f.code, f.subject, f.fingerprint)


def _to_entries(value: Mapping[Key, int]) -> dict[Key, int]:
    return dict(value)


@attrs.frozen
class Baseline:
    """Known findings, counted by (rule code, subject, fingerprint).

    >>> from mtss_core import example, validate
    >>> report = validate(example())
    >>> baseline = Baseline.of(report)
    >>> len(baseline.apply(report)), len(baseline.apply(report).baselined)
    (0, 13)
    """

    entries: Mapping[Key, int] = attrs.field(converter=_to_entries)
    #: What each entry said when written (for people reading the file; never matched).
    messages: Mapping[Key, str] = attrs.field(factory=dict, eq=False, repr=False)

    @classmethod
    def of(cls, findings: Report | Iterable[Finding]) -> Baseline:
        """A baseline of every finding of a report."""
        found = list(findings)
        return cls(Counter(_key(f) for f in found),
                   messages={_key(f): f.message for f in found})

    def apply(self, report: Report) -> Report:
        """``report`` with only the findings this baseline does not know; the others are
        in ``baselined``, and each entry that no longer matches is a stale notice."""
        left = dict(self.entries)
        new, known = [], []
        for f in report.findings:
            key = _key(f)
            if left.get(key, 0) > 0:
                left[key] -= 1
                known.append(f)
            else:
                new.append(f)
        stale = [(key, n) for key, n in left.items() if n > 0]
        notices = list(report.notices)
        if stale:
            shown = ", ".join(f"{code} {subject}" for (code, subject, _), _ in stale[:5])
            notices.append(Notice(
                kind="baseline-stale", related=tuple(subject for (_, subject, _), _ in stale),
                message=(f"{sum(n for _, n in stale)} baseline entr"
                         f"{'y no longer matches' if len(stale) == 1 else 'ies no longer match'}"
                         f" a finding ({shown}{', ...' if len(stale) > 5 else ''}): fixed, "
                         "or changed"),
                next_step="write the baseline again (--write-baseline) so it shrinks"))
        return attrs.evolve(report, findings=new, baselined=(*report.baselined, *known),
                            notices=notices)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as the baseline file holds it (sorted, so it diffs well)."""
        return {"format": FORMAT, "version": VERSION, "entries": [
            {"code": code, "subject": subject, "fingerprint": fp, "count": n,
             "message": self.messages.get((code, subject, fp), "")}
            for (code, subject, fp), n in sorted(self.entries.items())]}

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<baseline>") -> Baseline:
        """A baseline from plain data; :class:`~mtss_core.errors.ConfigError` names what is
        wrong."""
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            raise ConfigError(f"{source}: not an mtss baseline (expected \"format\": "
                              f"\"{FORMAT}\")")
        if data.get("version") != VERSION:
            raise ConfigError(f"{source}: baseline version {data.get('version')!r}; this "
                              f"release reads version {VERSION}")
        entries: dict[Key, int] = {}
        messages: dict[Key, str] = {}
        listed = data.get("entries")
        if not isinstance(listed, list):
            raise ConfigError(f"{source}: entries must be a list")
        for i, e in enumerate(listed):
            try:
                key = (str(e["code"]), str(e["subject"]), str(e["fingerprint"]))
                n = e.get("count", 1)
                if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                    raise ValueError(n)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise ConfigError(f"{source}: entry {i} must have a code, a subject, a "
                                  "fingerprint and a count of at least 1") from None
            entries[key] = entries.get(key, 0) + n
            messages[key] = str(e.get("message", ""))
        return cls(entries, messages=messages)

    def write(self, path: str | os.PathLike[str]) -> None:
        """Write the baseline file (JSON)."""
        from .._atomic import write_text

        write_text(path, json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> Baseline:
        """Read a baseline file written by :meth:`write`."""
        source = str(path)
        try:
            raw = read_file(Path(path), source, Limits(max_bytes=256 * 1024 * 1024))
            data = json.loads(raw.decode("utf-8-sig"))
        except DocumentError as exc:
            raise ConfigError(str(exc.problems[0])) from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"{source}: not a JSON baseline: {exc}") from None
        except RecursionError:
            raise ConfigError(f"{source}: not a JSON baseline: nested too deep") from None
        return cls.from_dict(data, source=source)

    def __len__(self) -> int:
        return sum(self.entries.values())
