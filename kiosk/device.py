"""Device identity: the kiosk's Ed25519 signing key, its API token and the pinned server keys.

Why this shape:

* The signing key pair is created **on the kiosk** at enrolment; only the public half leaves it. The
  server answers with a device id, a bearer token and its own public keys (X25519 to seal envelopes
  for, Ed25519 to check signed documents such as the test bank). Those keys are pinned here: a later
  answer from "the server" with other keys is not trusted without re-enrolment.
* Secrets (private key, token) go to *sealed* storage, in this order (issue 18: a stolen laptop must
  not give them up):

  1. the OS keyring when a real backend exists (Windows Credential Manager, which DPAPI-protects with
     the user's logon secret; macOS Keychain; Secret Service). The fail/null backends and
     ``keyrings.alt``'s plaintext or weakly-obfuscated files are refused;
  2. ``systemd-creds`` sealed to the machine's TPM2 (``--with-key=tpm2``) where it has one: the file
     in the data dir is useless on another machine or with the disk taken out;
  3. otherwise a passphrase typed by staff: ``device-secrets.enc``, AES-256-GCM under scrypt(passphrase)
     — asked at enrolment and on every start (a screen in the GUI, a prompt on a terminal), kept in
     memory only, never read from the environment.

  The old fallback — the same file keyed only by ``machine.secret`` in the same home, i.e. a key file
  next to its own secret — is written only for demo mode (``demo=True``: training data, says so in the
  self-test) or where ``PRAKERJA_KIOSK_ALLOW_KEY_FILE=1`` allows it (the test suite, throwaway machines);
  ``--self-test`` fails on a real device stored that way. Never plaintext, never silently: the storage
  in use is recorded in ``device.json`` (:func:`protection`) and reported by the self-test.
* Non-secret facts (device id, API URL, public keys, storage kind) are in ``device.json`` (0600).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import keyring
import keyring.backend
import keyring.errors
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kiosk.atomic_file import write_atomic
from kiosk.envelope import b64d, b64e
from kiosk.i18n import Message, UserFacingError
from kiosk.paths import KioskPaths, ensure_dir, kiosk_paths

log = logging.getLogger(__name__)

KEYRING_SERVICE = "prakerja-kiosk"
ENV_KEYRING = "PRAKERJA_KIOSK_KEYRING"  # "off": no keyring (passphrase file; tests, shared machines)
ENV_ALLOW_KEY_FILE = "PRAKERJA_KIOSK_ALLOW_KEY_FILE"
"""``1``: without sealed storage and passphrase, fall back to the machine-secret key file (tests only;
``--self-test`` fails on a real device stored that way)."""
ENV_SYSTEMD_CREDS = "PRAKERJA_KIOSK_SYSTEMD_CREDS"  # "off" skips systemd-creds
IDENTITY_FILE = "device.json"
SECRETS_FILE = "device-secrets.enc"
CREDS_FILE = "device-secrets.cred"
CREDS_NAME = "prakerja-device-secrets"
SYSTEMD_CREDS_KEY = "tpm2"
"""What ``systemd-creds`` seals to. Only ``tpm2`` counts as sealed: ``host`` would be a key file in
/var/lib/systemd next to the credential (tests use it to run the same code path on machines without
a TPM)."""
MIN_PASSPHRASE_CHARS = 10
MACHINE_SECRET_FILE = "machine.secret"  # noqa: S105 - a file name
FORMAT = 1
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAX_BYTES = 2**26
"""Most memory (128·n·r bytes) a key file may ask scrypt for: twice what this kiosk writes (32 MiB).

Why a cap: the parameters are read from the file, so a damaged or planted file could otherwise make
every start allocate gigabytes (n=2^20, r=32 is 4 GiB) — on a 4 GB kiosk that is a crash, not an error."""

StorageKind = Literal["keyring", "encrypted-file", "systemd-creds"]
Protection = Literal["keyring", "systemd-creds", "passphrase", "demo-key-file", "key-file"]


# ------------------------------------------------------------------------------------------- errors
class DeviceError(UserFacingError):
    """Device identity cannot be created, read or used. ``message`` is bilingual and says what to do."""


class DeviceLocked(DeviceError):
    """The key file needs the supervisor passphrase, which was not given or is wrong."""


class PassphraseRequired(DeviceError):
    """No sealed storage on this machine: enrolment needs a staff passphrase (or it is too short)."""


NEEDS_PASSPHRASE = Message(
    "Mesin ini tidak punya penyimpanan kunci tersegel (keyring/TPM). Petugas harus menetapkan frasa "
    f"sandi perangkat (minimal {MIN_PASSPHRASE_CHARS} karakter) saat mendaftarkan.",
    "This machine has no sealed key storage (keyring/TPM). Staff must set a device passphrase "
    f"(at least {MIN_PASSPHRASE_CHARS} characters) when enrolling.",
)
LOCKED = Message(
    "Kunci perangkat dilindungi frasa sandi petugas. Petugas: masukkan frasa sandi.",
    "The device key is protected by the staff passphrase. Staff: enter the passphrase.",
)


class DeviceCorrupt(DeviceError):
    """Stored identity is unreadable or inconsistent; the device must be enrolled again."""


def _corrupt(what: str) -> DeviceCorrupt:
    return DeviceCorrupt(
        Message(
            f"Identitas perangkat rusak ({what}). Daftarkan ulang perangkat: prakerja-kiosk enrol KODE.",
            f"The device identity is damaged ({what}). Enrol the device again: prakerja-kiosk enrol CODE.",
        )
    )


# ---------------------------------------------------------------------------------------- identity
@dataclass(frozen=True)
class FileSealing:
    """The key that opened a passphrase-protected ``device-secrets.enc``, kept with the unlocked identity.

    Why: a renewed token must be stored again (``kiosk.token_renewal``) without asking staff for the
    passphrase a second time or reading it from the environment. This is the derived AES key, not the
    passphrase, and it lives only in memory next to the signing key it protects.
    """

    kek: bytes = field(repr=False)
    salt: bytes
    n: int
    r: int
    p: int


@dataclass(frozen=True)
class DeviceIdentity:
    """Everything the kiosk needs to sign, seal and authenticate. Holds secrets: never log it."""

    device_id: str
    api_url: str
    token: str
    token_expires_at: dt.datetime | None
    signing_key: Ed25519PrivateKey
    server_envelope_key: X25519PublicKey
    server_signing_key: Ed25519PublicKey
    enrolled_at: dt.datetime
    storage: StorageKind
    keyring_backend: str | None = None
    demo: bool = False
    sealing: FileSealing | None = field(default=None, repr=False, compare=False)
    """Set by :func:`load` for a passphrase-protected key file: lets :func:`save` re-seal it."""

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The device's public key (what the server holds)."""
        return self.signing_key.public_key()

    def __repr__(self) -> str:  # never print the token or the key
        return f"DeviceIdentity(device_id={self.device_id!r}, api_url={self.api_url!r}, storage={self.storage!r})"


def _raw(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _private_raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


# ------------------------------------------------------------------------------------------ keyring
def _backend_is_real(backend: keyring.backend.KeyringBackend) -> bool:
    """False for backends that do not really protect a secret (fail, null, plaintext/alt files)."""
    from keyring.backends.chainer import ChainerBackend

    if isinstance(backend, ChainerBackend):
        return bool(backend.backends) and _backend_is_real(backend.backends[0])
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")):
        return False
    if "plaintext" in type(backend).__name__.lower():
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check fails is not usable
        return False


def keyring_backend_name(backend: keyring.backend.KeyringBackend | None = None) -> str:
    """Human-readable name of a keyring backend (self-test report)."""
    backend = backend or keyring.get_keyring()
    return f"{type(backend).__module__}.{type(backend).__name__}"


def usable_keyring() -> keyring.backend.KeyringBackend | None:
    """The OS keyring when it is a real one and not switched off by ``PRAKERJA_KIOSK_KEYRING=off``."""
    if os.environ.get(ENV_KEYRING, "").strip().lower() in {"off", "0", "no", "file"}:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # keyring's discovery can fail on odd desktops; the file fallback still works
        return None
    return backend if _backend_is_real(backend) else None


# ------------------------------------------------------------------------------------ systemd-creds
def systemd_creds_available() -> bool:
    """True when ``systemd-creds`` can seal to this machine's TPM2 (``has-tpm2`` says yes).

    Why ask each time and not cache: cheap (one small process) and only at enrolment and self-test.
    """
    if os.environ.get(ENV_SYSTEMD_CREDS, "").strip().lower() in {"off", "0", "no"}:
        return False
    tool = shutil.which("systemd-creds")
    if tool is None:
        return False
    if SYSTEMD_CREDS_KEY != "tpm2":
        return True
    try:
        result = subprocess.run([tool, "has-tpm2", "--quiet"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _creds(args: list[str], data: bytes) -> bytes:
    tool = shutil.which("systemd-creds")
    if tool is None:
        raise _corrupt("systemd-creds is not installed")
    try:
        result = subprocess.run([tool, *args], input=data, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        raise _corrupt("systemd-creds failed") from None
    if result.returncode != 0:
        raise _corrupt("systemd-creds refused the sealed key (other machine or TPM reset?)")
    return result.stdout


def _creds_seal(paths: KioskPaths, plaintext: bytes) -> None:
    sealed = _creds(
        ["encrypt", f"--with-key={SYSTEMD_CREDS_KEY}", f"--name={CREDS_NAME}", "-", "-"], plaintext
    )
    write_atomic(paths.data_dir / CREDS_FILE, sealed)


def _creds_open(paths: KioskPaths) -> bytes:
    try:
        sealed = (paths.data_dir / CREDS_FILE).read_bytes()
    except FileNotFoundError:
        raise _corrupt("sealed key file missing") from None
    except OSError:
        raise _corrupt("sealed key file unreadable") from None
    return _creds(["decrypt", f"--name={CREDS_NAME}", "-", "-"], sealed)


def key_file_allowed() -> bool:
    """Whether ``PRAKERJA_KIOSK_ALLOW_KEY_FILE`` permits the machine-secret key file (tests only)."""
    return os.environ.get(ENV_ALLOW_KEY_FILE, "").strip().lower() in {"1", "true", "yes", "on"}


def sealed_storage_name() -> str | None:
    """Which sealed storage a new enrolment would use here (``None``: a staff passphrase is needed)."""
    backend = usable_keyring()
    if backend is not None:
        return f"keyring {keyring_backend_name(backend)}"
    if systemd_creds_available():
        return f"systemd-creds ({SYSTEMD_CREDS_KEY})"
    return None


# ------------------------------------------------------------------------------- encrypted fallback
def _machine_secret(paths: KioskPaths, *, create: bool) -> bytes:
    path = paths.config_dir / MACHINE_SECRET_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise _corrupt("machine secret missing") from None
        ensure_dir(paths.config_dir)
        data = secrets.token_bytes(32)
        write_atomic(path, data)
        return data
    if len(data) != 32:
        raise _corrupt("machine secret has the wrong size")
    return data


def _kek(machine_secret: bytes, passphrase: str | None, salt: bytes, n: int, r: int, p: int) -> bytes:
    material = machine_secret + (passphrase or "").encode("utf-8")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(material)


def _seal_secrets(
    paths: KioskPaths,
    device_id: str,
    plaintext: bytes,
    passphrase: str | None,
    sealing: FileSealing | None = None,
) -> FileSealing | None:
    """Write ``device-secrets.enc``; with ``sealing`` (no passphrase at hand) under the same key again.

    Returns the sealing of a passphrase-protected file (None for the machine-secret file).
    """
    machine = _machine_secret(paths, create=True)
    nonce = secrets.token_bytes(12)
    if sealing is not None and not passphrase:
        salt, n, r, p, kek = sealing.salt, sealing.n, sealing.r, sealing.p, sealing.kek
    else:
        salt, n, r, p = secrets.token_bytes(16), SCRYPT_N, SCRYPT_R, SCRYPT_P
        kek = _kek(machine, passphrase, salt, n, r, p)
    protected = bool(passphrase) or sealing is not None
    header = {
        "format": FORMAT,
        "device_id": device_id,
        "kdf": "scrypt",
        "n": n,
        "r": r,
        "p": p,
        "salt": b64e(salt),
        "nonce": b64e(nonce),
        "passphrase": protected,
    }
    aad = json.dumps(header, sort_keys=True).encode()
    ciphertext = AESGCM(kek).encrypt(nonce, plaintext, aad)
    blob = json.dumps({"header": header, "ciphertext": b64e(ciphertext)}).encode()
    write_atomic(paths.data_dir / SECRETS_FILE, blob)
    return FileSealing(kek, salt, n, r, p) if protected else None


def _open_secrets(
    paths: KioskPaths, device_id: str, passphrase: str | None
) -> tuple[bytes, FileSealing | None]:
    try:
        blob = json.loads((paths.data_dir / SECRETS_FILE).read_bytes())
        header = blob["header"]
        ciphertext = b64d(blob["ciphertext"])
        salt, nonce = b64d(header["salt"]), b64d(header["nonce"])
        n, r, p = int(header["n"]), int(header["r"]), int(header["p"])
        needs_passphrase = bool(header["passphrase"])
    except FileNotFoundError:
        raise _corrupt("key file missing") from None
    except (ValueError, KeyError, TypeError, OSError, RecursionError):
        raise _corrupt("key file unreadable") from None
    if header.get("format") != FORMAT or header.get("device_id") != device_id:
        raise _corrupt("key file belongs to another device or format")
    if not (
        2**10 <= n <= 2**20
        and n & (n - 1) == 0
        and 1 <= r <= 32
        and 1 <= p <= 16
        and 128 * n * r <= SCRYPT_MAX_BYTES
    ):
        raise _corrupt("key file parameters out of range")
    if needs_passphrase and not passphrase:
        raise DeviceLocked(LOCKED)
    machine = _machine_secret(paths, create=False)
    aad = json.dumps(header, sort_keys=True).encode()
    kek = _kek(machine, passphrase if needs_passphrase else None, salt, n, r, p)
    try:
        plaintext = AESGCM(kek).decrypt(nonce, ciphertext, aad)
        return plaintext, (FileSealing(kek, salt, n, r, p) if needs_passphrase else None)
    except ValueError:  # e.g. a nonce of the wrong length: the file was damaged, not the key
        raise _corrupt("key file unreadable") from None
    except InvalidTag:
        if needs_passphrase:
            raise DeviceLocked(
                Message("Frasa sandi petugas salah.", "The staff passphrase is wrong.")
            ) from None
        raise _corrupt("key file does not decrypt with this machine's secret") from None


# -------------------------------------------------------------------------------------- save / load
def _secret_blob(signing_key: Ed25519PrivateKey, token: str) -> bytes:
    return json.dumps({"signing_key": b64e(_private_raw(signing_key)), "token": token}).encode()


def _store(
    paths: KioskPaths,
    device_id: str,
    signing_key: Ed25519PrivateKey,
    token: str,
    passphrase: str | None,
    *,
    demo: bool = False,
    sealing: FileSealing | None = None,
) -> tuple[StorageKind, str | None, FileSealing | None]:
    """Put the secrets in sealed storage (keyring, then TPM2 via systemd-creds), else in the file
    under the staff passphrase; the machine-secret file only for demo mode or when allowed (tests).

    Raises :class:`PassphraseRequired` when none of these is possible.
    """
    blob = _secret_blob(signing_key, token)
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise PassphraseRequired(NEEDS_PASSPHRASE)
    backend = usable_keyring()
    if backend is not None and not passphrase:
        try:
            backend.set_password(KEYRING_SERVICE, device_id, blob.decode("ascii"))
            (paths.data_dir / SECRETS_FILE).unlink(missing_ok=True)
            return "keyring", keyring_backend_name(backend), None
        except keyring.errors.KeyringError as exc:
            log.warning(
                "keyring %s refused the device key (%s); trying the next storage",
                keyring_backend_name(backend),
                type(exc).__name__,
            )
    if sealing is not None and not passphrase:  # re-seal under the key this identity was opened with
        return "encrypted-file", None, _seal_secrets(paths, device_id, blob, None, sealing)
    if not passphrase and not demo and systemd_creds_available():
        try:
            _creds_seal(paths, blob)
            (paths.data_dir / SECRETS_FILE).unlink(missing_ok=True)
            return "systemd-creds", SYSTEMD_CREDS_KEY, None
        except DeviceCorrupt:
            log.warning("systemd-creds refused to seal the device key; trying the next storage")
    if not passphrase and not (demo or key_file_allowed()):
        raise PassphraseRequired(NEEDS_PASSPHRASE)
    return "encrypted-file", None, _seal_secrets(paths, device_id, blob, passphrase)


def save(
    identity: DeviceIdentity,
    *,
    passphrase: str | None = None,
    paths: KioskPaths | None = None,
    demo: bool | None = None,
) -> DeviceIdentity:
    """Persist ``identity`` (secrets first, then ``device.json``); returns it with the storage used.

    ``demo`` (default: ``identity.demo``) allows the demo-only machine-secret key file.
    """
    paths = paths or kiosk_paths()
    ensure_dir(paths.data_dir)
    demo = identity.demo if demo is None else demo
    storage, backend, sealing = _store(
        paths,
        identity.device_id,
        identity.signing_key,
        identity.token,
        passphrase,
        demo=demo,
        sealing=identity.sealing,
    )
    record = {
        "format": FORMAT,
        "device_id": identity.device_id,
        "api_url": identity.api_url,
        "enrolled_at": identity.enrolled_at.isoformat(),
        "token_expires_at": identity.token_expires_at.isoformat() if identity.token_expires_at else None,
        "device_public_key": b64e(_raw(identity.public_key)),
        "server_envelope_key": b64e(_raw(identity.server_envelope_key)),
        "server_signing_key": b64e(_raw(identity.server_signing_key)),
        "storage": storage,
        "keyring_backend": backend,
        "demo": demo,
    }
    write_atomic(paths.data_dir / IDENTITY_FILE, json.dumps(record, indent=2).encode())
    return DeviceIdentity(
        device_id=identity.device_id,
        api_url=identity.api_url,
        token=identity.token,
        token_expires_at=identity.token_expires_at,
        signing_key=identity.signing_key,
        server_envelope_key=identity.server_envelope_key,
        server_signing_key=identity.server_signing_key,
        enrolled_at=identity.enrolled_at,
        storage=storage,
        keyring_backend=backend,
        demo=demo,
        sealing=sealing,
    )


def _read_record(paths: KioskPaths) -> dict[str, Any] | None:
    try:
        raw = (paths.data_dir / IDENTITY_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        raise _corrupt("device.json unreadable") from None
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise _corrupt("device.json is not JSON") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise _corrupt("device.json has an unknown format")
    return record


def is_enrolled(paths: KioskPaths | None = None) -> bool:
    """True when ``device.json`` exists (cheap; does not unlock secrets)."""
    return ((paths or kiosk_paths()).data_dir / IDENTITY_FILE).exists()


def load(*, passphrase: str | None = None, paths: KioskPaths | None = None) -> DeviceIdentity | None:
    """The enrolled identity, or ``None`` when the device was never enrolled (or was wiped).

    Raises :class:`DeviceLocked` when the passphrase is needed, :class:`DeviceCorrupt` when the stored
    identity is damaged or its secrets are missing.
    """
    paths = paths or kiosk_paths()
    record = _read_record(paths)
    if record is None:
        return None
    sealing: FileSealing | None = None
    try:
        device_id = str(record["device_id"])
        storage: StorageKind = record["storage"]
        device_public = b64d(record["device_public_key"])
        envelope_key = X25519PublicKey.from_public_bytes(b64d(record["server_envelope_key"]))
        signing_pub = Ed25519PublicKey.from_public_bytes(b64d(record["server_signing_key"]))
        enrolled_at = dt.datetime.fromisoformat(record["enrolled_at"])
        expires_raw = record.get("token_expires_at")
        token_expires_at = dt.datetime.fromisoformat(expires_raw) if expires_raw else None
        api_url = str(record["api_url"])
    except (KeyError, ValueError, TypeError):
        raise _corrupt("device.json fields") from None

    if storage == "keyring":
        backend = usable_keyring()
        if backend is None:
            raise _corrupt("the keyring that holds the key is not available")
        try:
            secret_text = backend.get_password(KEYRING_SERVICE, device_id)
        except keyring.errors.KeyringError:
            raise _corrupt("the keyring refused to give the key") from None
        if secret_text is None:
            raise _corrupt("key missing from the keyring")
        secret_raw = secret_text.encode("ascii", "replace")
    elif storage == "encrypted-file":
        secret_raw, sealing = _open_secrets(paths, device_id, passphrase)
    elif storage == "systemd-creds":
        secret_raw = _creds_open(paths)
    else:
        raise _corrupt("unknown key storage")

    try:
        secret = json.loads(secret_raw)
        signing_key = Ed25519PrivateKey.from_private_bytes(b64d(secret["signing_key"]))
        token = str(secret["token"])
    except (ValueError, KeyError, TypeError):
        raise _corrupt("secret unreadable") from None
    if _raw(signing_key.public_key()) != device_public:
        raise _corrupt("private key does not match the enrolled public key")
    return DeviceIdentity(
        device_id=device_id,
        api_url=api_url,
        token=token,
        token_expires_at=token_expires_at,
        signing_key=signing_key,
        server_envelope_key=envelope_key,
        server_signing_key=signing_pub,
        enrolled_at=enrolled_at,
        storage=storage,
        keyring_backend=record.get("keyring_backend"),
        demo=record.get("demo") is True,
        sealing=sealing,
    )


def derived_key(identity: DeviceIdentity, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` (e.g. the operator store's MAC), derived from the device key.

    Why derived and not stored: it is then exactly as sealed as the device key (keyring, TPM or the
    staff passphrase) with nothing more to keep, and a re-enrolment changes it.
    """
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"prakerja-kiosk " + purpose.encode()
    ).derive(_private_raw(identity.signing_key))


def protection(paths: KioskPaths | None = None) -> Protection | None:
    """How the enrolled device's secrets are protected, read without unlocking them (self-test).

    ``key-file`` is the weak case issue 18 is about: ``device-secrets.enc`` keyed only by
    ``machine.secret`` in the same home. ``None`` when not enrolled. Raises :class:`DeviceCorrupt`.
    """
    paths = paths or kiosk_paths()
    record = _read_record(paths)
    if record is None:
        return None
    storage = record.get("storage")
    if storage == "keyring":
        return "keyring"
    if storage == "systemd-creds":
        return "systemd-creds"
    if storage != "encrypted-file":
        raise _corrupt("unknown key storage")
    try:
        header = json.loads((paths.data_dir / SECRETS_FILE).read_bytes())["header"]
        with_passphrase = header["passphrase"] is True
    except FileNotFoundError:
        raise _corrupt("key file missing") from None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        raise _corrupt("key file unreadable") from None
    if with_passphrase:
        return "passphrase"
    return "demo-key-file" if record.get("demo") is True else "key-file"


def needs_passphrase(paths: KioskPaths | None = None) -> bool:
    """True when loading the enrolled identity needs the staff passphrase (the GUI's unlock screen)."""
    try:
        return protection(paths) == "passphrase"
    except DeviceCorrupt:
        return False


def wipe(paths: KioskPaths | None = None) -> bool:
    """Remove the device's keys, token and identity (keyring entry and files). True if anything existed.

    The encrypted file is overwritten before unlinking (best effort: SSDs and journalling file systems
    may keep old blocks, which is why the file is encrypted in the first place).
    """
    paths = paths or kiosk_paths()
    existed = False
    try:
        record = _read_record(paths)
    except DeviceCorrupt:
        record = None
        existed = True
    if record is not None:
        existed = True
        backend = usable_keyring()
        if backend is not None and record.get("storage") == "keyring":
            try:
                backend.delete_password(KEYRING_SERVICE, str(record.get("device_id")))
            except keyring.errors.KeyringError:
                log.warning("keyring entry for the device could not be deleted")
    for path in (
        paths.data_dir / SECRETS_FILE,
        paths.data_dir / CREDS_FILE,
        paths.config_dir / MACHINE_SECRET_FILE,
        paths.data_dir / IDENTITY_FILE,
    ):
        if path.exists():
            existed = True
            try:
                size = path.stat().st_size
                with path.open("r+b") as fh:
                    fh.write(secrets.token_bytes(size))
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError:
                pass
            path.unlink(missing_ok=True)
    return existed


# ----------------------------------------------------------------------------------------- enrolment
class EnrolmentClient(Protocol):
    """What :func:`enrol` needs from ``kiosk.api_client.ApiClient``."""

    base_url: str

    def enrol(self, code: str, device_public_key: Ed25519PublicKey) -> Any:
        """POST /v1/devices/enrol; returns the server's answer (see :func:`_parse_enrolment`)."""
        ...


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, Mapping) else getattr(obj, name)


def _parse_enrolment(answer: Any) -> tuple[str, str, dt.datetime | None, X25519PublicKey, Ed25519PublicKey]:
    """device id, token, token expiry and the two server keys from the enrolment answer.

    Accepts the JSON body of ``EnrolResponse`` or an object with the same attribute names.
    """
    try:
        device_id = str(_get(answer, "device_id"))
        token = str(_get(answer, "token"))
        expires = _get(answer, "token_expires_at")
        if isinstance(expires, str):
            expires = dt.datetime.fromisoformat(expires.replace("Z", "+00:00"))
        keys = _get(answer, "server_keys")
        envelope = _get(keys, "envelope")
        signing = _get(keys, "signing")
        envelope_key = X25519PublicKey.from_public_bytes(b64d(str(_get(envelope, "public_key"))))
        signing_key = Ed25519PublicKey.from_public_bytes(b64d(str(_get(signing, "public_key"))))
    except (KeyError, AttributeError, ValueError, TypeError):
        raise DeviceError(
            Message(
                "Jawaban pendaftaran dari server tidak bisa dipahami; periksa alamat API.",
                "The server's enrolment answer could not be understood; check the API address.",
            )
        ) from None
    if not device_id or not token:
        raise DeviceError(
            Message("Server tidak memberi identitas perangkat.", "The server gave no device identity.")
        )
    return device_id, token, expires if isinstance(expires, dt.datetime) else None, envelope_key, signing_key


def enrol(
    api_client: EnrolmentClient,
    code: str,
    *,
    passphrase: str | None = None,
    paths: KioskPaths | None = None,
    demo: bool = False,
) -> DeviceIdentity:
    """Create a key pair, enrol it with ``code`` and store the identity (replacing any earlier one).

    Errors from the API client propagate unchanged (they carry their own messages); a malformed
    answer raises :class:`DeviceError`. Without sealed storage and without ``passphrase`` (and not
    ``demo``) raises :class:`PassphraseRequired` *before* the code is used up.
    """
    paths = paths or kiosk_paths()
    ensure_dir(paths.data_dir)
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise PassphraseRequired(NEEDS_PASSPHRASE)
    if not passphrase and not demo and not key_file_allowed() and sealed_storage_name() is None:
        raise PassphraseRequired(NEEDS_PASSPHRASE)
    signing_key = Ed25519PrivateKey.generate()
    answer = api_client.enrol(code, signing_key.public_key())
    device_id, token, expires, envelope_key, server_signing = _parse_enrolment(answer)
    wipe(paths)
    identity = DeviceIdentity(
        device_id=device_id,
        api_url=str(api_client.base_url).rstrip("/"),
        token=token,
        token_expires_at=expires,
        signing_key=signing_key,
        server_envelope_key=envelope_key,
        server_signing_key=server_signing,
        enrolled_at=dt.datetime.now(dt.UTC),
        storage="encrypted-file",
        demo=demo,
    )
    stored = save(identity, passphrase=passphrase, paths=paths)
    log.info("device enrolled: %s (key storage %s)", device_id, stored.storage)
    return stored
