"""Operator login for Dinas desk staff: online against the central API, offline from a cached verifier.

Why a cached verifier: field officers work for days without signal and must still open the console.
After each successful *online* login the kiosk stores scrypt(PIN, salt) with the salt and cost the
server chose for offline use (never the server's own PIN hash); offline, the typed PIN is checked
against it until ``offline_days`` have passed since that online login. Failed attempts are counted
on disk, so restarting the kiosk does not reset a lockout. Operators' usernames are staff data, not
applicants' personal data; PINs never leave memory except as that scrypt hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.api_client import ApiAuthError, ApiClient, ApiError, ApiOffline, ApiRateLimited
from kiosk.atomic_file import write_text_atomic
from kiosk.envelope import b64d
from kiosk.i18n import Message

Role = Literal["operator", "supervisor"]
STORE_VERSION = 1
_SCRYPT_MAXMEM = 2**27


class OperatorLoginError(Exception):
    """Login refused; ``message`` says why in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.en)
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
    ) -> None:
        self.store_path = store_path
        self.api = api
        self.offline_days = offline_days
        self.max_failures = max_failures
        self.lockout = dt.timedelta(minutes=lockout_minutes)
        self.clock = clock
        self._lock = threading.Lock()

    # -- store ---------------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.store_path.read_text("utf-8"))
        except FileNotFoundError:
            return {"version": STORE_VERSION, "operators": {}}
        except (OSError, ValueError, RecursionError):
            # A damaged store only costs offline logins until the next online one; keep it aside.
            self.store_path.replace(self.store_path.with_suffix(".corrupt"))
            return {"version": STORE_VERSION, "operators": {}}
        if not isinstance(data, dict) or not isinstance(data.get("operators"), dict):
            return {"version": STORE_VERSION, "operators": {}}
        return data

    def _save(self, data: dict[str, Any]) -> None:
        self.store_path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.store_path, json.dumps(data))

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

    def _online_success(self, username: str, pin: str, session: Any) -> OperatorLogin:
        v = session.offline_verifier
        op = session.operator
        try:
            salt = b64d(v.salt)
            derived = hashlib.scrypt(
                pin.encode(), salt=salt, n=v.n, r=v.r, p=v.p, dklen=v.length, maxmem=_SCRYPT_MAXMEM
            )
        except ValueError:
            # The server said yes, but its offline parameters cannot be used here (n not a power of
            # two, too much memory): log in online, keep no offline verifier.
            return OperatorLogin(username, op.display_name, op.role, True, session.session_token)
        with self._lock:
            data = self._load()
            data["operators"][username] = {
                "display_name": op.display_name,
                "role": op.role,
                "salt": v.salt,
                "n": v.n,
                "r": v.r,
                "p": v.p,
                "length": v.length,
                "verifier": derived.hex(),
                "online_at": self.clock().isoformat(),
                "failures": 0,
            }
            self._save(data)
        return OperatorLogin(username, op.display_name, op.role, True, session.session_token)

    def _offline(self, username: str, pin: str) -> OperatorLogin:
        with self._lock:
            entry = self._entry(self._load(), username)
        if "verifier" not in entry:
            raise OfflineLoginUnavailable(NEVER_ONLINE)
        try:
            online_at = dt.datetime.fromisoformat(str(entry["online_at"]))
            if self.offline_days <= 0 or self.clock() - online_at > dt.timedelta(days=self.offline_days):
                raise OfflineLoginUnavailable(EXPIRED)
            salt = b64d(str(entry["salt"]))
            derived = hashlib.scrypt(
                pin.encode(),
                salt=salt,
                n=int(entry["n"]),
                r=int(entry["r"]),
                p=int(entry["p"]),
                dklen=int(entry["length"]),
                maxmem=_SCRYPT_MAXMEM,
            )
        except (KeyError, TypeError, ValueError, OverflowError):
            # A damaged cached entry (hand-edited, torn, naive time): as if never logged in online here.
            raise OfflineLoginUnavailable(NEVER_ONLINE) from None
        if not hmac.compare_digest(derived.hex().encode(), str(entry["verifier"]).encode()):
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
