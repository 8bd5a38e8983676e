"""The benchmarks run against this tree and, for before/after comparisons (compare.py),
against the package as it was before 0.6, when everything sat at the root."""

from __future__ import annotations

from typing import Any

import mtss_core

try:
    from mtss_core import model as _model
    from mtss_core.graph._store import _refs as _store_refs
    try:
        from mtss_core._gc import collector_paused as bulk
    except ImportError:  # before the collector's pause was private
        from mtss_core.graph._store import bulk  # type: ignore[attr-defined,no-redef]
except ImportError:  # before 0.6
    _model = mtss_core  # type: ignore[assignment]
    from mtss_core._graph import _refs as _store_refs  # type: ignore[import-not-found,no-redef]
    from mtss_core._graph import bulk  # type: ignore[import-not-found,no-redef]


def _refs(obj: Any) -> Any:
    """The edges an object makes: (source, key, target) (the registry's table since the
    registry redesign; none needed before)."""
    edges = getattr(_model.TYPES, "edges", None)
    return _store_refs(obj) if edges is None else _store_refs(obj, edges)


class _Namespace:
    """``mc.X``: the root's names, then the model's (before 0.6 both were the root)."""

    def __getattr__(self, name: str) -> Any:
        if name in getattr(mtss_core, "__all__", ()):
            return getattr(mtss_core, name)
        return getattr(_model, name)


mc: Any = _Namespace()


def rerun(session: Any, code: str) -> None:
    """Re-run one rule of a Session in full."""
    if hasattr(session, "_run_all"):
        session._run_all([code])
    else:  # before 0.6
        session._run(code)


__all__ = ["_refs", "bulk", "mc", "rerun"]
