"""Who may register: age 18 or over on today's date in Jakarta, and the declaration statements.

Why kind refusals: the person at the kiosk is often alone after a short explanation. A bare "ditolak"
makes people retry with invented data; saying why and what they can do (come back on their 18th
birthday, register after leaving school) keeps the data honest and the visit short. Each
:class:`Refusal` carries both. Eligibility here is only what the kiosk can know; the central service
still verifies (once-per-lifetime benefit, NIK against Dukcapil, face match).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.declaration import STATEMENTS
from kiosk.i18n import Message
from kiosk.jakarta_time import age_on

MIN_AGE = 18


@dataclass(frozen=True, slots=True)
class Refusal:
    """A reason the registration cannot go on, shown next to ``field``."""

    code: str
    field: str
    why: Message
    what_to_do: Message

    @property
    def message(self) -> Message:
        """Both parts as one message (for field problem lists)."""
        return Message(f"{self.why.id} {self.what_to_do.id}", f"{self.why.en} {self.what_to_do.en}")


def eighteenth_birthday(birth_date: dt.date) -> dt.date:
    """The first day the person is 18 (1 March for a 29 February birthday in a common year)."""
    try:
        return birth_date.replace(year=birth_date.year + MIN_AGE)
    except ValueError:
        return dt.date(birth_date.year + MIN_AGE, 3, 1)


def check_age(birth_date: dt.date, today: dt.date) -> Refusal | None:
    """Refuse people younger than 18 on ``today`` (the Jakarta date); 18 today is old enough."""
    if age_on(birth_date, today) >= MIN_AGE:
        return None
    when = eighteenth_birthday(birth_date)
    if birth_date > today:
        return Refusal(
            "birth_date_future",
            "birth_date",
            Message("Tanggal lahir ada di masa depan.", "The date of birth is in the future."),
            Message(
                "Periksa kembali tanggal lahir sesuai KTP.", "Please check the date of birth on the KTP."
            ),
        )
    return Refusal(
        "under_age",
        "birth_date",
        Message(
            f"Kartu Prakerja untuk usia 18 tahun ke atas. Anda berusia 18 tahun pada {when:%d-%m-%Y}.",
            f"Kartu Prakerja is for people aged 18 and over. You turn 18 on {when:%d-%m-%Y}.",
        ),
        Message(
            "Silakan datang kembali mulai tanggal itu. Jika tanggal lahir salah ketik, perbaiki dulu.",
            "Please come back from that date. If the date of birth was mistyped, correct it first.",
        ),
    )


def check_declaration(answers: Mapping[str, bool]) -> list[Refusal]:
    """A refusal for each statement answered "no"; unanswered statements are not refusals (missing)."""
    refusals: list[Refusal] = []
    for statement in STATEMENTS:
        if answers.get(statement.id) is False:
            refusals.append(
                Refusal(
                    f"declaration_{statement.id}",
                    f"declaration.{statement.id}",
                    statement.refusal,
                    Message(
                        "Jika jawaban ini keliru, ubah jawabannya. Petugas dapat membantu.",
                        "If this answer was a mistake, change it. The staff can help.",
                    ),
                )
            )
    return refusals


def check(birth_date: dt.date | None, answers: Mapping[str, bool], today: dt.date) -> list[Refusal]:
    """Every refusal that applies to what is known so far."""
    refusals: list[Refusal] = []
    if birth_date is not None:
        age = check_age(birth_date, today)
        if age is not None:
            refusals.append(age)
    refusals.extend(check_declaration(answers))
    return refusals
