"""Qt-free self-test: can the kiosk run on this machine?

Why structured results: the same checks feed ``prakerja-kiosk --self-test`` (printed report and exit
code, also run by CI against the PyInstaller bundle) and the operator console. The GUI adds its own Qt
checks (platform plugin, multimedia, text-to-speech, cameras) to the list and prints the combined
report with :func:`render_report`.

Exit-code rule (:func:`exit_code`): 0 when every *required* check passed. Checks that only limit the
kiosk (API unreachable — it is offline-first; no keyring, so a staff passphrase is asked; low but not
critical disk space) are reported as warnings and do not fail the test. A device key kept next to its
own secret (the old fallback) fails it.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.paths import DirectoryError, KioskPaths, ensure_dir, kiosk_paths

MIN_FREE_BYTES = 200 * 1024 * 1024  # below this the kiosk cannot promise to queue a day of photos
WARN_FREE_BYTES = 1024 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: ``ok`` False with ``required`` False is a warning, not a failure."""

    name: str
    ok: bool
    detail: str
    required: bool = True


def check_data_dir(paths: KioskPaths) -> CheckResult:
    """The data dir exists (0700) and a file can be created, synced and removed there."""
    try:
        ensure_dir(paths.data_dir)
        fd, name = tempfile.mkstemp(prefix=".selftest-", dir=paths.data_dir)
        try:
            os.write(fd, b"ok")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(name)
    except (DirectoryError, OSError) as exc:
        return CheckResult("data dir writable", False, f"{paths.data_dir}: {exc}")
    return CheckResult("data dir writable", True, str(paths.data_dir))


def check_config(config_path: Path | None, paths: KioskPaths) -> tuple[CheckResult, KioskConfig | None]:
    """The settings file (if any) and environment overrides are valid."""
    path = config_path or paths.config_file
    try:
        config = load_config(path)
    except ConfigError as exc:
        return CheckResult("config valid", False, exc.message.en), None
    where = str(path) if path.exists() else f"{path} (absent: defaults)"
    return CheckResult("config valid", True, where), config


def check_keyring() -> CheckResult:
    """Which sealed storage a new enrolment would use here; none means a staff passphrase (warning)."""
    from kiosk.device import ENV_ALLOW_KEY_FILE, key_file_allowed, keyring_backend_name, sealed_storage_name

    sealed = sealed_storage_name()
    if sealed is not None:
        return CheckResult("keyring backend", True, sealed)
    if key_file_allowed():
        return CheckResult(
            "keyring backend",
            False,
            f"no sealed storage and {ENV_ALLOW_KEY_FILE}=1: enrolment would fall back to a key file next "
            "to its own secret (a stolen disk gives up the device key). Unset it; use a keyring, a TPM "
            "or a staff passphrase",
        )
    try:
        name = keyring_backend_name()
    except Exception as exc:  # keyring discovery itself failed
        name = type(exc).__name__
    return CheckResult(
        "keyring backend",
        False,
        f"no OS keyring ({name}) or TPM: enrolment and every start ask for the staff passphrase",
        required=False,
    )


def check_device_key(paths: KioskPaths) -> CheckResult:
    """How the enrolled device's key is protected; a key file next to its own secret fails.

    Why a failure and not a warning (issue 18): with ``machine.secret`` beside ``device-secrets.enc``
    a stolen laptop gives up the device key and the API token. Demo mode's own device may use one: it
    only ever holds training data, and the report says so.
    """
    from kiosk.device import DeviceCorrupt, protection
    from kiosk.paths import demo_paths

    try:
        kind = protection(paths)
    except DeviceCorrupt as exc:
        return CheckResult("device key", False, exc.message.en)
    try:
        demo_kind = protection(demo_paths(paths))
    except DeviceCorrupt:
        demo_kind = None
    demo_note = (
        "; demo device: demo-only key file next to its secret (training data only, never real registrations)"
        if demo_kind in ("demo-key-file", "key-file")
        else ""
    )
    if kind is None:
        return CheckResult("device key", True, "not enrolled" + demo_note)
    if kind == "key-file":
        return CheckResult(
            "device key",
            False,
            "kept in a key file next to its own secret (machine.secret): a stolen disk gives up the "
            "device key and API token. Enrol again on a machine with a keyring or TPM, or with a staff "
            "passphrase" + demo_note,
        )
    details = {
        "keyring": "in the OS keyring",
        "systemd-creds": "sealed to this machine's TPM (systemd-creds)",
        "passphrase": "encrypted under the staff passphrase (asked at every start)",
        "demo-key-file": "demo-only key file next to its secret (training data only)",
    }
    return CheckResult("device key", True, details[kind] + demo_note)


def check_hardening() -> CheckResult:
    """Core dumps / crash dumps off for this process (``kiosk.platform_guard``); a warning if not."""
    from kiosk.platform_guard import harden_process

    result = harden_process()
    if result.ok:
        return CheckResult("core dumps off", True, ", ".join(result.done))
    return CheckResult(
        "core dumps off",
        False,
        f"could not apply {', '.join(result.failed) or 'anything'}: a crash may leave a dump with "
        "applicants' data and the device key",
        required=False,
    )


def check_crypto() -> CheckResult:
    """Seal and open an envelope with throwaway keys (or the bare primitives if no envelope module)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    try:
        envelope = importlib.import_module("kiosk.envelope")
    except ImportError:
        envelope = None
    try:
        device_key = Ed25519PrivateKey.generate()
        server_key = X25519PrivateKey.generate()
        if envelope is None:
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM

            signature = device_key.sign(b"self-test")
            device_key.public_key().verify(signature, b"self-test")
            shared = server_key.exchange(X25519PrivateKey.generate().public_key())
            nonce = os.urandom(12)
            assert AESGCM(shared).decrypt(nonce, AESGCM(shared).encrypt(nonce, b"x", None), None) == b"x"
            return CheckResult("crypto", True, "Ed25519, X25519, AES-GCM (no envelope module)")
        sid = str(uuid.uuid4())
        blob = envelope.seal(
            {"self_test": True},
            {"a.bin": b"\x00\x01"},
            submission_id=sid,
            device_id="self-test",
            device_key=device_key,
            server_key=server_key.public_key(),
        )
        opened = envelope.open_envelope(
            blob,
            expected_submission_id=sid,
            server_key=server_key,
            device_public_key_lookup=lambda _device: device_key.public_key(),
        )
        if opened.attachments != {"a.bin": b"\x00\x01"}:
            return CheckResult("crypto", False, "envelope round trip returned other content")
    except Exception as exc:  # any failure here means the crypto backend is broken on this machine
        return CheckResult("crypto", False, f"{type(exc).__name__}: {exc}")
    return CheckResult("crypto", True, f"envelope seal/open round trip ({envelope.ALGORITHM})")


def check_api(api_url: str, timeout_s: float, pin_sha256: str | None = None) -> CheckResult:
    """The API's health endpoint answers; unreachable is a warning (the kiosk queues offline).

    Over the same pinned session as every other call (``pin_sha256`` from ``api.pin_sha256``), so a
    wrong certificate shows here as it would on an upload.
    """
    if not api_url:
        return CheckResult(
            "API reachable", False, "no API URL configured (set api.url or enrol)", required=False
        )
    from kiosk.api_client import ApiClient, ApiError

    try:
        with ApiClient(api_url, timeout=min(timeout_s, 5.0), pin_sha256=pin_sha256) as client:
            health = client.health()
    except ApiError as exc:
        return CheckResult("API reachable", False, f"{api_url}: {exc.message.en}", required=False)
    return CheckResult("API reachable", True, f"{api_url} (API version {health.api_version})")


def check_disk(paths: KioskPaths) -> CheckResult:
    """Free space where the outbox lives."""
    target = paths.data_dir if paths.data_dir.exists() else Path(tempfile.gettempdir())
    try:
        free = shutil.disk_usage(target).free
    except OSError as exc:
        return CheckResult("disk space", False, f"{target}: {exc.strerror}")
    mib = free // (1024 * 1024)
    if free < MIN_FREE_BYTES:
        return CheckResult(
            "disk space", False, f"{mib} MiB free in {target}; need {MIN_FREE_BYTES // 2**20} MiB"
        )
    if free < WARN_FREE_BYTES:
        return CheckResult("disk space", False, f"{mib} MiB free in {target} (low)", required=False)
    return CheckResult("disk space", True, f"{mib} MiB free")


def _device_api_url(paths: KioskPaths) -> str:
    """The URL the device enrolled with, without unlocking any secret."""
    import json

    from kiosk.device import IDENTITY_FILE

    try:
        record = json.loads((paths.data_dir / IDENTITY_FILE).read_bytes())
        return str(record.get("api_url") or "") if isinstance(record, dict) else ""
    except (OSError, ValueError):
        return ""


def run_checks(config_path: Path | None = None, *, paths: KioskPaths | None = None) -> list[CheckResult]:
    """All Qt-free checks, in report order. Never raises."""
    paths = paths or kiosk_paths()
    results = [check_data_dir(paths)]
    config_result, config = check_config(config_path, paths)
    results.append(config_result)
    results.append(check_keyring())
    results.append(check_device_key(paths))
    results.append(check_hardening())
    results.append(check_crypto())
    api_url = _device_api_url(paths) or (config.api.url if config else "")
    results.append(
        check_api(api_url, config.api.timeout_s if config else 5.0, config.api.pin_sha256 if config else None)
    )
    results.append(check_disk(paths))
    return results


def run_check(name: str, fn: Callable[[], CheckResult]) -> CheckResult:
    """Run one extra check (the GUI's Qt checks) so an exception becomes a failed result, not a crash."""
    try:
        return fn()
    except Exception as exc:
        return CheckResult(name, False, f"{type(exc).__name__}: {exc}")


def exit_code(results: list[CheckResult]) -> int:
    """0 when every required check passed, 1 otherwise."""
    return 0 if all(r.ok or not r.required for r in results) else 1


def render_report(results: list[CheckResult]) -> str:
    """A readable, aligned report ending with the verdict in Indonesian and English."""
    width = max((len(r.name) for r in results), default=0)
    lines = ["prakerja-kiosk self-test", ""]
    for r in results:
        mark = "OK  " if r.ok else ("FAIL" if r.required else "WARN")
        lines.append(f"[{mark}] {r.name.ljust(width)}  {r.detail}")
    lines.append("")
    if exit_code(results) == 0:
        lines.append("Kiosk dapat berjalan di mesin ini. / The kiosk can run on this machine.")
    else:
        failed = ", ".join(r.name for r in results if not r.ok and r.required)
        lines.append(f"Kiosk TIDAK dapat berjalan: {failed}. / The kiosk CANNOT run here: {failed}.")
    return "\n".join(lines) + "\n"
