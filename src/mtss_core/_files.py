"""Reading files safely: regular files only, bounded, whatever the path points to."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Protocol

from .errors import DocumentError

__all__ = ["read_file"]


class _Bounded(Protocol):
    @property
    def max_bytes(self) -> int: ...


def read_file(path: Path, source: str, limits: _Bounded, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file, refusing devices, FIFOs and anything over the limit.

    The size is checked on the open file (so a symbolic link to ``/dev/zero`` or a file
    that grows is bounded too); with ``follow_links=False`` a symbolic link is refused
    (the files of an export folder must be the folder's own).
    """
    name = os.fspath(path)
    if "\0" in name:
        raise _file_error(source, "the path holds a NUL character; no file can be named so")
    try:
        name.encode(sys.getfilesystemencoding(), "surrogateescape")
    except UnicodeEncodeError:
        raise _file_error(source, "the path holds characters the file system cannot name "
                                  "(a lone surrogate)") from None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        if path.is_symlink():
            raise _file_error(source, "is a symbolic link; the files of an export folder must "
                                      "be regular files inside it")
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _file_error(source, f"cannot read the file: {exc.strerror}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):  # checked before Python wraps it: a folder opens
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, a pipe or a socket"
        raise _file_error(source, f"is {what}, not a regular file")
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > limits.max_bytes:
            raise _file_error(source, f"the file is {info.st_size} bytes; the limit is "
                                      f"{limits.max_bytes} (Limits.max_bytes)")
        try:  # ask for what the file holds (a read of the limit would reserve it all)
            data = fh.read(min(info.st_size, limits.max_bytes) + 1)
            if len(data) > info.st_size:  # it grew while being read: read on, bounded
                data += fh.read(limits.max_bytes + 1 - len(data))
        except OSError as exc:
            raise _file_error(source, f"cannot read the file: {exc.strerror}") from None
    if len(data) > limits.max_bytes:
        raise _file_error(source, f"the file is larger than the limit of {limits.max_bytes} "
                                  "bytes (Limits.max_bytes)")
    return data


def _file_error(source: str, message: str) -> DocumentError:
    return DocumentError.single(source, message)
