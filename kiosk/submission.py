"""The one path for a finished registration: payload → sealed envelope → durable outbox row.

Why two halves: :func:`prepare` reads the flow, which belongs to the GUI thread, and is cheap (it
builds and validates the payload); :func:`seal_and_enqueue` does the slow part — encryption, signing,
an fsync'd SQLite transaction — and is meant for a worker thread. Online or offline the path is the
same: the sync engine delivers the row later (seconds later when online). Plaintext exists only in
memory; what reaches the disk is the envelope, which only the central API can open.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk import envelope, reference
from kiosk.device import DeviceIdentity
from kiosk.flow import Flow
from kiosk.payload import validate_payload
from offline_queue.outbox import Outbox


@dataclass(frozen=True)
class PreparedSubmission:
    """A validated payload and its photos, ready to seal. Holds personal data: keep it in memory."""

    submission_id: uuid.UUID
    created_at: dt.datetime
    payload_json: bytes = field(repr=False)
    attachments: dict[str, bytes] = field(repr=False)

    @property
    def reference(self) -> str:
        """The receipt's reference number (derived from the submission id, no personal data)."""
        return reference.format(self.submission_id)


@dataclass(frozen=True, slots=True)
class SealedSubmission:
    """What the receipt and the operator see after enqueueing: ids and sizes only."""

    submission_id: str
    reference: str
    created_at: dt.datetime
    size: int
    #: The wave open at sealing ("71 — Gelombang 71"), or None; ``joins_next_wave`` when the kiosk knows
    #: that no wave was open (issue 19).
    wave: str | None = None
    joins_next_wave: bool = False


def prepare(
    flow: Flow,
    device_id: str,
    submission_id: uuid.UUID | None = None,
    extra: Mapping[str, Any] | None = None,
) -> PreparedSubmission:
    """Build the payload of the flow's applicant; raises ``kiosk.payload.PayloadInvalid`` if incomplete.

    The attachment names are the ones the payload's photo references carry, so the server can match
    each reference's size and sha256 against the bytes it decrypts.
    """
    sid = submission_id or uuid.uuid4()
    applicant = flow.applicant
    refs = applicant.photo_refs()
    payload = flow.build_payload(sid, device_id, refs)
    if extra:  # kiosk context (who assisted, wave; issue 19), validated like the rest
        payload = validate_payload({**payload.model_dump(mode="json"), **extra})
    photos = {"ktp": applicant.ktp_photo, "selfie": applicant.selfie_photo}
    attachments = {ref.name: bytes(photos[key] or b"") for key, ref in refs.items()}
    return PreparedSubmission(
        submission_id=sid,
        created_at=payload.created_at,
        payload_json=payload.model_dump_json().encode("utf-8"),
        attachments=attachments,
    )


def seal_and_enqueue(
    prepared: PreparedSubmission,
    device: DeviceIdentity,
    outbox: Outbox,
    extra_meta: Mapping[str, str] | None = None,
) -> SealedSubmission:
    """Seal ``prepared`` for the central API and store it durably; returns when it is on disk.

    Raises ``kiosk.envelope.EnvelopeError`` (too large, bad names) or
    ``offline_queue.errors.OutboxError`` (disk full, read-only, corrupt file) with plain-words messages.
    """
    blob = envelope.seal(
        prepared.payload_json,
        prepared.attachments,
        submission_id=prepared.submission_id,
        device_id=device.device_id,
        device_key=device.signing_key,
        server_key=device.server_envelope_key,
        created_at=prepared.created_at,
    )
    sid = str(prepared.submission_id)
    ref = prepared.reference
    meta = {"reference": ref, "created_at": prepared.created_at.isoformat(), **(extra_meta or {})}
    outbox.enqueue(sid, blob, meta)
    return SealedSubmission(submission_id=sid, reference=ref, created_at=prepared.created_at, size=len(blob))
