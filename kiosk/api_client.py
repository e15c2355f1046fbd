"""Client for the central API (everything except the submission upload, which is the outbox transport).

Why a wrapper over ``requests.Session`` with its own errors: kiosks sit behind office proxies, captive
portals and links that drop. Callers (UI workers, the CLI, the self-test) must get either a typed
result or an :class:`ApiError` carrying a plain-words :class:`~kiosk.i18n.Message` to show — never a raw
``requests`` exception, a ``KeyError`` on odd JSON, or an HTML login page mistaken for an answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, TypeVar
from urllib.parse import quote

import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from kiosk.envelope import b64d, b64e, key_id, raw_public
from kiosk.i18n import Message, UserFacingError
from offline_queue.transport import (  # one reading of Retry-After for the API client and the outbox
    parse_retry_after as parse_retry_after,
)

DEFAULT_TIMEOUT = 15.0
USER_AGENT = "prakerja-kiosk/0.1"

# ------------------------------------------------------------------------------------------ errors


class ApiError(UserFacingError):
    """Any failure talking to the central API; ``message`` is for people, ``code`` for programs."""

    default_message: ClassVar[Message] = Message(
        "Gagal menghubungi server pusat.", "Could not talk to the central server."
    )

    def __init__(
        self,
        message: Message | None = None,
        *,
        status: int | None = None,
        code: str | None = None,
        retry_after: float | None = None,
        problems: list[dict[str, Any]] | None = None,
    ) -> None:
        chosen = message or self.default_message
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.problems = problems or []
        super().__init__(chosen, f"{type(self).__name__}({status}, {code}): {chosen.en}")


class ApiConfigError(ApiError):
    """The configured API URL is unusable."""

    default_message = Message(
        "Alamat server pusat tidak valid; periksa konfigurasi.",
        "The central server URL is not valid; check the settings.",
    )


class ApiOffline(ApiError):
    """No connection (DNS, refused, network down)."""

    default_message = Message(
        "Tidak ada koneksi ke server pusat. Data tetap tersimpan dan dikirim nanti.",
        "No connection to the central server. Data stays saved and is sent later.",
    )


class ApiTimeout(ApiOffline):
    """The server did not answer in time."""

    default_message = Message(
        "Server pusat tidak menjawab tepat waktu.", "The central server did not answer in time."
    )


class ApiConnectionDropped(ApiOffline):
    """The connection closed before the whole answer arrived."""

    default_message = Message(
        "Koneksi terputus di tengah jawaban.", "The connection dropped in the middle of the answer."
    )


class ApiTlsError(ApiError):
    """The server's certificate could not be verified."""

    default_message = Message(
        "Sertifikat keamanan server tidak dapat diverifikasi.",
        "The server's security certificate could not be verified.",
    )


class ApiBadResponse(ApiError):
    """The answer is not the API's JSON: often a Wi-Fi login page (captive portal) or a proxy."""

    default_message = Message(
        "Jawaban bukan dari server pusat (mungkin halaman login Wi-Fi). Periksa koneksi internet.",
        "The answer did not come from the central server (maybe a Wi-Fi login page). Check the internet connection.",
    )


class ApiAuthError(ApiError):
    """401/403: the device or operator is not (or no longer) allowed."""

    default_message = Message("Akses ditolak oleh server pusat.", "The central server refused access.")


class ApiRateLimited(ApiError):
    """429/503: try again after ``retry_after`` seconds."""

    default_message = Message(
        "Server pusat sedang sibuk; coba lagi nanti.", "The central server is busy; try again later."
    )


class ApiServerError(ApiError):
    """Other 5xx."""

    default_message = Message("Terjadi gangguan di server pusat.", "The central server had a problem.")


class ApiRefused(ApiError):
    """A 4xx with the server's reason (wrong code, invalid input, not found...)."""

    default_message = Message(
        "Permintaan ditolak oleh server pusat.", "The central server refused the request."
    )


class ApiNotFound(ApiRefused):
    """404."""


# ----------------------------------------------------------------------------------------- results


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Health(_Result):
    status: Literal["ok"]
    service: str
    api_version: int
    time: dt.datetime
    envelope_key_id: str


class _KeyInfo(_Result):
    algorithm: str
    key_id: str
    public_key: str


class _ServerKeys(_Result):
    envelope: _KeyInfo
    signing: _KeyInfo


class Enrolment(_Result):
    """What a device keeps after enrolment (the token goes to the keyring, not a file)."""

    device_id: str
    token: str
    token_expires_at: dt.datetime
    server_keys: _ServerKeys

    def envelope_key(self) -> X25519PublicKey:
        """The server's X25519 key to seal envelopes for."""
        return X25519PublicKey.from_public_bytes(b64d(self.server_keys.envelope.public_key))

    def signing_key(self) -> Ed25519PublicKey:
        """The server's Ed25519 key that signs documents (test bank)."""
        return Ed25519PublicKey.from_public_bytes(b64d(self.server_keys.signing.public_key))


def _clipped(limit: int) -> AfterValidator:
    """Cut a server text that is shown on screen to ``limit`` characters (with an ellipsis).

    Why: a reply is data from the network; a megabyte "name" laid out in a label freezes the GUI thread
    for a second or more. Shown texts are clipped rather than refused, so a long but genuine reason is
    still shown; identifiers and tokens are bounded with ``max_length`` and refused instead.
    """

    def clip(value: str) -> str:
        return value if len(value) <= limit else value[: limit - 1] + "…"

    return AfterValidator(clip)


ShownText = Annotated[str, _clipped(300)]
ShortText = Annotated[str, _clipped(80)]
MAX_RESEND_WAIT_S = 600


class OfflineVerifier(_Result):
    """How to derive the cached offline PIN check: scrypt(PIN, salt, n, r, p) of ``length`` bytes."""

    algorithm: Literal["scrypt"]
    salt: str
    n: int = Field(ge=2, le=2**20)
    r: int = Field(ge=1, le=32)
    p: int = Field(ge=1, le=16)
    length: int = Field(ge=16, le=64)


class OperatorInfo(_Result):
    username: str = Field(max_length=64)
    display_name: ShortText
    role: Literal["operator", "supervisor"]


class OperatorSession(_Result):
    session_token: str = Field(max_length=4096)
    expires_at: dt.datetime
    operator: OperatorInfo
    offline_verifier: OfflineVerifier


class OtpChallenge(_Result):
    challenge_id: str = Field(max_length=200)
    channel: Literal["sms", "email"]
    destination_masked: ShortText
    expires_at: dt.datetime
    resend_after_seconds: Annotated[int, AfterValidator(lambda v: min(max(v, 0), MAX_RESEND_WAIT_S))]


class OtpVerified(_Result):
    verified: Literal[True]
    otp_token: str = Field(max_length=4096)


class _Reason(_Result):
    id: ShownText
    en: ShownText


class SubmissionStatus(_Result):
    submission_id: str = Field(max_length=64)
    status: Literal["received", "verifying", "accepted", "rejected", "passed", "failed"]
    reason: _Reason | None = None
    received_at: dt.datetime
    updated_at: dt.datetime

    def reason_message(self) -> Message | None:
        """The server's reason (rejections) as a bilingual message."""
        return Message(self.reason.id, self.reason.en) if self.reason else None


class ReferenceMatches(_Result):
    matches: list[SubmissionStatus] = Field(min_length=1, max_length=100)


class Wave(_Result):
    wave_id: int
    number: int
    name: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    quota: int


class SignedDocument(_Result):
    """A server-signed document (the test bank). Call :meth:`verified_bytes` before using it."""

    format: Literal["prakerja-signed-document-v1"]
    key_id: str
    algorithm: Literal["Ed25519"]
    sha256: str
    document: str
    signature: str

    def verified_bytes(self, public_key: Ed25519PublicKey) -> bytes:
        """The document bytes if the signature verifies with ``public_key``; else ApiBadResponse."""
        bad = Message(
            "Tanda tangan dokumen dari server tidak valid.",
            "The signature of the server's document is not valid.",
        )
        try:
            data = b64d(self.document)
            public_key.verify(b64d(self.signature), data)
        except (InvalidSignature, ValueError):
            raise ApiBadResponse(bad, code="bad_signature") from None
        if hashlib.sha256(data).hexdigest() != self.sha256 or key_id(public_key) != self.key_id:
            raise ApiBadResponse(bad, code="bad_signature")
        return data


R = TypeVar("R", bound=BaseModel)

# ------------------------------------------------------------------------------------------ client


class ApiClient:
    """Typed calls to the central API over one ``requests.Session``.

    ``token`` is the device bearer token (after enrolment). TLS is always verified (``ca_bundle`` for a
    private CA); with ``pin_sha256`` the session also refuses any certificate but the pinned one, in the
    handshake, before a byte of the request is sent (``kiosk.http_transport.PinningAdapter``, the same
    check the outbox uploads use). ``http://`` is refused unless the host is this computer (the demo and
    tests): :class:`ApiConfigError`. Production code builds clients with :meth:`for_settings`, so every
    call — enrolment, operator login, OTP, test bank, status — goes through the pinned session.
    """

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        pin_sha256: str | None = None,
        ca_bundle: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        from kiosk.config import PLAIN_HTTP_REFUSED, url_transport_allowed
        from kiosk.http_transport import PinningAdapter

        if not url_transport_allowed(base_url):
            raise ApiConfigError(
                Message(
                    f"Alamat server pusat harus https:// ({base_url}); http:// hanya untuk server di "
                    "komputer ini (127.0.0.1, localhost).",
                    f"The central server address must be https:// ({base_url}); {PLAIN_HTTP_REFUSED}.",
                ),
                code="plain_http_refused",
            )
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.pin_sha256 = pin_sha256
        self.session = session or requests.Session()
        self.session.verify = ca_bundle or True
        self.session.headers["User-Agent"] = USER_AGENT
        if pin_sha256:
            self.session.mount("https://", PinningAdapter(pin_sha256, ca_bundle))

    @classmethod
    def for_settings(
        cls, base_url: str, api: Any, *, token: str | None = None, timeout: float | None = None
    ) -> ApiClient:
        """The client every production path uses: pin and timeout from the ``[api]`` settings."""
        return cls(
            base_url,
            token=token,
            timeout=api.timeout_s if timeout is None else timeout,
            pin_sha256=getattr(api, "pin_sha256", None),
        )

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------ calls
    def health(self) -> Health:
        """``GET /v1/health`` (no token needed)."""
        return self._call("GET", "/v1/health", Health, auth=False)

    def enrol(
        self, code: str, device_public_key: Ed25519PublicKey | Ed25519PrivateKey, label: str = ""
    ) -> Enrolment:
        """Enrol this device with a one-time code; sets :attr:`token` on success."""
        pub = (
            device_public_key.public_key()
            if isinstance(device_public_key, Ed25519PrivateKey)
            else device_public_key
        )
        body = {"code": code, "public_key": b64e(raw_public(pub)), "label": label}
        result = self._call("POST", "/v1/devices/enrol", Enrolment, json=body, auth=False)
        try:
            result.envelope_key()
            result.signing_key()
        except ValueError:
            raise ApiBadResponse(code="bad_server_keys") from None
        self.token = result.token
        return result

    def operator_login(self, username: str, pin: str) -> OperatorSession:
        """Log an operator in (needs the device token)."""
        return self._call(
            "POST", "/v1/operators/login", OperatorSession, json={"username": username, "pin": pin}
        )

    def otp_request(self, channel: Literal["sms", "email"], destination: str) -> OtpChallenge:
        """Ask the server to send a code to ``destination`` (E.164 phone or e-mail)."""
        return self._call(
            "POST", "/v1/otp/request", OtpChallenge, json={"channel": channel, "destination": destination}
        )

    def otp_verify(self, challenge_id: str, code: str) -> OtpVerified:
        """Check a code; a wrong code raises :class:`ApiRefused` with code ``otp_wrong_code``."""
        return self._call(
            "POST", "/v1/otp/verify", OtpVerified, json={"challenge_id": challenge_id, "code": code}
        )

    def submission_status(self, submission_id: str) -> SubmissionStatus:
        """Central status of a submission this device sent."""
        return self._call("GET", f"/v1/submissions/{submission_id}", SubmissionStatus)

    def submission_status_by_reference(self, reference_number: str) -> SubmissionStatus:
        """Central status for a receipt's reference number ("Cek Status"); the newest match.

        ``ApiNotFound`` when no submission carries it; ``ApiRefused`` (422) when the text is not a
        valid reference (parse it first with ``kiosk.reference.parse`` to tell the person which).
        """
        found = self._call(
            "GET",
            f"/v1/submissions/by-reference/{quote(reference_number.strip(), safe='')}",
            ReferenceMatches,
        )
        return found.matches[-1]

    def current_wave(self) -> Wave:
        """The open wave (``ApiNotFound`` when none is open)."""
        return self._call("GET", "/v1/wave/current", Wave)

    def current_testbank(self, verify_with: Ed25519PublicKey | None = None) -> SignedDocument:
        """The signed test bank; with ``verify_with`` the signature is checked before returning."""
        doc = self._call("GET", "/v1/testbank/current", SignedDocument)
        if verify_with is not None:
            doc.verified_bytes(verify_with)
        return doc

    # -------------------------------------------------------------------------------- plumbing
    def _call(
        self,
        method: str,
        path: str,
        model: type[R],
        *,
        json: Mapping[str, Any] | None = None,
        auth: bool = True,
    ) -> R:
        headers = {"Accept": "application/json"}
        if auth and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            resp = self.session.request(
                method, self.base_url + path, json=json, headers=headers, timeout=self.timeout
            )
        except requests.exceptions.SSLError as exc:
            if _pin_mismatch(exc):
                raise ApiTlsError(PIN_MISMATCH, code="certificate_pin_mismatch") from None
            raise ApiTlsError() from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            raise ApiConnectionDropped() from None
        except requests.exceptions.Timeout:
            raise ApiTimeout() from None
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ):
            raise ApiConfigError() from None
        except requests.exceptions.ConnectionError as exc:
            if (
                "IncompleteRead" in str(exc)
                or "RemoteDisconnected" in str(exc)
                or "aborted" in str(exc).lower()
            ):
                raise ApiConnectionDropped() from None
            raise ApiOffline() from None
        except (requests.exceptions.RequestException, ValueError):
            raise ApiOffline() from None
        return self._interpret(resp, model)

    def _interpret(self, resp: requests.Response, model: type[R]) -> R:
        status = resp.status_code
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body: Any = None
        if ctype == "application/json":
            try:
                body = resp.json()
            except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
                body = None
        if 200 <= status < 300:
            if body is None:
                raise ApiBadResponse(status=status, code="not_api_json")
            try:
                return model.model_validate(body)
            except ValidationError:
                raise ApiBadResponse(status=status, code="unexpected_json") from None
        message, code, problems = _error_details(body)
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        kwargs: dict[str, Any] = {
            "status": status,
            "code": code,
            "retry_after": retry_after,
            "problems": problems,
        }
        if status in (401, 403):
            raise ApiAuthError(message, **kwargs)
        if status in (429, 503):
            raise ApiRateLimited(message, **kwargs)
        if status >= 500:
            raise ApiServerError(message, **kwargs)
        if body is None:
            raise ApiBadResponse(**kwargs)
        if status == 404:
            raise ApiNotFound(message, **kwargs)
        raise ApiRefused(message, **kwargs)


PIN_MISMATCH = Message(
    "Sertifikat server bukan yang disematkan (api.pin_sha256): server lain atau ada penyadap di tengah. "
    "Tidak ada data yang dikirim.",
    "The server's certificate is not the pinned one (api.pin_sha256): another server or someone in "
    "between. Nothing was sent.",
)


def _pin_mismatch(exc: BaseException) -> bool:
    """True when the TLS failure was the certificate pin (somewhere in the exception chain)."""
    from kiosk.http_transport import CertificatePinMismatch

    seen: set[int] = set()
    stack: list[Any] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, CertificatePinMismatch) or "not the pinned one" in str(current):
            return True
        stack.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
    return False


def _error_details(body: Any) -> tuple[Message | None, str | None, list[dict[str, Any]]]:
    """Pick the message, code and problems out of an error body, trusting nothing about its shape."""
    if not isinstance(body, dict):
        return None, None, []
    code = body.get("error") if isinstance(body.get("error"), str) else None
    msg = body.get("message")
    message = None
    if isinstance(msg, dict) and isinstance(msg.get("id"), str) and isinstance(msg.get("en"), str):
        message = Message(msg["id"][:500], msg["en"][:500])
    raw = body.get("problems")
    problems = [p for p in raw if isinstance(p, dict)][:100] if isinstance(raw, list) else []
    return message, code, problems
