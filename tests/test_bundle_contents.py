"""No private key and no answer key in a production bundle (issue 19).

The built bundle ``dist/prakerja-kiosk`` is scanned when it exists (CI builds it before the tests run
through ``scripts/build_bundle.sh``); the data selection ``build.spec`` uses
(``scripts/bundle_contents.bundle_datas``) is checked always, so the check holds without a build.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "prakerja-kiosk"


def _load():
    spec = importlib.util.spec_from_file_location("bundle_contents", ROOT / "scripts" / "bundle_contents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bc = _load()


def test_build_spec_uses_the_checked_selection() -> None:
    """build.spec must take its datas from bundle_contents, not collect every package file itself."""
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert "bundle_contents.bundle_datas(ROOT, FLAVOUR)" in spec
    assert 'collect_data_files("central_api")' not in spec


def test_production_selection_has_no_private_key_and_no_answer_key() -> None:
    datas = bc.bundle_datas(ROOT, "production")
    sources = [Path(src) for src, _dest in datas]
    assert any(p.name == "demo-bank.json" for p in sources)  # the signed, answer-free demo bank stays
    assert any(p.suffix == ".qm" or p.parent.name == "regions" for p in sources)
    assert not any(p.name in {"demo-key.json", "demo-content-signing-ed25519.pem"} for p in sources)
    assert not any("demo" == p.parent.name and p.parent.parent.name == "resources" for p in sources)  # media
    assert bc.scan(sources) == []


def test_training_selection_adds_the_answer_key_but_never_the_private_key() -> None:
    sources = [Path(src) for src, _dest in bc.bundle_datas(ROOT, "training")]
    assert any(p.name == "demo-key.json" for p in sources)
    assert any(p.suffix == ".avi" and p.parent.name == "demo" for p in sources)  # the demo media
    assert not any(p.suffix == ".pem" for p in sources)
    assert bc.scan(sources, training=True) == []
    assert [reason for _p, reason in bc.scan(sources)] == ["answer key"]


def test_flavour_from_env_refuses_unknown_values() -> None:
    assert bc.flavour_from_env({}) == "production"
    assert bc.flavour_from_env({"PRAKERJA_BUNDLE_FLAVOUR": "Training"}) == "training"
    with pytest.raises(SystemExit):
        bc.flavour_from_env({"PRAKERJA_BUNDLE_FLAVOUR": "demo-everything"})


def test_scan_finds_keys_and_ignores_the_bare_pem_header_in_libraries(tmp_path: Path) -> None:
    """A real key (any PEM private key, the demo answer key) is found; libcrypto's header constant is not."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "libcrypto.so.3").write_bytes(b"\x7fELF...-----BEGIN PRIVATE KEY-----\x00%s\x00")
    (tmp_path / "lib" / "hidden.bin").write_bytes(b"junk" + pem + b"junk")
    (tmp_path / "key.json").write_bytes((ROOT / "central_api" / "data" / "demo-key.json").read_bytes())
    gnutls_like = b"\x7fELF\x02" + pem  # a system library's embedded self-test key: not judged ...
    (tmp_path / "lib" / "libgnutls.so.30").write_bytes(gnutls_like)
    demo_pem = (ROOT / "central_api" / "data" / "demo-content-signing-ed25519.pem").read_bytes()
    (tmp_path / "lib" / "libsmuggled.so").write_bytes(b"\x7fELF\x02" + demo_pem)  # ... ours always is
    needles = bc.project_secret_needles(ROOT)
    assert len(needles) == 2
    found = {p.name: reason for p, reason in bc.scan([tmp_path], needles=needles)}
    assert found == {
        "hidden.bin": "private key",
        "key.json": "project demo secret",
        "libsmuggled.so": "project demo secret",
    }
    assert {p.name: r for p, r in bc.scan([tmp_path])}["key.json"] == "answer key"


@pytest.mark.skipif(
    not BUNDLE.is_dir(), reason="no built bundle (dist/prakerja-kiosk); scripts/build_bundle.sh"
)
def test_built_bundle_has_no_private_key_and_no_answer_key() -> None:
    info = BUNDLE / "_internal" / "bundle-info.json"
    training = info.is_file() and '"flavour": "training"' in info.read_text(encoding="utf-8")
    needles = bc.project_secret_needles(ROOT)
    found = bc.scan([BUNDLE], training=training, needles=needles)
    if training:  # the training bundle may carry the answer key, never the private key
        found = [(p, r) for p, r in found if p.name != "demo-key.json"]
    assert found == []
