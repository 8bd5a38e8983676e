"""The package's version (the same as pyproject.toml's: a test checks both and the
installed metadata agree).  A literal, so that importing the package reads no metadata."""

__version__ = "0.4.0"
