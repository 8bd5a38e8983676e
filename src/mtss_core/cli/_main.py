"""The ``mtss`` command line: one module per command, dispatched by a table.

Exit codes: 0 when nothing at error severity was found, 1 when something was,
2 for bad usage or unreadable input (one line per problem on stderr, no traceback).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TextIO

from .._version import __version__
from ..errors import DocumentError, MtssError
from . import (
    _capacity,
    _completion,
    _convert,
    _diff,
    _example,
    _explain,
    _export,
    _import,
    _init,
    _refresh,
    _report,
    _rules,
    _schema,
    _scorecard,
    _status_pack,
    _store,
    _timeline,
    _validate,
)
from ._common import EXIT_OK, EXIT_USAGE, ClosedOutput, Parser

__all__ = ["COMMANDS", "main"]

#: The commands, in the order ``mtss --help`` lists them.
COMMANDS: tuple[ModuleType, ...] = (
    _validate, _timeline, _status_pack, _scorecard, _report, _diff, _rules, _explain,
    _import, _init, _refresh, _convert, _capacity, _export, _store, _schema, _example,
    _completion)


def _parser() -> Parser:
    parser = Parser(prog="mtss", description="Model who leads a school system's MTSS and "
                                             "check that its levels align.")
    parser.add_argument("--version", action="version", version=f"mtss-core {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for command in COMMANDS:
        p = sub.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
        command.configure(p)
        p.set_defaults(run=command.run, command=command.NAME)
    return parser


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None,
         stderr: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run the ``mtss`` command; return its exit code.

    >>> import io
    >>> out = io.StringIO()
    >>> main(["validate", "--example", "--select", "FOC001"], stdout=out)
    0
    >>> print(out.getvalue().splitlines()[-1])
    1 finding (1 warning) as of 2026-09-01; verdict: pass
    """
    # a closed standard stream is None: writes to a closed stdout fail as a usage error,
    # and messages for a closed stderr go nowhere (there is nowhere to put them)
    out = stdout or sys.stdout or ClosedOutput()
    err = stderr or sys.stderr or io.StringIO()
    try:
        parser = _parser()
        if "_ARGCOMPLETE" in os.environ:  # shell completion asking (the completion extra)
            _complete(parser)
        args = parser.parse_args(argv)
        args.stdin = stdin if stdin is not None else sys.stdin
        args.err = err
        code: int = args.run(args, out, err)
        return code
    except SystemExit as exc:  # --help or --version, printed by argparse
        return EXIT_OK if exc.code in (0, None) else EXIT_USAGE
    except DocumentError as exc:
        for problem in exc.problems:
            print(f"mtss: {problem}", file=err)
        if exc.truncated:
            print(f"mtss: {exc.more()}", file=err)
        return EXIT_USAGE
    except MtssError as exc:
        print(f"mtss: {_one_line(str(exc))}", file=err)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a file the command line names cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"mtss: {where}{exc.strerror or exc}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("mtss: interrupted", file=err)
        return 130
    except Exception as exc:  # a bug: one line, and how to see the traceback
        if os.environ.get("MTSS_DEBUG"):
            raise
        print(f"mtss: internal error ({type(exc).__name__}: {_one_line(str(exc))}); please "
              "report it; set MTSS_DEBUG=1 to see the traceback", file=err)
        return EXIT_USAGE


def _complete(parser: Parser) -> None:
    """Answer the shell's completion request (argcomplete, the ``completion`` extra)."""
    try:
        import argcomplete
    except ImportError:  # no completion without the extra: the shell gets nothing
        return
    argcomplete.autocomplete(parser)


def _one_line(text: str) -> str:
    return " ".join(text.split())
