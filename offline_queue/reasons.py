"""Why an upload did not go through, as a stable code (issue 21, finding 1).

Why codes and not sentences: the console chose what staff read by searching the English sentence the
transport wrote ("cannot be reached", "Server busy"…), so rewording a sentence silently changed — or
lost — the Indonesian words staff saw, and five engine reasons reached them as "Alasan: <English>".
The transports now set :attr:`~offline_queue.transport.Delivery.code` to one of these values, the
outbox stores it next to the reason text (``ItemInfo.reason_code``), and the kiosk looks up the words
in both languages by code (``kiosk.reasons``; a test checks every code here has both). The English
sentence stays, for logs and for the operator's "retry where the reason contains…" search.

A refusal the *server* explains keeps the server's own code in the sentence (``… [code]``); its code
here is :attr:`ReasonCode.REFUSED` (or :attr:`ReasonCode.AUTH_REFUSED`), because the words are the
server's, not ours.
"""

from __future__ import annotations

import enum


class ReasonCode(enum.StrEnum):
    """Every reason the outbox, the sync engine and the transports give on their own."""

    # offline_queue.transport.classify_http
    REPLY_NOT_SERVER = "reply_not_server"  # a 200 that is not JSON: a Wi-Fi login page
    REDIRECTED = "redirected"  # 3xx: something between us and the server wants a login
    SERVER_BUSY = "server_busy"  # 429/503
    SERVER_ERROR = "server_error"  # 404/405/408, 5xx
    UNEXPECTED_REPLY = "unexpected_reply"  # any other status
    REFUSED = "refused"  # a permanent 4xx: the server's own reason follows
    AUTH_REFUSED = "auth_refused"  # 401/403: the device must be enrolled again
    # the HTTP transport (kiosk.http_transport)
    TLS_FAILED = "tls_failed"
    UNREACHABLE = "unreachable"
    CONNECTION_BROKE = "connection_broke"  # during the upload
    REPLY_BROKE = "reply_broke"  # during the server's reply
    NO_ANSWER = "no_answer"  # timed out
    UPLOAD_FAILED = "upload_failed"  # another client-side error
    REPLY_TOO_LARGE = "reply_too_large"
    NO_RECEIPT = "no_receipt"
    RECEIPT_MISMATCH = "receipt_mismatch"
    UPLOAD_CONTINUES = "upload_continues"  # resumable upload: continue from the server's offset
    UPLOAD_INCOMPLETE = "upload_incomplete"  # resumable upload: not complete on the server yet
    NO_UPLOAD_STATE = "no_upload_state"
    # the sync engine and the outbox
    SENDING_FAILED = "sending_failed"  # the transport raised instead of answering
    INTERRUPTED = "interrupted"  # the app stopped mid-upload; sent again
    BLOB_DAMAGED = "blob_damaged"  # the stored payload no longer matches its checksum
    BLOB_MISSING = "blob_missing"  # the stored payload is gone


def known_code(value: object) -> ReasonCode | None:
    """``value`` as a :class:`ReasonCode` when it is one (codes read back from disk may be anything)."""
    if not isinstance(value, str):
        return None
    try:
        return ReasonCode(value)
    except ValueError:
        return None
