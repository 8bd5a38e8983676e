"""Give the public classes and functions of a package their public home."""

from __future__ import annotations

from typing import Any


def publish(module_name: str, namespace: dict[str, Any], *, pickles: tuple[str, ...] = ()
            ) -> None:
    """Set ``__module__`` of the classes and functions listed in ``namespace["__all__"]``
    (defined in private modules of the package) to the public ``module_name``, so that
    reprs, tracebacks and pickles name the public path, which stays stable when the
    private modules move.  ``pickles`` names the private functions pickles rebuild
    objects with (a team with its cadence, a graph): they get the public home too, and
    must be importable from it under that name."""
    for name in pickles:
        namespace[name].__module__ = module_name
    for name in namespace["__all__"]:
        obj = namespace[name]
        home = str(getattr(obj, "__module__", ""))
        if ((isinstance(obj, type) or callable(obj)) and home.startswith("mtss_core.")
                and any(part.startswith("_") for part in home.split("."))):
            obj.__module__ = module_name
