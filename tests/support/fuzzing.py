"""What the property-based fuzz tests share: their hypothesis settings and the one-node mutation.

Why here: every parser of outside data (API replies, device files, import files, the test bank) is
fuzzed the same way — a valid document with one node replaced — and with the same budget.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def mutate(doc: Any, path: list[int], value: Any) -> Any:
    """Replace one node of ``doc`` chosen by ``path`` (indexes into keys/items) with ``value``."""
    if not path or not isinstance(doc, dict | list) or not doc:
        return value
    if isinstance(doc, dict):
        k = list(doc)[path[0] % len(doc)]
        return {**doc, k: mutate(doc[k], path[1:], value)}
    i = path[0] % len(doc)
    return [*doc[:i], mutate(doc[i], path[1:], value), *doc[i + 1 :]]
