"""Audit log: hash chain detects edited, inserted, deleted (incl. last) lines; no personal data."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest

from kiosk.audit import GENESIS, AuditError, AuditLog, verify


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
