"""The NIK (Nomor Induk Kependudukan): parse, check offline, and compare with what was typed.

Layout ``PP KK CC DDMMYY SSSS``: province, kabupaten/kota and kecamatan codes of the place where the
NIK was first issued (never updated when a region is split, hence the historical codes in
:mod:`kiosk.regions`); date of birth with 40 added to the day for women; a serial from 0001.

Why two kinds of result: a NIK that cannot exist (wrong length, impossible date, serial 0000,
unknown region) is refused with :class:`NikError`; a NIK that disagrees with the typed birth date,
gender or address is usually a typo but can be real (birth dates corrected later, people who moved),
so those checks return a :class:`NikWarning` the person confirms ("sesuai KTP"), recorded as a flag for
central verification. All messages are in Bahasa Indonesia and English.

A :class:`Nik` never prints its digits or birth date (``repr`` masks them) so it cannot leak into logs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from kiosk.eligibility import MIN_AGE
from kiosk.i18n import Message, UserFacingError
from kiosk.jakarta_time import age_on
from kiosk.jakarta_time import today as jakarta_today
from kiosk.regions import RegionTable
from kiosk.regions import table as default_regions

Gender = Literal["L", "P"]
NikErrorKind = Literal["characters", "length", "date", "age", "serial", "region"]

#: The century of a two-digit year is chosen so that the person is the programme's minimum age or older
#: (``kiosk.eligibility.MIN_AGE``, the one minimum age) ... ; a NIK of someone younger still parses (its
#: most recent century), so that being under 18 is said once, by ``kiosk.eligibility`` on the birth date.
MIN_AGE_FOR_CENTURY = MIN_AGE
#: ... and at most this old. A NIK fitting neither century is refused.
MAX_AGE = 100
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u2010-\u2015]+")
_DIGITS = re.compile(r"[0-9]*")
MAX_INPUT_LENGTH = 64


class NikError(UserFacingError, ValueError):
    """The text is not a possible NIK; ``message`` says why in both languages, ``kind`` names the rule."""

    def __init__(self, kind: NikErrorKind, message: Message) -> None:
        super().__init__(message, message.id)
        self.kind: NikErrorKind = kind
        self.message = message


@dataclass(frozen=True, slots=True, repr=False)
class Nik:
    """A parsed NIK. ``digits`` is the normalised 16-digit string."""

    digits: str
    province: str
    regency: str
    district: str
    birth_date: dt.date
    gender: Gender
    serial: str

    @property
    def region_code(self) -> str:
        """Dotted kecamatan code of first registration, e.g. ``"32.76.01"``."""
        return f"{self.province}.{self.regency}.{self.district}"

    def __repr__(self) -> str:
        return f"Nik({self.province}.{self.regency}.{self.district}.******.****)"

    def __str__(self) -> str:
        return self.__repr__()


@dataclass(frozen=True, slots=True)
class NikWarning:
    """A disagreement between the NIK and typed data that the person may confirm as correct.

    ``field`` is the input it is shown next to; ``flag`` is what the payload records once confirmed.
    """

    flag: str
    field: str
    message: Message


def clean(text: str) -> str:
    """The text without the spaces, dots and hyphens people type between groups of digits."""
    return _SEPARATORS.sub("", text)


def _error(kind: NikErrorKind, id_text: str, en_text: str) -> NikError:
    return NikError(kind, Message(id_text, en_text))


def _birth_date(dd: int, mm: int, yy: int, today: dt.date) -> dt.date:
    impossible = _error(
        "date",
        "Tanggal lahir di dalam NIK tidak mungkin. Cocokkan lagi 16 angka dengan KTP Anda.",
        "The date of birth inside the NIK is impossible. Compare the 16 digits with your KTP again.",
    )
    if not 1 <= mm <= 12:
        raise impossible
    day = dd - 40 if dd > 40 else dd
    if day < 1:
        raise impossible
    valid_dates: list[dt.date] = []
    for century in (2000, 1900):
        try:
            candidate = dt.date(century + yy, mm, day)
        except ValueError:
            continue
        valid_dates.append(candidate)
        if candidate <= today and MIN_AGE_FOR_CENTURY <= age_on(candidate, today) <= MAX_AGE:
            return candidate
    if not valid_dates:
        raise impossible
    younger = [d for d in valid_dates if d <= today and age_on(d, today) < MIN_AGE_FOR_CENTURY]
    if younger:
        return max(younger)  # too young for the programme: the age rule says so, with its own message
    raise _error(
        "age",
        f"Menurut NIK, umur Anda lebih dari {MAX_AGE} tahun. Cocokkan lagi 16 angka dengan KTP Anda.",
        f"By the NIK you are older than {MAX_AGE}. Compare the 16 digits with your KTP again.",
    )


def parse(text: str, *, today: dt.date | None = None, regions: RegionTable | None = None) -> Nik:
    """Parse a NIK typed by a person, or raise :class:`NikError` saying what is wrong.

    ``today`` (the date in Jakarta, default: now) decides the century of the two-digit year.
    Never raises anything else for any string.
    """
    if not isinstance(text, str):
        raise _error("characters", "NIK harus berupa angka.", "The NIK must be a number.")
    digits = clean(text[: MAX_INPUT_LENGTH + 1])
    if len(text) > MAX_INPUT_LENGTH or not _DIGITS.fullmatch(digits) or not digits.isascii():
        raise _error(
            "characters",
            "NIK hanya berisi angka 0-9. Cocokkan lagi 16 angka dengan KTP Anda.",
            "The NIK has only the digits 0-9. Compare the 16 digits with your KTP again.",
        )
    if len(digits) != 16:
        raise _error(
            "length",
            f"NIK harus 16 angka; yang diketik {len(digits)} angka. Cocokkan lagi 16 angka dengan KTP Anda.",
            f"The NIK must have 16 digits; {len(digits)} were typed. Compare the 16 digits with your KTP again.",
        )
    when = today if today is not None else jakarta_today()
    birth = _birth_date(int(digits[6:8]), int(digits[8:10]), int(digits[10:12]), when)
    if digits[12:] == "0000":
        raise _error(
            "serial",
            "Empat angka terakhir NIK tidak mungkin 0000. Cocokkan lagi 16 angka dengan KTP Anda.",
            "The last four digits of a NIK cannot be 0000. Compare the 16 digits with your KTP again.",
        )
    table = regions if regions is not None else default_regions()
    if not table.is_known_nik_prefix(digits[0:2], digits[2:4], digits[4:6]):
        raise _error(
            "region",
            "6 angka pertama NIK bukan kode wilayah yang dikenal. Cocokkan lagi 16 angka dengan KTP Anda. "
            "Jika sudah sama, minta petugas membantu.",
            "The first 6 digits of the NIK are not a known region code. Compare the 16 digits with your KTP "
            "again. If they are the same, ask the staff for help.",
        )
    return Nik(
        digits=digits,
        province=digits[0:2],
        regency=digits[2:4],
        district=digits[4:6],
        birth_date=birth,
        gender="P" if int(digits[6:8]) > 40 else "L",
        serial=digits[12:],
    )


def check_birth_date(nik: Nik, typed: dt.date) -> NikWarning | None:
    """Warn when the typed date of birth differs from the one inside the NIK."""
    if typed == nik.birth_date:
        return None
    return NikWarning(
        "nik_birth_date_mismatch",
        "birth_date",
        Message(
            "Tanggal lahir tidak cocok dengan NIK. Cocokkan lagi dengan KTP Anda. Jika sudah sama, tekan "
            "'Ya, sudah sesuai KTP'.",
            "The date of birth is not the same as in the NIK. Compare it with your KTP again. If it is the "
            "same, press 'Yes, it matches the KTP'.",
        ),
    )


def check_gender(nik: Nik, typed: str) -> NikWarning | None:
    """Warn when the typed gender differs from the one the NIK encodes (day + 40 for women)."""
    if typed == nik.gender:
        return None
    return NikWarning(
        "nik_gender_mismatch",
        "gender",
        Message(
            "Jenis kelamin tidak cocok dengan NIK. Cocokkan lagi dengan KTP Anda. Jika sudah sama, tekan "
            "'Ya, sudah sesuai KTP'.",
            "The gender is not the same as in the NIK. Compare it with your KTP again. If it is the same, "
            "press 'Yes, it matches the KTP'.",
        ),
    )


def check_region(
    nik: Nik, province_code: str, regency_code: str, regions: RegionTable | None = None
) -> NikWarning | None:
    """Warn when the chosen province or kabupaten/kota differs from where the NIK was issued.

    Historical NIK codes are first mapped to today's codes (91.01 -> 93.01), so a Merauke NIK issued
    before 2022 agrees with a Merauke address. A difference is common (people move), hence a warning.
    """
    table = regions if regions is not None else default_regions()
    current = table.current_code(nik.region_code) or nik.region_code
    nik_province, nik_regency = current[:2], current[:5]
    if province_code != nik_province:
        return NikWarning(
            "nik_province_mismatch",
            "province_code",
            Message(
                "Provinsi alamat berbeda dengan kode wilayah NIK. Jika Anda sudah pindah dan alamat ini "
                "sesuai KTP, tekan 'Ya, sudah sesuai KTP'.",
                "The province of the address differs from the NIK's region code. If you have moved and "
                "this address is as on the KTP, press 'Yes, it matches the KTP'.",
            ),
        )
    if regency_code != nik_regency:
        return NikWarning(
            "nik_regency_mismatch",
            "regency_code",
            Message(
                "Kabupaten/kota alamat berbeda dengan kode wilayah NIK. Jika Anda sudah pindah dan alamat "
                "ini sesuai KTP, tekan 'Ya, sudah sesuai KTP'.",
                "The regency/city of the address differs from the NIK's region code. If you have moved "
                "and this address is as on the KTP, press 'Yes, it matches the KTP'.",
            ),
        )
    return None
