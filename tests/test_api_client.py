"""kiosk.api_client against real servers: every network/HTTP/JSON problem is an ApiError."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import ClassVar

import pytest

from kiosk.api_client import (
    ApiBadResponse,
    ApiClient,
    ApiConfigError,
    ApiError,
    ApiNotFound,
    ApiOffline,
    ApiServerError,
    parse_retry_after,
)
from tests.support.live_api import LiveApi
from tests.support.local_http import QuietHandler, serve


class _OddHandler(QuietHandler):
    """A real HTTP server answering with bodies a broken proxy might produce."""

    bodies: ClassVar[dict[str, tuple[int, str, bytes]]] = {
        "/v1/health": (200, "application/json", b"{not json"),
        "/v1/wave/current": (200, "application/json", b'{"wave_id": "x"}'),
        "/v1/testbank/current": (200, "application/json", b"[1, 2, 3]"),
        "/v1/submissions/a": (500, "text/plain", b"oops"),
        "/v1/submissions/b": (418, "application/json", b'{"error": 5, "message": "not bilingual"}'),
    }

    def do_GET(self) -> None:
        status, ctype, body = self.bodies.get(self.path, (404, "text/html", b"<h1>nope</h1>"))
        self.reply(status, body, ctype)


@pytest.fixture
def odd_server() -> Iterator[str]:
    with serve(_OddHandler) as url:
        yield url


def test_malformed_json_and_unexpected_shapes_are_bad_responses(odd_server: str) -> None:
    client = ApiClient(odd_server, token="t")
    for call in (client.health, client.current_wave, client.current_testbank):
        with pytest.raises(ApiBadResponse):
            call()
    with pytest.raises(ApiServerError):
        client.submission_status("a")
    with pytest.raises(ApiError) as info:
        client.submission_status("b")
    assert info.value.status == 418 and info.value.message.en  # default message, not a KeyError
    with pytest.raises(ApiBadResponse):
        client.submission_status("c")  # 404 with HTML: not the API


def test_nothing_listening_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ApiOffline) as info:
        ApiClient(f"http://127.0.0.1:{port}", timeout=2).health()
    assert "koneksi" in info.value.message.id.lower()


@pytest.mark.parametrize("url", ["not a url", "ftp://127.0.0.1/", "http://"])
def test_bad_url_is_a_config_error(url: str) -> None:
    with pytest.raises((ApiConfigError, ApiOffline)):
        ApiClient(url).health()


def test_submission_status_through_the_client(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    client = ApiClient(live_api.url, token=dev.token)
    sid, blob = live_api.seal_submission(dev)
    with pytest.raises(ApiNotFound):
        client.submission_status(sid)
    live_api.put_submission(dev, sid, blob)
    live_api.set_submission_status(
        sid, "rejected", "NIK tidak terdaftar.", "NIK not registered.", reason_code="data_mismatch"
    )
    status = client.submission_status(sid)
    assert status.status == "rejected"
    reason = status.reason_message()
    assert reason is not None and "population register" in reason.en and "NIK not" not in reason.en


def test_parse_retry_after() -> None:
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
