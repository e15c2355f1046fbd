"""(Re)sign the demo question bank shipped in ``resources/testbank/``.

Usage: ``.venv/bin/python scripts/sign_demo_bank.py [--check]``

Rewrites ``resources/testbank/demo-bank.json`` in canonical form (see
``central_api.testbank.canonical_bank_bytes``), checks that it parses and that the server's answer key
``central_api/data/demo-key.json`` fits it, and writes ``demo-bank.json.sig`` signed with the demo
content-signing key ``central_api/data/demo-content-signing-ed25519.pem``. DEMO/TRAINING ONLY: that
private key is public in this repository; a real central server signs what it publishes with its own
key (``GET /v1/testbank/current``). ``--check`` only verifies the shipped signature (exit 1 if stale).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from central_api.testbank import (
    DEMO_BANK_FILE,
    DEMO_KEY_FILE,
    check_key,
    load_demo_signing_key,
    load_key,
    sign_bank,
)
from kiosk.testbank import BankError, BankStore, parse_bank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the shipped signature")
    args = parser.parse_args(argv)
    sig_file = DEMO_BANK_FILE.with_name(DEMO_BANK_FILE.name + ".sig")
    if args.check:
        try:
            bank = BankStore(shipped_dir=DEMO_BANK_FILE.parent).shipped().bank
        except BankError as exc:
            print(f"demo bank signature NOT valid: {exc}", file=sys.stderr)
            return 1
        print(f"ok: {bank.bank_id} v{bank.version}, {len(bank.questions)} questions")
        return 0
    canonical, signature = sign_bank(DEMO_BANK_FILE.read_bytes(), load_demo_signing_key())
    check_key(parse_bank(canonical), load_key(DEMO_KEY_FILE))
    DEMO_BANK_FILE.write_bytes(canonical)
    sig_file.write_bytes(signature)
    print(f"signed {DEMO_BANK_FILE} ({len(canonical)} bytes) -> {sig_file.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
