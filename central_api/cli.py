"""``prakerja-central-api``: run the reference central API.

Why our own error path: bad input (unknown flag, port in use, unwritable data dir, unreachable
database) must give one line saying what to do and exit ≠ 0, never a traceback — this server is run
by trainers, not only developers.

Why these deployment rules (issue 18, item 15):
- A bind to anything but loopback needs TLS (``--tls-cert``/``--tls-key``) or ``--behind-tls-proxy``,
  which prints a loud warning: device tokens, operator PINs and OTP codes must never cross a network
  in clear, and a server reachable in clear on an office LAN is how that happens by accident.
- Admin routes and the interactive docs are served on a second listener (``--admin-host``, loopback by
  default; ``--admin-port``, default the public port + 1), never on the public one.
- The admin token comes from a file (``--admin-token-file``, or ``DATA_DIR/admin-token``), never from
  the command line, where every local user can read it in ``ps``.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import socket
import sys
import threading
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
        prog=PROG,
        description="Reference central API for the Prakerja kiosk (training, demo, tests).",
        allow_abbrev=False,  # "--admin-token SECRET" must not pass as an abbreviation of --admin-token-file
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    p.add_argument(
        "--data-dir", type=Path, required=True, help="keys, admin token, SQLite database, OTP outbox"
    )
    p.add_argument("--database-url", help="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db")
    p.add_argument(
        "--admin-token-file",
        type=Path,
        help="file holding the admin token (default: DATA_DIR/admin-token, made on first start)",
    )
    p.add_argument("--admin-host", default="127.0.0.1", help="admin listener address (default 127.0.0.1)")
    p.add_argument(
        "--admin-port",
        type=int,
        help="admin listener port (default: --port + 1, or a free one with --port 0)",
    )
    p.add_argument("--tls-cert", type=Path, help="TLS certificate chain (PEM) for both listeners")
    p.add_argument("--tls-key", type=Path, help="TLS private key (PEM)")
    p.add_argument(
        "--behind-tls-proxy",
        action="store_true",
        help="serve plain HTTP on a non-loopback address because a TLS proxy fronts it (warns loudly)",
    )
    p.add_argument(
        "--enrol-rate", type=int, default=10, help="enrolment attempts per client per minute (0 = no limit)"
    )
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
        enrol_attempts_per_minute=max(0, args.enrol_rate),
        faults=faults,
        max_concurrent=max(0, args.max_concurrent),
        max_concurrent_per_client=max(0, args.max_concurrent_per_client),
    )


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: the only addresses served in clear without a TLS proxy."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _read_admin_token(path: Path) -> str:
    """The token in ``path`` (stripped); ``ValueError`` with the reason when it cannot be used."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(
            f"cannot read --admin-token-file {path} ({getattr(exc, 'strerror', None) or exc})"
        ) from exc
    if len(token) < 16 or any(ch.isspace() for ch in token):
        raise ValueError(f"--admin-token-file {path} must hold one token of at least 16 characters")
    return token


def _tls_problem(args: argparse.Namespace) -> str | None:
    """Why the TLS options cannot be used, or None."""
    if bool(args.tls_cert) != bool(args.tls_key):
        return "give both --tls-cert and --tls-key"
    for flag, path in (("--tls-cert", args.tls_cert), ("--tls-key", args.tls_key)):
        if path is not None and not path.is_file():
            return f"{flag} {path} is not a readable file"
    if args.tls_cert:
        import ssl

        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(args.tls_cert, args.tls_key)
        except (ssl.SSLError, OSError) as exc:
            return f"cannot load --tls-cert/--tls-key ({exc})"
    return None


def _bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


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
    admin_port = args.admin_port if args.admin_port is not None else (args.port + 1 if args.port else 0)
    if not 0 <= admin_port <= 65535:
        return _fail(f"admin port {admin_port} is out of range 0–65535; choose --admin-port", 2)
    problem = _tls_problem(args)
    if problem:
        return _fail(problem, 2)
    tls = bool(args.tls_cert)
    for flag, host in (("--host", args.host), ("--admin-host", args.admin_host)):
        if not tls and not is_loopback(host) and not args.behind_tls_proxy:
            return _fail(
                f"{flag} {host} is not loopback: give --tls-cert and --tls-key, or --behind-tls-proxy "
                "when a TLS proxy fronts this server",
                2,
            )
    if args.admin_token_file is not None:
        try:
            args.admin_token = _read_admin_token(args.admin_token_file)
        except ValueError as exc:
            return _fail(str(exc), 2)
    else:
        args.admin_token = None
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

    if args.behind_tls_proxy and not tls:
        print(
            f"{PROG}: WARNING: serving plain HTTP; a TLS proxy MUST front every non-loopback listener, "
            "or device tokens, PINs and OTP codes cross the network in clear",
            file=sys.stderr,
            flush=True,
        )
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        return _fail(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror}); choose another --port or --host"
        )
    try:
        admin_sock = _bind(args.admin_host, admin_port)
    except OSError as exc:
        sock.close()
        return _fail(
            f"cannot listen on {args.admin_host}:{admin_port} ({exc.strerror}); choose another --admin-port"
        )
    port, admin_port = sock.getsockname()[1], admin_sock.getsockname()[1]
    scheme = "https" if tls else "http"
    tls_kwargs = {"ssl_certfile": str(args.tls_cert), "ssl_keyfile": str(args.tls_key)} if tls else {}
    print(
        f"{PROG}: listening on {scheme}://{args.host}:{port} (data dir {settings.data_dir})",
        file=sys.stderr,
        flush=True,
    )
    print(
        f"{PROG}: admin listening on {scheme}://{args.admin_host}:{admin_port} (admin routes and /docs)",
        file=sys.stderr,
        flush=True,
    )
    admin_server = uvicorn.Server(
        uvicorn.Config(
            create_app(runtime, surface="admin"),
            log_level=args.log_level,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=2,
            **tls_kwargs,  # type: ignore[arg-type]
        )
    )
    admin_thread = threading.Thread(
        target=admin_server.run, kwargs={"sockets": [admin_sock]}, name="central-api-admin", daemon=True
    )
    admin_thread.start()
    config = uvicorn.Config(
        create_app(runtime, surface="public"),
        log_level=args.log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
        **tls_kwargs,  # type: ignore[arg-type]
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        admin_server.should_exit = True
        admin_thread.join(5)
        sock.close()
        admin_sock.close()
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
