"""The installed version of the package."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("mtss-core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"
