"""The live state of one server instance, shared by the endpoints (``app.state.rt``).

Why one object: endpoints reach the database, keys, fault state and OTP sender through it, which keeps
them free of globals so several servers can run in one process (tests, demo mode).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from central_api.capacity import CapacityLimiter
from central_api.db import Wave, make_engine, make_sessionmaker, utcnow
from central_api.faults import FaultState
from central_api.keys import (
    DataDirError,
    ServerKeys,
    ensure_data_dir,
    load_admin_token,
    load_server_keys,
    write_secret,
)
from central_api.limits import SlidingWindowLimiter
from central_api.otp import OtpSender, OutboxFileSender
from central_api.settings import Settings

DIGEST_KEY_FILE = "contact-digest.key"


@dataclass(slots=True)
class Runtime:
    settings: Settings
    keys: ServerKeys
    admin_token: str
    engine: Engine
    sessions: sessionmaker[Any]
    faults: FaultState
    limiter: CapacityLimiter
    otp_sender: OtpSender
    outbox: OutboxFileSender
    digest_key: bytes
    enrol_limiter: SlidingWindowLimiter

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session


def _digest_key(settings: Settings) -> bytes:
    path = settings.data_dir / DIGEST_KEY_FILE
    if not path.exists():
        import secrets

        write_secret(path, secrets.token_bytes(32))
    return path.read_bytes()


def _seed_first_wave(runtime: Runtime) -> None:
    """A fresh server opens wave 1 for 30 days so a training office works from an empty data dir."""
    with runtime.session() as s:
        if s.execute(select(Wave.id).limit(1)).first() is None:
            now = utcnow()
            s.add(
                Wave(
                    number=1,
                    name="Gelombang 1",
                    opens_at=now - dt.timedelta(days=1),
                    closes_at=now + dt.timedelta(days=30),
                    quota=0,
                )
            )


def _private_file(path: Path) -> None:
    """Create ``path`` 0600 (or tighten it) before SQLite opens it: it holds decrypted registrations.

    Why here: SQLite creates its file with the process umask (often 0644), and its -wal/-shm files copy
    the main file's mode; in a data dir an office made by hand, every local account could read them.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError as exc:
        raise DataDirError(f"cannot create the database file {path} ({exc.strerror or exc})") from exc


def build_runtime(settings: Settings, otp_sender: OtpSender | None = None) -> Runtime:
    """Prepare the data dir, keys, database and shared state; raises DataDirError on bad dirs."""
    ensure_data_dir(settings.data_dir)
    keys = load_server_keys(settings.data_dir)
    admin_token = load_admin_token(settings.data_dir, settings.admin_token)
    if not settings.database_url:
        _private_file(settings.data_dir / "central.sqlite3")
    engine = make_engine(settings.resolved_database_url())
    outbox = OutboxFileSender(settings.data_dir)
    runtime = Runtime(
        settings=settings,
        keys=keys,
        admin_token=admin_token,
        engine=engine,
        sessions=make_sessionmaker(engine),
        faults=FaultState(settings.faults),
        limiter=CapacityLimiter(settings.max_concurrent, settings.max_concurrent_per_client),
        otp_sender=otp_sender or outbox,
        outbox=outbox,
        digest_key=_digest_key(settings),
        enrol_limiter=SlidingWindowLimiter(settings.enrol_attempts_per_minute, 60.0),
    )
    _seed_first_wave(runtime)
    return runtime
