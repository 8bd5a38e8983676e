"""pandas DataFrames of any type of object (the ``dataframes`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import pendulum

from .._extras import pandas
from ..errors import ModelError
from ..model import duration_iso
from ._document import to_entry

if TYPE_CHECKING:
    import pandas as pd

    from ..graph import AlignmentGraph

__all__ = ["to_frame"]


def to_frame(graph: AlignmentGraph, kind: str) -> pd.DataFrame:
    """One row per object of a kind, one column per field (as in a document).

    ``kind`` is a type name (``unit``, ``team``, ``vision``, ``membership``, ...) or a
    document section (``units``, ``teams``, ...).  Lists become tuples, dates stay
    dates; every field of the kind is a column, present or not.
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
            elif hasattr(value, "value") and not isinstance(value, (int, float)):
                row[c] = value.value
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)
