"""The store's adjacency, kept small: ``succ[u][v]`` and ``pred[v][u]`` map an edge's
keys to its data (a member edge's seat, ``None`` for every other edge).

These are the graph's own dicts, read only by its queries: networkx never sees them (the
graph's :attr:`~mtss_core.AlignmentGraph.view` is a networkx graph built from them through
networkx's public API).  They are kept compact because there are so many of them: at
nation scale a dict per edge, per seat and per node nothing refers to would be several
gigabytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._queries import MEMBER

__all__ = ["NO_EDGES", "SeatKeys", "keys_for", "link", "unlink"]


class SharedKeys(dict):  # type: ignore[type-arg]
    """The key dict of every edge that carries one key and no data (``{"owned_by":
    None}``): one per key, shared by all such edges (a dict per edge is ~180 bytes: a
    gigabyte at nation scale).  Copied before any change, so sharing never shows."""


_SHARED: dict[str, SharedKeys] = {}


def keys_for(key: str) -> SharedKeys:
    """The shared key dict of an edge that carries only ``key``."""
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = SharedKeys({key: None})
    return found


class _NoEdges(dict):  # type: ignore[type-arg]
    """The predecessors of every node nothing refers to yet (half the nodes: a teacher's
    vision, a meeting, a stage record): one shared empty dict, replaced by a dict of the
    node's own when its first edge comes in (an empty dict per node is ~64 bytes: about
    300 MB at nation scale)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the shared empty adjacency dict is read-only")

    __setitem__ = setdefault = update = _refuse


NO_EDGES = _NoEdges()


class SeatKeys:
    """The key dict of a member edge, ``{"member": seat}``, in one slot (~40 bytes where a
    dict is ~180: millions of seats at nation scale); replaced by a dict if another key
    ever joins the edge."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __getitem__(self, key: str) -> Any:
        if key == MEMBER:
            return self.value
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self.value if key == MEMBER else default

    def __contains__(self, key: object) -> bool:
        return key == MEMBER

    def __iter__(self) -> Iterator[str]:
        yield MEMBER

    def __len__(self) -> int:
        return 1

    def items(self) -> Iterator[tuple[str, Any]]:
        yield MEMBER, self.value


def link(succ: dict[str, Any], pred: dict[str, Any], u: str, key: str, v: str,
         data: Any = None) -> None:
    """Add the edge ``u -key-> v`` (``data``: a member edge's seat)."""
    keys = succ[u].get(v)
    if keys is None:
        into = pred[v]
        if into is NO_EDGES:
            into = pred[v] = {}
        succ[u][v] = into[u] = (keys_for(key) if data is None
                                else SeatKeys(data) if key == MEMBER
                                else {key: data})
        return
    if type(keys) is SharedKeys or type(keys) is SeatKeys:  # copy on write
        keys = succ[u][v] = pred[v][u] = dict(keys.items())
    keys[key] = data


def unlink(succ: dict[str, Any], pred: dict[str, Any], u: str, key: str, v: str) -> None:
    """Take the edge ``u -key-> v`` out."""
    keys = succ[u][v]
    if len(keys) == 1:
        del succ[u][v]
        del pred[v][u]
        if not pred[v]:
            pred[v] = NO_EDGES
    else:
        del keys[key]
