"""pytest plugin: a real reference central API (uvicorn on a free 127.0.0.1 port, temp data dir).

Loaded by ``tests/conftest.py`` (``pytest_plugins``). Fixtures:

``live_api`` -> :class:`LiveApi`
    A fresh server per test (about 0.2 s): own data dir, own SQLite file, own keys.
``live_api_factory`` -> ``make(**settings_overrides) -> LiveApi``
    For servers with start-up options, e.g. ``make(faults=FaultConfig(latency_ms=50))`` or
    ``make(max_concurrent=2)``. Every server made is stopped at the end of the test.

:class:`LiveApi` attributes and helpers:

- ``url``, ``admin_token``, ``data_dir``, ``settings``, ``server`` (the ``ServerThread``).
- ``admin(method, path, **requests_kwargs) -> requests.Response`` — calls an admin endpoint.
- ``create_enrolment_code() -> str``.
- ``enrol_device(label="test-kiosk") -> EnrolledDevice`` with ``device_id``, ``token``, ``private_key``
  (Ed25519), ``envelope_key`` (server X25519 public key), ``signing_key`` (server Ed25519 public key),
  ``server_keys`` (the raw JSON) and ``headers`` (``{"Authorization": "Bearer …"}``).
- ``seal_submission(device, payload_dict=None, photos=None, submission_id=None) -> (id, bytes)`` —
  a valid sealed envelope built with ``tests.support.payloads.make_payload`` and ``kiosk.envelope.seal``.
  When ``payload_dict`` is given it is sealed as is (so invalid payloads can be tested).
- ``put_submission(device, submission_id, blob, **kw) -> requests.Response`` — the raw PUT.
- ``set_faults(**FaultConfig fields) -> dict`` / ``clear_faults()`` — fault injection via the admin API.
- ``otp_outbox(destination=None, challenge_id=None) -> list[dict]`` — messages the OTP sender wrote.
- ``create_operator(username, pin, role="operator")``; ``set_submission_status(id, status, …)``;
  ``revoke_device(device_id)``.
- ``sql(statement, **params) -> list[Row]`` — run SQL on the server's own database (portable SQL only).

With ``pytest --postgres`` the API's own tests (``tests/test_api_*.py``) run twice: on the SQLite file
and on their own database of a PostgreSQL cluster started for the run (``tests/support/postgres.py``;
``initdb`` in a temp dir; as root it runs as the ``postgres`` user). Fixture ``api_database`` says which.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    # Why only for the type checker: this plug-in is loaded for every test file, and importing the
    # server (FastAPI, SQLAlchemy, uvicorn) costs ~2 s of collection for the many files that never
    # start one. The fixtures and ``LiveApi`` import them on first use instead.
    import requests
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from sqlalchemy import Row

    from kiosk.device import DeviceIdentity
    from tests.support.postgres import PostgresCluster

ENVELOPE_CONTENT_TYPE = "application/octet-stream"


@dataclass
class EnrolledDevice:
    """A device enrolled on a :class:`LiveApi` (what a kiosk stores after enrolment)."""

    device_id: str
    token: str
    private_key: Ed25519PrivateKey
    envelope_key: X25519PublicKey
    signing_key: Ed25519PublicKey
    server_keys: dict[str, Any] = field(repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def identity(self, api_url: str, *, token_expires_at: dt.datetime | None = None) -> DeviceIdentity:
        """What the kiosk would hold after this enrolment (keys in the encrypted-file store).

        Why here: tests that open a ``KioskRuntime`` against the live API all need the same mapping from
        the enrolment answer to ``DeviceIdentity``; one place keeps them in step when the identity grows.
        """
        from kiosk.device import DeviceIdentity

        return DeviceIdentity(
            device_id=self.device_id,
            api_url=api_url,
            token=self.token,
            token_expires_at=token_expires_at,
            signing_key=self.private_key,
            server_envelope_key=self.envelope_key,
            server_signing_key=self.signing_key,
            enrolled_at=dt.datetime.now(dt.UTC),
            storage="encrypted-file",
        )


class LiveApi:
    """A running reference API with helpers (see the module docstring)."""

    def __init__(self, data_dir: Path, **overrides: Any) -> None:
        import requests

        from central_api.server import ServerThread
        from central_api.settings import Settings

        self.settings = Settings(data_dir=data_dir, **overrides)
        self.server = ServerThread(self.settings, "127.0.0.1", 0).start()
        self.url = self.server.url
        self.data_dir = data_dir
        self.admin_token = (
            (data_dir / "admin-token").read_text().strip()
            if not self.settings.admin_token
            else self.settings.admin_token
        )
        self.http = requests.Session()

    # ---------------------------------------------------------------------------- admin helpers
    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.admin_token}", **kwargs.pop("headers", {})}
        return self.http.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def _admin_ok(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = self.admin(method, path, **kwargs)
        assert resp.status_code < 300, (resp.status_code, resp.text)
        return resp.json()

    def create_enrolment_code(self, **body: Any) -> str:
        return str(self._admin_ok("POST", "/v1/admin/enrolment-codes", json={"count": 1, **body})["codes"][0])

    def create_operator(
        self, username: str, pin: str, role: str = "operator", **extra: Any
    ) -> dict[str, Any]:
        return dict(
            self._admin_ok(
                "POST", "/v1/admin/operators", json={"username": username, "pin": pin, "role": role, **extra}
            )
        )

    def set_faults(self, **config: Any) -> dict[str, Any]:
        return dict(self._admin_ok("PUT", "/v1/admin/faults", json=config))

    def clear_faults(self) -> dict[str, Any]:
        return self.set_faults()

    def otp_outbox(
        self, destination: str | None = None, challenge_id: str | None = None
    ) -> list[dict[str, Any]]:
        params = {k: v for k, v in {"destination": destination, "challenge_id": challenge_id}.items() if v}
        return list(self._admin_ok("GET", "/v1/admin/otp-outbox", params=params))

    def set_submission_status(
        self,
        submission_id: str,
        status: str,
        reason_id: str | None = None,
        reason_en: str | None = None,
        *,
        reason_code: str | None = None,
    ) -> dict[str, Any]:
        """``reason_code`` is what devices see (central_api/reasons.py); the texts are staff's note."""
        body = {"status": status, "reason_code": reason_code, "reason_id": reason_id, "reason_en": reason_en}
        return dict(self._admin_ok("POST", f"/v1/admin/submissions/{submission_id}/status", json=body))

    def revoke_device(self, device_id: str, kind: str | None = None) -> dict[str, Any]:
        params = {"kind": kind} if kind else {}
        return dict(self._admin_ok("POST", f"/v1/admin/devices/{device_id}/revoke", params=params))

    # --------------------------------------------------------------------------- device helpers
    def enrol_device(self, label: str = "test-kiosk") -> EnrolledDevice:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

        from kiosk.envelope import b64d, b64e, raw_public

        key = Ed25519PrivateKey.generate()
        code = self.create_enrolment_code()
        resp = self.http.post(
            self.url + "/v1/devices/enrol",
            json={"code": code, "public_key": b64e(raw_public(key.public_key())), "label": label},
            timeout=10,
        )
        assert resp.status_code == 201, (resp.status_code, resp.text)
        data = resp.json()
        keys = data["server_keys"]
        return EnrolledDevice(
            device_id=data["device_id"],
            token=data["token"],
            private_key=key,
            envelope_key=X25519PublicKey.from_public_bytes(b64d(keys["envelope"]["public_key"])),
            signing_key=Ed25519PublicKey.from_public_bytes(b64d(keys["signing"]["public_key"])),
            server_keys=keys,
        )

    def seal_submission(
        self,
        device: EnrolledDevice,
        payload_dict: Mapping[str, Any] | None = None,
        photos: Mapping[str, bytes] | None = None,
        submission_id: str | uuid.UUID | None = None,
        created_at: Any = None,
    ) -> tuple[str, bytes]:
        from kiosk.envelope import seal
        from tests.support.payloads import fake_photos, make_payload

        sid = str(submission_id or (payload_dict or {}).get("submission_id") or uuid.uuid4())
        photos = dict(photos if photos is not None else fake_photos())
        if payload_dict is None:
            payload_dict = make_payload(submission_id=sid, device_id=device.device_id, photos=photos)
        blob = seal(
            payload_dict,
            photos,
            submission_id=sid,
            device_id=device.device_id,
            device_key=device.private_key,
            server_key=device.envelope_key,
            created_at=created_at,
        )
        return sid, blob

    def put_submission(
        self, device: EnrolledDevice, submission_id: str, blob: bytes, **kwargs: Any
    ) -> requests.Response:
        headers = {**device.headers, "Content-Type": ENVELOPE_CONTENT_TYPE, **kwargs.pop("headers", {})}
        return self.http.put(
            f"{self.url}/v1/submissions/{submission_id}",
            data=blob,
            headers=headers,
            timeout=kwargs.pop("timeout", 10),
            **kwargs,
        )

    def sql(self, statement: str, **params: Any) -> list[Row[Any]]:
        """Run one SQL statement on the server's database (committed); rows for a SELECT."""
        from sqlalchemy import text

        engine = self.server.app.state.rt.engine
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result) if result.returns_rows else []

    def stop(self) -> None:
        self.http.close()
        self.server.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With ``--postgres``, run the reference API's own suite (``test_api_*``) on SQLite AND PostgreSQL.

    Why only those modules: they are the API's tests; other tests merely use a server and gain nothing
    from a second database, so they keep the fast SQLite file.
    """
    if (
        metafunc.config.getoption("--postgres", default=False)
        and "live_api_factory" in metafunc.fixturenames
        and metafunc.definition.path.name.startswith("test_api_")
    ):
        metafunc.parametrize("api_database", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def api_database(request: pytest.FixtureRequest) -> str:
    """Which database the test's servers use: ``"sqlite"`` (default) or ``"postgres"``."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def _postgres(request: pytest.FixtureRequest) -> Iterator[PostgresCluster | None]:
    """A PostgreSQL cluster when the run asked for ``--postgres``, else ``None`` (SQLite files)."""
    if not request.config.getoption("--postgres", default=False):
        yield None
        return
    from tests.support.postgres import PostgresCluster

    with PostgresCluster() as pg:
        yield pg


@pytest.fixture(scope="session")
def _live_api_reaper() -> Iterator[list[LiveApi]]:
    """Servers asked to stop at the end of their test; joined once at the end of the session.

    Why: uvicorn notices ``should_exit`` only every 0.1 s; waiting for that after every test would add
    seconds to the suite for nothing (each server has its own port and data dir).
    """
    stopping: list[LiveApi] = []
    yield stopping
    for api in stopping:
        api.stop()


@pytest.fixture
def live_api_factory(
    tmp_path_factory: pytest.TempPathFactory,
    _live_api_reaper: list[LiveApi],
    _postgres: PostgresCluster | None,
    api_database: str,
) -> Iterator[Callable[..., LiveApi]]:
    """Make servers with start-up options; all are told to stop after the test."""
    made: list[LiveApi] = []

    def make(**overrides: Any) -> LiveApi:
        if _postgres is not None and api_database == "postgres" and "database_url" not in overrides:
            overrides["database_url"] = _postgres.new_database_url()
        api = LiveApi(tmp_path_factory.mktemp("central-api"), **overrides)
        made.append(api)
        return api

    yield make
    for api in made:
        api.http.close()
        api.server.request_stop()
        _live_api_reaper.append(api)


@pytest.fixture
def live_api(live_api_factory: Callable[..., LiveApi]) -> LiveApi:
    """A fresh reference API for this test (see the module docstring)."""
    return live_api_factory()
