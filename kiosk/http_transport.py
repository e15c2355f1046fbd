"""The outbox's transport over HTTPS: ``PUT {base}/v1/submissions/{id}`` with the sealed envelope, or
the resumable ``/v2/uploads/{id}`` for envelopes of ``RESUMABLE_THRESHOLD`` (256 KiB) or more.

Why these choices:
- One ``requests.Session`` for the life of the transport: keep-alive saves a TCP and TLS handshake
  per upload, which on a 300 ms satellite or 2G link is most of the time of a small upload.
- Timeouts: connecting gets ``connect_timeout`` (5 s); reading the reply gets a timeout scaled to the
  body, assuming the link may be as slow as ``min_rate_bps`` (64 kbit/s), with slack for headers,
  retransmissions and sharing (``LINK_SLACK``) plus a margin, because the
  server can only reply after the last byte crossed the slowest hop. A fixed 30 s would cut every
  300 KB upload on such a link forever.
- The body goes out as a file object, ``block_size`` (16 KB) at a time, and every block's send has its
  own timeout (``send_timeout``: the block on the slowest assumed link plus the margin). urllib3 would
  otherwise send a ``bytes`` body in one ``sendall()`` under the *connect* timeout, and ``sendall``'s
  timeout covers the whole call: on a 128 kbit/s office router a 300 KB envelope needs ~19 s, so every
  attempt died after 5 s and nothing over ~80 KB was ever delivered (issue 22, finding 1). A stalled
  link is still noticed within one block's timeout, not after the whole body's.
- TLS verification is always on (``verify`` is a CA bundle path or ``True``, never ``False``). With
  ``pin_sha256`` the server's certificate (DER) must also have that sha256, checked during the TLS
  handshake, before the token or any byte of the body is sent.
- Resumable uploads (contract v2, docs/envelope.md): a reset near the end of a 1.5 MB registration
  made v1 send all of it again (and, with resets every ~1.3 MB, for ever); v2 asks the server for its
  offset and sends only the rest. A server without v2 (404/405 on the start) gets v1 for an hour.
- Redirects are not followed: a redirect on an upload means a captive portal or a misconfigured URL.
- What the reply means is decided by :func:`offline_queue.transport.classify_http`, the contract's
  table. Connection failures before anything was sent mean *offline*; a connection cut after the body
  went out (or a read timeout) means *retry* — the server may have stored it, and the idempotent PUT
  makes the resend safe. A 200/201 counts as delivered only with the API's receipt naming this id and
  this envelope's sha256: any other JSON (a proxy or portal answering for the API) is *offline*.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import ssl
import time
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError

from offline_queue.reasons import ReasonCode
from offline_queue.transport import Delivery, Outcome, classify_http

log = logging.getLogger(__name__)

ENVELOPE_CONTENT_TYPE: Final = "application/octet-stream"
ENVELOPE_SIGNER_REFUSED: Final = "envelope_device_mismatch"
"""The API's 403 code about one envelope's signer (docs/envelope.md), unlike ``device_revoked``."""
MAX_REPLY_BYTES: Final = 1 << 20
UPLOAD_CONTENT_TYPE: Final = ENVELOPE_CONTENT_TYPE
RESUMABLE_THRESHOLD: Final = 256 * 1024
"""Envelopes this large or larger use the resumable contract v2 (two more round trips, resumable)."""
V2_RECHECK_S: Final = 3600.0
"""After a server answered 404 for v2, try v2 again after this long (the server may be upgraded)."""
V2_ERROR_CODES: Final = frozenset(
    {
        "upload_not_found",
        "upload_offset_mismatch",
        "upload_busy",
        "upload_incomplete",
        "upload_sha256_mismatch",
    }
)
"""The v2 codes that mean "ask for the offset again": a RETRY, never a refusal needing a person."""
LINK_SLACK: Final = 1.5
"""The read timeout allows the body this many times its time at ``min_rate_bps``: TCP/IP headers (~5 %),
retransmissions after a router's drops, a link shared with another machine. Measured: a 1.5 MB envelope
over a 64 kbit/s router needed ~197 s, the old timeout (body time + 10 s) was 197.5 s."""
MAX_RESUMES: Final = 8
"""Within one attempt, continue a broken part at once at most this often (each time only after the
server kept more bytes than before)."""
BLOCK_SIZE: Final = 16 * 1024
"""urllib3's block size when it reads a file-like body: one ``send()`` (with its own timeout) each."""


class CertificatePinMismatch(ssl.SSLError):
    """The server's certificate is not the pinned one (a different server, or someone in between)."""


def normalize_pin(pin: str) -> str:
    """A pin as 64 lowercase hex digits; accepts ``AB:CD:…`` and ``sha256/`` prefixed forms."""
    text = pin.strip().lower().removeprefix("sha256/").removeprefix("sha256:").replace(":", "")
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise ValueError("a certificate pin must be the sha256 of the certificate, as 64 hex digits")
    return text


def check_certificate_pin(der: bytes | None, pin_sha256: str) -> None:
    """Raise :class:`CertificatePinMismatch` unless sha256(``der``) equals the (normalized) pin."""
    if not der:
        raise CertificatePinMismatch("the server presented no certificate")
    actual = hashlib.sha256(der).hexdigest()
    if not hmac.compare_digest(actual, normalize_pin(pin_sha256)):
        raise CertificatePinMismatch(f"the server's certificate (sha256 {actual}) is not the pinned one")


def _pinned_socket_class(pin: str) -> type[ssl.SSLSocket]:
    class PinnedSSLSocket(ssl.SSLSocket):
        """Checks the pin right after the handshake, before any request byte is written."""

        def do_handshake(self, block: bool = False) -> None:
            super().do_handshake(block)
            check_certificate_pin(self.getpeercert(binary_form=True), pin)

    return PinnedSSLSocket


def _pool_classes(send_timeout: float) -> dict[str, type[HTTPConnectionPool]]:
    """Connection pools whose connections give every ``send()`` of the request ``send_timeout``.

    urllib3 leaves the socket on the connect timeout while it writes the request; these connections
    set the per-send timeout right before each block instead (the read timeout is set after the last
    block by urllib3 as usual).
    """

    class BlockHTTPConnection(HTTPConnection):
        def send(self, data: Any) -> None:
            if self.sock is not None:
                self.sock.settimeout(send_timeout)
            super().send(data)

    class BlockHTTPSConnection(HTTPSConnection):
        def send(self, data: Any) -> None:
            if self.sock is not None:
                self.sock.settimeout(send_timeout)
            super().send(data)

    class BlockHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = BlockHTTPConnection

    class BlockHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = BlockHTTPSConnection

    return {"http": BlockHTTPConnectionPool, "https": BlockHTTPSConnectionPool}


class BlockSendAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose request bodies are sent block by block, each send with ``send_timeout``."""

    def __init__(self, send_timeout: float, **kwargs: Any) -> None:
        self.send_timeout = send_timeout
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.send_timeout)


class PinningAdapter(BlockSendAdapter):
    """A :class:`BlockSendAdapter` whose TLS connections verify the chain and hostname *and* the pin."""

    def __init__(
        self, pin_sha256: str, ca_bundle: str | None = None, send_timeout: float = 30.0, **kwargs: Any
    ) -> None:
        self.pin = normalize_pin(pin_sha256)
        self.ca_bundle = ca_bundle
        super().__init__(send_timeout, **kwargs)

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.ca_bundle)
        context.check_hostname = True
        context.verify_mode = ssl.CERT_REQUIRED
        context.sslsocket_class = _pinned_socket_class(self.pin)
        return context

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._context()
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._context()
        return super().proxy_manager_for(*args, **kwargs)


def _error_code(body: bytes) -> str | None:
    """The ``error`` code of an API error body, or ``None`` when the body is not one."""
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        return None
    code = obj.get("error") if isinstance(obj, dict) else None
    return code if isinstance(code, str) else None


def _json_dict(body: bytes) -> dict[str, Any] | None:
    try:
        obj = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return obj if isinstance(obj, dict) else None


class _CountingReader(io.BytesIO):
    """The request body as a file (urllib3 reads it in blocks), counting what is read into the socket."""

    def __init__(self, data: bytes, owner: HttpTransport) -> None:
        super().__init__(data)
        self._owner = owner

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self._owner.bytes_sent += len(chunk)
        return chunk


def _is_connect_failure(exc: requests.ConnectionError) -> bool:
    """True when nothing reached the server (refused, unreachable, name not resolved, connect timeout)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, NewConnectionError | NameResolutionError | ConnectionRefusedError):
            return True
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    return False


class HttpTransport:
    """Implements :class:`offline_queue.transport.Transport` with ``requests``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        session: requests.Session | None = None,
        pin_sha256: str | None = None,
        ca_bundle: str | None = None,
        connect_timeout: float = 5.0,
        min_read_timeout: float = 15.0,
        min_rate_bps: float = 64_000.0,
        margin_s: float = 10.0,
        resumable_threshold: int | None = RESUMABLE_THRESHOLD,
        audit_head: Callable[[], str | None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.audit_head = audit_head
        """Gives the kiosk's audit-log head (``kiosk.audit.head_header``) sent as ``X-Audit-Head`` with
        each upload: the API keeps the highest per device, so a log cut short shows up centrally."""
        self.token = token
        self.session = session or requests.Session()
        self.session.verify = ca_bundle if ca_bundle else True
        self.connect_timeout = connect_timeout
        self.min_read_timeout = min_read_timeout
        self.min_rate_bps = min_rate_bps
        self.margin_s = margin_s
        self.resumable_threshold = resumable_threshold
        self.bytes_sent = 0
        """Request body bytes handed to the network so far (benchmarks: bytes sent vs envelope size)."""
        self._v2_missing_since: float | None = None
        self.send_timeout = max(connect_timeout, BLOCK_SIZE * 8 / min_rate_bps + margin_s)
        if pin_sha256:
            self.session.mount("https://", PinningAdapter(pin_sha256, ca_bundle, self.send_timeout))
        else:
            self.session.mount("https://", BlockSendAdapter(self.send_timeout))
        self.session.mount("http://", BlockSendAdapter(self.send_timeout))

    def _audit_head(self) -> str | None:
        if self.audit_head is None:
            return None
        try:
            return self.audit_head()
        except Exception:  # an unreadable log must not stop delivery (audit verify reports it)
            log.warning("audit head not readable; upload without it")
            return None

    def read_timeout(self, body_size: int) -> float:
        """Seconds to wait for the reply to a body of ``body_size`` bytes on the slowest assumed link."""
        return max(self.min_read_timeout, body_size * 8 / self.min_rate_bps * LINK_SLACK + self.margin_s)

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def send(self, item_id: str, blob: bytes) -> Delivery:
        """Upload one sealed envelope; never raises for network trouble.

        Envelopes of ``resumable_threshold`` bytes or more go through the resumable contract v2 (module
        docstring) unless the server said it has none (404/405), then through ``PUT /v1`` as before.
        """
        if self._v2_allowed(len(blob)):
            delivery = self._send_resumable(item_id, blob)
            if delivery is not None:
                return delivery
        return self._send_whole(item_id, blob)

    def _send_whole(self, item_id: str, blob: bytes) -> Delivery:
        """Contract v1: ``PUT /v1/submissions/{id}`` with the whole envelope."""
        url = f"{self.base_url}/v1/submissions/{quote(item_id, safe='')}"
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": ENVELOPE_CONTENT_TYPE}
        head = self._audit_head()
        if head:
            headers["X-Audit-Head"] = head
        reply = self._request("PUT", url, headers, blob, self.read_timeout(len(blob)))
        if isinstance(reply, Delivery):
            return reply
        return self._judge(item_id, blob, *reply)

    def _request(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None, read_timeout: float
    ) -> tuple[int, dict[str, str], bytes] | Delivery:
        """One request: the reply (status, headers, at most ``MAX_REPLY_BYTES`` + 1 of body), or the
        :class:`Delivery` a network failure means. ``body`` goes out in blocks (module docstring)."""
        data = _CountingReader(body, self) if body is not None else None
        try:
            with self.session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=(self.connect_timeout, read_timeout),
                allow_redirects=False,
                stream=True,
            ) as resp:
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_content(64 * 1024):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_REPLY_BYTES:
                        break
                return resp.status_code, dict(resp.headers), b"".join(chunks)
        except requests.exceptions.SSLError as exc:
            log.warning("%s %s: TLS failed (%s)", method, url.rsplit("/", 1)[-1], type(exc).__name__)
            return Delivery(
                Outcome.OFFLINE,
                reason="The secure connection to the server failed (TLS)",
                code=ReasonCode.TLS_FAILED,
            )
        except requests.ConnectionError as exc:
            if _is_connect_failure(exc):
                return Delivery(
                    Outcome.OFFLINE, reason="The server cannot be reached", code=ReasonCode.UNREACHABLE
                )
            return Delivery(
                Outcome.RETRY,
                reason="The connection broke during the upload",
                code=ReasonCode.CONNECTION_BROKE,
            )
        except requests.Timeout:
            return Delivery(
                Outcome.RETRY, reason="The server did not answer in time", code=ReasonCode.NO_ANSWER
            )
        except requests.exceptions.ChunkedEncodingError:
            return Delivery(
                Outcome.RETRY,
                reason="The connection broke during the server's reply",
                code=ReasonCode.REPLY_BROKE,
            )
        except (requests.RequestException, OSError) as exc:
            return Delivery(
                Outcome.RETRY,
                reason=f"The upload failed ({type(exc).__name__})",
                code=ReasonCode.UPLOAD_FAILED,
            )

    def _judge(
        self, item_id: str, blob: bytes, status: int, reply_headers: dict[str, str], body: bytes
    ) -> Delivery:
        """What the server's reply to a PUT (or a v2 commit) means for this envelope."""
        if len(body) > MAX_REPLY_BYTES:
            return Delivery(
                Outcome.OFFLINE,
                reason="The reply was not the server's (too large)",
                code=ReasonCode.REPLY_TOO_LARGE,
                status=status,
            )
        delivery = classify_http(status, reply_headers, body)
        if delivery.outcome is Outcome.AUTH_REQUIRED and _error_code(body) == ENVELOPE_SIGNER_REFUSED:
            # The envelope's signer is refused (a relayed kiosk that was revoked, or an old key), not
            # this kiosk's token: that item needs a person; the rest of the queue goes on.
            return Delivery(Outcome.ATTENTION, reason=delivery.reason, status=status, code=ReasonCode.REFUSED)
        if delivery.outcome is Outcome.DELIVERED:
            return self._check_receipt(item_id, blob, delivery.receipt, status)
        return delivery

    def _check_receipt(
        self, item_id: str, blob: bytes, receipt: dict[str, Any] | None, status: int
    ) -> Delivery:
        receipt = receipt or {}
        sha, sid = receipt.get("sha256"), receipt.get("submission_id")
        if not isinstance(sha, str) or not isinstance(sid, str):
            # JSON, but not the API's receipt (a proxy or portal answering for it): not delivered.
            return Delivery(
                Outcome.OFFLINE,
                reason="The reply was not the server's (no receipt)",
                code=ReasonCode.NO_RECEIPT,
                status=status,
            )
        if not self._receipt_matches(item_id, blob, receipt):
            return Delivery(
                Outcome.RETRY,
                reason="The server's receipt does not match the upload",
                code=ReasonCode.RECEIPT_MISMATCH,
                status=status,
            )
        return Delivery(Outcome.DELIVERED, receipt=receipt, status=status)

    # -- contract v2: resumable uploads ----------------------------------------------------------

    def _v2_allowed(self, size: int) -> bool:
        if self.resumable_threshold is None or size < self.resumable_threshold:
            return False
        missing = self._v2_missing_since
        return missing is None or time.monotonic() - missing > V2_RECHECK_S

    def _send_resumable(self, item_id: str, blob: bytes) -> Delivery | None:
        """Start or resume ``/v2/uploads/{id}``, send the missing bytes, commit. ``None``: no v2 here.

        A connection broken mid-part is not the end of this attempt when the server kept more bytes
        than before: the transport asks for the offset and continues at once (up to ``MAX_RESUMES``
        times), because backing off after progress only makes a resetting link slower. A break without
        progress is a RETRY like in v1, and the next attempt sends only what the server lacks.
        """
        base = f"{self.base_url}/v2/uploads/{quote(item_id, safe='')}"
        auth = {"Authorization": f"Bearer {self.token}"}
        state = self._start_upload(item_id, base, auth, blob)
        if not isinstance(state, int):
            return state  # a Delivery (delivered, refused, failed) or None (no v2 here)
        offset, resumes = state, 0
        while offset < len(blob):
            part = {**auth, "Upload-Offset": str(offset), "Content-Type": UPLOAD_CONTENT_TYPE}
            rest = blob[offset:]
            reply = self._request("PATCH", base, part, rest, self.read_timeout(len(rest)))
            if isinstance(reply, Delivery):
                if reply.outcome is not Outcome.RETRY or resumes >= MAX_RESUMES:
                    return reply
                resumes += 1
                again = self._start_upload(item_id, base, auth, blob)
                if not isinstance(again, int) or again <= offset:
                    return reply  # no progress (or no answer): back off as usual
                log.info("upload of %s broke at %d of %d bytes; resuming", item_id, again, len(blob))
                offset = again
                continue
            status, headers, body = reply
            if status == 409 and _error_code(body) in V2_ERROR_CODES:
                return Delivery(
                    Outcome.RETRY,
                    reason="The upload continues from the server's offset",
                    code=ReasonCode.UPLOAD_CONTINUES,
                    status=status,
                )
            if status not in (200, 204):
                return self._judge(item_id, blob, status, headers, body)
            offset = len(blob)
        commit = dict(auth)
        head = self._audit_head()
        if head:
            commit["X-Audit-Head"] = head  # checked on commit exactly as on PUT /v1
        reply = self._request("POST", f"{base}/commit", commit, None, self.min_read_timeout + self.margin_s)
        if isinstance(reply, Delivery):
            return reply
        status, headers, body = reply
        if status == 409 and _error_code(body) in V2_ERROR_CODES:
            return Delivery(
                Outcome.RETRY,
                reason="The upload is not complete on the server yet",
                code=ReasonCode.UPLOAD_INCOMPLETE,
                status=status,
            )
        return self._judge(item_id, blob, status, headers, body)

    def _start_upload(
        self, item_id: str, base: str, auth: dict[str, str], blob: bytes
    ) -> int | Delivery | None:
        """``POST /v2/uploads/{id}``: the server's offset; a Delivery when that already decides the
        attempt (stored before, refused, failed); ``None`` when the server has no v2."""
        sha = hashlib.sha256(blob).hexdigest()
        start = {**auth, "Upload-Length": str(len(blob)), "Upload-Sha256": sha}
        reply = self._request("POST", base, start, None, self.min_read_timeout)
        if isinstance(reply, Delivery):
            return reply
        status, headers, body = reply
        if status in (404, 405, 501) and _error_code(body) not in V2_ERROR_CODES:
            # An API without contract v2 (or a proxy that does not know the route): use v1 for an hour.
            log.info("the server has no resumable uploads (HTTP %d); using PUT /v1", status)
            self._v2_missing_since = time.monotonic()
            return None
        if status not in (200, 201):
            return self._judge(item_id, blob, status, headers, body)
        state = _json_dict(body) or {}
        offset, receipt = state.get("offset"), state.get("receipt")
        if (
            not isinstance(offset, int)
            or isinstance(offset, bool)
            or not 0 <= offset <= len(blob)
            or state.get("length") != len(blob)
        ):
            # JSON, but not the API's upload state (a proxy or portal answering for it).
            return Delivery(
                Outcome.OFFLINE,
                reason="The reply was not the server's (no upload state)",
                code=ReasonCode.NO_UPLOAD_STATE,
                status=status,
            )
        if isinstance(receipt, dict):  # already stored (the reply to an earlier commit was lost)
            return self._check_receipt(item_id, blob, receipt, status)
        return offset

    @staticmethod
    def _receipt_matches(item_id: str, blob: bytes, receipt: dict[str, Any]) -> bool:
        """The API's receipt names this id and this envelope's sha256 (docs/envelope.md, ``Receipt``)."""
        return (
            receipt["sha256"] == hashlib.sha256(blob).hexdigest()
            and receipt["submission_id"].lower() == item_id.lower()
        )
