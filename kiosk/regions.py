"""Kemendagri regions: provinsi -> kabupaten/kota -> kecamatan -> kelurahan/desa, with name search.

Why SQLite: the table has about 91,600 rows. Parsing them into Python objects at start-up costs a
quarter of a second and 20 MB; an indexed, read-only SQLite file (built by
``scripts/build_regions.py``) opens in about a millisecond and answers each picker query from the
index. The file also holds *historical* codes (regencies that moved to a new province, e.g. Papua
91/92 -> 93-96 in 2022, and every kecamatan they had in the last archived table before the move): a NIK
keeps the code of the place where it was first issued, so :func:`is_known_nik_prefix` accepts them and
:func:`current_code` maps them to today's code, while the address pickers only offer current codes.
Historical kecamatan were matched to today's by name, not by suffix (most Papua kecamatan were
renumbered in the move); one whose name no longer exists maps to its current regency only.

Codes are dotted Kemendagri codes: ``"32"``, ``"32.76"``, ``"32.76.01"``, ``"32.76.01.1001"``.
Module-level functions use one shared table opened on first use; pass a path to :class:`RegionTable`
to use another file (an update shipped separately, or tests).
"""

from __future__ import annotations

import re
import sqlite3
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kiosk.i18n import Message, UserFacingError

Level = Literal[1, 2, 3, 4]
LEVEL_PROVINCE: Level = 1
LEVEL_REGENCY: Level = 2
LEVEL_DISTRICT: Level = 3
LEVEL_VILLAGE: Level = 4
_CODE_LENGTH: dict[int, int] = {1: 2, 2: 5, 3: 8, 4: 13}
_LEVEL_OF_LENGTH: dict[int, Level] = {2: 1, 5: 2, 8: 3, 13: 4}
_CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
MAX_RESULTS = 200
_TYPE_PREFIXES: tuple[tuple[int, list[str]], ...] = (
    (2, ["kota", "administrasi"]),
    (2, ["kota", "adm"]),
    (1, ["kabupaten"]),
    (1, ["kota"]),
)


class RegionTableError(UserFacingError, RuntimeError):
    """The shipped region file is missing or unreadable (a packaging fault, not the applicant's)."""

    def __init__(self, detail: str) -> None:
        self.message = Message(
            "Daftar wilayah tidak dapat dibuka. Mohon hubungi petugas.",
            "The region list cannot be opened. Please ask the staff for help.",
        )
        super().__init__(self.message, f"{self.message.en} ({detail})")


@dataclass(frozen=True, slots=True)
class Region:
    """One region; ``parent`` is ``None`` for provinces."""

    code: str
    name: str

    @property
    def level(self) -> Level:
        return _LEVEL_OF_LENGTH[len(self.code)]

    @property
    def parent(self) -> str | None:
        return self.code.rpartition(".")[0] or None

    @property
    def kind(self) -> str:
        """Indonesian kind: provinsi, kabupaten, kota, kecamatan, kelurahan or desa."""
        level = self.level
        if level == 1:
            return "provinsi"
        if level == 2:
            return "kota" if self.name.casefold().startswith("kota ") else "kabupaten"
        if level == 3:
            return "kecamatan"
        return "kelurahan" if self.code[9] == "1" else "desa"


def normalise_name(text: str) -> str:
    """Lower case, accents and punctuation removed, words separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(_NOT_ALNUM.sub(" ", folded).split())


def search_keys(name: str) -> list[str]:
    """Index keys of a name: the words from each word start, joined without spaces.

    Why every word start: people type "bandung" for "Kabupaten Bandung" and "jaya" for "Puncak Jaya";
    spaces are dropped so "tanjungpriok" and "tanjung priok" both match.
    """
    words = normalise_name(name).split()
    keys = ["".join(words[i:]) for i in range(len(words))]
    skip = next((n for n, kind in _TYPE_PREFIXES if words[:n] == kind), 0)
    # The name proper ("bandung" in "Kabupaten Bandung") ranks first; the kind-prefixed keys after.
    return keys[skip:] + keys[:skip]


def normalise_code(code: str) -> str | None:
    """Dotted form of a code typed with or without dots (``"3276011001"`` -> ``"32.76.01.1001"``)."""
    text = code.strip()
    if _CODE_RE.fullmatch(text):
        return text
    digits = re.sub(r"[\s.]", "", text)
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 10):
        return None
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)


def default_path() -> Path:
    """The shipped file; inside a PyInstaller bundle it sits under ``sys._MEIPASS``."""
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parent.parent
    return root / "resources" / "regions" / "regions.sqlite"


def code_id(code: str) -> int:
    """Integer form used inside the file (``"32.76.01"`` -> ``327601``): smaller than text codes."""
    return int(code.replace(".", ""))


def _dotted(code_int: int) -> str:
    digits = str(code_int)
    parts = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(p for p in parts if p)


_DIGITS_OF_LEVEL: dict[int, int] = {1: 2, 2: 4, 3: 6, 4: 10}


def _descendant_range(parent: str, level: int) -> tuple[int, int]:
    """Inclusive id range of the descendants of ``parent`` at ``level`` (digits are appended)."""
    shift = 10 ** (_DIGITS_OF_LEVEL[level] - len(parent.replace(".", "")))
    base = code_id(parent)
    return base * shift, (base + 1) * shift - 1


def _level_range(level: int) -> tuple[int, int]:
    digits = _DIGITS_OF_LEVEL[level]
    return 10 ** (digits - 1), 10**digits - 1


class RegionTable:
    """Read-only access to one region file. Thread-safe; opens the file on first query."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path or default_path()
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._con is None:
            if not self._path.is_file():
                raise RegionTableError(f"missing file {self._path}")
            uri = self._path.resolve().as_uri() + "?mode=ro&immutable=1"
            try:
                con = sqlite3.connect(uri, uri=True, check_same_thread=False)
                con.execute("SELECT 1 FROM region LIMIT 1").fetchall()
            except sqlite3.Error as exc:
                raise RegionTableError(str(exc)) from None
            self._con = con
        return self._con

    def _query(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return list(self._connection().execute(sql, args).fetchall())
            except sqlite3.Error as exc:
                raise RegionTableError(str(exc)) from None

    def _regions(self, sql: str, args: tuple[object, ...] = ()) -> list[Region]:
        return [Region(_dotted(int(str(i))), str(n)) for i, n in self._query(sql, args)]

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def meta(self) -> dict[str, str]:
        """Source, licence and vintage recorded by the build script."""
        return {str(k): str(v) for k, v in self._query("SELECT key, value FROM meta")}

    def provinces(self) -> list[Region]:
        return self._regions("SELECT id, name FROM region WHERE id BETWEEN 10 AND 99 ORDER BY id")

    def children(self, code: str) -> list[Region]:
        """Direct children of a region, in code order; ``[]`` for villages and unknown codes."""
        parent = normalise_code(code)
        if parent is None or len(parent) == 13:
            return []
        low, high = _descendant_range(parent, _LEVEL_OF_LENGTH[len(parent)] + 1)
        return self._regions("SELECT id, name FROM region WHERE id BETWEEN ? AND ? ORDER BY id", (low, high))

    def get(self, code: str) -> Region | None:
        """The current region with this code, or ``None`` (historical codes are not regions)."""
        norm = normalise_code(code)
        if norm is None:
            return None
        rows = self._regions("SELECT id, name FROM region WHERE id = ?", (code_id(norm),))
        return rows[0] if rows else None

    def search(
        self, prefix: str, level: Level | None = None, parent: str | None = None, limit: int = 50
    ) -> list[Region]:
        """Regions whose name, or a word of it onwards, starts with ``prefix`` (case/space-insensitive).

        Matches on the first word come first, then by level and name. ``parent`` restricts the search
        to descendants of that code (e.g. villages in one kecamatan).
        """
        key = "".join(normalise_name(prefix).split())
        if not key:
            return []
        levels: list[int] = [level] if level is not None else [1, 2, 3, 4]
        ranges: list[tuple[int, int]] = []
        if parent is not None:
            norm_parent = normalise_code(parent)
            if norm_parent is None:
                return []
            parent_level = _LEVEL_OF_LENGTH[len(norm_parent)]
            ranges = [_descendant_range(norm_parent, lv) for lv in levels if lv > parent_level]
        elif level is not None:
            ranges = [_level_range(level)]
        sql = (
            "SELECT r.id, r.name FROM search_key k JOIN region r ON r.id = k.id"
            " WHERE k.key >= ? AND k.key < ?"
        )
        args: list[object] = [key, key + "\x7f"]
        if ranges:
            sql += " AND (" + " OR ".join("k.id BETWEEN ? AND ?" for _ in ranges) + ")"
            for low, high in ranges:
                args += [low, high]
        elif parent is not None:
            return []
        sql += " GROUP BY r.id ORDER BY min(k.pos), r.id < 100 DESC, r.id < 10000 DESC, r.id < 1000000 DESC, r.name LIMIT ?"
        args.append(max(1, min(limit, MAX_RESULTS)))
        return self._regions(sql, tuple(args))

    def current_code(self, code: str) -> str | None:
        """Today's code for a current or historical regency/kecamatan code, else ``None``.

        A historical kecamatan with no current namesake (5 in Papua) yields its current *regency*
        code (``"91.13.36"`` -> ``"95.03"``): the NIK is valid and the address cross-check works at
        regency level, which is all it compares.
        """
        norm = normalise_code(code)
        if norm is None:
            return None
        if self.get(norm) is not None:
            return norm
        rows = self._query("SELECT current_id FROM historical WHERE id = ?", (code_id(norm),))
        return _dotted(int(str(rows[0][0]))) if rows else None

    def is_known_nik_prefix(self, pp: str, kk: str, cc: str) -> bool:
        """True when ``pp.kk.cc`` is a current kecamatan code or was one before its regency moved."""
        code = f"{pp}.{kk}.{cc}"
        if len(code) != 8 or not _CODE_RE.fullmatch(code):
            return False
        return self.current_code(code) is not None


_default: RegionTable | None = None
_default_lock = threading.Lock()


def table() -> RegionTable:
    """The shared table of the shipped file (opened lazily, on first query)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = RegionTable()
        return _default


def provinces() -> list[Region]:
    return table().provinces()


def children(code: str) -> list[Region]:
    return table().children(code)


def get(code: str) -> Region | None:
    return table().get(code)


def search(
    prefix: str, level: Level | None = None, parent: str | None = None, limit: int = 50
) -> list[Region]:
    return table().search(prefix, level=level, parent=parent, limit=limit)


def current_code(code: str) -> str | None:
    return table().current_code(code)


def is_known_nik_prefix(pp: str, kk: str, cc: str) -> bool:
    return table().is_known_nik_prefix(pp, kk, cc)
