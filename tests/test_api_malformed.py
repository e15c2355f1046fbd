"""Malformed requests get a 4xx with a reason in the API's error shape, never a 5xx."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.live_api import LiveApi


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        (
            "POST",
            "/v1/devices/enrol",
            {"data": b"{not json", "headers": {"Content-Type": "application/json"}},
        ),
        (
            "POST",
            "/v1/devices/enrol",
            {"data": b"code=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        ),
        ("POST", "/v1/devices/enrol", {"json": {"code": "X" * 500, "public_key": 5}}),
        ("POST", "/v1/devices/enrol", {"json": ["a", "list"]}),
        (
            "POST",
            "/v1/devices/enrol",
            {"json": {"code": "ABCD-EFGH-JKLM", "public_key": "A" * 43, "extra": 1}},
        ),
        ("GET", "/v1/submissions/123", {}),
        ("GET", "/v1/nothing-here", {}),
        ("DELETE", "/v1/health", {}),
    ],
)
def test_malformed_requests_are_4xx_with_reason(
    live_api: LiveApi, method: str, path: str, kwargs: dict
) -> None:
    resp = requests.request(method, live_api.url + path, timeout=5, **kwargs)
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.text)
    body = resp.json()
    assert body["error"] and body["message"]["id"] and body["message"]["en"]


def test_device_endpoints_with_malformed_bodies(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    cases = [
        ("POST", "/v1/otp/request", {"json": {"channel": "pigeon", "destination": "+6281200000001"}}),
        ("POST", "/v1/otp/verify", {"json": {"challenge_id": "x", "code": "12"}}),
        (
            "POST",
            "/v1/operators/login",
            {"data": b"\xff\xfe", "headers": {"Content-Type": "application/json"}},
        ),
        (
            "PUT",
            f"/v1/submissions/{uuid.uuid4()}",
            {"data": b"\x00" * 100, "headers": {"Content-Type": "application/octet-stream"}},
        ),
        (
            "PUT",
            f"/v1/submissions/{uuid.uuid4()}",
            {"data": b"PKE1\xff\xff\xff\xff", "headers": {"Content-Type": "application/octet-stream"}},
        ),
        ("PUT", f"/v1/submissions/{uuid.uuid4()}", {"data": b"x", "headers": {"Content-Type": "text/plain"}}),
    ]
    for method, path, kwargs in cases:
        headers = {**dev.headers, **kwargs.pop("headers", {})}
        resp = requests.request(method, live_api.url + path, headers=headers, timeout=5, **kwargs)
        assert 400 <= resp.status_code < 500, (path, resp.status_code, resp.text)
        assert resp.json()["message"]["en"]


def test_bad_content_length_is_4xx(live_api: LiveApi) -> None:
    import socket

    dev = live_api.enrol_device()
    with socket.create_connection(("127.0.0.1", live_api.server.port)) as s:
        s.sendall(
            f"PUT /v1/submissions/{uuid.uuid4()} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {dev.token}\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: abc\r\n\r\n".encode()
        )
        reply = s.recv(4096)
    assert reply.startswith(b"HTTP/1.1 4"), reply[:80]


def test_a_body_that_cannot_be_decoded_is_the_documented_422(live_api: LiveApi) -> None:
    """Bytes that are not text at all (FastAPI's own "error parsing the body", a 400) answer with the
    422 the OpenAPI lists for every operation with a body, in the API's error shape."""
    resp = requests.post(
        live_api.url + "/v1/devices/enrol",
        data=b"\xff\xfe\xfa\x00\x81",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert resp.status_code == 422, resp.text
    body = resp.json()
    assert body["error"] == "request_invalid"
    assert body["message"]["id"] and body["message"]["en"]
    assert (
        "422"
        in live_api.http.get(live_api.url + "/openapi.json", timeout=5).json()["paths"]["/v1/devices/enrol"][
            "post"
        ]["responses"]
    )
