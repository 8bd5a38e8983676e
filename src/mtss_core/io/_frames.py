"""pandas DataFrames of any type of object (the ``dataframes`` extra)."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import attrs
import pendulum

from .._extras import pandas
from ..errors import ModelError
from ..graph import PATH_LEVELS, AlignmentGraph, unit_path
from ..model import duration_iso
from ._document import to_entry

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["to_frame"]


def to_frame(graph: AlignmentGraph, kind: str) -> pd.DataFrame:
    """One row per object of a kind, one column per field (as in a document).

    ``kind`` is a type name (``unit``, ``team``, ``vision``, ``membership``, ...) or a
    document section (``units``, ``teams``, ...).  Every field of the kind is a column,
    present or not, in pandas' own types: dates are ``datetime64`` (``NaT`` where there
    is none; date-times in UTC), kinds and other choices categoricals, lists tuples of
    strings.  Objects (not seats) also get the ``state``, ``isd``, ``district`` and
    ``school`` they belong to, so ``to_frame(g, "vision").groupby("district")`` works.
    """
    found = graph.types.find(kind)
    if found is None:
        raise ModelError(f"unknown kind {kind!r}; expected one of "
                         + ", ".join(sorted({*graph.types.names,
                                             *(t.section for t in graph.types)})))
    pd = pandas()
    cls = found.cls
    columns = [a.name for a in attrs.fields(cls)]
    objects = graph.memberships() if found.edge else graph.objects(found.name)
    rows = []
    # dates by the fields' declared types, so a column with none filled is a date too
    declared = {a.name: str(a.type) for a in attrs.fields(cls)}
    moments: set[str] = {c for c, t in declared.items() if "DateTime" in t}
    dates: set[str] = {c for c, t in declared.items() if "Date" in t} - moments
    choices: set[str] = set()
    for obj in objects:
        row = {c: getattr(obj, c) for c in columns}
        plain = to_entry(obj)
        for c in columns:
            value = row[c]
            if isinstance(value, tuple):
                row[c] = tuple(plain.get(c, ())) if not (value and isinstance(
                    value[0], tuple)) else dict(value)
            elif isinstance(value, pendulum.Duration):
                row[c] = duration_iso(value)  # calendar months survive, unlike timedelta
            elif isinstance(value, pendulum.DateTime):
                moments.add(c)
                row[c] = value.in_timezone("UTC").naive()
            elif isinstance(value, pendulum.Date):
                dates.add(c)
                row[c] = _dt.date(value.year, value.month, value.day)
            elif hasattr(value, "value") and not isinstance(value, (int, float)):
                choices.add(c)
                row[c] = value.value
        rows.append(row)
    frame = pd.DataFrame(rows, columns=columns)
    for c in dates | moments:  # datetime64, NaT where there is none (UTC for moments)
        frame[c] = pd.to_datetime(frame[c]).astype("datetime64[ns]")
        if c in moments:
            frame[c] = frame[c].dt.tz_localize("UTC")
    for c in choices:  # kinds, stages, statuses: categoricals
        frame[c] = frame[c].astype("category")
    if not found.edge:
        cache: dict[str, dict[str, str | None]] = {}
        paths = [unit_path(graph, getattr(o, "id", ""), cache) for o in objects]
        for level in PATH_LEVELS:
            frame[level] = pd.Series([p[level] for p in paths], dtype="string")
    return frame
