"""Writing a user's file whole or not at all.

Every file the library writes for a user goes through :func:`atomic_write`: the new
content goes to a temporary file in the target's own folder, is flushed and fsynced, takes
the target's permissions, and is renamed over the target in one step.  A symlink is
written through (the file it points to is replaced, the link stays a link).  When anything
fails part-way (a full disk, a quota, a read-only folder, an error while producing the
content), the temporary file is removed, the original is left byte for byte as it was,
and a :class:`~mtss_core.errors.WriteError` names the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import WriteError

__all__ = ["atomic_write", "saved_bytes", "write_bytes", "write_text", "write_with"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _real_target(path: str | os.PathLike[str]) -> Path:
    """The file to replace: a symlink's target (followed, even dangling), else the path."""
    p = Path(path)
    if p.is_symlink():
        return Path(os.path.realpath(p))
    return p


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__


@contextlib.contextmanager
def _temporary(path: str | os.PathLike[str]) -> Iterator[tuple[Path, Path]]:
    """A temporary file beside ``path``'s real target; renamed over it when the block ends
    without an error, removed otherwise."""
    shown = os.fspath(path)
    target = _real_target(path)
    if target.is_dir():
        raise WriteError(shown, "it is a folder")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise WriteError(shown, _reason(exc)) from None
    os.close(fd)
    temp = Path(name)
    try:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        yield temp, target
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, WriteError):
            raise
        if isinstance(exc, OSError):
            raise WriteError(shown, _reason(exc)) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where we can
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], mode: str = "w", *,
                 encoding: str | None = "utf-8", newline: str | None = None
                 ) -> Iterator[IO[Any]]:
    """A file object whose content replaces ``path`` when the block ends, or never.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "layer.json"
    >>> _ = target.write_text("old")
    >>> try:
    ...     with atomic_write(target) as fh:
    ...         _ = fh.write("half a docu")
    ...         raise RuntimeError("the process was stopped")
    ... except RuntimeError:
    ...     pass
    >>> target.read_text()
    'old'
    >>> with atomic_write(target) as fh:
    ...     _ = fh.write("new")
    >>> target.read_text()
    'new'
    """
    binary = "b" in mode
    with _temporary(path) as (temp, _):
        # closed below, before the rename
        fh: IO[Any] = (open(temp, "wb") if binary  # noqa: SIM115
                       else open(temp, "w", encoding=encoding, newline=newline))  # noqa: SIM115
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fh.close()


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8",
               newline: str | None = "") -> None:
    """Write ``text`` to ``path`` atomically (line endings as given: ``newline=""`` writes
    them untranslated)."""
    with atomic_write(path, "w", encoding=encoding, newline=newline) as fh:
        fh.write(text)


def write_bytes(path: str | os.PathLike[str], data: bytes | Callable[[], bytes]) -> None:
    """Write ``data`` to ``path`` atomically (a callable is called inside the write, so
    a failure while making the bytes, such as a library's own temporary files on a full
    disk, is a :class:`~mtss_core.errors.WriteError` naming ``path`` too)."""
    with atomic_write(path, "wb") as fh:
        fh.write(data() if callable(data) else data)


def write_with(path: str | os.PathLike[str], save: Callable[[str], object]) -> None:
    """Atomically write a file that a library saves by name (``save(temporary_path)``, as
    openpyxl's ``Workbook.save`` does)."""
    with _temporary(path) as (temp, _):
        save(os.fspath(temp))
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def saved_bytes(save: Callable[[Any], object]) -> bytes:
    """What a library's ``save(file)`` writes, as bytes (a workbook is made whole in
    memory first: a failure while making it never reaches the disk, and a failure on the
    disk never leaves a half-written archive behind to complain as it is collected)."""
    import gc
    import io
    import sys

    buffer = io.BytesIO()
    try:
        save(buffer)
    except OSError as exc:  # the library's own temporary files: a full disk, a quota
        error = OSError(exc.errno, exc.strerror)
        exc.__traceback__ = None
        del exc
        hook = sys.unraisablehook  # its half-written streams complain as they are freed
        sys.unraisablehook = lambda _: None
        try:
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise error from None
    return buffer.getvalue()
