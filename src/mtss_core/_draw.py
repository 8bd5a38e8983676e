"""A picture of the org and alignment tree with matplotlib (the ``drawing`` extra)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import MissingExtraError
from ._export import _label, _scope
from ._model import OrgUnit, Person, Product, Team

if TYPE_CHECKING:
    from ._engine import Report
    from ._graph import AlignmentGraph

__all__ = ["draw"]

_COLORS = {"unit": "#dbe8f5", "team": "#e3f1df", "person": "#f4f4f4", "product": "#fff4d6",
           "focus_area": "#efe3f5"}
_DETAIL = {"units": (False, False), "teams": (True, False), "all": (True, True)}


def _order(graph: AlignmentGraph, objs: list[Any]) -> list[Any]:
    """Depth-first: each unit, its products, its teams (and theirs), then its children."""
    inside = {o.id for o in objs}
    by_owner: dict[str, list[Any]] = {}
    for o in objs:
        owner = getattr(o, "owner", None) or (o.unit if isinstance(o, (Team, Person)) else None)
        if owner is None and not isinstance(o, OrgUnit):
            owner = getattr(o, "district", None)
        if owner is not None and not isinstance(o, OrgUnit):
            by_owner.setdefault(owner, []).append(o)
    out: list[Any] = []

    def visit(item: Any) -> None:
        out.append(item)
        for dep in by_owner.get(item.id, ()):
            visit(dep)
        if isinstance(item, OrgUnit):
            for child in graph.children(item.id):
                if child.id in inside:
                    visit(child)

    roots = [o for o in objs if isinstance(o, OrgUnit)
             and (o.parent is None or o.parent not in inside)]
    for r in roots:
        visit(r)
    return out


def draw(graph: AlignmentGraph, root: str | None = None, *, detail: str = "teams",
         report: Report | None = None, ax: Any = None) -> Any:
    """Draw a unit's subtree: levels top to bottom, teams and products beside their owner.

    ``detail`` is ``"units"`` (units only), ``"teams"`` (units, teams and their
    products; the default) or ``"all"`` (people and their products too).  With a
    ``report``, the subjects of its findings are outlined in red and their related
    objects in orange; alignment edges are blue arrows.  Returns the matplotlib Axes.
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("matplotlib", "drawing", "Drawing") from None
    if detail not in _DETAIL:
        raise ValueError(f"detail must be one of {', '.join(_DETAIL)}, got {detail!r}")
    with_teams, people = _DETAIL[detail]
    objs = [o for o in _scope(graph, root, people)
            if with_teams or isinstance(o, OrgUnit)]
    order = _order(graph, objs)
    subjects = {f.subject for f in report} if report is not None else set()
    related = {r for f in report for r in f.related} if report is not None else set()
    rank = {u.id: u.kind.rank for u in order if isinstance(u, OrgUnit)}

    def depth(o: Any, nth: int) -> float:
        if isinstance(o, OrgUnit):
            return float(rank[o.id])
        if isinstance(o, (Team, Person)):
            return rank.get(o.unit or "", 0) + (0.45 if isinstance(o, Team) else 0.7)
        owner = getattr(o, "owner", None) or getattr(o, "district", "")
        base = position[owner][1] if owner in position else 0.0
        return base + (0.2 if nth % 2 == 0 else 0.32)  # stagger neighbours

    position: dict[str, tuple[float, float]] = {}
    for i, o in enumerate(order):
        position[o.id] = (i * 1.6, depth(o, i))
    if ax is None:
        width = min(max(6.0, len(order) * 1.25), 48.0)
        _, ax = plt.subplots(figsize=(width, 5.5))
    for o in order:
        for u, v, key in ((o.id, t, k) for t, keys in graph._succ[o.id].items()
                          for k in keys):
            if v not in position or key not in ("parent", "serves", "owned_by", "aligns_to"):
                continue
            (x1, y1), (x2, y2) = position[u], position[v]
            if key == "aligns_to":
                ax.annotate("", xy=(x2, y2), xytext=(x1, y1),
                            arrowprops={"arrowstyle": "->", "color": "#2b6cb0", "lw": 1.2,
                                        "connectionstyle": "arc3,rad=0.25"})
            else:
                ax.plot([x1, x2], [y1, y2], color="#9aa5b1",
                        linestyle=":" if key == "owned_by" else "-", lw=0.8, zorder=0)
    for o in order:
        x, y = position[o.id]
        kind = "product" if isinstance(o, Product) else o.type_name
        edge = "#c62828" if o.id in subjects else "#ef8f00" if o.id in related else "#5f6b76"
        text = _label(o)
        ax.text(x, y, text if len(text) <= 24 else text[:22] + "…", ha="center", va="center",
                fontsize=7, zorder=2,
                bbox={"boxstyle": "round,pad=0.3", "fc": _COLORS.get(kind, "#ffffff"),
                      "ec": edge, "lw": 2.0 if o.id in subjects else 1.0})
    ax.set_xlim(-1.6, max(len(order), 1) * 1.6)
    top = max((p[1] for p in position.values()), default=0.0)
    ax.set_ylim(top + 0.6, min((p[1] for p in position.values()), default=0.0) - 0.6)
    ax.axis("off")
    title = "MTSS leadership and alignment" + (f": {root}" if root else "")
    ax.set_title(title, fontsize=10)
    return ax
