"""Operator login for Dinas desk staff: online against the central API, offline from a cached verifier.

Why a cached verifier: field officers work for days without signal and must still open the console.
After each successful *online* login the kiosk stores a verifier of the PIN; offline, the typed PIN
is checked against it until ``offline_days`` have passed since that online login. Failed attempts are
counted on disk, so restarting the kiosk does not reset a lockout. Operators' usernames are staff
data, not applicants' personal data; PINs never leave memory except as that verifier.

Why the verifier is keyed and the store authenticated (issue 18: ``0042`` was recovered from the old
scrypt n=2^14 entry in 43 guesses, and a hand-written entry gave ``role='supervisor'`` offline):

* the verifier is HMAC(store key, scrypt(PIN, salt, n=2^17, r=8)) — the store key is derived from the
  device key in sealed storage (``kiosk.device.derived_key``), so the file alone allows no guessing at
  all, and with the key each guess still costs ~0.3 s and 128 MiB;
* only PINs of at least :data:`MIN_OFFLINE_PIN` digits get a verifier (a shorter PIN logs in online
  only);
* the whole store (verifiers, roles, lock-outs) carries an HMAC under the same key: an edited, forged
  or transplanted store refuses *every* offline login with :data:`TAMPERED` until the next online
  login writes a fresh one. Without a store key (device not enrolled) nothing is cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.api_client import ApiAuthError, ApiClient, ApiError, ApiOffline, ApiRateLimited
from kiosk.atomic_file import write_text_atomic
from kiosk.envelope import b64d, b64e
from kiosk.i18n import Message, UserFacingError

Role = Literal["operator", "supervisor"]
STORE_VERSION = 2
OFFLINE_SCRYPT_N = 2**17
OFFLINE_SCRYPT_R = 8
OFFLINE_SCRYPT_P = 1
_OFFLINE_MAXMEM = 2**28
MIN_OFFLINE_PIN = 6
_VERIFIER_DOMAIN = b"prakerja-offline-pin\x00"
_STORE_DOMAIN = b"prakerja-operator-store\x00"


class OperatorLoginError(UserFacingError):
    """Login refused; ``message`` says why in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, message.en)
        self.message = message


class LoginFailed(OperatorLoginError):
    """Wrong username or PIN."""


class LockedOut(OperatorLoginError):
    """Too many wrong PINs: wait until ``until``."""

    def __init__(self, message: Message, until: dt.datetime) -> None:
        super().__init__(message)
        self.until = until


class OfflineLoginUnavailable(OperatorLoginError):
    """Offline, and no valid cached verifier (never logged in online here, or it expired)."""


@dataclass(frozen=True, slots=True)
class OperatorLogin:
    """Who is logged in, how, and with which role."""

    username: str
    display_name: str
    role: Role
    online: bool
    session_token: str | None

    @property
    def is_supervisor(self) -> bool:
        """Supervisors may change settings and wipe the device."""
        return self.role == "supervisor"


WRONG = Message("Nama pengguna atau PIN salah.", "Wrong username or PIN.")
NEVER_ONLINE = Message(
    "Belum bisa masuk tanpa internet: masuklah sekali saat perangkat terhubung ke internet.",
    "Offline login is not available yet: log in once while the device is online.",
)
TAMPERED = Message(
    "Data masuk tanpa internet di perangkat ini telah diubah atau rusak, jadi semua masuk tanpa internet "
    "ditolak. Masuklah saat perangkat terhubung ke internet, dan laporkan ke Dinas IT.",
    "The offline login data on this device was changed or damaged, so every offline login is refused. "
    "Log in while the device is online, and tell Dinas IT.",
)
SHORT_PIN = Message(
    f"PIN ini terlalu pendek untuk masuk tanpa internet (minimal {MIN_OFFLINE_PIN} angka). "
    "Masuklah saat terhubung ke internet, atau minta PIN baru.",
    f"This PIN is too short for offline login (at least {MIN_OFFLINE_PIN} digits). Log in while "
    "online, or ask for a new PIN.",
)
NO_STORE_KEY = Message(
    "Masuk tanpa internet hanya tersedia di perangkat yang sudah terdaftar.",
    "Offline login is only available on an enrolled device.",
)
EXPIRED = Message(
    "Izin masuk tanpa internet sudah kedaluwarsa. Masuklah saat perangkat terhubung ke internet.",
    "Offline login has expired. Log in while the device is online.",
)


def _locked_message(until: dt.datetime) -> Message:
    local = until.astimezone(dt.timezone(dt.timedelta(hours=7)))
    hhmm = local.strftime("%H:%M")
    return Message(
        f"Terlalu banyak PIN salah. Coba lagi setelah pukul {hhmm} WIB.",
        f"Too many wrong PINs. Try again after {hhmm} WIB.",
    )


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class OperatorAuth:
    """Checks operator PINs; see the module docstring. Thread-safe (one lock around the store)."""

    def __init__(
        self,
        store_path: Path,
        *,
        api: ApiClient | None,
        offline_days: int = 7,
        max_failures: int = 5,
        lockout_minutes: int = 15,
        clock: Callable[[], dt.datetime] = _utcnow,
        store_key: bytes | None = None,
    ) -> None:
        self.store_path = store_path
        self.store_key = store_key
        self.tampered = False
        """True once the store was found edited: every offline login is refused (see module doc)."""
        self.api = api
        self.offline_days = offline_days
        self.max_failures = max_failures
        self.lockout = dt.timedelta(minutes=lockout_minutes)
        self.clock = clock
        self._lock = threading.Lock()

    # -- store ---------------------------------------------------------------------------------

    def _mac(self, operators: dict[str, Any]) -> str:
        assert self.store_key is not None
        body = json.dumps({"version": STORE_VERSION, "operators": operators}, sort_keys=True).encode()
        return hmac.new(self.store_key, _STORE_DOMAIN + body, hashlib.sha256).hexdigest()

    def _load(self) -> dict[str, Any]:
        empty: dict[str, Any] = {"version": STORE_VERSION, "operators": {}}
        try:
            data = json.loads(self.store_path.read_text("utf-8"))
        except FileNotFoundError:
            return empty
        except (OSError, ValueError, RecursionError):
            # A damaged store only costs offline logins until the next online one; keep it aside.
            self.store_path.replace(self.store_path.with_suffix(".corrupt"))
            self.tampered = True
            return empty
        if (
            self.store_key is None
            or not isinstance(data, dict)
            or not isinstance(data.get("operators"), dict)
            or data.get("version") != STORE_VERSION
            or not isinstance(data.get("mac"), str)
            or not hmac.compare_digest(self._mac(data["operators"]).encode(), str(data["mac"]).encode())
        ):
            # Edited by hand, forged, copied from another kiosk, or written by an older version: none
            # of it is trusted, and offline logins stay refused until an online login rewrites it.
            self.tampered = self.store_key is not None
            return empty
        return {"version": STORE_VERSION, "operators": data["operators"]}

    def _save(self, data: dict[str, Any]) -> None:
        if self.store_key is None:
            return  # nothing is cached without a key from sealed storage
        self.store_path.parent.mkdir(parents=True, exist_ok=True)
        operators = data["operators"]
        record = {"version": STORE_VERSION, "operators": operators, "mac": self._mac(operators)}
        write_text_atomic(self.store_path, json.dumps(record))

    @staticmethod
    def _entry(data: dict[str, Any], username: str) -> dict[str, Any]:
        entry = data["operators"].setdefault(username, {})
        if not isinstance(entry, dict):
            entry = {}
            data["operators"][username] = entry
        return entry

    # -- login ---------------------------------------------------------------------------------

    def login(self, username: str, pin: str) -> OperatorLogin:
        """Log in online when the API answers, offline from the cached verifier when it does not.

        Raises :class:`LoginFailed`, :class:`LockedOut` or :class:`OfflineLoginUnavailable`; an API
        problem other than being offline (e.g. a server error) is raised as ``ApiError``.
        """
        username = username.strip().lower()
        with self._lock:
            data = self._load()
            entry = self._entry(data, username)
            self._check_lockout(entry)
        if self.api is not None:
            try:
                session = self.api.operator_login(username, pin)
            except ApiOffline:
                pass
            except ApiRateLimited as exc:
                until = self.clock() + dt.timedelta(seconds=exc.retry_after or self.lockout.total_seconds())
                raise LockedOut(_locked_message(until), until) from None
            except ApiAuthError:
                self._fail(username)
                raise LoginFailed(WRONG) from None
            except ApiError:
                raise
            else:
                return self._online_success(username, pin, session)
        return self._offline(username, pin)

    def _check_lockout(self, entry: dict[str, Any]) -> None:
        until_text = entry.get("locked_until")
        if not until_text:
            return
        try:
            until = dt.datetime.fromisoformat(str(until_text))
        except ValueError:
            return
        if until.tzinfo is None:  # hand-edited or older store: the kiosk writes UTC
            until = until.replace(tzinfo=dt.UTC)
        now = self.clock()
        if until - now > self.lockout + dt.timedelta(minutes=1):
            # Longer than any lockout this kiosk sets (a damaged or hand-edited store, e.g. year 9999):
            # ignore it rather than lock staff out for good; the next wrong PINs set a real one.
            return
        if now < until:
            raise LockedOut(_locked_message(until), until)

    def _fail(self, username: str) -> None:
        with self._lock:
            data = self._load()
            if self.tampered:
                return  # keep the edited store as it is (evidence); offline logins stay refused
            entry = self._entry(data, username)
            try:
                failures = int(entry.get("failures", 0)) + 1
            except (TypeError, ValueError):  # a damaged counter counts from this failure
                failures = 1
            entry["failures"] = failures
            if failures >= self.max_failures:
                entry["locked_until"] = (self.clock() + self.lockout).isoformat()
                entry["failures"] = 0
            self._save(data)

    def _verifier(self, pin: str, salt: bytes, n: int, r: int, p: int) -> str:
        """HMAC(store key, scrypt(PIN)): useless for guessing without the sealed store key."""
        assert self.store_key is not None
        derived = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=_OFFLINE_MAXMEM)
        return hmac.new(self.store_key, _VERIFIER_DOMAIN + derived, hashlib.sha256).hexdigest()

    def _online_success(self, username: str, pin: str, session: Any) -> OperatorLogin:
        op = session.operator
        login = OperatorLogin(username, op.display_name, op.role, True, session.session_token)
        if self.store_key is None:
            return login
        entry: dict[str, Any] = {
            "display_name": op.display_name,
            "role": op.role,
            "online_at": self.clock().isoformat(),
            "failures": 0,
        }
        if len(pin) >= MIN_OFFLINE_PIN:
            # The kiosk's own salt and cost (the server's suggested ones are ignored: n=2^14 proved far
            # too cheap for short PINs). ~0.3 s on the worker thread the console runs logins on.
            salt = secrets.token_bytes(16)
            entry.update(
                salt=b64e(salt),
                n=OFFLINE_SCRYPT_N,
                r=OFFLINE_SCRYPT_R,
                p=OFFLINE_SCRYPT_P,
                verifier=self._verifier(pin, salt, OFFLINE_SCRYPT_N, OFFLINE_SCRYPT_R, OFFLINE_SCRYPT_P),
            )
        else:
            entry["short_pin"] = True
        with self._lock:
            data = self._load()
            data["operators"][username] = entry
            self._save(data)
            self.tampered = False  # a fresh, authenticated store from now on
        return login

    def _offline(self, username: str, pin: str) -> OperatorLogin:
        if self.store_key is None:
            raise OfflineLoginUnavailable(NO_STORE_KEY)
        with self._lock:
            entry = self._entry(self._load(), username)
            tampered = self.tampered
        if tampered:
            raise OfflineLoginUnavailable(TAMPERED)
        if entry.get("short_pin") is True:
            raise OfflineLoginUnavailable(SHORT_PIN)
        if "verifier" not in entry:
            raise OfflineLoginUnavailable(NEVER_ONLINE)
        try:
            online_at = dt.datetime.fromisoformat(str(entry["online_at"]))
            if self.offline_days <= 0 or self.clock() - online_at > dt.timedelta(days=self.offline_days):
                raise OfflineLoginUnavailable(EXPIRED)
            salt = b64d(str(entry["salt"]))
            n, r, p = int(entry["n"]), int(entry["r"]), int(entry["p"])
            if (n, r, p) != (OFFLINE_SCRYPT_N, OFFLINE_SCRYPT_R, OFFLINE_SCRYPT_P):
                raise ValueError("cost")  # the MAC held, so this is an older kiosk's entry
            verifier = self._verifier(pin, salt, n, r, p)
        except (KeyError, TypeError, ValueError, OverflowError):
            # A damaged cached entry (torn, naive time): as if never logged in online here.
            raise OfflineLoginUnavailable(NEVER_ONLINE) from None
        if not hmac.compare_digest(verifier.encode(), str(entry["verifier"]).encode()):
            self._fail(username)
            raise LoginFailed(WRONG)
        with self._lock:
            data = self._load()
            self._entry(data, username)["failures"] = 0
            self._save(data)
        role: Role = "supervisor" if entry.get("role") == "supervisor" else "operator"
        return OperatorLogin(username, str(entry.get("display_name", username)), role, False, None)

    def forget_all(self) -> None:
        """Remove every cached verifier (device wipe)."""
        with self._lock:
            self.store_path.unlink(missing_ok=True)
