"""kiosk.memory: the glibc arena cap and the after-session release are real calls, safe everywhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kiosk import memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_arena_cap_and_release_apply_on_glibc() -> None:
    code = (
        "from kiosk import memory; a = memory.limit_malloc_arenas(); "
        "blocks = [bytearray(64 * 1024) for _ in range(2000)]; del blocks; "
        "print(a, memory.release_free_memory())"
    )
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    applied, _released = result.stdout.split()
    assert applied == "True"


def test_an_administrators_malloc_arena_max_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_malloc_arenas() is False


def test_without_glibc_both_are_quiet_no_ops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.setattr(memory, "_glibc", lambda: None)
    assert memory.limit_malloc_arenas() is False
    assert memory.release_free_memory() is False
