"""The alignment graph and what can be asked of it.

:class:`AlignmentGraph` holds the objects of :mod:`mtss_core.model` as a networkx
multigraph, kept consistent; :func:`expected_alignment` says which product each one
should align to (the level above); :func:`subtree` cuts out one unit and everything
below it.

>>> from mtss_core import example
>>> from mtss_core.graph import expected_alignment
>>> expected_alignment(example(), "v-lincoln").targets
('v-maple',)
"""

from .._publish import publish
from ._levels import Expected, expected_alignment
from ._store import AlignmentGraph, EdgeKind
from ._store import _rebuild_graph as _rebuild_graph
from ._subtree import subtree

__all__ = ["AlignmentGraph", "EdgeKind", "Expected", "expected_alignment", "subtree"]

publish(__name__, globals())
