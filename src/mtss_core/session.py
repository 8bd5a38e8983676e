"""Incremental re-checking: edit a structure and keep its findings current.

The :class:`Session` is part of the rules engine (it sits in :mod:`mtss_core.rules`,
beside :func:`~mtss_core.validate`); this module is its public home.

>>> from mtss_core import example
>>> from mtss_core.session import Session
>>> Session(example()).report().counts_by_code()["ALN001"]
3
"""

from ._publish import publish
from .rules import Session, check_reads

__all__ = ["Session", "check_reads"]

publish(__name__, globals())
