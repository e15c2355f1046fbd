"""Which data files go into the PyInstaller bundle, and a scan for material that must never be in it.

Why a module of its own: ``build.spec`` is executed by PyInstaller, not imported, so its data selection
could only be tested by running PyInstaller's analysis (minutes). ``build.spec`` loads this file by path
and calls :func:`bundle_datas`; ``tests/test_bundle_contents.py`` calls the same function (and scans a
built ``dist/prakerja-kiosk`` when one exists) — one selection, checked without a build.

Two flavours (environment ``PRAKERJA_BUNDLE_FLAVOUR``):

* ``production`` (default, what CI builds and offices install): no demo answer key and no private key
  of any kind. Its ``--demo`` mode still starts the in-process reference API and enrols (the API makes
  its own keys in the demo data dir at start). Without the demo answer key that API publishes no bank
  and cannot score the shipped demo bank: a demo registration still runs through the (answer-free,
  signed) demo test and is delivered, its result stays "received".
* ``training``: adds the demo answer key (``central_api/data/demo-key.json``) so trainers can show the
  whole test including the result, and the demo media (``resources/demo/``: the camera clips and sample
  photos ``--demo`` and ``camera.demo`` play instead of a webcam; a production bundle's demo photo step
  says the demo video cannot be opened and offers the file import). The demo content-signing *private* key is needed only by
  ``scripts/sign_demo_bank.py`` and is never bundled, not even here.

Only the standard library is used: ``build.spec`` runs inside PyInstaller's interpreter.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

FLAVOURS = ("production", "training")
FLAVOUR_ENV = "PRAKERJA_BUNDLE_FLAVOUR"

#: Package data of the reference API that only a training bundle may carry (relative to the root).
TRAINING_ONLY = frozenset({"central_api/data/demo-key.json"})
#: Folders (relative, with a trailing slash) that only a training bundle carries: the demo media.
TRAINING_ONLY_DIRS: tuple[str, ...] = ("resources/demo/",)
#: Never bundled in any flavour (source-tree-only tools' inputs).
NEVER = frozenset({"central_api/data/demo-content-signing-ed25519.pem"})

_SKIP_SUFFIXES = frozenset({".ts", ".pyc", ".py", ".pyi"})

#: A PEM private key *with a body* (libcrypto contains the bare header text as a constant; that is no key).
_PEM_PRIVATE = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]{40,}-----END")
#: OpenSSH private keys.
_OPENSSH_PRIVATE = re.compile(rb"-----BEGIN OPENSSH PRIVATE KEY-----\s+[A-Za-z0-9+/=\s]{40,}")
#: The answer-key format of ``central_api.testbank.AnswerKey`` (whitespace-tolerant JSON match).
_ANSWER_KEY = re.compile(rb'"format"\s*:\s*"prakerja-testbank-key"')


def flavour_from_env(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """The requested flavour; an unknown value stops the build rather than silently shipping production."""
    env = os.environ if environ is None else environ
    value = (env.get(FLAVOUR_ENV) or "production").strip().lower()
    if value not in FLAVOURS:
        raise SystemExit(f"{FLAVOUR_ENV}={value!r}: expected one of {', '.join(FLAVOURS)}")
    return value


def _files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in _SKIP_SUFFIXES:
            yield path


def bundle_datas(root: Path, flavour: str = "production") -> list[tuple[str, str]]:
    """``(source file, destination folder)`` pairs for PyInstaller's ``datas``.

    ``resources/`` minus translation sources, plus the reference API's package data (templates, the
    demo answer key in training builds) — replacing ``collect_data_files("central_api")``, which took
    every file including the demo private key.
    """
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown bundle flavour {flavour!r}")
    root = root.resolve()
    datas: list[tuple[str, str]] = []
    for folder in (root / "resources", root / "central_api"):
        for path in _files(folder):
            rel = path.relative_to(root).as_posix()
            training_only = rel in TRAINING_ONLY or rel.startswith(TRAINING_ONLY_DIRS)
            if rel in NEVER or (training_only and flavour != "training"):
                continue
            datas.append((str(path), path.parent.relative_to(root).as_posix()))
    return datas


def forbidden_reason(data: bytes, training: bool = False) -> str | None:
    """Why these bytes must not be in a bundle (private key, answer key), or ``None``."""
    if _PEM_PRIVATE.search(data) or _OPENSSH_PRIVATE.search(data):
        return "private key"
    if not training and _ANSWER_KEY.search(data):
        return "answer key"
    return None


#: Executables and shared libraries (ELF, PE, Mach-O): system libraries carry their own published
#: self-test keys (GnuTLS embeds FIPS known-answer test keys as PEM), which are not ours to judge; in
#: them only the exact project secrets (``needles``) are searched.
_BINARY_MAGIC = (b"\x7fELF", b"MZ", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


def project_secret_needles(root: Path) -> list[bytes]:
    """Distinctive bytes of the project's own demo secrets, searched in *every* bundled file."""
    needles: list[bytes] = []
    for rel in sorted(TRAINING_ONLY | NEVER):
        try:
            data = (root / rel).read_bytes()
        except OSError:
            continue
        lines = [ln.strip() for ln in data.splitlines() if len(ln.strip()) >= 40 and b"-----" not in ln]
        needles.append(lines[0] if lines else data[:200])
    return needles


def scan(
    paths: Iterable[Path], training: bool = False, needles: Iterable[bytes] = ()
) -> list[tuple[Path, str]]:
    """Every file among ``paths`` (files or folders, walked) holding forbidden material, with the reason.

    Data files: any PEM/OpenSSH private key, any answer key (unless ``training``). Executables and
    shared libraries: only the ``needles`` (:func:`project_secret_needles`).
    """
    needles = [n for n in needles if n]
    found: list[tuple[Path, str]] = []
    for start in paths:
        candidates = [start] if start.is_file() else sorted(p for p in start.rglob("*") if p.is_file())
        for path in candidates:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            hit = next((n for n in needles if n in data), None)
            if hit is not None:
                found.append((path, "project demo secret"))
                continue
            if data.startswith(_BINARY_MAGIC):
                continue
            reason = forbidden_reason(data, training=training)
            if reason is not None:
                found.append((path, reason))
    return found
