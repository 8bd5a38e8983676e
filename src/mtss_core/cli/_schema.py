"""``mtss schema``: the JSON Schema of the document format."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..io import schema_text
from ._common import EXIT_OK, add_output, output

NAME = "schema"
HELP = "print the JSON Schema of the document format"
DESCRIPTION = "Print the JSON Schema (draft 2020-12) of the document format."


def configure(p: argparse.ArgumentParser) -> None:
    add_output(p)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with output(args, out) as sink:
        sink.write(schema_text())
    return EXIT_OK
