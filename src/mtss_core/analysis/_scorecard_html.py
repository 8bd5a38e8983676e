"""HTML for a scorecard: the level table, the heat map and focus-area coverage."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .._html import STYLE as _STYLE
from .._html import table as _table

if TYPE_CHECKING:
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
    head = "".join(f'<th scope="col">{escape(k)}</th>' for k in kinds)
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
        rows.append(f'<tr><th scope="row">{escape(r.name or r.unit)} '
                    f"<small>({escape(r.unit)})</small></th>"
                    f"<td>{escape(r.progress or '')}</td>"
                    f"<td>{'n/a' if r.new_members is None else f'{r.new_members:.0%}'}</td>"
                    f"{''.join(cells)}</tr>")
    return ('<table class="heatmap"><caption>Aligned to the level above (of the levels '
            "below that have the product)</caption>"
            f'<thead><tr><th scope="col">unit</th><th scope="col">progress</th>'
            f'<th scope="col">new members (1 year)</th>{head}</tr></thead>'
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
