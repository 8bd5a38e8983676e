"""The ``mtss`` command line: ``main(argv)`` runs one command and returns its exit code."""

from ._main import main

__all__ = ["main"]
