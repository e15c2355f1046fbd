"""``prakerja-central-api``: run the reference central API.

Why our own error path: bad input (unknown flag, port in use, unwritable data dir, unreachable
database) must give one line saying what to do and exit ≠ 0, never a traceback — this server is run
by trainers, not only developers.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from central_api.settings import Settings

PROG = "prakerja-central-api"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message} (see {PROG} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=PROG, description="Reference central API for the Prakerja kiosk (training, demo, tests)."
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    p.add_argument(
        "--data-dir", type=Path, required=True, help="keys, admin token, SQLite database, OTP outbox"
    )
    p.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db")
    p.add_argument("--admin-token", help="admin token (default: stored in DATA_DIR/admin-token)")
    p.add_argument("--max-concurrent", type=int, default=0, help="503 beyond N requests in flight (0 = off)")
    p.add_argument("--max-concurrent-per-client", type=int, default=0, help="same, per device/IP")
    p.add_argument(
        "--create-enrolment-codes", type=int, metavar="N", help="print N one-time enrolment codes and exit"
    )
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    f = p.add_argument_group("fault injection (tests and training)")
    f.add_argument("--fault-seed", type=int, default=0)
    f.add_argument("--latency-ms", type=int, default=0)
    f.add_argument("--latency-jitter-ms", type=int, default=0)
    f.add_argument("--error-rate", type=float, default=0.0, help="probability of a 5xx")
    f.add_argument("--error-status", type=int, default=500)
    f.add_argument("--rate-limit-rate", type=float, default=0.0, help="probability of a 429")
    f.add_argument("--rate-limit-burst", type=int, default=0, help="first N requests get 429")
    f.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds on 429/503")
    f.add_argument("--drop-rate", type=float, default=0.0, help="probability of a reply cut mid-body")
    f.add_argument("--drop-burst", type=int, default=0)
    f.add_argument("--captive-portal", action="store_true", help="answer everything 200 text/html")
    return p


def _settings(args: argparse.Namespace) -> Settings:
    from central_api.faults import FaultConfig
    from central_api.settings import Settings

    faults = FaultConfig(
        seed=args.fault_seed,
        latency_ms=args.latency_ms,
        latency_jitter_ms=args.latency_jitter_ms,
        error_rate=args.error_rate,
        error_status=args.error_status,
        rate_limit_rate=args.rate_limit_rate,
        rate_limit_burst=args.rate_limit_burst,
        retry_after=args.retry_after,
        drop_rate=args.drop_rate,
        drop_burst=args.drop_burst,
        captive_portal=args.captive_portal,
    )
    return Settings(
        data_dir=args.data_dir,
        database_url=args.database_url,
        admin_token=args.admin_token,
        faults=faults,
        max_concurrent=max(0, args.max_concurrent),
        max_concurrent_per_client=max(0, args.max_concurrent_per_client),
    )


def _fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code. Heavy imports wait until the arguments are known good."""
    args = build_parser().parse_args(argv)
    from pydantic import ValidationError
    from sqlalchemy.exc import SQLAlchemyError

    from central_api.keys import DataDirError

    if not 0 <= args.port <= 65535:
        return _fail(f"port {args.port} is out of range 0–65535", 2)
    try:
        settings = _settings(args)
    except ValidationError as exc:
        first = exc.errors()[0]
        return _fail(f"bad fault option {'.'.join(map(str, first['loc']))}: {first['msg']}", 2)

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    import uvicorn

    from central_api.app import create_app
    from central_api.runtime import build_runtime

    try:
        runtime = build_runtime(settings)
    except DataDirError as exc:
        return _fail(f"{exc}; choose a writable --data-dir")
    except SQLAlchemyError as exc:
        return _fail(f"cannot open the database ({type(exc).__name__}); check --database-url")
    if args.create_enrolment_codes:
        return _print_codes(runtime, args.create_enrolment_codes)

    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        return _fail(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror}); choose another --port or --host"
        )
    port = sock.getsockname()[1]
    app = create_app(runtime)
    print(
        f"{PROG}: listening on http://{args.host}:{port} (data dir {settings.data_dir})",
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(app, log_level=args.log_level, access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def _print_codes(runtime: object, count: int) -> int:
    import datetime as dt

    from central_api.db import EnrolmentCode, utcnow
    from central_api.runtime import Runtime
    from central_api.security import digest, new_enrolment_code

    assert isinstance(runtime, Runtime)
    if not 1 <= count <= 100:
        return _fail("--create-enrolment-codes takes 1–100", 2)
    now = utcnow()
    expires = now + dt.timedelta(hours=runtime.settings.enrolment_code_ttl_hours)
    codes = [new_enrolment_code() for _ in range(count)]
    with runtime.session() as s:
        for code in codes:
            s.add(EnrolmentCode(code_hash=digest(code), label="cli", created_at=now, expires_at=expires))
    for code in codes:
        print(code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
