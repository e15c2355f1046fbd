"""Historical kecamatan codes (issue 23): every kecamatan of the archived pre-split tables parses.

The committed ``resources/regions/historical_districts.tsv`` lists each kecamatan of provinces 91 and 92
in the last Kemendagri table before the 2022 Papua split (and the Kalimantan Utara rows), with the
current code found by name. These tests read that file with their own parser, generate a valid NIK for
every row and check it against the shipped SQLite file through the public APIs, cross-check the file
against counts recorded independently in issue 23, and show that codes absent from every table, the
phantom codes the old suffix copy produced among them, are refused.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from kiosk import nik, regions

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "resources" / "regions"
TODAY = dt.date(2026, 11, 23)

#: Counts quoted in issue 23, measured there against the same 2022 archive (independent of our file).
ISSUE_MOVED_DISTRICTS = 594
ISSUE_RENUMBERED = 229
ISSUE_PHANTOMS_EXAMPLES = ("91.02.02", "92.01.16")


@dataclass(frozen=True)
class Row:
    old_code: str
    old_name: str
    old_regency: str
    current_code: str
    basis: str


@cache
def rows() -> tuple[Row, ...]:
    out = []
    for line in (DATA / "historical_districts.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip() or line.startswith("old_code\t"):
            continue
        out.append(Row(*line.split("\t")))
    return tuple(out)


@cache
def moved_regencies() -> dict[str, str]:
    out = {}
    for line in (DATA / "historical_regencies.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        old, new, _year, _name = line.split("\t")
        out[old] = new
    return out


def papua_rows() -> list[Row]:
    return [r for r in rows() if r.old_code[:2] in ("91", "92")]


def make_nik(code: str, serial: int = 1) -> str:
    return f"{code.replace('.', '')}150790{serial:04d}"


def fold(name: str) -> str:
    return "".join(regions.normalise_name(name).split())


def expected_regency(row: Row) -> str:
    return moved_regencies().get(row.old_code[:5], row.old_code[:5])


def test_file_matches_the_counts_recorded_in_the_issue() -> None:
    papua = papua_rows()
    moved = [r for r in papua if r.old_code[:5] in moved_regencies()]
    assert len(moved) == ISSUE_MOVED_DISTRICTS
    assert len({r.old_code for r in rows()}) == len(rows())  # no code listed twice
    bases = Counter(r.basis for r in moved)
    assert bases == {"name": 589, "none": 5}
    renumbered = [r for r in moved if r.basis == "name" and r.current_code[5:] != r.old_code[5:]]
    assert len(renumbered) == ISSUE_RENUMBERED
    # Every kecamatan of a regency that stayed in 91/92 is listed as still current.
    assert {r.basis for r in papua if r not in moved} == {"unchanged"}
    # Each of the 26 moved Papua regencies has its kecamatan; none comes from a suffix copy.
    assert {r.old_code[:5] for r in moved} == {o for o in moved_regencies() if o[:2] in ("91", "92")}
    assert all(r.basis != "suffix" for r in papua)


@pytest.mark.parametrize("row", papua_rows(), ids=lambda r: r.old_code)
def test_every_archived_papua_kecamatan_parses_and_maps_to_its_regency(row: Row) -> None:
    parsed = nik.parse(make_nik(row.old_code), today=TODAY)
    assert parsed.region_code == row.old_code
    current = regions.current_code(row.old_code)
    assert current is not None
    regency = expected_regency(row)
    assert current[:5] == regency
    assert nik.check_region(parsed, regency[:2], regency) is None
    if row.basis == "none":
        assert current == regency  # no namesake today: regency level only
    else:
        assert current == row.current_code
        today = regions.get(current)
        assert today is not None and fold(today.name) == fold(row.old_name)
    if row.basis == "unchanged":
        assert current == row.old_code
    else:
        assert regions.get(row.old_code) is None  # never offered in the address pickers


def test_kalimantan_utara_rows() -> None:
    kaltara = [r for r in rows() if r.old_code.startswith("64.")]
    assert len(kaltara) == 50 and {r.basis for r in kaltara} == {"suffix"}
    for row in kaltara:
        parsed = nik.parse(make_nik(row.old_code), today=TODAY)
        assert regions.current_code(parsed.region_code) == row.current_code
        assert row.current_code[:5] == moved_regencies()[row.old_code[:5]]
    # Nunukan kecamatan created after the oldest archive (2015) cannot be on a 64.05 NIK.
    for suffix in ("17", "18", "19", "20", "21"):
        assert regions.get(f"65.03.{suffix}") is not None
        assert not regions.is_known_nik_prefix("64", "05", suffix)


def test_examples_from_the_issue() -> None:
    for code, name in [
        ("91.02.41", "Napua"),
        ("91.02.55", "Tagime"),
        ("91.04.16", "Teluk Kimi"),
        ("91.08.25", "Muye"),
        ("91.02.03", "Kurulu"),
    ]:
        parsed = nik.parse(make_nik(code), today=TODAY)
        current = regions.current_code(parsed.region_code)
        assert current is not None
        region = regions.get(current)
        assert region is not None and region.name == name, (code, region)
    # Kurulu was mapped to 95.01.03 Asologaima by the old suffix copy.
    assert regions.current_code("91.02.03") != "95.01.03"
    for code in ISSUE_PHANTOMS_EXAMPLES:
        with pytest.raises(nik.NikError) as info:
            nik.parse(make_nik(code), today=TODAY)
        assert info.value.kind == "region"


def test_codes_absent_from_every_table_are_refused() -> None:
    """Every kecamatan suffix of every moved regency that neither table lists is refused."""
    listed = {r.old_code for r in rows()}
    refused = 0
    for old in moved_regencies():
        for suffix in range(100):
            code = f"{old}.{suffix:02d}"
            if code in listed:
                assert regions.is_known_nik_prefix(*code.split("."))
                continue
            assert not regions.is_known_nik_prefix(*code.split(".")), code
            assert regions.current_code(code) is None
            refused += 1
    assert refused == len(moved_regencies()) * 100 - len([c for c in listed if c[:5] in moved_regencies()])
    for code in ("91.02.02", "92.01.16", "91.01.23", "93.01.99", "32.76.99", "96.01.99"):
        with pytest.raises(nik.NikError) as info:
            nik.parse(make_nik(code), today=TODAY)
        assert info.value.kind == "region"
        assert "kode wilayah" in info.value.message.id and "region code" in info.value.message.en


def test_shipped_file_holds_exactly_the_listed_codes() -> None:
    """No historical kecamatan in the SQLite file that the archive rows do not list (no phantoms)."""
    con = sqlite3.connect(f"{regions.default_path().resolve().as_uri()}?mode=ro", uri=True)
    try:
        stored = {
            regions.normalise_code(str(i))
            for (i,) in con.execute("SELECT id FROM historical WHERE id >= 100000")
        }
    finally:
        con.close()
    expected = {r.old_code for r in rows() if r.basis != "unchanged"}
    assert stored == expected


def _build_module():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import build_regions
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return build_regions


def test_build_refuses_a_stale_match(tmp_path: Path) -> None:
    """A committed match that no longer holds stops the build instead of shipping a wrong mapping."""
    build = _build_module()
    source = (DATA / "historical_districts.tsv").read_text(encoding="utf-8")
    assert "91.02.03\tKurulu\tKAB. JAYAWIJAYA\t95.01.02\tname" in source
    current = build._load_json_gz(build._source_files(None)[0])
    regencies = build._read_historical(current)
    good = build.read_historical_districts()
    assert len(build.historical_district_rows(good, regencies, current)) == 644
    stale = tmp_path / "stale.tsv"
    stale.write_text(
        source.replace(
            "91.02.03\tKurulu\tKAB. JAYAWIJAYA\t95.01.02", "91.02.03\tKurulu\tKAB. JAYAWIJAYA\t95.01.03"
        )
    )
    with pytest.raises(SystemExit, match=r"91\.02\.03"):
        build.historical_district_rows(build.read_historical_districts(stale), regencies, current)
    # A moved regency without kecamatan rows is an error, not a silent suffix copy.
    partial = [r for r in good if not r.old_code.startswith("91.02.")]
    with pytest.raises(SystemExit, match=r"91\.02"):
        build.historical_district_rows(partial, regencies, current)
