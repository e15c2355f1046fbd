"""The outbox's transport over HTTPS: ``PUT {base}/v1/submissions/{id}`` with the sealed envelope.

Why these choices:
- One ``requests.Session`` for the life of the transport: keep-alive saves a TCP and TLS handshake
  per upload, which on a 300 ms satellite or 2G link is most of the time of a small upload.
- Timeouts: connecting gets ``connect_timeout`` (5 s); reading the reply gets a timeout scaled to the
  body, assuming the link may be as slow as ``min_rate_bps`` (64 kbit/s) plus a margin, because the
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
from typing import Any, Final
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError, NewConnectionError

from offline_queue.transport import Delivery, Outcome, classify_http

log = logging.getLogger(__name__)

ENVELOPE_CONTENT_TYPE: Final = "application/octet-stream"
ENVELOPE_SIGNER_REFUSED: Final = "envelope_device_mismatch"
"""The API's 403 code about one envelope's signer (docs/envelope.md), unlike ``device_revoked``."""
MAX_REPLY_BYTES: Final = 1 << 20
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
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = session or requests.Session()
        self.session.verify = ca_bundle if ca_bundle else True
        self.connect_timeout = connect_timeout
        self.min_read_timeout = min_read_timeout
        self.min_rate_bps = min_rate_bps
        self.margin_s = margin_s
        self.send_timeout = max(connect_timeout, BLOCK_SIZE * 8 / min_rate_bps + margin_s)
        if pin_sha256:
            self.session.mount("https://", PinningAdapter(pin_sha256, ca_bundle, self.send_timeout))
        else:
            self.session.mount("https://", BlockSendAdapter(self.send_timeout))
        self.session.mount("http://", BlockSendAdapter(self.send_timeout))

    def read_timeout(self, body_size: int) -> float:
        """Seconds to wait for the reply to a body of ``body_size`` bytes on the slowest assumed link."""
        return max(self.min_read_timeout, body_size * 8 / self.min_rate_bps + self.margin_s)

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def send(self, item_id: str, blob: bytes) -> Delivery:
        """Upload one sealed envelope; never raises for network trouble."""
        url = f"{self.base_url}/v1/submissions/{quote(item_id, safe='')}"
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": ENVELOPE_CONTENT_TYPE}
        timeout = (self.connect_timeout, self.read_timeout(len(blob)))
        try:
            with self.session.put(
                url,
                data=io.BytesIO(blob),  # sent in blocks, each with its own timeout (module docstring)
                headers=headers,
                timeout=timeout,
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
                body = b"".join(chunks)
                status, reply_headers = resp.status_code, dict(resp.headers)
        except requests.exceptions.SSLError as exc:
            log.warning("upload of %s: TLS failed (%s)", item_id, type(exc).__name__)
            return Delivery(Outcome.OFFLINE, reason="The secure connection to the server failed (TLS)")
        except requests.ConnectionError as exc:
            if _is_connect_failure(exc):
                return Delivery(Outcome.OFFLINE, reason="The server cannot be reached")
            return Delivery(Outcome.RETRY, reason="The connection broke during the upload")
        except requests.Timeout:
            return Delivery(Outcome.RETRY, reason="The server did not answer in time")
        except requests.exceptions.ChunkedEncodingError:
            return Delivery(Outcome.RETRY, reason="The connection broke during the server's reply")
        except (requests.RequestException, OSError) as exc:
            return Delivery(Outcome.RETRY, reason=f"The upload failed ({type(exc).__name__})")
        if len(body) > MAX_REPLY_BYTES:
            return Delivery(
                Outcome.OFFLINE, reason="The reply was not the server's (too large)", status=status
            )
        delivery = classify_http(status, reply_headers, body)
        if delivery.outcome is Outcome.AUTH_REQUIRED and _error_code(body) == ENVELOPE_SIGNER_REFUSED:
            # The envelope's signer is refused (a relayed kiosk that was revoked, or an old key), not
            # this kiosk's token: that item needs a person; the rest of the queue goes on.
            return Delivery(Outcome.ATTENTION, reason=delivery.reason, status=status)
        if delivery.outcome is Outcome.DELIVERED:
            receipt = delivery.receipt or {}
            sha, sid = receipt.get("sha256"), receipt.get("submission_id")
            if not isinstance(sha, str) or not isinstance(sid, str):
                # JSON, but not the API's receipt (a proxy or portal answering for it): not delivered.
                return Delivery(
                    Outcome.OFFLINE, reason="The reply was not the server's (no receipt)", status=status
                )
            if not self._receipt_matches(item_id, blob, receipt):
                return Delivery(
                    Outcome.RETRY, reason="The server's receipt does not match the upload", status=status
                )
        return delivery

    @staticmethod
    def _receipt_matches(item_id: str, blob: bytes, receipt: dict[str, Any]) -> bool:
        """The API's receipt names this id and this envelope's sha256 (docs/envelope.md, ``Receipt``)."""
        return (
            receipt["sha256"] == hashlib.sha256(blob).hexdigest()
            and receipt["submission_id"].lower() == item_id.lower()
        )
