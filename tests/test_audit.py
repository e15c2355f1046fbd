"""Audit log: hash chain detects edited, inserted, deleted (incl. last) lines; no personal data."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.audit import (
    GENESIS,
    AuditError,
    AuditLog,
    head_header,
    public_key_text,
    read_head,
    verify,
    verify_kiosk,
)


def _filled(tmp_path: Path, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit.log")
    for i in range(n):
        log.append(f"op-{i}", "queue.retry", f"0190f3e2-7b1c-7cc0-9a5e-00000000000{i}")
    return log


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def test_append_and_verify(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    report = verify(log.path)
    assert report.ok and report.entries == 5 and report.head_checked
    first = json.loads(_lines(log.path)[0])
    assert first["prev"] == GENESIS and first["seq"] == 1
    assert set(first) == {"seq", "time", "operator", "action", "reference", "prev", "hash"}
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert "intact" in report.summary().en


def test_empty_log_verifies(tmp_path: Path) -> None:
    report = verify(tmp_path / "none.log")
    assert report.ok and report.entries == 0


def test_edited_line_detected(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    lines = _lines(log.path)
    entry = json.loads(lines[2])
    entry["operator"] = "op-99"
    lines[2] = json.dumps(entry, separators=(",", ":")) + "\n"
    log.path.write_text("".join(lines))
    report = verify(log.path)
    assert not report.ok
    assert report.problems[0].line == 3 and report.problems[0].kind == "edited"


def test_edit_with_recomputed_hash_breaks_next_link(tmp_path: Path) -> None:
    from kiosk.audit import _entry_hash

    log = _filled(tmp_path)
    lines = _lines(log.path)
    entry = json.loads(lines[1])
    entry["action"] = "device.wipe"
    entry["hash"] = _entry_hash(entry)
    lines[1] = json.dumps(entry, separators=(",", ":")) + "\n"
    log.path.write_text("".join(lines))
    report = verify(log.path)
    assert not report.ok
    assert report.problems[0].line == 3 and report.problems[0].kind == "chain broken"


def test_deleted_middle_line_detected(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    lines = _lines(log.path)
    del lines[1]
    log.path.write_text("".join(lines))
    report = verify(log.path)
    assert not report.ok
    kinds = {p.kind for p in report.problems}
    assert "deleted" in kinds and report.problems[0].line == 2


def test_deleted_last_line_detected_by_head(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    log.path.write_text("".join(_lines(log.path)[:-1]))
    report = verify(log.path)
    assert not report.ok
    assert report.problems[-1].kind == "deleted at end"
    assert "TAMPERED" in report.summary().en


def test_inserted_line_detected(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    lines = _lines(log.path)
    lines.insert(2, lines[1])
    log.path.write_text("".join(lines))
    report = verify(log.path)
    assert not report.ok and report.problems[0].line == 3


def test_garbled_line_and_missing_head(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    with log.path.open("a") as fh:
        fh.write("not json\n")
    assert any(p.kind == "garbled" for p in verify(log.path).problems)
    log.path.with_name("audit.log.head").unlink()
    log.path.write_text("".join(_lines(log.path)[:-1]))
    assert any(p.kind == "head missing" for p in verify(log.path).problems)


def test_append_continues_chain_after_reopen(tmp_path: Path) -> None:
    _filled(tmp_path, 2)
    log = AuditLog(tmp_path / "audit.log")
    entry = log.append("op-1", "device.wipe")
    assert entry.seq == 3
    assert verify(log.path).ok


@pytest.mark.parametrize(
    ("operator", "action", "reference"),
    [
        ("Siti Nurhaliza", "queue.retry", None),  # free text / a name as operator
        ("op-1", "Queue Retry!", None),
        ("op-1", "status.lookup", "3171014507900001"),  # a NIK as reference
        ("op-1", "status.lookup", "081234567890"),  # a phone number
        ("siti@example.com", "login", None),  # an e-mail as operator
        ("op-1", "status.lookup", "nama ibu Sumiati"),
    ],
)
def test_personal_data_refused(tmp_path: Path, operator: str, action: str, reference: str | None) -> None:
    log = AuditLog(tmp_path / "audit.log")
    with pytest.raises(AuditError):
        log.append(operator, action, reference)
    assert not log.path.exists()


def test_concurrent_appends_keep_the_chain(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.log")

    def work(n: int) -> None:
        for i in range(20):
            log.append(f"op-{n}", "queue.retry", f"REF-{n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report = verify(log.path)
    assert report.ok and report.entries == 80


def test_an_unreadable_head_is_reported_not_raised(tmp_path: Path) -> None:
    log = _filled(tmp_path)
    log.path.with_name("audit.log.head").write_text('{"seq": 1e999, "hash": "x"}')
    report = verify(log.path)
    assert not report.ok and report.entries == 5
    log.append("op-9", "queue.retry", None)  # appending still works: the chain continues from the lines


# ------------------------------------------------------------------ issue 18: a keyed, signed chain
def _signed(tmp_path: Path, key: Ed25519PrivateKey, n: int = 5) -> AuditLog:
    log = AuditLog(tmp_path / "audit.log", key)
    for i in range(n):
        log.append(f"op-{i}", "queue.retry", f"REF-{i}")
    return log


def _recompute_head(path: Path) -> None:
    """What the attacker in the review did: rewrite the head to match the (cut) file."""
    last = json.loads(_lines(path)[-1])
    path.with_name("audit.log.head").write_text(json.dumps({"seq": last["seq"], "hash": last["hash"]}))


def _enrolled(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    """A data dir with a device.json naming ``key`` (what verify_kiosk reads; no secret needed)."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "device.json").write_text(json.dumps({"format": 1, "device_public_key": public_key_text(key)}))
    return data


def test_cutting_the_tail_and_rewriting_the_head_is_detected(tmp_path: Path) -> None:
    """Before: dropping the last 3 lines and rewriting the head gave "intact: 2 entries"."""
    key = Ed25519PrivateKey.generate()
    log = _signed(tmp_path, key)
    assert verify(log.path).ok and verify(log.path).signed
    log.path.write_text("".join(_lines(log.path)[:-3]))
    _recompute_head(log.path)
    report = verify(log.path)
    assert not report.ok and report.problems[-1].kind == "head not signed"
    # reusing an entry's own signature for the head does not work either (separate domain)
    last = json.loads(_lines(log.path)[-1])
    head = {"seq": last["seq"], "hash": last["hash"], "key": public_key_text(key), "sig": last["sig"]}
    log.path.with_name("audit.log.head").write_text(json.dumps(head))
    assert not verify(log.path).ok


def test_deleting_the_log_on_an_enrolled_device_fails_the_cli(tmp_path: Path) -> None:
    """Before: deleting both files gave "intact: 0 entries", exit 0."""
    key = Ed25519PrivateKey.generate()
    data = _enrolled(tmp_path, key)
    log = AuditLog(data / "audit.log", key)
    log.append("system", "device.enrol", "dev-1")
    assert verify_kiosk(log.path, data).ok
    log.path.unlink()
    log.path.with_name("audit.log.head").unlink()
    report = verify_kiosk(log.path, data)
    assert not report.ok and report.problems[0].kind == "missing"
    assert "MISSING" in report.summary().en and "HILANG" in report.summary().id
    home = tmp_path
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "audit", "verify"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PRAKERJA_KIOSK_HOME": str(home)},
    )
    assert result.returncode == 1 and "MISSING" in result.stdout, result.stdout + result.stderr


def test_a_rewritten_unsigned_log_on_an_enrolled_device_is_detected(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    data = _enrolled(tmp_path, key)
    _signed(tmp_path / "data", key, 3)
    forged = AuditLog(tmp_path / "forged" / "audit.log")  # no key: a perfectly chained unsigned log
    for i in range(3):
        forged.append(f"op-{i}", "queue.retry", None)
    for name in ("audit.log", "audit.log.head"):
        (data / name).write_bytes((forged.path.parent / name).read_bytes())
    report = verify_kiosk(data / "audit.log", data)
    assert not report.ok and report.problems[-1].kind == "not signed by this device"
    # and a log signed by some other key is refused the same way
    other = Ed25519PrivateKey.generate()
    (data / "audit.log").unlink()
    (data / "audit.log.head").unlink()
    _signed(data.parent / "data", other, 2)
    assert not verify_kiosk(data / "audit.log", data).ok


def test_re_enrolment_keeps_old_lines_verifiable_and_head_is_exposed(tmp_path: Path) -> None:
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    AuditLog(tmp_path / "audit.log").append("cli", "queue.export")  # before enrolment: unsigned
    _signed(tmp_path, old, 2)
    log = AuditLog(tmp_path / "audit.log", new)
    assert log.ensure_signed() is not None and log.ensure_signed() is None
    log.append("op-1", "queue.retry")
    lines = [json.loads(line) for line in _lines(log.path)]
    assert [("key" in line) for line in lines] == [False, True, False, True, False]
    report = verify(log.path)
    assert report.ok and report.signed and report.entries == 5
    head = read_head(log.path)
    assert head is not None and head.seq == 5 and head.hash == lines[-1]["hash"]
    assert head.header_value() == f"5:{lines[-1]['hash']}" == head_header(log.path)  # as the API reads it
    assert head.sig and head.key == public_key_text(new)
    # a forged signature on a middle line is found
    lines[2]["sig"] = lines[3]["sig"]
    log.path.write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
    assert verify(log.path).problems[0].kind == "bad signature"
