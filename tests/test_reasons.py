"""Reasons as codes (issue 21, finding 1): staff read words chosen by code, in both languages.

Before, ``kiosk.console_model`` searched the English sentence a transport wrote; five engine reasons
(connection broke, TLS, no receipt, receipt mismatch, "Sending failed") reached Indonesian staff as
"Alasan: <English>". Each test here drives the real transport or outbox that gives the reason.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from kiosk.console_model import attention_rows, reason_in_words
from kiosk.http_transport import HttpTransport
from kiosk.reasons import REASON_WORDS, reason_words
from offline_queue.outbox import ATTENTION, Outbox
from offline_queue.reasons import ReasonCode
from offline_queue.sync import SyncEngine
from offline_queue.transport import Delivery, Outcome
from tests.support.local_http import QuietHandler, serve
from tests.support.scripted_transport import ScriptedTransport


def test_every_code_has_words_in_both_languages() -> None:
    assert set(REASON_WORDS) == set(ReasonCode)
    for code, words in REASON_WORDS.items():
        assert words.id.strip() and words.en.strip(), code
        assert words.id != words.en, code  # Indonesian, not the English copied over


def test_an_unknown_or_damaged_code_gives_no_words() -> None:
    assert reason_words("no_such_code") is None
    assert reason_words(None) is None
    assert reason_words(7) is None


class _WrongReceipt(QuietHandler):
    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = {"submission_id": self.path.rsplit("/", 1)[-1], "sha256": hashlib.sha256(b"other").hexdigest()}
        self.reply(201, json.dumps(body).encode())

    def do_POST(self) -> None:
        self.reply(404, b'{"error": "not_found"}')


def test_a_receipt_mismatch_reaches_staff_in_indonesian(tmp_path: Path) -> None:
    """Through the real transport, engine and outbox: the stored code picks the words."""
    outbox = Outbox(tmp_path / "o.sqlite3")
    try:
        outbox.enqueue("a1", b"sealed-envelope")
        with serve(_WrongReceipt) as url:
            engine = SyncEngine(outbox, HttpTransport(url, "token"))
            engine.drain()
        info = outbox.get("a1")
        assert info is not None and info.reason_code == ReasonCode.RECEIPT_MISMATCH
        words = reason_in_words(info.reason or info.last_error, info.state, info.reason_code)
        assert words == REASON_WORDS[ReasonCode.RECEIPT_MISMATCH]
        assert not words.id.startswith("Alasan:")
    finally:
        outbox.close()


def test_an_unreachable_server_is_coded() -> None:
    delivery = HttpTransport("http://127.0.0.1:1", "t", connect_timeout=1).send("x", b"blob")
    assert delivery.code == ReasonCode.UNREACHABLE


def test_a_transport_that_raises_is_sending_failed_in_words(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    try:
        outbox.enqueue("b1", b"x")
        SyncEngine(outbox, ScriptedTransport(script=[RuntimeError("a bug in a transport")])).drain()
        info = outbox.get("b1")
        assert info is not None and info.reason_code == ReasonCode.SENDING_FAILED
        words = reason_in_words(info.last_error, info.state, info.reason_code)
        assert words.id.startswith("Pengiriman gagal karena kesalahan di kiosk")
    finally:
        outbox.close()


def test_a_server_refusal_keeps_the_servers_words(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3")
    try:
        outbox.enqueue("c1", b"x")
        refusal = Delivery(
            Outcome.ATTENTION, reason="Foto buram / Photo blurred [photo_invalid]", code=ReasonCode.REFUSED
        )
        SyncEngine(outbox, ScriptedTransport(script=[refusal])).drain()
        (row,) = attention_rows(outbox)
        assert row.state == ATTENTION
        assert (
            row.reason.id == "Foto buram [photo_invalid]" and row.reason.en == "Photo blurred [photo_invalid]"
        )
    finally:
        outbox.close()


def test_an_outbox_from_schema_1_gets_codes_for_its_reasons(tmp_path: Path) -> None:
    """Items refused before the codes existed still show staff words in their language."""
    import shutil
    import sqlite3

    path = tmp_path / "outbox.sqlite3"
    shutil.copy(Path(__file__).parent / "fixtures" / "outbox-v1.sqlite", path)
    with sqlite3.connect(path) as conn:
        (first,) = conn.execute("SELECT id FROM items ORDER BY seq LIMIT 1").fetchone()
        conn.execute(
            "UPDATE items SET state = 'attention', reason = ?, last_error = ? WHERE id = ?",
            ("The server cannot be reached", "The server cannot be reached", first),
        )
    outbox = Outbox(path)
    try:
        (row,) = attention_rows(outbox)
        assert row.reason == REASON_WORDS[ReasonCode.UNREACHABLE]
    finally:
        outbox.close()
