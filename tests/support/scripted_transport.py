"""An in-process transport for the sync engine's state-machine tests.

It is a real implementation of the ``Transport`` protocol (the engine cannot tell it from the HTTP one):
an idempotent store of blobs by id, like the reference server, whose replies can be scripted per call
("the next call answers 429 with Retry-After 30"). Network behaviour is tested separately against the
real reference API over HTTP.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from offline_queue.transport import Delivery, Outcome, classify_http


@dataclass
class Call:
    item_id: str
    at: float
    outcome: Outcome


@dataclass
class ScriptedTransport:
    clock: Callable[[], float] = time.time
    script: list[Delivery | tuple[int, dict[str, str], bytes] | Exception] = field(default_factory=list)
    send_seconds: float = 0.0
    stored: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, item_id: str, blob: bytes) -> Delivery:
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            step = self.script.pop(0) if self.script else None
        try:
            if self.send_seconds:
                time.sleep(self.send_seconds)
            if isinstance(step, Exception):
                raise step
            if isinstance(step, tuple):
                delivery = classify_http(*step, now=self.clock())
            elif isinstance(step, Delivery):
                delivery = step
            else:
                delivery = self._store(item_id, blob)
            with self._lock:
                self.calls.append(Call(item_id, self.clock(), delivery.outcome))
            return delivery
        finally:
            with self._lock:
                self.active -= 1

    def _store(self, item_id: str, blob: bytes) -> Delivery:
        sha = hashlib.sha256(blob).hexdigest()
        with self._lock:
            known = self.stored.get(item_id)
            if known is None:
                self.stored[item_id] = sha
                return Delivery(
                    Outcome.DELIVERED, receipt={"submission_id": item_id, "sha256": sha}, status=201
                )
        if known == sha:
            return Delivery(
                Outcome.DELIVERED, receipt={"submission_id": item_id, "duplicate": True}, status=200
            )
        return Delivery(Outcome.ATTENTION, reason="conflict", status=409)
