"""Question-bank delivery: fetch the current signed bank from the centre, keep the last good one.

Why this module (issue 19): ``BankStore.refresh`` existed but nothing called it, so every kiosk gave the
shipped *demo* bank to every applicant. :class:`BankSync` is what the runtime runs:

* **Fetch at start and on a schedule** (``[sync] bank_refresh_s``) on its own daemon thread, verified
  against the server signing key pinned at enrolment (``BankStore.accept``: verify, then an atomic
  write). A refused download or a server without a bank leaves the last good bank in place.
* **Age**: the cache file is rewritten on every successful fetch, so its modification time is "last
  confirmed current by the centre". A bank older than ``[sync] bank_max_age_days`` gives staff a
  warning in the console (the kiosk has not reached the centre for that long).
* **No demo bank in production**: :func:`choose_bank` falls back to the shipped demo bank only on a
  demo device (``--demo``, training). Without a valid bank a production kiosk raises
  :class:`NoBankForTest`; the wizard then skips the test step with "the test is sent by SMS/e-mail"
  and the registration carries the flag :data:`TEST_BY_MESSAGE_FLAG` so the server knows.

Qt-free; the clock is injectable so tests can move time without sleeping.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.api_client import ApiClient, ApiError, ApiNotFound, ApiOffline
from kiosk.i18n import Language, Message
from kiosk.testbank import BankChoice, BankError, BankStore, BankUnavailable, signed_document_parts

log = logging.getLogger(__name__)

#: Payload flag of a registration sealed without a test because the kiosk had no valid bank.
TEST_BY_MESSAGE_FLAG = "test_by_message"

NO_BANK = Message(
    "Belum ada bank soal resmi: tes dikirim ke pendaftar lewat SMS/e-mail.",
    "No official test bank yet: applicants get the test by SMS/e-mail.",
)
SERVER_HAS_NO_BANK = Message(
    "Server pusat belum menerbitkan bank soal.",
    "The central server has not published a test bank.",
)

Outcome = Literal["never", "updated", "offline", "refused", "server_has_none"]


class NoBankForTest(BankUnavailable):
    """Production kiosk without a valid downloaded bank: the test goes out by SMS/e-mail instead."""


@dataclass(frozen=True, slots=True)
class BankStatus:
    """What the console shows about the bank (no applicant data)."""

    bank_id: str | None
    version: int | None
    source: Literal["cache", "shipped"] | None
    confirmed_at: dt.datetime | None  # last time the centre confirmed this bank (cache file mtime)
    age_s: float | None
    stale: bool
    last_attempt_at: dt.datetime | None
    last_outcome: Outcome
    problem: Message | None

    def console_text(self, language: Language = "id") -> str:
        """One line for the console: id, version, age, and the warning when stale or missing."""
        en = language == "en"
        if self.bank_id is None:
            return NO_BANK.text(language)
        text = f"{self.bank_id} v{self.version}"
        if self.source == "shipped":
            text += " (demo)" if en else " (contoh untuk pelatihan)"
        if self.age_s is not None:
            days = self.age_s / 86400
            if days >= 1:
                age = f"{days:.0f} {'days' if en else 'hari'}"
            else:
                age = f"{self.age_s / 3600:.0f} {'hours' if en else 'jam'}"
            text += f", {'age' if en else 'umur'} {age}"
        if self.stale:
            text += (
                " — WARNING: not refreshed from the centre for too long"
                if en
                else " — PERINGATAN: sudah terlalu lama tidak diperbarui dari pusat"
            )
        if self.problem is not None:
            text += f" — {self.problem.text(language)}"
        return text


def choose_bank(store: BankStore, server_key: Ed25519PublicKey | None, *, demo: bool) -> BankChoice:
    """The bank the test uses now: the verified download; the shipped demo bank only on a demo device.

    Raises :class:`NoBankForTest` on a production kiosk with no valid downloaded bank (the caller skips
    the test and flags the registration), or another :class:`BankError` when even a demo has no bank.
    """
    if demo:
        return store.current(server_key)
    problem: Message | None = None
    try:
        cached = store.cached(server_key)
    except BankError as exc:
        cached, problem = None, exc.message
    if cached is None:
        raise NoBankForTest(NO_BANK, problem.en if problem else "no downloaded bank")
    return BankChoice(cached, None)


class BankSync:
    """Keeps the kiosk's bank current: one fetch at start, then every ``refresh_s`` seconds."""

    def __init__(
        self,
        store: BankStore,
        api: ApiClient,
        server_key: Ed25519PublicKey,
        *,
        demo: bool = False,
        refresh_s: float = 6 * 3600,
        max_age_s: float = 14 * 86400,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.api = api
        self.server_key = server_key
        self.demo = demo
        self.refresh_s = refresh_s
        self.max_age_s = max_age_s
        self._clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._first_done = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_attempt: float | None = None
        self._outcome: Outcome = "never"
        self._problem: Message | None = None
        self._listeners: list[Callable[[BankStatus], None]] = []

    # -- fetching ---------------------------------------------------------------------------------

    def refresh_now(self) -> BankStatus:
        """Fetch ``GET /v1/testbank/current`` once (blocking); keep the last good bank on any failure."""
        outcome: Outcome
        problem: Message | None = None
        try:
            doc = self.api.current_testbank()
            raw, sig = signed_document_parts(doc.model_dump())
            self.store.accept(raw, sig, self.server_key)
            outcome = "updated"
        except ApiNotFound:
            outcome, problem = "server_has_none", SERVER_HAS_NO_BANK
        except ApiOffline:
            outcome = "offline"  # normal for a kiosk: no message, the cached bank stays
        except ApiError as exc:
            outcome, problem = "refused", exc.message
            log.warning("test bank fetch failed: %s", type(exc).__name__)
        except BankError as exc:
            outcome, problem = "refused", exc.message
            log.warning("downloaded test bank refused: %s", exc.detail or type(exc).__name__)
        with self._lock:
            self._last_attempt = self._clock()
            self._outcome = outcome
            self._problem = problem
            listeners = list(self._listeners)
        status = self.status()
        for listener in listeners:
            try:
                listener(status)
            except Exception:  # a broken listener must not stop the schedule
                log.exception("bank listener failed")
        return status

    def add_listener(self, listener: Callable[[BankStatus], None]) -> None:
        """Called (on the sync thread) after every fetch attempt with the new status."""
        with self._lock:
            self._listeners.append(listener)

    def start(self, wait_s: float = 0.0) -> None:
        """Fetch now and then every ``refresh_s`` on a daemon thread (stopped by :meth:`stop`).

        ``wait_s``: wait up to that long for the first fetch, so a kiosk that is online at start offers
        the centre's bank to its first applicant (the runtime opens on a worker thread, never the GUI's);
        an offline kiosk carries on after ``wait_s`` with its last good bank.
        """
        if self._thread is not None:
            return
        self._stop.clear()
        self._first_done.clear()
        self._thread = threading.Thread(target=self._run, name="bank-sync", daemon=True)
        self._thread.start()
        if wait_s > 0:
            self._first_done.wait(wait_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.refresh_now()
            except Exception:  # never let the schedule die (disk full while writing the cache ...)
                log.exception("test bank refresh crashed")
            self._first_done.set()
            self._stop.wait(self.refresh_s)

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the schedule (the thread ends within ``timeout`` unless a fetch is in flight)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    # -- status -----------------------------------------------------------------------------------

    def choice(self) -> BankChoice:
        """The bank the test should use now (see :func:`choose_bank`)."""
        return choose_bank(self.store, self.server_key, demo=self.demo)

    def status(self) -> BankStatus:
        """Bank id/version/age for the console and the heartbeat; never raises."""
        with self._lock:
            last_attempt, outcome, problem = self._last_attempt, self._outcome, self._problem
        try:
            choice = self.choice()
        except BankError as exc:
            return BankStatus(
                None, None, None, None, None, True, _utc(last_attempt), outcome, problem or exc.message
            )
        bank = choice.bank
        confirmed: float | None = None
        if bank.source == "cache":
            try:
                confirmed = self.store.cache_file.stat().st_mtime
            except OSError:
                confirmed = None
        age = max(0.0, self._clock() - confirmed) if confirmed is not None else None
        stale = age is not None and age > self.max_age_s
        return BankStatus(
            bank.bank.bank_id,
            bank.bank.version,
            bank.source,
            _utc(confirmed),
            age,
            stale,
            _utc(last_attempt),
            outcome,
            problem or choice.problem,
        )


def _utc(ts: float | None) -> dt.datetime | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, dt.UTC)
