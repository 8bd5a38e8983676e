"""pandas DataFrames of findings and of any kind of object (the ``dataframes`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pendulum

from ._document import SECTIONS, _duration_iso, _encode
from ._errors import MissingExtraError

if TYPE_CHECKING:
    from ._engine import Report
    from ._graph import AlignmentGraph

__all__ = ["FINDING_COLUMNS", "findings_frame", "to_frame"]

#: The columns of a findings frame, in order; stable across releases.
FINDING_COLUMNS = ("code", "name", "severity", "subject", "subject_name", "message", "hint",
                   "related", "n_related")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtraError("pandas", "dataframes", "DataFrames") from None
    return pandas


def findings_frame(report: Report) -> Any:
    """One row per finding with the columns of :data:`FINDING_COLUMNS`.

    ``severity`` is an ordered categorical (info < warning < error), ready for groupby
    and sorting; ``related`` joins the related ids with commas.
    """
    pd = _pandas()
    rows = [{"code": f.code, "name": f.name, "severity": f.severity.value,
             "subject": f.subject, "subject_name": report.names.get(f.subject, ""),
             "message": f.message, "hint": f.hint, "related": ",".join(f.related),
             "n_related": len(f.related)} for f in report]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame["severity"] = pd.Categorical(frame["severity"], categories=["info", "warning",
                                                                      "error"], ordered=True)
    return frame


_KINDS = {**{cls.type_name: section for section, cls in SECTIONS.items()},
          "membership": "memberships"}


def to_frame(graph: AlignmentGraph, kind: str) -> Any:
    """One row per object of a kind, one column per field (as in a document).

    ``kind`` is a type name (``unit``, ``team``, ``vision``, ``membership``, ...) or a
    document section (``units``, ``teams``, ...).  Lists become tuples, dates stay
    dates; every field of the kind is a column, present or not.
    """
    import attrs

    from ._model import Membership

    pd = _pandas()
    by_section: dict[str, Any] = dict(SECTIONS.items())
    by_section["memberships"] = Membership
    section = _KINDS.get(kind, kind)
    if section not in by_section:
        raise ValueError(f"unknown kind {kind!r}; expected one of "
                         + ", ".join(sorted(set(_KINDS) | set(by_section))))
    cls = by_section[section]
    columns = [a.name for a in attrs.fields(cls)]
    objects = (graph.memberships() if cls is Membership
               else graph._objs(cls.type_name))
    rows = []
    for obj in objects:
        row = {c: getattr(obj, c) for c in columns}
        plain = _encode(obj)
        for c in columns:
            value = row[c]
            if isinstance(value, tuple):
                row[c] = tuple(plain.get(c, ())) if not (value and isinstance(
                    value[0], tuple)) else dict(value)
            elif isinstance(value, pendulum.Duration):
                row[c] = _duration_iso(value)  # calendar months survive, unlike timedelta
            elif hasattr(value, "value") and not isinstance(value, (int, float)):
                row[c] = value.value
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)
