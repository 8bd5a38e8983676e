"""Scores over time: a unit's recorded administrations of one instrument, item by item and
area by area."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from ..graph import AlignmentGraph
from ..model import CapacityAssessment
from ._instrument import Instrument

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["CapacityTrend", "capacity_trend"]


@attrs.frozen(kw_only=True)
class CapacityTrend:
    """A unit's administrations of an instrument, earliest first: per administration
    the total share and each area's, and each item's score."""

    unit: str
    instrument: Instrument
    administrations: tuple[CapacityAssessment, ...]

    @property
    def dates(self) -> tuple[pendulum.Date, ...]:
        return tuple(a.administered_on for a in self.administrations)

    def item(self, item_id: str) -> tuple[int | None, ...]:
        """An item's score at each administration (``None`` where it was not scored)."""
        return tuple(dict(a.scores).get(item_id) for a in self.administrations)

    def area(self, area_id: str) -> tuple[float | None, ...]:
        """An area's share of the most possible at each administration."""
        items = {i.id for i in self.instrument.items if i.area == area_id}
        out: list[float | None] = []
        for a in self.administrations:
            scored = [s for i, s in a.scores if i in items]
            out.append(sum(scored) / (2 * len(scored)) if scored else None)
        return tuple(out)

    def totals(self) -> tuple[float | None, ...]:
        """The total share at each administration."""
        return tuple(a.share for a in self.administrations)

    def rows(self) -> list[dict[str, Any]]:
        """Plain data: one row per administration and item."""
        area_of = {i.id: i.area for i in self.instrument.items}
        return [{"assessment": a.id, "administered_on": a.administered_on.isoformat(),
                 "area": area_of.get(item, ""), "item": item, "score": score}
                for a in self.administrations for item, score in a.scores]

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "instrument": self.instrument.name,
                "administrations": [{"id": a.id,
                                     "administered_on": a.administered_on.isoformat(),
                                     "total": a.share,
                                     "areas": {ar.id: share for ar, share in zip(
                                         self.instrument.areas,
                                         [self.area(x.id)[n] for x in self.instrument.areas],
                                         strict=True)}}
                                    for n, a in enumerate(self.administrations)],
                "rows": self.rows()}

    def to_frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (the ``dataframes`` extra)."""
        from .._extras import pandas

        return pandas().DataFrame(self.rows(), columns=["assessment", "administered_on",
                                                        "area", "item", "score"])

    def plot(self, ax: Axes | None = None, *, criterion: float | None = None) -> Axes:
        """Each area's share and the total over the administrations, against the
        criterion (the ``drawing`` extra).  Returns the matplotlib Axes."""
        try:
            import matplotlib.pyplot as plt
        except ImportError:
            from ..errors import MissingExtraError

            raise MissingExtraError("matplotlib", "drawing", "Plots") from None
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        when = [d.isoformat() for d in self.dates]
        for area in self.instrument.areas:
            values = [math.nan if v is None else 100 * v for v in self.area(area.id)]
            ax.plot(when, values, marker="o", label=area.title[:40])
        ax.plot(when, [math.nan if v is None else 100 * v for v in self.totals()], marker="s",
                color="black", linewidth=2, label="total")
        line = self.instrument.criterion if criterion is None else criterion
        ax.axhline(100 * line, color="#c62828", linestyle="--", linewidth=1,
                   label=f"criterion ({line:.0%})")
        ax.set_ylim(0, 105)
        ax.set_ylabel("% of the most possible")
        ax.set_title(f"{self.instrument.title}: {self.unit}", fontsize=10)
        ax.legend(fontsize=7, loc="lower right")
        return ax


def capacity_trend(graph: AlignmentGraph, unit: str,
                   instrument: str | os.PathLike[str] | Instrument = "district"
                   ) -> CapacityTrend:
    """The recorded administrations of ``instrument`` for ``unit``, earliest first.

    >>> from mtss_core import example
    >>> trend = capacity_trend(example(), "dist-maple")
    >>> [f"{t:.0%}" for t in trend.totals()]
    ['68%', '79%', '84%']
    """
    from ._prefill import instrument as find

    tool = find(instrument)
    found = sorted((a for a in graph.objects("capacity_assessment")
                    if a.unit == unit and a.instrument == tool.name),
                   key=lambda a: (a.administered_on, a.id))
    return CapacityTrend(unit=unit, instrument=tool, administrations=tuple(found))
