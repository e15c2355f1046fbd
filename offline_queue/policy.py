"""How long to wait before trying again: exponential backoff with full jitter.

Why full jitter (a uniformly random wait between 0 and ``min(cap, base·2^(n-1))``): after an outage
every kiosk of a province comes back at once; randomising the whole interval spreads their retries
and keeps the server from being flattened by synchronised waves (AWS Architecture Blog, "Exponential
Backoff and Jitter", 2015). Defaults: 5 s base, 15 min cap, one upload at a time (slow links).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Timing knobs of the sync engine (seconds)."""

    base_s: float = 5.0
    cap_s: float = 900.0
    concurrency: int = 1
    lease_s: float = 900.0
    poll_s: float = 60.0
    probe_base_s: float = 5.0
    probe_cap_s: float = 120.0

    def __post_init__(self) -> None:
        if self.base_s < 0 or self.cap_s < self.base_s or self.concurrency < 1 or self.lease_s <= 0:
            raise ValueError("RetryPolicy: need 0 <= base_s <= cap_s, concurrency >= 1, lease_s > 0")
        if self.poll_s <= 0 or self.probe_base_s < 0 or self.probe_cap_s < self.probe_base_s:
            raise ValueError("RetryPolicy: need poll_s > 0 and 0 <= probe_base_s <= probe_cap_s")

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Wait before attempt number ``attempt + 1`` after ``attempt`` failures (full jitter)."""
        return full_jitter(attempt, self.base_s, self.cap_s, rng)

    def probe_delay(self, probes: int, rng: random.Random) -> float:
        """Wait before the next connectivity probe after ``probes`` failed ones."""
        return full_jitter(probes, self.probe_base_s, self.probe_cap_s, rng)


def full_jitter(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """A uniformly random delay in ``[0, min(cap, base * 2**(attempt-1))]``."""
    exponent = min(max(attempt, 1) - 1, 62)
    return rng.uniform(0.0, min(cap, base * (2.0**exponent)))
