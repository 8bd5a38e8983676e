"""Many tenants: validate many structures through any ``concurrent.futures.Executor``.

A vendor serving thousands of districts passes a process pool, or Dask distributed's
executor when one machine is not enough; results stream back as they finish, and one
bad tenant never sinks the batch.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, as_completed
from pathlib import Path
from typing import Any

import attrs

from ..errors import MtssError
from ..graph import AlignmentGraph
from ..io import from_data, load
from ..model import TYPES, Registry
from ..rules import Config, Report, RuleSet, validate

__all__ = ["TenantResult", "validate_many"]


@attrs.frozen(kw_only=True)
class TenantResult:
    """The outcome for one tenant: a report, or the error that stopped it.

    ``error`` is the exception itself (a :class:`~mtss_core.errors.DocumentError` keeps its
    ``problems``), so a product can handle it as it would have handled it raised; it
    pickles, so results come back from a process pool whole.  An exception that cannot
    be pickled arrives as an :class:`~mtss_core.errors.MtssError` carrying its text.
    """

    key: str
    report: Report | None = None
    #: What stopped the tenant's structure from being read or checked.
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """True when the tenant was checked and its report has no error findings."""
        return self.report is not None and self.report.ok

    @property
    def message(self) -> str | None:
        """The error as one line of text (``"DocumentError: ..."``), or ``None``."""
        return None if self.error is None else f"{type(self.error).__name__}: {self.error}"

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the key, then either the report's dict or the error."""
        if self.report is None:
            return {"key": self.key, "error": self.message,
                    "problems": [attrs.asdict(p) for p in getattr(self.error, "problems", ())]}
        return {"key": self.key, **self.report.to_dict()}


Source = AlignmentGraph | Mapping[str, Any] | str | os.PathLike[str]


def _validate_one(key: str, source: Source, config: Config | None,
                  rules: RuleSet | None, strict: bool = True,
                  as_of: Any = None, types: Registry | None = None) -> TenantResult:
    """Check one tenant; every failure becomes a result (module level, so it pickles)."""
    try:
        if isinstance(source, AlignmentGraph):
            graph = source
        elif isinstance(source, Mapping):
            graph = from_data(source, source=key, strict=strict, types=types or TYPES)
        else:
            graph = load(Path(source), strict=strict, types=types or TYPES)
        if as_of is not None and graph.as_of is None and (config is None
                                                         or config.as_of is None):
            config = attrs.evolve(config or Config(), as_of=as_of)
        return TenantResult(key=key, report=validate(graph, config, rules=rules))
    except Exception as exc:  # one bad tenant never sinks the batch
        return TenantResult(key=key, error=_portable(exc))


def _portable(exc: BaseException) -> BaseException:
    """``exc`` with its traceback dropped, or its text when it does not pickle."""
    exc = exc.with_traceback(None)
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return MtssError(f"{type(exc).__name__}: {exc}")
    return exc


def validate_many(items: Mapping[str, Source] | Iterable[tuple[str, Source]], *,
                  executor: Executor | None = None, config: Config | None = None,
                  rules: RuleSet | None = None, strict: bool = True,
                  as_of: Any = None, types: Registry | None = None
                  ) -> Iterator[TenantResult]:
    """Validate many structures; yield a :class:`TenantResult` for each as it finishes.

    ``items`` maps a key (a tenant, a file name) to a graph, plain document data or
    the path of a document.  Without an ``executor`` they run one after the other in
    order; with one — ``ProcessPoolExecutor``, ``ThreadPoolExecutor``, or Dask's
    ``Client.get_executor()`` — they run on it and arrive in the order they finish.
    For process pools and Dask, pass paths or plain data (cheap to send) and keep
    custom rules in an importable module (they are pickled by reference); ``types`` is
    the registry documents are read with (a vendor's types: a registry pickles by value,
    its classes by reference, so keep them in an importable module too).
    ``strict=False`` loads documents leniently (broken references become STR findings).
    Each structure is checked as of its own document's ``as_of`` (as ``validate``
    does), else the configuration's, else ``as_of``; one with none of them has its
    time-based rules skipped, and its report says which (``report.skipped``).

    >>> from mtss_core import validate_many, example, to_data
    >>> results = list(validate_many({"lakeshore": to_data(example()), "bad": {"units": 3}}))
    >>> [(r.key, r.ok, r.report.summary() if r.report else type(r.error).__name__)
    ...  for r in results]
    [('lakeshore', False, '13 findings (4 errors, 9 warnings)'), ('bad', False, 'DocumentError')]
    >>> [p.pointer for p in results[1].error.problems]
    ['/format_version', '/units']
    """
    pairs = list(items.items()) if isinstance(items, Mapping) else list(items)
    if executor is None:
        for key, source in pairs:
            yield _validate_one(key, source, config, rules, strict, as_of, types)
        return
    futures: dict[Future[TenantResult], str] = {
        executor.submit(_validate_one, key, source, config, rules, strict, as_of,
                        types): key
        for key, source in pairs}
    for future in as_completed(futures):
        try:
            yield future.result()
        except Exception as exc:  # the worker itself failed (pickling, a lost process, ...)
            yield TenantResult(key=futures[future], error=_portable(exc))
