"""The alignment graph and what can be asked of it.

:class:`AlignmentGraph` holds the objects of :mod:`mtss_core.model`, kept consistent,
and gives them to networkx as a multigraph (``view``); :func:`expected_alignment` says
which product each one should align to (the level above); :func:`subtree` cuts out one
unit and everything below it.

>>> from mtss_core import example
>>> from mtss_core.graph import expected_alignment
>>> expected_alignment(example(), "v-lincoln").targets
('v-maple',)
"""

from typing import Any

from .._publish import publish
from ._level_index import Level
from ._levels import Expected, Levels, expected_alignment
from ._place import PATH_LEVELS, place, unit_path
from ._progress import (
    UnitProgress,
    home_unit,
    inactive,
    is_inactive,
    progress,
    progress_unit,
)
from ._store import AlignmentGraph, EdgeKind
from ._store import _rebuild_graph as _rebuild_graph
from ._subtree import subtree, subtree_view
from ._timeline import (
    ReviewDue,
    StagePeriod,
    due_for_review,
    fidelity_trend,
    implementation_start,
    last_review,
    stage_as_of,
    time_in_stage,
    time_to_fidelity,
    timeline,
)

__all__ = [
    "PATH_LEVELS",
    "AlignmentGraph",
    "EdgeKind",
    "Expected",
    "Level",
    "Levels",
    "ReviewDue",
    "StagePeriod",
    "UnitProgress",
    "due_for_review",
    "expected_alignment",
    "fidelity_trend",
    "home_unit",
    "implementation_start",
    "last_review",
    "inactive",
    "is_inactive",
    "place",
    "subtree_view",
    "unit_path",
    "progress",
    "progress_unit",
    "stage_as_of",
    "subtree",
    "time_in_stage",
    "time_to_fidelity",
    "timeline",
]

publish(__name__, globals(), pickles=("_rebuild_graph",))


def __getattr__(name: str) -> Any:
    if name == "bulk":  # public until 0.3.0
        import warnings

        from .._gc import collector_paused

        warnings.warn("mtss_core.graph.bulk is deprecated since 0.4.0 and will be removed "
                      "in 0.5.0: the library pauses the garbage collector itself wherever "
                      "it builds", DeprecationWarning, stacklevel=2)
        return collector_paused
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
