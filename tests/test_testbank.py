"""The published bank: format, signature, cache of the last good bank, and no answer key in the client."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central_api import testbank as server_bank
from kiosk import testbank as tb

ROOT = Path(__file__).resolve().parents[1]
DEMO_RAW = (tb.RESOURCES_DIR / tb.DEMO_BANK_NAME).read_bytes()
ANSWER_WORDS = {
    "answer",
    "answers",
    "correct",
    "key",
    "solution",
    "score",
    "points",
    "reversed",
    "pass_rule",
    "weight",
}


def _keys(obj: object) -> set[str]:
    """Every object key anywhere in a JSON value (field names, not values)."""
    found: set[str] = set()
    if isinstance(obj, dict):
        for k, v in obj.items():
            found.add(k)
            found |= _keys(v)
    elif isinstance(obj, list):
        for v in obj:
            found |= _keys(v)
    return found


# -------------------------------------------------------------------------------------- format
def test_shipped_bank_parses_and_fits_the_brief() -> None:
    bank = tb.parse_bank(DEMO_RAW)
    assert 18 <= len(bank.questions) <= 24
    assert 15 * 60 <= bank.time_limit_s <= 25 * 60
    assert sorted(bank.warnings_s, reverse=True) == [300, 60]
    kinds = {s.id: s.kind for s in bank.sections}
    assert kinds["motivasi"] == "likert" and list(kinds.values()).count("choice") == 3
    assert any(q.picture is not None for q in bank.questions)
    for q in bank.questions:
        assert q.prompt.id.strip() and q.prompt.en.strip()
    pic = next(q.picture for q in bank.questions if q.picture is not None)
    assert pic.png().startswith(tb.PNG_MAGIC)


def test_bank_model_schema_has_no_answer_fields() -> None:
    schema_keys = set()
    for model in (tb.Bank, tb.Section, tb.Question, tb.Option, tb.Picture, tb.Text):
        schema_keys |= set(model.model_fields)
    assert not schema_keys & ANSWER_WORDS
    # and in the JSON schema as a whole (nested definitions included)
    assert not set(_json_schema_properties(tb.Bank.model_json_schema())) & ANSWER_WORDS


def _json_schema_properties(schema: object) -> set[str]:
    props: set[str] = set()
    if isinstance(schema, dict):
        if isinstance(schema.get("properties"), dict):
            props |= set(schema["properties"])
        for v in schema.values():
            props |= _json_schema_properties(v)
    elif isinstance(schema, list):
        for v in schema:
            props |= _json_schema_properties(v)
    return props


def test_shipped_bank_has_no_answer_fields() -> None:
    assert not _keys(json.loads(DEMO_RAW)) & ANSWER_WORDS


@pytest.mark.parametrize("field", ["answer", "correct", "key"])
def test_parser_refuses_a_bank_carrying_an_answer_field(field: str) -> None:
    doc = json.loads(DEMO_RAW)
    doc["sections"][1]["questions"][0][field] = "b"
    with pytest.raises(tb.BankInvalid) as err:
        tb.parse_bank(json.dumps(doc).encode())
    assert err.value.message.id and err.value.message.en


def test_no_file_in_the_client_contains_the_answer_key() -> None:
    """Neither the key file nor its distinctive content appears under kiosk/, ui/ or resources/."""
    key = json.loads(server_bank.DEMO_KEY_FILE.read_bytes())
    correct_json = json.dumps(key["correct"], sort_keys=True)
    # The key as a run of "question": "option" pairs, in any JSON/Python formatting.
    pairs = [re.compile(rf"""["']{q}["']\s*:\s*["']{o}["']""") for q, o in key["correct"].items()]
    for top in ("kiosk", "ui", "resources"):
        for path in (ROOT / top).rglob("*"):
            if not path.is_file() or path.suffix in {".qm", ".sqlite", ".jpg", ".png"}:
                continue
            assert "prakerja-testbank-key" not in path.name
            text = path.read_bytes().decode("utf-8", errors="replace")
            assert "prakerja-testbank-key" not in text, path
            assert correct_json not in text, path
            hits = sum(1 for p in pairs if p.search(text))
            assert hits < 3, f"{path} looks like it holds the answer key"


def test_parser_reports_duplicate_ids_and_bad_pictures() -> None:
    doc = json.loads(DEMO_RAW)
    doc["sections"][1]["questions"][1]["id"] = doc["sections"][1]["questions"][0]["id"]
    with pytest.raises(tb.BankInvalid):
        tb.parse_bank(json.dumps(doc).encode())
    doc = json.loads(DEMO_RAW)
    pic = next(q for q in doc["sections"][1]["questions"] if "picture" in q)["picture"]
    pic["data"] = "aGVsbG8gd29ybGQh"  # base64 of something that is not a PNG
    with pytest.raises(tb.BankInvalid):
        tb.parse_bank(json.dumps(doc).encode())


# ----------------------------------------------------------------------------------- signature
def test_shipped_bank_verifies_with_the_demo_key_and_matches_the_server_key_file() -> None:
    shipped = tb.BankStore(shipped_dir=tb.RESOURCES_DIR).shipped()
    assert shipped.source == "shipped" and shipped.raw == DEMO_RAW
    private = server_bank.load_demo_signing_key()
    assert tb.key_id(private.public_key()) == tb.key_id(tb.demo_content_key())
    # the shipped file is in canonical form, so re-signing would not change a byte
    assert server_bank.canonical_bank_bytes(DEMO_RAW) == DEMO_RAW


def test_one_flipped_byte_anywhere_is_refused() -> None:
    sig = tb.read_signature_file((tb.RESOURCES_DIR / (tb.DEMO_BANK_NAME + ".sig")).read_bytes())
    for position in (0, len(DEMO_RAW) // 2, len(DEMO_RAW) - 2):
        tampered = bytearray(DEMO_RAW)
        tampered[position] ^= 0x01
        with pytest.raises(tb.BankSignatureInvalid):
            tb.verify_bank(bytes(tampered), sig, [tb.demo_content_key()])


def test_signature_by_another_key_is_refused() -> None:
    other = Ed25519PrivateKey.generate()
    with pytest.raises(tb.BankSignatureInvalid) as err:
        tb.verify_bank(DEMO_RAW, other.sign(DEMO_RAW), [tb.demo_content_key()])
    assert "ditolak" in err.value.message.id and "refused" in err.value.message.en


@pytest.mark.parametrize(
    "data",
    [b"", b"{", b"[]", b'{"format": "prakerja-signature-v1", "algorithm": "Ed25519", "signature": "!!"}'],
)
def test_malformed_signature_files_are_refused(data: bytes) -> None:
    with pytest.raises(tb.BankSignatureInvalid):
        tb.read_signature_file(data)


# -------------------------------------------------------------------------------------- store
def _server_bank(version: int) -> bytes:
    doc = json.loads(DEMO_RAW)
    doc["version"] = version
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def test_first_run_uses_the_shipped_bank(tmp_path: Path) -> None:
    choice = tb.BankStore(tmp_path).current(server_key=None)
    assert choice.bank.source == "shipped" and choice.problem is None


def test_valid_download_is_cached_and_survives_a_restart(tmp_path: Path) -> None:
    server = Ed25519PrivateKey.generate()
    raw = _server_bank(2)
    store = tb.BankStore(tmp_path)
    accepted = store.accept(raw, server.sign(raw), server.public_key())
    assert accepted.bank.version == 2
    again = tb.BankStore(tmp_path).current(server.public_key())
    assert again.bank.source == "cache" and again.bank.raw == raw and again.problem is None


def test_tampered_download_is_refused_and_the_cached_bank_is_used(tmp_path: Path) -> None:
    server = Ed25519PrivateKey.generate()
    store = tb.BankStore(tmp_path)
    good = _server_bank(2)
    store.accept(good, server.sign(good), server.public_key())
    newer = _server_bank(3)
    signature = server.sign(newer)
    tampered = bytearray(newer)
    tampered[len(tampered) // 3] ^= 0x20  # one byte
    doc = json.loads(tb.signed_document(bytes(tampered), signature, server.public_key()))
    choice = store.update_from_document(doc, server.public_key())
    assert choice.bank.bank.version == 2 and choice.bank.source == "cache"
    assert choice.problem is not None and "ditolak" in choice.problem.id
    assert tb.BankStore(tmp_path).current(server.public_key()).bank.raw == good  # cache untouched


def test_cache_edited_on_disk_falls_back_to_shipped_with_a_message(tmp_path: Path) -> None:
    server = Ed25519PrivateKey.generate()
    store = tb.BankStore(tmp_path)
    raw = _server_bank(2)
    store.accept(raw, server.sign(raw), server.public_key())
    doc = json.loads(store.cache_file.read_bytes())
    doc["document"] = tb.b64e(raw.replace(b'"version": 2', b'"version": 9'))
    store.cache_file.write_text(json.dumps(doc))
    choice = store.current(server.public_key())
    assert choice.bank.source == "shipped" and choice.problem is not None


def test_demo_key_is_not_trusted_for_the_cache(tmp_path: Path) -> None:
    """The demo private key is public: a bank it signed must not be accepted as a download."""
    demo_private = server_bank.load_demo_signing_key()
    server = Ed25519PrivateKey.generate()
    raw = _server_bank(5)
    store = tb.BankStore(tmp_path)
    choice = store.update_from_document(
        json.loads(tb.signed_document(raw, demo_private.sign(raw), demo_private.public_key())),
        server.public_key(),
    )
    assert choice.problem is not None and choice.bank.source == "shipped"
    assert not store.cache_file.exists()


def test_no_usable_bank_at_all_is_a_documented_error(tmp_path: Path) -> None:
    empty = tmp_path / "no-resources"
    empty.mkdir()
    with pytest.raises(tb.BankUnavailable) as err:
        tb.BankStore(tmp_path / "cache", shipped_dir=empty).current(None)
    assert err.value.message.en
    (empty / tb.DEMO_BANK_NAME).write_bytes(DEMO_RAW + b" ")
    (empty / (tb.DEMO_BANK_NAME + ".sig")).write_bytes(
        (tb.RESOURCES_DIR / (tb.DEMO_BANK_NAME + ".sig")).read_bytes()
    )
    with pytest.raises(tb.BankUnavailable):
        tb.BankStore(tmp_path / "cache", shipped_dir=empty).current(None)


def test_sign_bank_refuses_to_sign_an_invalid_bank() -> None:
    with pytest.raises(tb.BankInvalid):
        server_bank.sign_bank(b'{"format": "prakerja-testbank"}', Ed25519PrivateKey.generate())
