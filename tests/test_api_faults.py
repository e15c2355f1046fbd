"""Fault injection, each kind observed by a real requests client, plus the capacity limit."""

from __future__ import annotations

import time

import pytest
import requests

from central_api.faults import FaultConfig
from kiosk.api_client import (
    ApiBadResponse,
    ApiClient,
    ApiConnectionDropped,
    ApiOffline,
    ApiRateLimited,
    ApiServerError,
    ApiTimeout,
)
from tests.support.live_api import LiveApi


def health(api: LiveApi, timeout: float = 5) -> requests.Response:
    return requests.get(api.url + "/v1/health", timeout=timeout)


def test_latency(live_api: LiveApi) -> None:
    live_api.set_faults(latency_ms=300)
    start = time.monotonic()
    assert health(live_api).status_code == 200
    assert time.monotonic() - start >= 0.3
    with pytest.raises(ApiTimeout):
        ApiClient(live_api.url, timeout=0.1).health()


def test_error_burst_and_503_retry_after(live_api: LiveApi) -> None:
    live_api.set_faults(error_burst=2, error_status=503, retry_after=7)
    first = health(live_api)
    assert first.status_code == 503 and first.headers["Retry-After"] == "7"
    with pytest.raises(ApiRateLimited) as info:
        ApiClient(live_api.url).health()
    assert info.value.retry_after == 7
    assert health(live_api).status_code == 200
    live_api.set_faults(error_burst=1)
    with pytest.raises(ApiServerError):
        ApiClient(live_api.url).health()


def test_error_rate_is_reproducible_with_a_seed(live_api: LiveApi) -> None:
    def run() -> list[int]:
        live_api.set_faults(error_rate=0.5, seed=42)
        return [health(live_api).status_code for _ in range(20)]

    a, b = run(), run()
    assert a == b and 500 in a and 200 in a


def test_429_burst_with_retry_after(live_api: LiveApi) -> None:
    live_api.set_faults(rate_limit_burst=3, retry_after=2)
    codes = [health(live_api) for _ in range(4)]
    assert [r.status_code for r in codes] == [429, 429, 429, 200]
    assert all(r.headers["Retry-After"] == "2" for r in codes[:3])


def test_dropped_connection_mid_body_after_the_server_stored_it(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    live_api.set_faults(drop_burst=1)
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)):
        live_api.put_submission(dev, sid, blob)
    # The submission was stored before the reply was cut: the resend is an identical 200.
    again = live_api.put_submission(dev, sid, blob)
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_dropped_connection_is_an_api_error_in_the_client(live_api: LiveApi) -> None:
    live_api.set_faults(drop_burst=1)
    with pytest.raises(ApiOffline) as info:
        ApiClient(live_api.url).health()
    assert isinstance(info.value, ApiConnectionDropped)


def test_captive_portal_is_200_html_and_the_client_refuses_it(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    live_api.set_faults(captive_portal=True)
    resp = health(live_api)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    client = ApiClient(live_api.url, token=dev.token)
    for call in (
        client.health,
        client.current_wave,
        client.current_testbank,
        lambda: client.otp_request("sms", "+6281200000003"),
    ):
        with pytest.raises(ApiBadResponse) as info:
            call()
        assert info.value.message.id and info.value.message.en
    # Admin paths are never faulted, so the fault can be switched off.
    live_api.clear_faults()
    assert client.health().status == "ok"


def test_start_up_faults(live_api_factory) -> None:
    api = live_api_factory(faults=FaultConfig(rate_limit_burst=1, retry_after=3))
    first = health(api)
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert health(api).status_code == 200


def test_path_prefix_limits_faults(live_api: LiveApi) -> None:
    live_api.set_faults(captive_portal=True, path_prefix="/v1/submissions")
    assert health(live_api).headers["content-type"].startswith("application/json")


def test_capacity_limit_refuses_beyond_the_limit(live_api_factory) -> None:
    api = live_api_factory(max_concurrent=2, capacity_retry_after=4)
    dev = api.enrol_device()
    sid, blob = api.seal_submission(dev)
    # Hold two slow uploads open (body trickled), then a third request is refused.
    import socket

    holders = []
    for _ in range(2):
        s = socket.create_connection(("127.0.0.1", api.server.port))
        s.sendall(
            f"PUT /v1/submissions/{sid} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {dev.token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {len(blob)}\r\n\r\n".encode()
            + blob[:10]
        )
        holders.append(s)
    # Wait for the server to have taken both uploads (a condition, not a fixed sleep).
    refused = _health_until(api, 503)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "4"
    assert refused.json()["error"] == "over_capacity"
    for s in holders:
        s.close()
    assert _health_until(api, 200).status_code == 200


def _health_until(api: LiveApi, status: int, timeout_s: float = 30.0) -> requests.Response:
    """Poll /v1/health until it answers ``status`` (or time out and return the last answer)."""
    deadline = time.monotonic() + timeout_s
    while True:
        resp = requests.get(api.url + "/v1/health", timeout=5)
        if resp.status_code == status or time.monotonic() > deadline:
            return resp
        time.sleep(0.02)
