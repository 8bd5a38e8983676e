"""``mtss example``: the bundled example document, to start from."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..io import example_path, example_text
from ._common import EXIT_OK, add_output, output

NAME = "example"
HELP = "print the bundled example document"
DESCRIPTION = "Print the bundled example document (JSON) to start from."


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--path", action="store_true", help="print its path instead")
    add_output(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with output(args, out) as sink:
        sink.write(f"{example_path()}\n" if args.path else example_text())
    return EXIT_OK
