"""``mtss completion``: the shell code that completes mtss commands and options."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..errors import MissingExtraError
from ._common import EXIT_OK

NAME = "completion"
HELP = "print the shell code that completes mtss commands (bash, zsh, fish)"
DESCRIPTION = ("Print the code that makes your shell complete mtss commands, options and "
               "choices (the completion extra: pip install 'mtss-core[completion]'). "
               "Add it to your shell's start-up file, e.g. "
               "eval \"$(mtss completion bash)\" in ~/.bashrc.")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("shell", choices=("bash", "zsh", "fish", "tcsh"),
                   help="the shell to complete in")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        from argcomplete.shell_integration import shellcode
    except ImportError:
        raise MissingExtraError("argcomplete", "completion", "Shell completion") from None
    out.write(shellcode(["mtss"], shell=args.shell))
    return EXIT_OK
