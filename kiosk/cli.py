"""The ``prakerja-kiosk`` command line, Qt-free.

Why split in :func:`build_parser` and :func:`run`: the console entry point (``ui.entry:main``) parses
with this parser, starts the GUI or the Qt self-test itself, and hands every headless subcommand to
:func:`run`, so ``sync``/``export``/``status`` work on a machine without a display or Qt libraries.

Bad input never shows a traceback: argparse errors become one line and exit code 2; operational
errors (bad settings, unwritable folder, unreachable API, damaged files) become one line saying what to
do, in Bahasa Indonesia and English, and exit code 1.

Exit codes: 0 success; 1 the command failed (or ``audit verify`` found tampering, or the self-test
found a blocking problem); 2 bad command line or settings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from kiosk.i18n import Message, UserFacingError

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # before logging is set up, never fall back to stderr tracebacks

PROG = "prakerja-kiosk"
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
CLI_OPERATOR = "cli"  # audit-log operator id for actions taken from the command line


class CliError(UserFacingError):
    """A command failed in a way the user can fix; ``message`` says how."""

    def __init__(self, message: Message, exit_code: int = EXIT_FAILED) -> None:
        self.message = message
        self.exit_code = exit_code
        super().__init__(message, message.en)


def _one_line(message: Message) -> str:
    text = f"{PROG}: {message.id} / {message.en}"
    return " ".join(text.split())


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (no usage dump, no traceback), exit code 2."""

    def error(self, message: str) -> NoReturn:
        hint = f"{self.prog} --help"
        self.exit(
            EXIT_USAGE,
            _one_line(
                Message(f"perintah tidak dikenali: {message}. Lihat {hint}.", f"{message}. See {hint}.")
            )
            + "\n",
        )


def build_parser() -> argparse.ArgumentParser:
    """The full command line: GUI flags (used by ``ui.entry``) and the headless subcommands."""
    parser = _Parser(
        prog=PROG,
        description="Kios pendaftaran Kartu Prakerja / Kartu Prakerja registration kiosk. "
        "Without a subcommand the kiosk window opens.",
    )
    parser.add_argument(
        "--demo", action="store_true", help="demo / training mode: local reference API, no setup"
    )
    parser.add_argument("--windowed", action="store_true", help="run in a window instead of full screen")
    parser.add_argument("--self-test", action="store_true", help="check this machine and print a report")
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help="settings file (default: platform config dir)"
    )
    parser.add_argument("--lang", choices=("id", "en"), help="first language shown (default from settings)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    export = sub.add_parser("export", help="write waiting sealed registrations to a file (USB stick)")
    export.add_argument("--to", type=Path, required=True, metavar="FILE", dest="to")
    imp = sub.add_parser("import", help="add the registrations of an export file to this kiosk's queue")
    imp.add_argument("file", type=Path, metavar="FILE")
    sub.add_parser("sync", help="deliver the queue now, headless (for a scheduled task)")
    sub.add_parser("status", help="print the queue statistics")

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(
        dest="audit_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    verify = audit_sub.add_parser("verify", help="check the audit log's hash chain")
    verify.add_argument(
        "--file", type=Path, metavar="FILE", help="audit log to check (default: this kiosk's)"
    )

    enrol = sub.add_parser("enrol", help="enrol this kiosk with a one-time code from the central API")
    enrol.add_argument("code", metavar="CODE")
    enrol.add_argument("--api", metavar="URL", help="central API URL (default: api.url from the settings)")
    enrol.add_argument(
        "--server-key-id",
        metavar="ID",
        help="the server key id Dinas IT published (16 hex digits); enrolment stops if the server's differs",
    )

    config = sub.add_parser("config", help="settings file tools")
    config_sub = config.add_subparsers(
        dest="config_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    init = config_sub.add_parser("init", help="write a commented settings file with every default")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    config_sub.add_parser("show", help="print the effective settings (file + environment)")
    config_sub.add_parser("check", help="validate the settings; exit 0 when they are usable")
    return parser


# --------------------------------------------------------------------------------------- context
class _Context:
    """What every command needs, built lazily so ``config check`` does not need a data dir."""

    def __init__(self, args: argparse.Namespace) -> None:
        from kiosk.paths import kiosk_paths

        self.args = args
        real = kiosk_paths()
        self.config_path: Path = args.config if getattr(args, "config", None) else real.config_file
        # `--demo status` / `--demo export …` act on the demo kiosk's queue, never the real one
        self.paths = real
        if getattr(args, "demo", False):
            from kiosk.paths import demo_paths

            self.paths = demo_paths(real)

    def config(self) -> Any:
        from kiosk.config import load_config

        return load_config(self.config_path)

    def outbox(self) -> Any:
        from offline_queue.outbox import Outbox

        self.paths.ensure()
        return Outbox(self.paths.outbox_file)

    passphrase: str | None = None
    """The staff passphrase once typed (enrol, or a locked device): kept in memory for this command."""

    def identity(self) -> Any:
        """The enrolled identity (None if not enrolled), asking for the staff passphrase on a terminal
        when the key is protected by one (never from the environment: issue 18)."""
        from kiosk import device

        try:
            return device.load(passphrase=self.passphrase, paths=self.paths)
        except device.DeviceLocked:
            if self.passphrase is not None or not sys.stdin.isatty():
                raise
        import getpass

        self.passphrase = getpass.getpass("Frasa sandi perangkat / device passphrase: ")
        return device.load(passphrase=self.passphrase, paths=self.paths)

    def audit(self, action: str, reference: str | None = None) -> None:
        """Append to the audit log, signed with the device key once enrolled (``kiosk.audit``)."""
        from kiosk import device
        from kiosk.audit import AuditLog

        identity = self.identity() if device.is_enrolled(self.paths) else None
        signer = identity.signing_key if identity is not None else None
        AuditLog(self.paths.audit_file, signer).append(CLI_OPERATOR, action, reference)


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _fmt_time(ts: float | None) -> str:
    if ts is None:
        return "-"
    return dt.datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


# -------------------------------------------------------------------------------------- commands
def _cmd_config(ctx: _Context) -> int:
    from kiosk.config import render_toml, write_default_config

    action = ctx.args.config_command
    if action == "init":
        path = write_default_config(ctx.config_path, force=ctx.args.force)
        _print(f"Berkas pengaturan ditulis / settings file written: {path}")
        return EXIT_OK
    config = ctx.config()
    if action == "check":
        where = ctx.config_path if ctx.config_path.exists() else f"{ctx.config_path} (absent: defaults)"
        _print(f"Pengaturan valid / settings valid: {where}")
        return EXIT_OK
    _print(f"# {ctx.config_path}{'' if ctx.config_path.exists() else ' (absent: defaults)'}")
    _print(render_toml(config))
    return EXIT_OK


def _cmd_audit(ctx: _Context) -> int:
    from kiosk.audit import verify, verify_kiosk

    path = ctx.args.file or ctx.paths.audit_file
    if ctx.args.file and not path.exists():
        raise CliError(Message(f"Berkas {path} tidak ada.", f"File {path} does not exist."))
    # This kiosk's own log: on an enrolled device a missing or unsigned log is a failure.
    report = verify(path) if ctx.args.file else verify_kiosk(path, ctx.paths.data_dir)
    summary = report.summary()
    _print(f"{summary.id} / {summary.en}")
    for problem in report.problems:
        _print(f"  line {problem.line}: {problem.kind}: {problem.detail}")
    return EXIT_OK if report.ok else EXIT_FAILED


def _api_client(url: str, config: Any) -> Any:
    try:
        from kiosk.api_client import ApiClient
    except ImportError:
        raise _not_available("kiosk.api_client") from None
    return ApiClient.for_settings(url, config.api)  # the configured pin on enrolment too (issue 18)


def _not_available(module: str) -> CliError:
    return CliError(
        Message(
            f"Perintah ini belum tersedia di versi ini ({module} tidak ada).",
            f"This command is not available in this build ({module} is missing).",
        )
    )


def _cmd_enrol(ctx: _Context) -> int:
    from kiosk import device

    config = ctx.config()
    url = (ctx.args.api or config.api.url or "").strip().rstrip("/")
    if not url:
        raise CliError(
            Message(
                "Alamat API belum diatur: jalankan prakerja-kiosk enrol KODE --api https://…",
                "No API URL set: run prakerja-kiosk enrol CODE --api https://…",
            ),
            EXIT_USAGE,
        )
    from kiosk.config import PLAIN_HTTP_REFUSED, config_from_mapping, url_transport_allowed

    if re.match(r"^https?://", url) and not url_transport_allowed(url):
        raise CliError(
            Message(
                f"Alamat API {url} memakai http:// tanpa enkripsi; gunakan https:// (http:// hanya untuk "
                "server di komputer ini: 127.0.0.1, localhost).",
                f"API address {url}: {PLAIN_HTTP_REFUSED}.",
            ),
            EXIT_USAGE,
        )
    try:
        url = config_from_mapping({"api": {"url": url}}).api.url
    except ValueError:
        raise CliError(
            Message(f"Alamat API tidak valid: {url}", f"Not a valid API URL: {url}"), EXIT_USAGE
        ) from None
    ctx.paths.ensure()
    from kiosk.api_client import ApiOffline, ApiTlsError

    ctx.passphrase = _enrolment_passphrase()
    client = _api_client(url, config)
    checked = _ServerKeyCheck(client, ctx.args.server_key_id)
    try:
        checked.before()
        identity = device.enrol(checked, ctx.args.code, passphrase=ctx.passphrase, paths=ctx.paths)
    except ApiTlsError as exc:
        if exc.code == "certificate_pin_mismatch":
            raise CliError(exc.message) from None
        raise CliError(
            Message(
                f"API {url} tidak terjangkau (TLS). Periksa alamat dan jaringan, lalu ulangi.",
                f"API {url} is unreachable (TLS). Check the address and the network, then retry.",
            )
        ) from None
    except ApiOffline as exc:
        kind = type(exc).__name__
        raise CliError(
            Message(
                f"API {url} tidak terjangkau ({kind}). Periksa alamat dan jaringan, lalu ulangi.",
                f"API {url} is unreachable ({kind}). Check the address and the network, then retry.",
            )
        ) from None
    finally:
        client.close()
    ctx.audit("device.enrol", identity.device_id)
    _print(
        f"Perangkat terdaftar / device enrolled: {identity.device_id} at {identity.api_url} "
        f"(key storage: {identity.storage})"
    )
    _print(
        f"ID kunci server / server key id: {checked.key_id}\n"
        "  Cocokkan dengan ID yang diumumkan Dinas IT / compare it with the id Dinas IT published."
    )
    return EXIT_OK


class _ServerKeyCheck:
    """Wraps the API client for :func:`kiosk.device.enrol`: remembers, and optionally checks, the key id.

    Why: enrolment is when the kiosk learns the server's envelope key; a man in the middle there
    (without a pin) could hand it his own. Staff compare the printed id with the one Dinas IT
    published, or give ``--server-key-id`` so the CLI compares: once via ``/v1/health`` *before* the
    one-time code is spent, and again on the key the enrolment answer carries, before it is stored.
    """

    def __init__(self, client: Any, expected: str | None) -> None:
        self.client = client
        self.base_url: str = client.base_url
        self.expected = expected.strip().lower() if expected else None
        self.key_id = "-"

    def _mismatch(self, actual: str) -> CliError:
        return CliError(
            Message(
                f"ID kunci server {actual} bukan {self.expected} yang diumumkan: jangan pakai server ini; "
                "hubungi Dinas IT.",
                f"The server key id {actual} is not the published {self.expected}: do not use this server; "
                "contact Dinas IT.",
            )
        )

    def before(self) -> None:
        if self.expected:
            actual = self.client.health().envelope_key_id.lower()
            if actual != self.expected:
                raise self._mismatch(actual)

    def enrol(self, code: str, device_public_key: Any) -> Any:
        from kiosk.envelope import key_id

        answer = self.client.enrol(code, device_public_key)
        self.key_id = key_id(answer.envelope_key())
        if self.expected and self.key_id != self.expected:
            raise self._mismatch(self.key_id)
        return answer


def _enrolment_passphrase() -> str | None:
    """No sealed storage here (no keyring, no TPM): staff choose the device passphrase on the terminal.

    ``None`` where sealed storage exists (or the test-only key file is allowed); without a terminal
    :func:`kiosk.device.enrol` then refuses with a message saying a passphrase is needed.
    """
    from kiosk import device

    if device.sealed_storage_name() is not None or device.key_file_allowed() or not sys.stdin.isatty():
        return None
    import getpass

    for _ in range(3):
        first = getpass.getpass(
            f"Frasa sandi perangkat baru (min. {device.MIN_PASSPHRASE_CHARS} karakter) / "
            "new device passphrase: "
        )
        if len(first) < device.MIN_PASSPHRASE_CHARS:
            _print(f"Terlalu pendek / too short (min. {device.MIN_PASSPHRASE_CHARS}).")
            continue
        if getpass.getpass("Ulangi / repeat: ") == first:
            return first
        _print("Tidak sama / does not match.")
    return None


def _cmd_status(ctx: _Context) -> int:
    from kiosk import device

    ctx.config()
    outbox = ctx.outbox()
    stats = outbox.stats()
    counts = ", ".join(f"{k}={v}" for k, v in sorted(stats.counts.items()))
    device_line = "not enrolled"
    if device.is_enrolled(ctx.paths):
        import json

        try:
            record = json.loads((ctx.paths.data_dir / device.IDENTITY_FILE).read_text())
            device_line = f"{record.get('device_id')} at {record.get('api_url')}"
        except (OSError, ValueError):
            device_line = "identity file unreadable"
    oldest = f"{stats.oldest_waiting_age_s:.0f} s" if stats.oldest_waiting_age_s is not None else "-"
    lines = [
        f"device:            {device_line}",
        f"waiting:           {stats.waiting}",
        f"delivered today:   {stats.delivered_today}",
        f"by state:          {counts}",
        f"oldest waiting:    {oldest}",
        f"bytes waiting:     {stats.bytes_waiting}",
        f"last success:      {_fmt_time(stats.last_success_at)}",
        f"last error:        {stats.last_error or '-'} ({_fmt_time(stats.last_error_at)})",
        f"next attempt:      {_fmt_time(stats.next_attempt_at)}",
    ]
    if stats.auth_error:
        lines.append(f"uploads stopped:   server refused the device: {stats.auth_error}")
    rec = outbox.last_recovery()
    if rec is not None:
        en, id_text = rec.words()
        lines.append(f"outbox recovery:   {en} ({_fmt_time(rec.at)})")
        lines.append(f"pemulihan antrean: {id_text}")
    _print("\n".join(lines))
    return EXIT_OK


def _cmd_export(ctx: _Context) -> int:
    ctx.config()
    target: Path = ctx.args.to
    if target.exists():
        raise CliError(
            Message(
                f"Berkas {target} sudah ada; pilih nama lain.",
                f"File {target} already exists; choose another name.",
            )
        )
    count = ctx.outbox().export_to(target)
    ctx.audit("queue.export")
    _print(f"{count} pendaftaran tersegel diekspor / sealed registrations exported to {target}")
    return EXIT_OK


def _cmd_import(ctx: _Context) -> int:
    ctx.config()
    source: Path = ctx.args.file
    if not source.is_file():
        raise CliError(Message(f"Berkas {source} tidak ada.", f"File {source} does not exist."))
    from kiosk.queue_import import ImportRefused, import_queue_file, rejected_in_words

    try:
        report = import_queue_file(ctx.outbox(), source, ctx.paths)
    except ImportRefused as exc:
        raise CliError(exc.message) from None
    ctx.audit("queue.import")
    _print(
        f"diimpor / imported: {len(report.imported)}, sudah ada / already known: {len(report.skipped_known)}, "
        f"konflik / conflicts: {len(report.conflicts)}, ditolak / refused: {len(report.rejected)}"
    )
    if report.rejected:
        words = rejected_in_words(report)
        _print(f"{words.id}\n{words.en}")
    return EXIT_OK if not (report.conflicts or report.rejected) else EXIT_FAILED


def _drain_with_renewal(ctx: _Context, config: Any, identity: Any) -> Any:
    """Drain the outbox; after a refused token, renew it over the signed channel once and go on
    (``kiosk.token_renewal``: field laptops that only run the scheduled ``sync`` renew too)."""
    from kiosk.http_transport import HttpTransport
    from kiosk.token_renewal import REVOKED, TokenRenewer
    from offline_queue.policy import RetryPolicy
    from offline_queue.sync import SyncEngine

    outbox = ctx.outbox()
    from kiosk.audit import head_header

    audit_file = ctx.paths.audit_file
    transport = HttpTransport(
        identity.api_url,
        identity.token,
        pin_sha256=config.api.pin_sha256,
        audit_head=lambda: head_header(audit_file),  # like the window's sync: the API sees a cut log
    )
    policy = RetryPolicy(
        base_s=config.sync.backoff_base_s,
        cap_s=config.sync.backoff_cap_s,
        concurrency=config.sync.concurrency,
        poll_s=config.sync.interval_s,
    )
    engine = SyncEngine(outbox, transport, policy=policy)
    try:
        report = engine.drain()
        renewer = TokenRenewer(identity, _api_client(identity.api_url, config), ctx.paths)
        if report.auth_required or renewer.due():
            outcome = renewer.check(refused=report.auth_required)
            if outcome == "revoked":
                raise CliError(REVOKED)
            if outcome == "renewed":
                transport.token = renewer.identity.token
                engine.clear_auth()
                report = engine.drain()
    finally:
        transport.close()
        outbox.close()
    return report


def _cmd_sync(ctx: _Context) -> int:
    config = ctx.config()
    identity = ctx.identity()
    if identity is None:
        raise CliError(
            Message(
                "Perangkat belum terdaftar: jalankan prakerja-kiosk enrol KODE --api URL.",
                "This device is not enrolled: run prakerja-kiosk enrol CODE --api URL.",
            )
        )
    try:
        # Checked here so a missing module is a clear CLI error rather than a traceback.
        import kiosk.http_transport  # noqa: F401
        import offline_queue.sync  # noqa: F401
    except ImportError as exc:
        raise _not_available(exc.name or "sync") from None
    from kiosk.instance_lock import AlreadyRunning, InstanceLock

    # One process per data dir (issue 19): a running kiosk delivers its own queue; do not race it.
    try:
        lock = InstanceLock(ctx.paths.data_dir, "sync").acquire()
    except AlreadyRunning as exc:
        pid = exc.owner.get("pid", "?")
        _print(
            f"Kios sedang berjalan (proses {pid}) dan mengirim antreannya sendiri; sync dilewati. / "
            f"The kiosk is running (process {pid}) and delivers its queue itself; sync skipped."
        )
        return EXIT_OK
    try:
        report = _drain_with_renewal(ctx, config, identity)
    finally:
        lock.release()
    _print(
        f"terkirim / delivered: {report.delivered}, gagal / failed: {report.failed}, "
        f"perlu perhatian / needs attention: {report.attention}, menunggu / waiting: {report.waiting}"
    )
    if report.auth_required:
        raise CliError(
            Message(
                "Server menolak token perangkat: daftarkan ulang dengan prakerja-kiosk enrol KODE.",
                "The server refused the device token: enrol again with prakerja-kiosk enrol CODE.",
            )
        )
    if report.offline:
        raise CliError(
            Message(
                f"API {identity.api_url} tidak terjangkau; data tetap aman di antrean. Periksa jaringan lalu coba lagi.",
                f"API {identity.api_url} is unreachable; the data stays safe in the queue. Check the network and retry.",
            )
        )
    return EXIT_OK


_COMMANDS: dict[str, Callable[[_Context], int]] = {
    "config": _cmd_config,
    "audit": _cmd_audit,
    "enrol": _cmd_enrol,
    "status": _cmd_status,
    "export": _cmd_export,
    "import": _cmd_import,
    "sync": _cmd_sync,
}


def _self_test(ctx: _Context) -> int:
    from kiosk.selftest import exit_code, render_report, run_checks

    results = run_checks(ctx.config_path, paths=ctx.paths)
    _print(render_report(results))
    return exit_code(results)


def _error_message(exc: BaseException) -> tuple[Message, int] | None:
    """The user-facing message and exit code for an error we know, else ``None``."""
    from kiosk.audit import AuditError
    from kiosk.config import ConfigError
    from kiosk.device import DeviceError
    from kiosk.paths import DirectoryError

    if isinstance(exc, CliError):
        return exc.message, exc.exit_code
    if isinstance(exc, ConfigError):
        return exc.message, EXIT_USAGE
    if isinstance(exc, DirectoryError | DeviceError | AuditError):
        return exc.message, EXIT_FAILED
    if isinstance(exc, UserFacingError):  # API client, envelope, outbox: words for people, one way
        return exc.message, EXIT_FAILED
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return (
            Message(
                f"Kesalahan berkas atau jaringan{where}: {exc.strerror or exc}.",
                f"File or network error{where}: {exc.strerror or exc}.",
            ),
            EXIT_FAILED,
        )
    return None


def _setup_logging(ctx: _Context) -> None:
    from kiosk.logging_setup import install_excepthook, setup_logging

    try:
        config = ctx.config()
        ctx.paths.ensure()
        setup_logging(
            ctx.paths.log_dir,
            level=config.logging.level,
            max_bytes=config.logging.max_bytes,
            backup_count=config.logging.backup_count,
        )
        install_excepthook()
    except Exception:  # noqa: S110 - the command itself reports config/dir errors in one line
        pass


def run(args: argparse.Namespace) -> int:
    """Run a headless subcommand (or the Qt-free self-test); returns the exit code, never raises."""
    ctx = _Context(args)
    command = getattr(args, "command", None)
    if command not in ("config", None):
        _setup_logging(ctx)
    try:
        if command is None:
            if getattr(args, "self_test", False):
                return _self_test(ctx)
            raise CliError(
                Message(
                    "Jendela kios dibuka oleh prakerja-kiosk (ui.entry); perintah ini hanya untuk mode tanpa layar.",
                    "The kiosk window is started by prakerja-kiosk (ui.entry); this command line is headless only.",
                ),
                EXIT_USAGE,
            )
        if command in ("export", "import"):
            from kiosk import device

            if device.is_enrolled(ctx.paths):
                ctx.identity()  # audited with the device key: unlock it before anything is written
        return _COMMANDS[command](ctx)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        known = _error_message(exc)
        if known is None:
            log.exception("command %s failed", command)
            known = (
                Message(
                    f"Perintah {command} gagal tanpa diduga ({type(exc).__name__}); lihat berkas log.",
                    f"Command {command} failed unexpectedly ({type(exc).__name__}); see the log file.",
                ),
                EXIT_FAILED,
            )
        else:
            log.info("command %s failed: %s", command, type(exc).__name__)
        message, code = known
        from kiosk.logging_setup import scrub

        sys.stderr.write(scrub(_one_line(message)) + "\n")
        return code


def main(argv: Sequence[str] | None = None) -> int:
    """Headless entry (``python -m kiosk.cli``): parse and :func:`run`. The GUI starts from ``ui.entry``."""
    from kiosk.logging_setup import CLI_PROCESS, set_process_name

    set_process_name(CLI_PROCESS)  # its own log file: Windows cannot rotate one the window holds open
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # --help, or the one-line usage error already printed
        return int(exc.code) if isinstance(exc.code, int) else EXIT_USAGE
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
