"""HTML for a scorecard: the level table, the heat map and focus-area coverage."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

import attrs

from .._extras import pandas
from .._html import LEFT
from .._html import STYLE as _STYLE
from .._html import table as _table
from ..errors import ConfigError, MissingExtraError

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
    for unit in card.heatmap:
        r = card.rollup(unit)
        cells = []
        for kind in kinds:
            share = r.share(kind)
            have, levels = r.coverage(kind)
            background, text = heat_colour(share)
            label = "n/a" if share is None else f"{share:.0%}"
            cells.append(f'<td class="heat" style="background:{background};color:{text}" '
                         f'title="{have} of {levels} levels have one">{label}'
                         f"<br><small>{have}/{levels} have one</small></td>")
        rows.append(f'<tr><th scope="row"{LEFT}>{escape(r.name or r.unit)} '
                    f"<small>({escape(r.unit)})</small></th>"
                    f"<td{LEFT}>{escape(r.progress or '')}</td>"
                    f"<td{LEFT}>"
                    f"{'n/a' if r.new_members is None else f'{r.new_members:.0%}'}</td>"
                    f"{''.join(cells)}</tr>")
    return ('<table class="heatmap"><caption>Aligned to the level above (of the levels '
            "below that have the product)</caption>"
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


def scorecard_plot(card: Scorecard, ax: Axes | None, kinds: Iterable[str] | None) -> Axes:
    """The heat map drawn with matplotlib (see :meth:`Scorecard.plot`)."""
    from ..model import ProductKind

    try:
        import matplotlib.pyplot as plt
        from matplotlib.colors import to_rgb
    except ImportError:
        raise MissingExtraError("matplotlib", "drawing", "Plots") from None
    columns = list(kinds) if kinds is not None else [k.value for k in ProductKind]
    units = [card.rollup(u) for u in card.heatmap]
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 * len(columns) + 3, 0.45 * len(units) + 1.2))
    colours = [[to_rgb(heat_colour(r.share(k))[0]) for k in columns] for r in units]
    ax.imshow(colours if units else [[(1.0, 1.0, 1.0)] * len(columns)], aspect="auto")
    for y, r in enumerate(units):
        for x, kind in enumerate(columns):
            share = r.share(kind)
            have, levels = r.coverage(kind)
            ax.text(x, y, ("n/a" if share is None else f"{share:.0%}") + f"\n{have}/{levels}",
                    ha="center", va="center", fontsize=8, color=heat_colour(share)[1])
    ax.set_xticks(range(len(columns)), columns)
    ax.set_yticks(range(len(units)), [r.name or r.unit for r in units])
    ax.xaxis.tick_top()
    ax.set_title("Aligned to the level above (share; levels with it / levels)", fontsize=9)
    return ax
