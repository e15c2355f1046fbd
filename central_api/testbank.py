"""Server side of the Tes Motivasi dan Kemampuan Dasar: the current bank, its answer key, scoring.

Why the key lives here and only here: the kiosk is a public terminal; anything it holds can be read.
The published bank (``kiosk.testbank.Bank``) has no answer fields at all — its parser refuses them —
and the key plus the pass rule are separate JSON files read only by the reference server:

* ``<data_dir>/testbank/<name>.json`` + ``<name>.key.json``: banks installed by the operator of a
  central server (``bank.json`` + ``bank.key.json`` is the *current* one when present);
* the demo bank ``resources/testbank/demo-bank.json`` with ``central_api/data/demo-key.json``
  (DEMO/TRAINING ONLY), used when no bank is installed.

Answers are scored against the key of the bank they name (``bank_id`` + ``bank_version``), so a kiosk
that was offline for a week and answered an older bank is still scored correctly after a newer bank is
installed.

Entry points:

* :func:`current_bank` ``(data_dir) -> PublishedBank`` — the exact bytes to publish; the route
  ``GET /v1/testbank/current`` (``central_api.routes.info``) signs ``PublishedBank.raw`` with the
  server's Ed25519 signing key.
* :func:`score` ``(answers, data_dir) -> ScoreResult`` — call after opening an envelope whose payload
  has a ``test``; raises :class:`ScoringError` when the answers cannot be scored (unknown bank).
* :func:`apply_score` ``(rt, submission_id, payload)`` — the same, and records ``passed``/``failed``
  as the submission's status; ``central_api.routes.submissions`` calls it after storing a new one.
* :func:`sign_bank` — the demo content-signing step (``scripts/sign_demo_bank.py``).

Scoring rule (data, in the key file): Likert statements give ``points[option]`` (reversed statements
count from the other end); the motivation score is the percentage of the possible range, unanswered
statements counting as the lowest step. Choice questions are right or wrong; unanswered is wrong. The
applicant passes (*lolos*) when both ``min_motivation_percent`` and ``min_correct`` are met.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from central_api.db import Submission, utcnow
from central_api.runtime import Runtime
from kiosk.payload import RegistrationPayload, TestAnswers
from kiosk.testbank import DEMO_BANK_NAME, RESOURCES_DIR, Bank, BankError, parse_bank, signature_file

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_KEY_FILE = DATA_DIR / "demo-key.json"
#: Private half of the demo content-signing key. DEMO/TRAINING ONLY (public in the source tree).
DEMO_SIGNING_KEY_FILE = DATA_DIR / "demo-content-signing-ed25519.pem"
DEMO_BANK_FILE = RESOURCES_DIR / DEMO_BANK_NAME
INSTALLED_SUBDIR = "testbank"
CURRENT_NAME = "bank"
KEY_SUFFIX = ".key.json"


class ScoringError(ValueError):
    """Answers or bank files cannot be scored; the submission keeps its status and the reason is logged."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LikertRule(_Strict):
    """How the motivation section is scored."""

    section: str
    points: dict[str, int] = Field(min_length=2)
    reversed: list[str] = Field(default_factory=list)


class PassRule(_Strict):
    """When an applicant passes (*lolos*)."""

    min_motivation_percent: float = Field(ge=0, le=100)
    min_correct: int = Field(ge=0)


class AnswerKey(_Strict):
    """The answer key and scoring rule of one bank version (server-side only)."""

    format: Literal["prakerja-testbank-key"]
    format_version: Literal[1]
    bank_id: str
    bank_version: int = Field(ge=1)
    note: str = ""
    likert: LikertRule | None = None
    correct: dict[str, str]
    pass_rule: PassRule


@dataclass(frozen=True, slots=True)
class PublishedBank:
    """The current bank as published: ``raw`` is the exact bytes the server signs and kiosks verify."""

    raw: bytes
    bank_id: str
    version: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """Outcome of one test: ``passed`` or ``failed``, and the numbers behind it (no answers echoed)."""

    outcome: Literal["passed", "failed"]
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _KeyedBank:
    bank: Bank
    raw: bytes
    key: AnswerKey


def load_key(path: Path) -> AnswerKey:
    """Read an answer-key file; :class:`ScoringError` when unreadable or not in the format."""
    try:
        return AnswerKey.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as exc:
        raise ScoringError(f"answer key {path.name} unusable: {exc}") from exc


def check_key(bank: Bank, key: AnswerKey) -> None:
    """The key must fit the bank exactly: same id/version, every question keyed, every option real."""
    if (key.bank_id, key.bank_version) != (bank.bank_id, bank.version):
        raise ScoringError(
            f"key is for {key.bank_id} v{key.bank_version}, bank is {bank.bank_id} v{bank.version}"
        )
    choice = {q.id: s.options_for(q) for s in bank.sections if s.kind == "choice" for q in s.questions}
    if set(key.correct) != set(choice):
        raise ScoringError("key does not cover exactly the bank's choice questions")
    for qid, option in key.correct.items():
        if option not in {o.id for o in choice[qid]}:
            raise ScoringError(f"key names an unknown option for {qid}")
    likert = [s for s in bank.sections if s.kind == "likert"]
    if likert:
        if key.likert is None or key.likert.section not in {s.id for s in likert} or len(likert) != 1:
            raise ScoringError("key has no rule for the bank's Likert section")
        section = likert[0]
        if set(key.likert.points) != {o.id for o in section.scale}:
            raise ScoringError("Likert points do not match the scale")
        if not set(key.likert.reversed) <= {q.id for q in section.questions}:
            raise ScoringError("reversed statements are not in the Likert section")


def _load_pair(bank_file: Path, key_file: Path) -> _KeyedBank:
    try:
        raw = bank_file.read_bytes()
    except OSError as exc:
        raise ScoringError(f"bank {bank_file.name} unreadable: {exc.strerror or exc}") from exc
    try:
        bank = parse_bank(raw)
    except BankError as exc:
        raise ScoringError(f"bank {bank_file.name} invalid: {exc.detail}") from exc
    key = load_key(key_file)
    check_key(bank, key)
    return _KeyedBank(bank, raw, key)


def _installed(data_dir: Path) -> list[tuple[Path, Path]]:
    folder = data_dir / INSTALLED_SUBDIR
    if not folder.is_dir():
        return []
    pairs = []
    for bank_file in sorted(folder.glob("*.json")):
        if bank_file.name.endswith(KEY_SUFFIX):
            continue
        key_file = bank_file.with_name(bank_file.stem + KEY_SUFFIX)
        if key_file.is_file():
            pairs.append((bank_file, key_file))
    return pairs


def _current_pair(data_dir: Path) -> _KeyedBank:
    folder = data_dir / INSTALLED_SUBDIR
    bank_file, key_file = folder / f"{CURRENT_NAME}.json", folder / f"{CURRENT_NAME}{KEY_SUFFIX}"
    if bank_file.is_file():
        return _load_pair(bank_file, key_file)
    return _load_pair(DEMO_BANK_FILE, DEMO_KEY_FILE)


def current_bank(data_dir: Path) -> PublishedBank:
    """The bank kiosks should use now (installed ``bank.json`` or the demo bank), checked against its key.

    Raises :class:`ScoringError` when the installed bank and key do not fit together: publishing a bank
    that cannot be scored would waste every applicant's test.
    """
    pair = _current_pair(data_dir)
    return PublishedBank(raw=pair.raw, bank_id=pair.bank.bank_id, version=pair.bank.version)


def _find(data_dir: Path, bank_id: str, version: int) -> _KeyedBank:
    candidates = [*_installed(data_dir), (DEMO_BANK_FILE, DEMO_KEY_FILE)]
    for bank_file, key_file in candidates:
        try:
            key = load_key(key_file)
        except ScoringError:
            continue
        if (key.bank_id, key.bank_version) == (bank_id, version):
            return _load_pair(bank_file, key_file)
    raise ScoringError(f"no answer key for bank {bank_id} v{version}")


def score(answers: TestAnswers | Mapping[str, Any], data_dir: Path) -> ScoreResult:
    """Score one applicant's answers against the key of the bank they answered.

    ``answers`` is a :class:`kiosk.payload.TestAnswers` or its dict form (``payload["test"]``).
    Answers to unknown questions or with unknown options count as unanswered.
    """
    try:
        test = answers if isinstance(answers, TestAnswers) else TestAnswers.model_validate(answers)
    except ValidationError as exc:
        raise ScoringError(f"test answers invalid: {exc.error_count()} problem(s)") from exc
    pair = _find(data_dir, test.bank_id, test.bank_version)
    bank, key = pair.bank, pair.key
    given = test.answers

    correct = sum(1 for qid, option in key.correct.items() if given.get(qid) == option)
    details: dict[str, Any] = {
        "bank_id": bank.bank_id,
        "bank_version": bank.version,
        "correct": correct,
        "choice_questions": len(key.correct),
        "answered": sum(1 for q in bank.questions if q.id in given),
        "questions": len(bank.questions),
        "timed_out": test.timed_out,
    }
    motivation = 100.0
    if key.likert is not None:
        rule = key.likert
        section = next(s for s in bank.sections if s.id == rule.section)
        low, high = min(rule.points.values()), max(rule.points.values())
        total = 0
        for q in section.questions:
            option = given.get(q.id)
            points = rule.points.get(option, low) if option is not None else low
            if q.id in rule.reversed and option in rule.points:
                points = low + high - points
            total += points
        span = (high - low) * len(section.questions)
        motivation = round(100.0 * (total - low * len(section.questions)) / span, 1) if span else 0.0
        details["motivation_percent"] = motivation
    rule_ok = motivation >= key.pass_rule.min_motivation_percent and correct >= key.pass_rule.min_correct
    return ScoreResult("passed" if rule_ok else "failed", details)


def apply_score(rt: Runtime, submission_id: str, payload: RegistrationPayload) -> ScoreResult | None:
    """Score a stored submission's test and set its status to ``passed``/``failed``.

    Called by ``PUT /v1/submissions/{id}`` right after a *new* envelope was opened, validated and
    stored (the PUT's receipt still says ``received``; ``GET /v1/submissions/{id}`` shows the outcome).
    Only a submission still in ``received`` is changed (an operator's decision is never overwritten).
    Answers that cannot be scored (unknown bank) leave the status alone and are logged by bank id only —
    never with personal data.
    """
    if payload.test is None:
        return None
    try:
        result = score(payload.test, rt.settings.data_dir)
    except ScoringError as exc:
        log.warning("test of submission %s not scored: %s", submission_id, exc)
        return None
    with rt.session() as s:
        sub = s.get(Submission, (submission_id, payload.device_id))  # records are per (id, signer)
        if sub is not None and sub.status == "received":
            sub.status = result.outcome
            sub.updated_at = utcnow()
    return result


def load_demo_signing_key(path: Path = DEMO_SIGNING_KEY_FILE) -> Ed25519PrivateKey:
    """The demo content-signing private key (DEMO/TRAINING ONLY)."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def canonical_bank_bytes(raw: bytes) -> bytes:
    """The canonical form a bank is signed in: UTF-8 JSON, 2-space indent, key order kept, final newline.

    Why a canonical form: signatures cover exact bytes, so whoever edits a bank by hand must get the
    same bytes back from the signing script regardless of their editor's whitespace.
    """
    return (json.dumps(json.loads(raw), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sign_bank(raw: bytes, private_key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """Canonicalise, validate and sign a bank: ``(canonical bytes, .sig file bytes)``."""
    canonical = canonical_bank_bytes(raw)
    parse_bank(canonical)  # never sign something kiosks would refuse
    return canonical, signature_file(private_key.sign(canonical), private_key.public_key())
