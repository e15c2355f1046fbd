"""Guidance codes shown over the live preview, in priority order, with their bilingual texts.

Why codes and not strings: the analysis returns codes (stable, testable, loggable without personal
data); this table turns them into the short imperative texts the applicant reads ("Dekatkan KTP").
The enum's order is the priority: the UI shows the first problem big and may list the rest.
Texts stay within ~40 characters: the preview draws the first one on a single line over the picture.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from kiosk.i18n import Message


class Guidance(enum.IntEnum):
    """A reason the current frame is not good enough yet; lower value = more important."""

    BAD_FRAME = 1
    TOO_DARK = 2
    TOO_BRIGHT = 3
    NO_CARD = 4
    CARD_CUT_OFF = 5
    MOVE_CARD_CLOSER = 6
    THUMB_ON_CARD = 7
    THUMB_ON_NIK = 8
    NO_FACE = 10
    MANY_FACES = 11
    MOVE_FACE_CLOSER = 12
    CENTRE_FACE = 13
    EYES_NOT_VISIBLE = 14
    CARD_NOT_VISIBLE = 15
    CARD_TOO_LOW = 16
    CARD_TOO_FAR = 17
    GLARE = 20
    BLURRY = 21
    NIK_UNREADABLE = 22
    NIK_MISMATCH = 23


MESSAGES: dict[Guidance, Message] = {
    Guidance.BAD_FRAME: Message("Gambar kamera tidak terbaca", "Camera image unreadable"),
    Guidance.TOO_DARK: Message("Terlalu gelap — cari tempat lebih terang", "Too dark — find more light"),
    Guidance.TOO_BRIGHT: Message("Terlalu terang", "Too bright"),
    Guidance.NO_CARD: Message("Arahkan KTP ke kamera", "Show the KTP to the camera"),
    Guidance.CARD_CUT_OFF: Message(
        "KTP terpotong — masukkan seluruh kartu", "KTP cut off — fit the whole card in"
    ),
    Guidance.MOVE_CARD_CLOSER: Message("Dekatkan KTP", "Move the KTP closer"),
    Guidance.NO_FACE: Message("Wajah tidak terlihat", "Face not visible"),
    Guidance.MANY_FACES: Message("Hanya satu wajah", "Only one face, please"),
    Guidance.MOVE_FACE_CLOSER: Message("Dekatkan wajah ke kamera", "Move closer to the camera"),
    Guidance.CENTRE_FACE: Message("Posisikan wajah di tengah", "Centre your face"),
    Guidance.EYES_NOT_VISIBLE: Message(
        "Buka mata dan lihat ke kamera", "Open your eyes and look at the camera"
    ),
    Guidance.CARD_NOT_VISIBLE: Message("Pegang KTP agar terlihat", "Hold the KTP so it is visible"),
    Guidance.GLARE: Message("Ada pantulan cahaya — miringkan KTP", "Glare — tilt the KTP"),
    Guidance.BLURRY: Message("Gambar buram — tahan diam", "Blurry — hold still"),
    Guidance.THUMB_ON_CARD: Message(
        "Jari menutupi sudut KTP — pegang di tepi", "Finger on a corner — hold the card's edge"
    ),
    Guidance.THUMB_ON_NIK: Message("Jari menutupi NIK — geser jari", "A finger covers the NIK — move it"),
    Guidance.CARD_TOO_LOW: Message("Angkat KTP ke samping wajah", "Raise the KTP next to your face"),
    Guidance.CARD_TOO_FAR: Message("KTP terlalu jauh — dekatkan", "The KTP is too far — bring it closer"),
    Guidance.NIK_MISMATCH: Message(
        "NIK di KTP beda dengan yang diketik", "The card's NIK differs from the typed one"
    ),
    Guidance.NIK_UNREADABLE: Message(
        "NIK tidak terbaca — geser jari / kurangi silau", "NIK unreadable — move your finger / reduce glare"
    ),
}

READY = Message("Bagus, tahan sebentar…", "Good, hold still…")
CAPTURED = Message("Foto diambil", "Photo taken")


def message_for(code: Guidance) -> Message:
    """The bilingual text for ``code``."""
    return MESSAGES[code]


def ordered(codes: Iterable[Guidance]) -> tuple[Guidance, ...]:
    """Distinct codes, most important first."""
    return tuple(sorted(set(codes)))
