"""Coded reasons for a submission's status, with the only texts devices (and so applicants) ever see.

Why codes instead of staff's free text: a status look-up answers any enrolled kiosk, and "Cek Status"
answers anyone holding a receipt. A note typed by staff ("NIK on welfare list") told a stranger with
the receipt why a person was refused. Staff now choose a code; the texts below are written for the
applicant (what to do next, nothing about why in detail). Their own note stays on the admin listener.
"""

from __future__ import annotations

from typing import Literal, get_args

from kiosk.i18n import Message

ReasonCode = Literal[
    "ktp_photo_unclear",
    "selfie_mismatch",
    "data_mismatch",
    "not_eligible",
    "already_registered",
    "quota_full",
    "contact_unverified",
    "test_not_passed",
    "other",
]

REASON_TEXTS: dict[str, Message] = {
    "ktp_photo_unclear": Message(
        "Foto KTP buram atau tidak terbaca; daftar ulang dengan foto KTP yang jelas.",
        "The KTP photo is blurred or unreadable; register again with a clear KTP photo.",
    ),
    "selfie_mismatch": Message(
        "Foto diri tidak cocok dengan foto KTP; daftar ulang di kantor dengan petugas.",
        "The selfie does not match the KTP photo; register again at the office with staff.",
    ),
    "data_mismatch": Message(
        "Data tidak cocok dengan data kependudukan; periksa data KTP Anda di Disdukcapil.",
        "The data does not match the population register; check your KTP data at Disdukcapil.",
    ),
    "not_eligible": Message(
        "Belum memenuhi syarat program ini; tanyakan rinciannya kepada petugas Dinas Tenaga Kerja.",
        "Not eligible for the programme; ask Dinas Tenaga Kerja staff for the details.",
    ),
    "already_registered": Message("NIK ini sudah terdaftar sebelumnya.", "This NIK is already registered."),
    "quota_full": Message(
        "Kuota gelombang ini sudah penuh; silakan daftar di gelombang berikutnya.",
        "This wave's quota is full; please register in the next wave.",
    ),
    "contact_unverified": Message(
        "Nomor HP atau e-mail belum terverifikasi; datang ke kantor untuk verifikasi.",
        "The mobile number or e-mail is not verified; come to the office to verify it.",
    ),
    "test_not_passed": Message(
        "Belum lulus tes; silakan coba lagi di gelombang berikutnya.",
        "The test was not passed; please try again in the next wave.",
    ),
    "other": Message(
        "Hubungi petugas Dinas Tenaga Kerja untuk penjelasan.",
        "Contact Dinas Tenaga Kerja staff for an explanation.",
    ),
}
assert set(REASON_TEXTS) == set(get_args(ReasonCode))


def reason_for(status: str, code: str | None) -> tuple[str, Message] | None:
    """The code and applicant text a device is shown; ``other`` for a refusal without a code."""
    if code in REASON_TEXTS:
        return code, REASON_TEXTS[code]
    if status == "rejected":
        return "other", REASON_TEXTS["other"]
    return None
