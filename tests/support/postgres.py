"""A throw-away PostgreSQL cluster on a loopback port (``pytest --postgres`` and ``bench.surge``).

Why Debian's real server rather than an embedded substitute: the claim under test is "the reference API
runs on PostgreSQL", so the proof must use the same server a pilot would. The cluster lives in a temp
dir (data, unix socket and log), listens on 127.0.0.1 only, trusts local connections (nothing but the
test can reach it), and is stopped with ``-m immediate`` because its data is thrown away.

As root, ``initdb``/``pg_ctl`` refuse to run, so they run as the ``postgres`` system user via
``runuser`` (the temp dir is handed to that user).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

INSTALL_HINT = "install Debian's PostgreSQL server: apt-get install -y postgresql"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are missing or the cluster did not start (message says which)."""


def _bin(name: str) -> str:
    """Path of a server program: PATH first, then Debian's versioned ``/usr/lib/postgresql/*/bin``."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    raise PostgresUnavailable(f"{name} not found; {INSTALL_HINT}")


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresCluster:
    """``initdb`` + ``pg_ctl start`` in a fresh temp dir; :meth:`new_database_url` per server under test."""

    def __init__(self, *, settings: Sequence[str] = (), prefix: str = "prakerja-pg-") -> None:
        self._settings = list(settings)
        self._prefix = prefix
        self.base: Path | None = None
        self.port = 0
        self._counter = 0
        self._as: list[str] = []

    # ------------------------------------------------------------------------------ life cycle
    def start(self) -> PostgresCluster:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        # Not under pytest's 0700 temp root: the cluster may have to run as the ``postgres`` user.
        self.base = Path(tempfile.mkdtemp(prefix=self._prefix))
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.base, "postgres")
        self.port = free_port()
        data = self.base / "pgdata"
        options = " ".join(
            [
                f"-p {self.port}",
                f"-k {self.base}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",  # throw-away data: durability of the test cluster is not under test
                *(f"-c {s}" for s in self._settings),
            ]
        )
        try:
            self._run([initdb, "-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", str(data)])
            self._run(
                [pg_ctl, "-D", str(data), "-w", "-l", str(self.base / "pg.log"), "-o", options, "start"]
            )
        except subprocess.CalledProcessError as exc:
            log = self.base / "pg.log"
            detail = (exc.stderr or b"").decode(errors="replace").strip()
            if log.exists():
                detail += "\n" + log.read_text(errors="replace")[-2000:]
            self.stop()
            raise PostgresUnavailable(f"PostgreSQL did not start: {detail}") from None
        return self

    def _run(self, cmd: list[str]) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        """Stop the server at once and delete its temp dir (safe to call twice)."""
        if self.base is None:
            return
        data = self.base / "pgdata"
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [*self._as, _bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------------------- databases
    @property
    def conninfo(self) -> str:
        """libpq connection string of the maintenance database."""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"

    def new_database_url(self, name: str | None = None) -> str:
        """Create an empty database and return its SQLAlchemy URL (``postgresql+psycopg://…``)."""
        import psycopg

        self._counter += 1
        name = name or f"central_{self._counter}"
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # name is ours, not outside input
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
