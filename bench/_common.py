"""Shared helpers of the proof benchmarks: medians, interleaved runs, RSS, the JSON last line.

Why interleaved runs: on a shared 2-core machine the background load drifts; running the subject and
its baseline alternately (A B A B …) exposes both to the same drift, so their ratio stays honest.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Callable, Sequence
from typing import Any

import psutil


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence."""
    return float(statistics.median(values))


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by nearest rank; 0.0 for an empty sequence."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return float(ordered[rank])


def interleaved(runs: int, *subjects: Callable[[], Any]) -> list[list[Any]]:
    """Run every subject ``runs`` times, alternating; returns one result list per subject."""
    results: list[list[Any]] = [[] for _ in subjects]
    for _ in range(runs):
        for i, subject in enumerate(subjects):
            results[i].append(subject())
    return results


def rss_mb(pid: int | None = None) -> float:
    """Resident set size of a process (default: this one) in MiB."""
    return float(psutil.Process(pid or os.getpid()).memory_info().rss / (1024 * 1024))


def emit(result: dict[str, Any]) -> None:
    """Print the result as the one JSON object on the last line of stdout."""
    sys.stdout.flush()
    print(json.dumps(result, sort_keys=False), flush=True)


def log(message: str) -> None:
    """Progress on stderr, so stdout's last line stays the JSON result."""
    print(message, file=sys.stderr, flush=True)
