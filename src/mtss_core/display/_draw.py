"""A picture of the org and alignment tree with matplotlib (the ``drawing`` extra).

The units form a tidy tree, top down by level (each parent centred over its children);
under each unit its own products, then its teams and theirs (and, with
``detail="all"``, the people on them) are stacked in a column, so a district with 25
schools is 25 readable columns.  Labels wrap instead of being cut.  Alignment edges are
arrows: blue where a product is in line, red where it is not, with a dashed grey arrow
to what it should align to.  Every finding of a report is counted on the box it is about
or, when that is not drawn, on the box of the team or unit it belongs under; a legend says
what each arrow and outline means.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, MissingExtraError
from ..graph import Levels, place
from ..model import OrgUnit, Product, Team, caption

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..graph import AlignmentGraph
    from ..rules import Report

__all__ = ["draw"]

_COLORS = {"unit": "#dbe8f5", "team": "#e3f1df", "person": "#f4f4f4", "product": "#fff4d6"}
_DETAIL = {"units": (False, False), "teams": (True, False), "all": (True, True)}
#: Width of a column, height of one line of a label and the gap between levels, in data
#: units (inches at the drawing's scale).
_COLUMN, _LINE, _GAP, _ROW = 2.1, 0.13, 0.45, 0.3
_WRAP = 22
_ALIGNMENT_CODES = frozenset({"ALN001", "ALN002", "ALN003", "ALN005"})
_RED, _BLUE, _GREY, _ORANGE = "#c62828", "#2b6cb0", "#5f6b76", "#ef8f00"



def _label(obj: Any, found: int = 0) -> str:
    text = textwrap.fill(caption(obj), _WRAP, break_long_words=True, break_on_hyphens=False)
    return text + (f"\n[{found} finding{'s' if found != 1 else ''}]" if found else "")


def _stack(graph: AlignmentGraph, unit: OrgUnit, with_teams: bool, people: bool
           ) -> list[Any]:
    """What is drawn under a unit, top down: its products, then each team and its own."""
    out: list[Any] = list(graph.products_of(unit.id)) if with_teams else []
    if with_teams:
        for team in graph.teams_of(unit.id):
            out.append(team)
            out.extend(graph.products_of(team.id))
            if people:
                for m in graph.members(team.id):
                    out.append(graph[m.person])
                    out.extend(graph.products_of(m.person))
    return out


def _layout(graph: AlignmentGraph, tops: list[OrgUnit], labels: dict[str, str],
            with_teams: bool, people: bool
            ) -> tuple[dict[str, tuple[float, float]], list[tuple[str, str, float, float]]]:
    """Centre positions (x, y; y grows downwards) of every object drawn, and the unit
    edges (parent, child, where the parent's column ends, where the child's begins)."""
    x_of: dict[str, float] = {}
    depth_of: dict[str, int] = {}
    edges: list[tuple[str, str]] = []
    next_leaf = [0.0]

    def place(unit: OrgUnit, depth: int) -> float:
        depth_of[unit.id] = depth
        children = graph.children(unit.id)
        if not children:
            x = next_leaf[0]
            next_leaf[0] += 1
        else:
            xs = [place(c, depth + 1) for c in children]
            edges.extend((unit.id, c.id) for c in children)
            x = (xs[0] + xs[-1]) / 2
        x_of[unit.id] = x
        return x

    for top in tops:
        place(top, 0)
        next_leaf[0] += 0.5  # a little air between separate trees
    stacks = {u: _stack(graph, graph[u], with_teams, people)  # type: ignore[arg-type]
              for u in x_of}
    heights = {u: _height(labels[u]) + sum(_height(labels[o.id]) for o in stack)
               for u, stack in stacks.items()}
    tallest: dict[int, float] = {}
    for u, h in heights.items():
        tallest[depth_of[u]] = max(tallest.get(depth_of[u], 0.0), h)
    y_at, y = {}, 0.0
    for depth in sorted(tallest):
        y_at[depth] = y
        y += tallest[depth] + _GAP
    position: dict[str, tuple[float, float]] = {}
    bottoms: dict[str, float] = {}
    for u, x in x_of.items():
        top_y = y_at[depth_of[u]]
        h = _height(labels[u])
        position[u] = (x * _COLUMN, top_y + h / 2)
        cursor = top_y + h
        for obj in stacks[u]:
            oh = _height(labels[obj.id])
            indent = 0.08 if isinstance(obj, Team) else 0.2
            position[obj.id] = (x * _COLUMN - _COLUMN / 2 + indent, cursor + oh / 2)
            cursor += oh
        bottoms[u] = cursor
    return position, [(p, c, bottoms[p], y_at[depth_of[c]]) for p, c in edges]


def _height(label: str) -> float:
    """The height a label takes, in data units (about inches at the drawing's scale)."""
    return 0.1 + _LINE * label.count("\n") + _LINE + 0.06


def draw(graph: AlignmentGraph, root: str | None = None, *, detail: str = "teams",
         report: Report | None = None, ax: Axes | None = None,
         figsize: tuple[float, float] | None = None, legend: bool = True) -> Axes:
    """Draw a unit's subtree (or every tree): levels top to bottom, a tidy tree.

    ``detail`` is ``"units"`` (units only), ``"teams"`` (units, their teams and the
    products of both; the default) or ``"all"`` (people and their products too).  Arrows
    show alignment: blue when a product is aligned to the level above, red when it is not,
    and a dashed grey arrow from a misaligned product to what it should align to.  With a
    ``report``, every finding is counted on the box it is about, or, when that is not
    drawn (a person at ``"teams"``, a focus area, a barrier or a record), on the box of the
    team or unit it belongs under (:func:`~mtss_core.graph.place`): outlined in red, with
    the count in brackets; objects related to a finding are outlined in orange.  The title
    names the units drawn; a legend below says what each arrow and outline means.
    ``figsize`` (inches) sets the figure's size; by default it is one inch per unit of the
    layout, so labels never collide.  Returns the matplotlib Axes.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from mtss_core import example, validate
    >>> g = example()
    >>> ax = draw(g, "sch-cedar-high", report=validate(g), figsize=(8, 6))
    >>> ax.figure.get_size_inches().tolist(), ax.figure.get_suptitle()
    ([8.0, 6.0], 'MTSS leadership and alignment: Cedar Creek High School')
    >>> [t.get_text() for t in ax.get_legend().get_texts()][:3]
    ['aligned to the level above', 'not aligned as its level requires', \
'what it should align to']
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("matplotlib", "drawing", "Drawing") from None
    if detail not in _DETAIL:
        raise ConfigError(f"detail must be one of {', '.join(_DETAIL)}, got {detail!r}")
    with_teams, people = _DETAIL[detail]
    if root is None:
        tops = [u for u in graph.units() if u.parent is None]
    else:
        top = graph.get(root, OrgUnit)
        tops = [top]
    drawn = _drawn(graph, tops, with_teams, people)
    counts = _counts(graph, report, drawn)
    labels = {oid: _label(graph[oid], counts.get(oid, 0)) for oid in drawn}
    position, unit_edges = _layout(graph, tops, labels, with_teams, people)
    related = {r for f in report for r in f.related} if report is not None else set()
    width = max(p[0] for p in position.values()) + _COLUMN
    height = max(p[1] for p in position.values()) + _ROW
    x_range = (-_COLUMN * 0.55, width - _COLUMN * 0.4)
    span = x_range[1] - x_range[0]
    names = ", ".join(u.name or u.id for u in tops[:3]) + (
        f" and {len(tops) - 3} more" if len(tops) > 3 else "")
    title = f"MTSS leadership and alignment: {names}"
    ncol = max(1, min(3, int((figsize[0] if figsize else span) // 2.4)))
    handles = _legend_handles(report is not None) if legend else []
    below = 0.35 + 0.17 * -(-len(handles) // ncol) if handles else 0.0
    if ax is None:  # one data unit an inch, so labels (sized in points) never collide
        wrapped = textwrap.fill(title, max(24, int((figsize[0] if figsize else span) * 10)))
        above = _ROW + 0.2 * (wrapped.count("\n") + 1)
        y_range = (height + below, -above)
        fig = plt.figure(figsize=figsize or (span, y_range[0] - y_range[1]))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        fig.suptitle(wrapped, x=0.02, y=0.995, ha="left", va="top", fontsize=10,
                     fontweight="bold")
    else:
        y_range = (height + below, -_ROW * 2)
        ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
    for parent, child, column_end, child_start in unit_edges:
        x1, x2 = position[parent][0], position[child][0]
        middle = column_end + (child_start - column_end) / 2
        ax.plot([x1, x1, x2, x2], [column_end, middle, middle, child_start], color="#9aa5b1",
                lw=0.8, zorder=0)
    levels = Levels(graph)
    misaligned = {f.subject for f in report if f.code in _ALIGNMENT_CODES} if (
        report is not None) else None
    for oid in position:
        product = graph.get(oid)
        if not isinstance(product, Product):
            continue
        wrong = (oid in misaligned if misaligned is not None
                 else not levels.accepts(product) and product.aligned_to is not None)
        target = product.aligned_to
        if target is not None and target in position:
            _arrow(ax, position[oid], position[target], _RED if wrong else _BLUE,
                   "-", 1.3 if wrong else 0.8)
        if wrong:
            expected = levels.expected(product.owner, product.kind)
            for t in (expected.targets[:1] if expected is not None else ()):
                if t in position and t != target:
                    _arrow(ax, position[oid], position[t], _GREY, "--", 1.0)
    for oid, (x, y) in position.items():
        obj = graph[oid]
        kind = ("product" if isinstance(obj, Product) else obj.type_name)
        found = counts.get(oid, 0)
        edge = _RED if found else _ORANGE if oid in related else _GREY
        ax.text(x, y, labels[oid], ha="center" if kind == "unit" else "left", va="center",
                fontsize=7, zorder=2, linespacing=1.1,
                bbox={"boxstyle": "round,pad=0.25", "fc": _COLORS.get(kind, "#ffffff"),
                      "ec": edge, "lw": 2.0 if found else 0.8})
    ax.set_xlim(*x_range)
    ax.set_ylim(*y_range)
    ax.axis("off")
    if handles:
        ax.legend(handles=handles, loc="lower left", ncol=ncol, fontsize=7, frameon=True,
                  borderaxespad=0.3, title="Legend", title_fontsize=7)
    return ax


def _drawn(graph: AlignmentGraph, tops: list[OrgUnit], with_teams: bool, people: bool
           ) -> list[str]:
    """The ids of everything drawn, units first."""
    units = [u for top in tops for u in (top, *graph.descendants(top.id))]
    out = [u.id for u in units]
    for u in units:
        out.extend(o.id for o in _stack(graph, u, with_teams, people))
    return out


def _counts(graph: AlignmentGraph, report: Report | None, drawn: list[str]
            ) -> dict[str, int]:
    """How many findings each drawn box carries: those about it, and those about what
    is not drawn but belongs under it."""
    if report is None:
        return {}
    shown = set(drawn)
    counts: dict[str, int] = {}
    for f in report:
        box = f.subject if f.subject in shown else place(graph, f.subject, shown)
        if box is not None and box in shown:
            counts[box] = counts.get(box, 0) + 1
    return counts


def _legend_handles(with_report: bool) -> list[Any]:
    """What each arrow, line, fill and outline means."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [Line2D([], [], color=_BLUE, lw=0.8, marker=">", markersize=4,
                      label="aligned to the level above"),
               Line2D([], [], color=_RED, lw=1.3, marker=">", markersize=4,
                      label="not aligned as its level requires"),
               Line2D([], [], color=_GREY, lw=1.0, ls="--", marker=">", markersize=4,
                      label="what it should align to"),
               Line2D([], [], color="#9aa5b1", lw=0.8, label="unit above / below")]
    handles += [Patch(fc=_COLORS[k], ec=_GREY, lw=0.8, label=text) for k, text in (
        ("unit", "org unit"), ("team", "team"), ("person", "person"),
        ("product", "vision, non-negotiables or plan"))]
    if with_report:
        handles += [Patch(fc="#ffffff", ec=_RED, lw=2.0,
                          label="findings about it or under it [count]"),
                    Patch(fc="#ffffff", ec=_ORANGE, lw=0.8, label="related to a finding")]
    return handles


def _arrow(ax: Any, start: tuple[float, float], end: tuple[float, float], colour: str,
           style: str, width: float) -> None:
    # products sit at the left of their column: arrows leave and arrive on the left
    a, b = (start[0] - 0.05, start[1]), (end[0] - 0.05, end[1])
    ax.annotate("", xy=b, xytext=a, zorder=1,
                arrowprops={"arrowstyle": "->", "color": colour, "lw": width, "alpha": 0.85,
                            "linestyle": style, "connectionstyle": "arc3,rad=0.25",
                            "shrinkA": 2, "shrinkB": 2})
