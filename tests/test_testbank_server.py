"""Server side: the current bank, scoring against the key, and a kiosk fetching the bank from a live API."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from central_api import testbank as server_bank
from kiosk import testbank as tb
from kiosk.api_client import ApiClient
from kiosk.test_session import ManualClock, TestSession

KEY = json.loads(server_bank.DEMO_KEY_FILE.read_bytes())
BANK = tb.parse_bank(server_bank.DEMO_BANK_FILE.read_bytes())
LIKERT = next(s for s in BANK.sections if s.kind == "likert")
REVERSED = set(KEY["likert"]["reversed"])


def _answers(choice: dict[str, str], likert: dict[str, str], **extra: Any) -> dict[str, Any]:
    """A TestAnswers dict as it appears in a payload (``payload["test"]``)."""
    start = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)
    return {
        "bank_id": BANK.bank_id,
        "bank_version": BANK.version,
        "seed": 1,
        "order": [q.id for q in BANK.questions],
        "answers": {**likert, **choice},
        "started_at": start.isoformat(),
        "finished_at": (start + dt.timedelta(minutes=12)).isoformat(),
        "timed_out": False,
        **extra,
    }


def _wrong(qid: str) -> str:
    question = BANK.question(qid)
    return next(o.id for o in question.options if o.id != KEY["correct"][qid])


def _motivated() -> dict[str, str]:
    return {q.id: ("1" if q.id in REVERSED else "5") for q in LIKERT.questions}


def test_all_right_and_motivated_passes(tmp_path: Path) -> None:
    result = server_bank.score(_answers(dict(KEY["correct"]), _motivated()), tmp_path)
    assert result.outcome == "passed"
    assert result.details["correct"] == len(KEY["correct"]) == result.details["choice_questions"]
    assert result.details["motivation_percent"] == 100.0
    assert result.details["answered"] == len(BANK.questions)


def test_all_wrong_fails(tmp_path: Path) -> None:
    result = server_bank.score(_answers({q: _wrong(q) for q in KEY["correct"]}, _motivated()), tmp_path)
    assert result.outcome == "failed" and result.details["correct"] == 0


def test_reversed_statements_count_from_the_other_end(tmp_path: Path) -> None:
    # agreeing strongly with everything, including "I usually stop when it gets hard"
    agree_all = {q.id: "5" for q in LIKERT.questions}
    n, r = len(LIKERT.questions), len(REVERSED)
    result = server_bank.score(_answers(dict(KEY["correct"]), agree_all), tmp_path)
    assert result.details["motivation_percent"] == round(100.0 * (n - r) / n, 1)


def test_pass_rule_boundary_from_the_key(tmp_path: Path) -> None:
    need = KEY["pass_rule"]["min_correct"]
    qids = list(KEY["correct"])
    just = {q: (KEY["correct"][q] if i < need else _wrong(q)) for i, q in enumerate(qids)}
    short = {q: (KEY["correct"][q] if i < need - 1 else _wrong(q)) for i, q in enumerate(qids)}
    assert server_bank.score(_answers(just, _motivated()), tmp_path).outcome == "passed"
    assert server_bank.score(_answers(short, _motivated()), tmp_path).outcome == "failed"
    unmotivated = {q.id: ("5" if q.id in REVERSED else "1") for q in LIKERT.questions}
    result = server_bank.score(_answers(dict(KEY["correct"]), unmotivated), tmp_path)
    assert result.outcome == "failed" and result.details["motivation_percent"] == 0.0


def test_unanswered_and_unknown_answers_score_as_nothing(tmp_path: Path) -> None:
    result = server_bank.score(_answers({"zz": "a", "n1": "nope"}, {}), tmp_path)
    assert result.outcome == "failed" and result.details["correct"] == 0
    assert result.details["motivation_percent"] == 0.0


def test_session_result_scores_directly(tmp_path: Path) -> None:
    session = TestSession(BANK, seed=99, clock=ManualClock())
    session.start()
    for i in range(session.count):
        session.go_to(i)
        qid = session.order[i]
        session.answer(KEY["correct"].get(qid) or ("1" if qid in REVERSED else "5"))
    assert server_bank.score(session.finish(), tmp_path).outcome == "passed"


def test_unknown_bank_or_bad_answers_raise_scoring_error(tmp_path: Path) -> None:
    with pytest.raises(server_bank.ScoringError):
        server_bank.score(_answers({}, {}, bank_version=99), tmp_path)
    with pytest.raises(server_bank.ScoringError):
        server_bank.score({"bank_id": "x"}, tmp_path)


def _install(data_dir: Path, name: str, version: int, key_changes: dict[str, Any] | None = None) -> bytes:
    folder = data_dir / server_bank.INSTALLED_SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    doc = json.loads(server_bank.DEMO_BANK_FILE.read_bytes())
    doc["version"] = version
    raw = server_bank.canonical_bank_bytes(json.dumps(doc).encode())
    (folder / f"{name}.json").write_bytes(raw)
    key = {**KEY, "bank_version": version, **(key_changes or {})}
    (folder / f"{name}{server_bank.KEY_SUFFIX}").write_text(json.dumps(key))
    return raw


def test_installed_bank_becomes_current_and_old_answers_still_score(tmp_path: Path) -> None:
    assert server_bank.current_bank(tmp_path).raw == server_bank.DEMO_BANK_FILE.read_bytes()
    raw = _install(tmp_path, "bank", 2)
    published = server_bank.current_bank(tmp_path)
    assert (published.raw, published.version) == (raw, 2)
    assert server_bank.score(_answers(dict(KEY["correct"]), _motivated()), tmp_path).outcome == "passed"
    v2 = server_bank.score(_answers(dict(KEY["correct"]), _motivated(), bank_version=2), tmp_path)
    assert v2.details["bank_version"] == 2


def test_key_that_does_not_fit_the_bank_is_refused(tmp_path: Path) -> None:
    _install(tmp_path, "bank", 2, {"correct": {**KEY["correct"], "n1": "zz"}})
    with pytest.raises(server_bank.ScoringError):
        server_bank.current_bank(tmp_path)
    shutil.rmtree(tmp_path / server_bank.INSTALLED_SUBDIR)
    _install(tmp_path, "bank", 2, {"correct": {k: v for k, v in KEY["correct"].items() if k != "n1"}})
    with pytest.raises(server_bank.ScoringError):
        server_bank.current_bank(tmp_path)


# --------------------------------------------------------------------------- against a live API
def test_kiosk_fetches_verifies_and_caches_the_bank_from_the_live_api(live_api: Any, tmp_path: Path) -> None:
    _install(live_api.data_dir, "bank", 3)
    device = live_api.enrol_device()
    store = tb.BankStore(tmp_path / "cache")
    with ApiClient(live_api.url, token=device.token) as client:
        choice = store.refresh(client, device.signing_key)
    assert choice.problem is None and choice.bank.source == "cache" and choice.bank.bank.version == 3
    # offline later: the cached bank is still what the kiosk uses
    with ApiClient("http://127.0.0.1:9", token=device.token, timeout=2) as offline:
        later = store.refresh(offline, device.signing_key)
    assert later.bank.bank.version == 3 and later.problem is None


def test_bank_from_a_server_with_another_key_is_refused_and_the_cache_used(
    live_api: Any, live_api_factory: Any, tmp_path: Path
) -> None:
    """The kiosk pinned server A's key; a reply signed by server B (DNS hijack, wrong URL) is refused."""
    device_a = live_api.enrol_device()
    other = live_api_factory()
    _install(other.data_dir, "bank", 7)
    device_b = other.enrol_device()
    store = tb.BankStore(tmp_path / "cache")
    with ApiClient(live_api.url, token=device_a.token) as client:
        assert store.refresh(client, device_a.signing_key).bank.source == "cache"
    with ApiClient(other.url, token=device_b.token) as client:
        choice = store.refresh(client, device_a.signing_key)
    assert choice.problem is not None and "ditolak" in choice.problem.id
    assert choice.bank.source == "cache" and choice.bank.bank.version == BANK.version


def _sealed_with_test(live_api: Any, device: Any, answers: Any) -> tuple[str, bytes]:
    import uuid

    from tests.support.payloads import fake_photos, make_payload

    sid = str(uuid.uuid4())
    photos = fake_photos()
    payload = make_payload(
        submission_id=sid,
        device_id=device.device_id,
        photos=photos,
        test=json.loads(answers.model_dump_json()),
    )
    return live_api.seal_submission(device, payload_dict=payload, photos=photos, submission_id=sid)


@pytest.mark.parametrize("good", [True, False])
def test_submitted_answers_are_scored_by_the_api_and_shown_by_get(live_api: Any, good: bool) -> None:
    """Answers sealed in the envelope are scored against the server's key; GET shows passed/failed."""
    device = live_api.enrol_device()
    session = TestSession(BANK, seed=5, clock=ManualClock())
    session.start()
    for i, qid in enumerate(session.order):
        session.go_to(i)
        if qid in KEY["correct"]:
            session.answer(KEY["correct"][qid] if good else _wrong(qid))
        else:
            session.answer("1" if qid in REVERSED else "5")
    sid, blob = _sealed_with_test(live_api, device, session.finish())
    put = live_api.put_submission(device, sid, blob)
    assert put.status_code == 201, put.text
    assert put.json()["status"] == "received"  # the receipt never tells the kiosk the result
    got = live_api.http.get(f"{live_api.url}/v1/submissions/{sid}", headers=device.headers, timeout=10)
    assert got.json()["status"] == ("passed" if good else "failed")
