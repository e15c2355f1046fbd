"""USB import memory: peak RSS importing a queue file that holds one huge item (issue 18, item 16).

``python -m bench.import_rss [--huge-mb 400]``. The file holds three 300 KB items and one item of
``--huge-mb`` MB (what a broken or hostile stick can carry). Subject: ``Outbox.import_from`` with the
kiosk's envelope limit (8 MiB), which checks the whole file in 1 MB chunks and skips the huge item
unread. Baseline, measured in the same run in its own process: reading every entry as the import did
before (``exchange.read_export``, each blob whole in memory). Each side runs in a fresh process so its
``ru_maxrss`` is its own. The last line is JSON; target: ``peak_rss_mb`` ≤ 100 whatever ``--huge-mb``.
Before the change the import itself took 1,223 MB for a 400 MB item.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import resource, sys, time
from pathlib import Path
from offline_queue import exchange
from offline_queue.outbox import Outbox
src, mode, db = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
start = time.perf_counter()
if mode == "subject":
    with Outbox(db) as ob:
        report = ob.import_from(src, max_item_bytes=8 << 20)
    n = len(report.imported)
else:
    n = sum(1 for _ in exchange.read_export(src))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, n, round(time.perf_counter() - start, 2))
"""


def _make(path: Path, huge_mb: int) -> None:
    from offline_queue import exchange
    from tests.support.export_items import pending_item

    sizes = [300_000, huge_mb << 20, 300_000, 300_000]

    def items():  # type: ignore[no-untyped-def]
        for n, size in enumerate(sizes):
            data = os.urandom(size)
            yield pending_item(f"item-{n}", data), data

    exchange.write_export(path, items())


def _run(src: Path, mode: str, db: Path) -> tuple[int, int, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(src), mode, str(db)], check=True, capture_output=True, text=True
    ).stdout.split()
    return int(out[0]), int(out[1]), float(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--huge-mb", type=int, default=400)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "stick.oqx"
        # In a process of its own: Linux keeps ru_maxrss across fork+exec, so a parent that held the
        # huge item would lend its peak to both children.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, bench.import_rss as b; b._make(__import__('pathlib').Path(sys.argv[1]), int(sys.argv[2]))",
                str(src),
                str(args.huge_mb),
            ],
            check=True,
        )
        subject = _run(src, "subject", Path(tmp) / "office.sqlite3")
        baseline = _run(src, "baseline", Path(tmp) / "unused.sqlite3")
    result = {
        "huge_item_mb": args.huge_mb,
        "peak_rss_mb": subject[0],
        "imported": subject[1],
        "seconds": subject[2],
        "baseline_peak_rss_mb": baseline[0],
        "baseline_items_read": baseline[1],
        "ratio_to_baseline": round(subject[0] / max(1, baseline[0]), 3),
        "measured": "ru_maxrss of a fresh process: streamed import with the 8 MiB limit vs reading every "
        "blob whole (the import's old way)",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
