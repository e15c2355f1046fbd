"""Cek Status for staff: a typed (or scanned) reference number → the registration's status in words.

Why local first: a registration still in this kiosk's outbox has no central status yet; the outbox
knows its state (waiting, needs attention…) without a network. Only a delivered registration — or one
this kiosk never held (registered on another kiosk, or imported and since purged) — is asked of the
central API: by submission id when the outbox still has the tombstone, otherwise by reference number
(``GET /v1/submissions/by-reference/{ref}``). The reference is checked offline first (its check symbol
catches typos), so a mistyped number never costs a request.

Blocking (SQLite + HTTP): run :func:`look_up` off the GUI thread. Raises
``kiosk.reference.ReferenceNumberError`` for a bad number and ``kiosk.api_client.ApiError`` (offline,
server trouble) with plain-words messages; "not found" is an answer, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import cv2
import numpy as np

from kiosk import reference
from kiosk.api_client import ApiNotFound, SubmissionStatus
from kiosk.console_model import LOCAL_STATE_WORDS, reason_in_words, status_in_words
from kiosk.i18n import Message
from kiosk.logging_setup import scrub
from offline_queue.outbox import DELIVERED, ItemInfo, Outbox

Source = Literal["kiosk", "server", "none"]

NOT_FOUND = Message(
    "Nomor referensi ini tidak ditemukan, di kiosk ini maupun di server pusat.",
    "This reference number was not found, neither on this kiosk nor on the central server.",
)
NOT_FOUND_OFFLINE = Message(
    "Nomor ini tidak ada di kiosk ini, dan kiosk belum terhubung ke server pusat untuk menanyakannya.",
    "This number is not on this kiosk, and the kiosk is not connected to the central server to ask.",
)


class StatusApi(Protocol):
    """The two calls of ``kiosk.api_client.ApiClient`` the look-up uses."""

    def submission_status(self, submission_id: str) -> SubmissionStatus: ...

    def submission_status_by_reference(self, reference_number: str) -> SubmissionStatus: ...


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """The answer to show: where it came from, the state code, and the words (plus a reason)."""

    reference: str
    source: Source
    state: str
    words: Message
    reason: Message | None = None
    submission_id: str | None = None


def _find_local(outbox: Outbox, ref: str) -> ItemInfo | None:
    for info in outbox.items():
        if info.meta.get("reference") == ref:
            return info
    return None


def _from_server(ref: str, status: SubmissionStatus) -> StatusAnswer:
    reason = status.reason_message()
    if reason is not None:
        reason = Message(scrub(reason.id), scrub(reason.en))
    return StatusAnswer(
        reference=ref,
        source="server",
        state=status.status,
        words=status_in_words(status.status),
        reason=reason,
        submission_id=status.submission_id,
    )


def look_up(text: str, outbox: Outbox, api: StatusApi | None) -> StatusAnswer:
    """The status of the registration with reference ``text`` (see the module docstring)."""
    ref = str(reference.parse(text))
    local = _find_local(outbox, ref)
    if local is not None and local.state != DELIVERED:
        reason = (
            reason_in_words(local.reason or local.last_error, local.state, local.reason_code)
            if local.reason
            else None
        )
        return StatusAnswer(
            reference=ref,
            source="kiosk",
            state=local.state,
            words=LOCAL_STATE_WORDS.get(local.state, LOCAL_STATE_WORDS["pending"]),
            reason=reason,
            submission_id=local.id,
        )
    if api is None:
        if local is not None:
            return StatusAnswer(ref, "kiosk", DELIVERED, LOCAL_STATE_WORDS[DELIVERED], None, local.id)
        return StatusAnswer(ref, "none", "not_found", NOT_FOUND_OFFLINE)
    try:
        if local is not None:
            return _from_server(ref, api.submission_status(local.id))
        return _from_server(ref, api.submission_status_by_reference(ref))
    except ApiNotFound:
        return StatusAnswer(ref, "none", "not_found", NOT_FOUND)


_MAX_QR_SIDE = 1280


def reference_from_qr(frame: np.ndarray) -> str | None:
    """The reference number in a receipt's QR code seen in ``frame`` (BGR or grey uint8), else None.

    Why here and Qt-free: decoding is OpenCV's ``QRCodeDetector`` on a plain array, testable without a
    camera; the UI feeds it webcam frames on a worker thread. Anything that is not a valid reference
    (another QR code, a damaged frame, a decoder error) is ``None`` — never an exception. Large frames
    are scaled down first: a receipt held up to the camera fills much of the picture anyway.
    """
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim not in (2, 3):
        return None
    height, width = frame.shape[:2]
    if min(height, width) < 21:
        return None
    scale = _MAX_QR_SIDE / max(height, width)
    if scale < 1:
        frame = cv2.resize(frame, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    text = ""
    # The classic detector misses ~2 % of clean receipt codes (measured on 600 generated ones); the
    # ArUco-based one reads those, so it is asked when the first finds nothing.
    for detector in (cv2.QRCodeDetector, cv2.QRCodeDetectorAruco):
        try:
            text, _points, _straight = detector().detectAndDecode(frame)
        except cv2.error:
            continue
        if text:
            break
    if not text:
        return None
    try:
        return str(reference.parse(text))
    except reference.ReferenceNumberError:
        return None
