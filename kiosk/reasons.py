"""What staff read for each reason code of the outbox and its transports, in both languages.

Why here and not in ``offline_queue``: the outbox knows nothing of the programme or of
:class:`~kiosk.i18n.Message`; it gives a stable :class:`~offline_queue.reasons.ReasonCode` and an
English sentence for logs. The words people read are the kiosk's, chosen by code (issue 21, finding
1), so rewording a log sentence can no longer change what a person sees.
``tests/test_reasons.py`` checks every code has words in both languages.
"""

from __future__ import annotations

from kiosk.i18n import Message
from offline_queue.reasons import ReasonCode, known_code

_NOT_THE_SERVER = Message(
    "Jaringan meminta login (Wi-Fi kantor?). Buka browser dan login ke jaringan.",
    "The network wants a login (office Wi-Fi?). Open a browser and log in to the network.",
)
_RESENT = Message(
    "Pengiriman terputus; akan dikirim ulang.", "An upload was interrupted; it will be sent again."
)
_WAIT_FOR_MORE = Message(
    "Pengiriman belum selesai; sisanya dikirim pada percobaan berikutnya.",
    "The upload is not finished; the rest is sent on the next attempt.",
)

REASON_WORDS: dict[ReasonCode, Message] = {
    ReasonCode.REPLY_NOT_SERVER: _NOT_THE_SERVER,
    ReasonCode.REDIRECTED: _NOT_THE_SERVER,
    ReasonCode.SERVER_BUSY: Message("Server pusat sedang sibuk.", "The central server is busy."),
    ReasonCode.SERVER_ERROR: Message(
        "Terjadi gangguan di server pusat.", "The central server had a problem."
    ),
    ReasonCode.UNEXPECTED_REPLY: Message(
        "Server pusat memberi jawaban yang tidak dikenal; akan dicoba lagi.",
        "The central server gave an answer this kiosk does not know; it will try again.",
    ),
    ReasonCode.REFUSED: Message("Ditolak server pusat.", "Refused by the central server."),
    ReasonCode.AUTH_REFUSED: Message(
        "Server pusat menolak perangkat ini.", "The central server refused this device."
    ),
    ReasonCode.TLS_FAILED: Message(
        "Sambungan aman ke server pusat gagal (TLS). Periksa jam kiosk dan jaringan.",
        "The secure connection to the central server failed (TLS). Check the kiosk's clock and network.",
    ),
    ReasonCode.UNREACHABLE: Message(
        "Server pusat tidak dapat dihubungi.", "The central server cannot be reached."
    ),
    ReasonCode.CONNECTION_BROKE: _RESENT,
    ReasonCode.REPLY_BROKE: Message(
        "Sambungan terputus saat server menjawab; akan dicoba lagi.",
        "The connection broke during the server's reply; it will be tried again.",
    ),
    ReasonCode.NO_ANSWER: Message(
        "Server pusat tidak menjawab tepat waktu.", "The server did not answer in time."
    ),
    ReasonCode.UPLOAD_FAILED: Message(
        "Pengiriman gagal; akan dicoba lagi.", "Sending failed; it will be tried again."
    ),
    ReasonCode.REPLY_TOO_LARGE: _NOT_THE_SERVER,
    ReasonCode.NO_RECEIPT: Message(
        "Jawaban bukan dari server pusat (tanpa tanda terima). Jaringan meminta login?",
        "The answer did not come from the central server (no receipt). Does the network want a login?",
    ),
    ReasonCode.RECEIPT_MISMATCH: Message(
        "Tanda terima server tidak cocok dengan data yang dikirim; akan dikirim ulang.",
        "The server's receipt does not match what was sent; it will be sent again.",
    ),
    ReasonCode.UPLOAD_CONTINUES: _WAIT_FOR_MORE,
    ReasonCode.UPLOAD_INCOMPLETE: _WAIT_FOR_MORE,
    ReasonCode.NO_UPLOAD_STATE: Message(
        "Jawaban bukan dari server pusat (tanpa status unggahan). Jaringan meminta login?",
        "The answer did not come from the central server (no upload state). Does the network want a login?",
    ),
    ReasonCode.SENDING_FAILED: Message(
        "Pengiriman gagal karena kesalahan di kiosk; akan dicoba lagi.",
        "Sending failed because of an error on the kiosk; it will be tried again.",
    ),
    ReasonCode.INTERRUPTED: _RESENT,
    ReasonCode.BLOB_DAMAGED: Message(
        "Data tersimpan rusak (checksum tidak cocok). Ekspor untuk diperiksa, jangan kirim ulang.",
        "The stored data is damaged (checksum mismatch). Export it for inspection; do not retry.",
    ),
    ReasonCode.BLOB_MISSING: Message(
        "Data tersimpan hilang dari antrean.", "The stored data is missing from the queue."
    ),
}

#: Codes whose words are the server's own (its ``message``), kept in the reason text.
SERVER_WORDED: frozenset[ReasonCode] = frozenset({ReasonCode.REFUSED, ReasonCode.AUTH_REFUSED})


def reason_words(code: object) -> Message | None:
    """The words for a reason code, or ``None`` when it is unknown (read from disk: may be anything)."""
    known = known_code(code)
    return REASON_WORDS.get(known) if known is not None else None
