"""Networkx's adjacency, kept small: the compact mappings the graph stores in networkx's
dicts (a node's attributes, a seat's edge, the edges with no data) and the two steps
that add and remove an edge.

Each of them reads like the dict networkx would keep (the graph's view hands them to
networkx algorithms and users as they are) but costs a fraction of one: at nation
scale a dict per node, per seat and per edge would be several gigabytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from ._queries import MEMBER


class _EmptyData(Mapping[str, Any]):
    """The attributes of an edge that carries none: one shared, read-only, empty mapping
    that copies, deep-copies and pickles (as the one instance), so the view converts and
    pickles like any networkx graph."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_NO_DATA"  # the module's one instance, by name

    def __copy__(self) -> _EmptyData:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _EmptyData:
        return self

    def copy(self) -> dict[str, Any]:
        """A dict of one's own (what networkx makes of an edge's data when it copies)."""
        return {}


#: The attributes of every edge that carries none: one shared, read-only mapping
#: (a fresh dict per edge would cost ~100 MB at state scale).
_NO_DATA: Mapping[str, Any] = _EmptyData()


class _SharedKeys(dict):  # type: ignore[type-arg]
    """The key dict of every edge that carries one key and no data (``{"owned_by":
    _NO_DATA}``): one per key, shared by all such edges (a dict per edge is ~180 bytes:
    a gigabyte at nation scale).  Copied before any change, so sharing never shows."""


_SHARED: dict[str, _SharedKeys] = {}


def _keys_for(key: str) -> _SharedKeys:
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = _SharedKeys({key: _NO_DATA})
    return found


class _NoEdges(dict):  # type: ignore[type-arg]
    """The predecessors of every node nothing refers to yet (half the nodes: a teacher's
    vision, a meeting, a stage record): one shared empty dict, replaced by a dict of the
    node's own when its first edge comes in (an empty dict per node is ~64 bytes: about
    300 MB at nation scale)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("the shared empty adjacency dict is read-only")

    __setitem__ = setdefault = update = _refuse


_NO_EDGES = _NoEdges()


class _Node(Mapping[str, Any]):
    """A node's attributes, ``{"obj": the object, "type": its type's name}``, in a slot:
    a read-only mapping of ~40 bytes where a dict is ~180 (ten million nodes at nation
    scale).  The graph's own code reads ``.obj``; networkx and users read the mapping."""

    __slots__ = ("obj",)

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, key: str) -> Any:
        if key == "obj":
            return self.obj
        if key == "type":
            return self.obj.type_name
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield "obj"
        yield "type"

    def __len__(self) -> int:
        return 2

    def __contains__(self, key: object) -> bool:
        return key == "obj" or key == "type"

    def __repr__(self) -> str:
        return repr(dict(self))

    def copy(self) -> dict[str, Any]:
        """A dict of one's own (what networkx makes of a node's attributes when it copies)."""
        return {"obj": self.obj, "type": self.obj.type_name}


class _One(Mapping[str, Any]):
    """A read-only mapping of one key (the class's ``KEY``) to one value, in a slot:
    ~40 bytes where a dict is ~180 (millions of seats at nation scale).  The graph's own
    code reads ``.value``; networkx and users read the mapping."""

    __slots__ = ("value",)
    KEY: ClassVar[str]

    def __init__(self, value: Any) -> None:
        self.value = value

    def __getitem__(self, key: str) -> Any:
        if key == self.KEY:
            return self.value
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield self.KEY

    def __len__(self) -> int:
        return 1

    def __contains__(self, key: object) -> bool:
        return key == self.KEY

    def get(self, key: str, default: Any = None) -> Any:
        return self.value if key == self.KEY else default

    def __repr__(self) -> str:
        return repr({self.KEY: self.value})

    def copy(self) -> dict[str, Any]:
        """A dict of one's own (what networkx makes of an edge's data when it copies)."""
        return {self.KEY: self.value}


class _Seat(_One):
    """The data of a member edge: ``{"membership": seat}``."""

    __slots__ = ()
    KEY = "membership"


class _SeatKeys(_One):
    """The key dict of a member edge, ``{"member": its _Seat}``; replaced by a dict if
    another key ever joins the edge (copy on write, like :class:`_SharedKeys`)."""

    __slots__ = ()
    KEY = MEMBER


def _link(succ: dict[str, Any], pred: dict[str, Any], u: str, key: str, v: str,
          data: Mapping[str, Any]) -> None:
    """Add the edge ``u -key-> v`` with ``data`` to networkx's adjacency dicts."""
    keys = succ[u].get(v)
    if keys is None:
        into = pred[v]
        if into is _NO_EDGES:
            into = pred[v] = {}
        succ[u][v] = into[u] = (_keys_for(key) if data is _NO_DATA
                                 else _SeatKeys(data) if type(data) is _Seat
                                 else {key: data})
        return
    if type(keys) is _SharedKeys or type(keys) is _SeatKeys:  # copy on write
        keys = succ[u][v] = pred[v][u] = dict(keys)
    keys[key] = data


def _unlink(succ: dict[str, Any], pred: dict[str, Any], u: str, key: str, v: str) -> None:
    """Take the edge ``u -key-> v`` out of networkx's adjacency dicts."""
    keys = succ[u][v]
    if type(keys) is _SharedKeys or len(keys) == 1:
        del succ[u][v]
        del pred[v][u]
    else:
        del keys[key]
