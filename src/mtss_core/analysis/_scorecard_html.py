"""HTML for a scorecard: the level table, the heat map and focus-area coverage."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

import attrs

from .._extras import pandas
from .._html import LEFT, ROWS_SHOWN
from .._html import STYLE as _STYLE
from .._html import table as _table
from ..errors import ConfigError, MissingExtraError, ModelError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._scorecard import Scorecard

__all__ = ["heat_colour", "heatmap_table", "scorecard_html"]


#: Heat-map colours (background, text) by share aligned: light enough that the dark text
#: keeps a contrast ratio above 7:1, and the share is always written in the cell too.
_HEAT = ((0.8, "#cdebd3", "#0b3d17"), (0.5, "#fff0c2", "#4a3500"), (0.0, "#f7d0d3", "#5c0b12"))


def heat_colour(share: float | None) -> tuple[str, str]:
    """(background, text) colours for a share aligned; grey for none.

    >>> heat_colour(0.9), heat_colour(None)
    (('#cdebd3', '#0b3d17'), ('#eeeeee', '#333333'))
    """
    if share is None:
        return "#eeeeee", "#333333"
    for floor, background, text in _HEAT:
        if share >= floor:
            return background, text
    return _HEAT[-1][1], _HEAT[-1][2]  # pragma: no cover - shares are never negative


def heatmap_table(card: Scorecard) -> str:
    """The heat map: units by kind of product, each cell the share aligned, coloured."""
    from ..model import ProductKind

    kinds = [k.value for k in ProductKind]
    head = "".join(f'<th scope="col"{LEFT}>{escape(k)}</th>' for k in kinds)
    rows = []
    for unit in card.heatmap[:ROWS_SHOWN]:
        r = card.rollup(unit)
        cells = []
        for kind in kinds:
            share = r.share(kind)
            have, levels = r.coverage(kind)
            background, text = heat_colour(share)
            label = "n/a" if share is None else f"{share:.0%} aligned"
            cells.append(f'<td class="heat" style="background:{background};color:{text}" '
                         f'title="of the {have} levels that have one, {label}; {have} of '
                         f'{levels} levels have one">{label}'
                         f"<br><small>{have} of {levels} have one</small></td>")
        rows.append(f'<tr><th scope="row"{LEFT}>{escape(r.name or r.unit)} '
                    f"<small>({escape(r.unit)})</small></th>"
                    f"<td{LEFT}>{escape(r.progress or '')}</td>"
                    f"<td{LEFT}>"
                    f"{'n/a' if r.new_members is None else f'{r.new_members:.0%}'}</td>"
                    f"{''.join(cells)}</tr>")
    more = len(card.heatmap) - ROWS_SHOWN
    if more > 0:
        rows.append(f'<tr><td colspan="{3 + len(kinds)}"{LEFT}><small>... {more:,} more '
                    "units: to_frame(\"units\") gives them all, plot(top=..., sort="
                    "\"worst\", isd=...) draws a part</small></td></tr>")
    return ('<table class="heatmap"><caption>Share aligned to the level above, of the '
            "levels below that have the product; and how many of the levels have one"
            "</caption>"
            f'<thead><tr><th scope="col"{LEFT}>unit</th><th scope="col"{LEFT}>progress'
            f'</th><th scope="col"{LEFT}>new members (1 year)</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def scorecard_html(card: Scorecard) -> str:
    """HTML for a scorecard: the level table, the heat map and focus-area coverage."""
    head = ["level", "product", "levels", "with it", "aligned", "misaligned", "waiting",
            "without", "aligned (of those with it)"]
    rows = [[escape(r.level), escape(r.kind), str(r.levels), str(r.with_product),
             str(r.aligned), str(r.misaligned), str(r.waiting), str(r.without),
             "n/a" if r.share_aligned is None else f"{r.share_aligned:.0%}"]
            for r in card.rows if r.levels]
    focus = [[f"{escape(f.name or f.area)} <small>({escape(f.area)})</small>",
              escape(f.district), "yes" if f.in_vision else "<b>no</b>",
              escape(", ".join(f.worked_on_by)) or "<b>nobody (orphaned)</b>"]
             for f in card.focus]
    parts = [_STYLE, _HEAT_STYLE, '<div class="mtss">',
             f"<p><b>Alignment scorecard</b>{' of ' + escape(card.root) if card.root else ''}"
             "</p>", _table(head, rows)]
    if card.heatmap:
        parts.append(heatmap_table(card))
    if focus:
        parts.append(_table(["focus area", "district", "in the vision", "worked on by"],
                            focus))
    parts.append("</div>")
    return "".join(parts)


_HEAT_STYLE = ("<style>.mtss .heat{text-align:center;min-width:4em;font-variant-numeric:"
               "tabular-nums}.mtss .heatmap caption{text-align:left;font-weight:bold}</style>")


def scorecard_frame(card: Scorecard, table: str, levels: tuple[str, ...],
                    counts: tuple[str, ...]) -> Any:
    """The DataFrame of one of the scorecard's tables (see :meth:`Scorecard.to_frame`):
    ``levels`` in order, top down; ``counts`` the level table's count columns."""
    from ..model import ProductKind

    pd = pandas()
    ordered = pd.CategoricalDtype(categories=list(levels), ordered=True)
    if table == "levels":
        frame = pd.DataFrame([{**attrs.asdict(r), "share_aligned": r.share_aligned,
                               "coverage": r.coverage} for r in card.rows],
                             columns=["level", "kind", *counts, "share_aligned", "coverage"])
        frame["level"] = frame["level"].astype(ordered)
        return frame
    if table == "units":
        rows = []
        for unit in card.heatmap:
            r = card.rollup(unit)
            for kind in (k.value for k in ProductKind):
                aligned, with_product, n_levels = r._of(kind)
                rows.append({"unit": r.unit, "name": r.name, "unit_kind": r.kind,
                             "progress": r.progress, "new_members": r.new_members,
                             "kind": kind, "aligned": aligned, "with_product": with_product,
                             "levels": n_levels, "share_aligned": r.share(kind)})
        frame = pd.DataFrame(rows, columns=["unit", "name", "unit_kind", "progress",
                                            "new_members", "kind", "aligned", "with_product",
                                            "levels", "share_aligned"])
        frame["unit_kind"] = frame["unit_kind"].astype(ordered)
        return frame
    if table == "focus":
        return pd.DataFrame([{**attrs.asdict(f), "worked_on_by": list(f.worked_on_by),
                              "orphaned": f.orphaned} for f in card.focus],
                            columns=["area", "name", "district", "in_vision", "worked_on_by",
                                     "orphaned"])
    raise ConfigError(f"unknown scorecard table {table!r}; expected 'levels', 'units' or "
                      "'focus'")


def pick_units(card: Scorecard, *, top: int | None = None, sort: str | None = None,
               isd: str | None = None, kinds: Iterable[str] | None = None) -> list[Any]:
    """The heat map's rows to show: under one ISD (``isd``), ordered (``sort``:
    ``"worst"`` first by the lowest share aligned, ``"name"``, or as listed), the first
    ``top`` of them."""
    from ..model import ProductKind

    columns = list(kinds) if kinds is not None else [k.value for k in ProductKind]
    rows = [card.rollup(u) for u in card.heatmap]
    if isd is not None:
        rows = [r for r in rows if r.unit == isd or isd in r.path]
    if sort == "worst":
        def worst(r: Any) -> tuple[float, str]:
            shares = [s for s in (r.share(k) for k in columns) if s is not None]
            return (min(shares) if shares else 2.0, r.name or r.unit)
        rows.sort(key=worst)
    elif sort == "name":
        rows.sort(key=lambda r: (r.name or r.unit).lower())
    elif sort is not None:
        raise ModelError(f"sort: expected 'worst', 'name' or None, got {sort!r}")
    return rows[:top] if top is not None else rows


def scorecard_plot(card: Scorecard, ax: Axes | None, kinds: Iterable[str] | None, *,
                   top: int | None = None, sort: str | None = None,
                   isd: str | None = None) -> Axes:
    """The heat map drawn with matplotlib (see :meth:`Scorecard.plot`)."""
    from ..model import ProductKind

    try:
        import matplotlib.pyplot as plt
        from matplotlib.colors import to_rgb
    except ImportError:
        raise MissingExtraError("matplotlib", "drawing", "Plots") from None
    columns = list(kinds) if kinds is not None else [k.value for k in ProductKind]
    units = pick_units(card, top=top, sort=sort, isd=isd, kinds=columns)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 * len(columns) + 3,
                                      min(0.45 * len(units) + 1.2, 30.0)))
    colours = [[to_rgb(heat_colour(r.share(k))[0]) for k in columns] for r in units]
    ax.imshow(colours if units else [[(1.0, 1.0, 1.0)] * len(columns)], aspect="auto")
    for y, r in enumerate(units):
        for x, kind in enumerate(columns):
            share = r.share(kind)
            have, levels = r.coverage(kind)
            ax.text(x, y, ("n/a" if share is None else f"{share:.0%} aligned")
                    + f"\n{have} of {levels} have one",
                    ha="center", va="center", fontsize=7, color=heat_colour(share)[1])
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(units)), [r.name or r.unit for r in units])
    ax.xaxis.tick_top()
    shown = (f"; {len(units)} of {len(card.heatmap)} units" if len(units) < len(card.heatmap)
             else "")
    ax.set_title("Share of the levels with the product that align to the level above; "
                 f"how many levels have one{shown}", fontsize=9)
    return ax
