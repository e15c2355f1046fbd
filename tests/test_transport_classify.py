"""The contract's status table (offline_queue.transport.classify_http) and Retry-After parsing."""

from __future__ import annotations

from email.utils import formatdate

import pytest

from offline_queue.transport import MAX_RETRY_AFTER_S, Outcome, classify_http, parse_retry_after

JSON = {"Content-Type": "application/json; charset=utf-8"}
RECEIPT = b'{"submission_id":"x","sha256":"ab","status":"received"}'


@pytest.mark.parametrize("status", [200, 201])
def test_success_with_the_apis_json_is_delivered(status: int) -> None:
    d = classify_http(status, JSON, RECEIPT)
    assert d.outcome is Outcome.DELIVERED and d.receipt == {
        "submission_id": "x",
        "sha256": "ab",
        "status": "received",
    }


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"content-type": "text/html"}, b"<html>login</html>"),
        (JSON, b"<html>"),
        (JSON, b"[1,2]"),
        (JSON, b""),
        ({}, RECEIPT),
    ],
)
def test_a_200_that_is_not_the_apis_json_is_a_failure(headers: dict[str, str], body: bytes) -> None:
    assert classify_http(200, headers, body).outcome is Outcome.OFFLINE


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (409, Outcome.ATTENTION),
        (422, Outcome.ATTENTION),
        (400, Outcome.ATTENTION),
        (413, Outcome.ATTENTION),
        (401, Outcome.AUTH_REQUIRED),
        (403, Outcome.AUTH_REQUIRED),
        (429, Outcome.RETRY),
        (503, Outcome.RETRY),
        (500, Outcome.RETRY),
        (502, Outcome.RETRY),
        (504, Outcome.RETRY),
        (404, Outcome.RETRY),
        (302, Outcome.OFFLINE),
        (307, Outcome.OFFLINE),
    ],
)
def test_status_table(status: int, outcome: Outcome) -> None:
    assert classify_http(status, JSON, b'{"error":"x"}').outcome is outcome


def test_reason_keeps_both_languages_and_the_code() -> None:
    body = b'{"error":"payload_invalid","message":{"id":"Data tidak valid.","en":"Invalid data."}}'
    d = classify_http(422, JSON, body)
    assert d.reason == "Data tidak valid. / Invalid data. [payload_invalid]"
    assert d.receipt is not None and d.receipt["error"] == "payload_invalid"
    assert classify_http(409, {}, b"conflict").reason == "HTTP 409"


def test_retry_after_seconds_and_date() -> None:
    now = 1_700_000_000.0
    assert classify_http(429, {"Retry-After": "17"}, b"").retry_after == 17
    d = classify_http(503, {"retry-after": formatdate(now + 90, usegmt=True)}, b"", now=now)
    assert d.retry_after is not None and 89 <= d.retry_after <= 90
    assert classify_http(503, {}, b"").retry_after is None
    assert classify_http(500, {"Retry-After": "5"}, b"").retry_after is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        (" 12 ", 12.0),
        ("-3", None),
        ("soon", None),
        ("", None),
        (None, None),
        ("99999999", MAX_RETRY_AFTER_S),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=1_700_000_000.0) == expected
