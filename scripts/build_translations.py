#!/usr/bin/env python3
"""Refresh the UI translation sources and compile them.

Why: every visible UI string goes through Qt's ``tr()`` with Bahasa Indonesia as the source language.
``pyside6-lupdate`` collects them from ``ui/`` into ``resources/translations/prakerja_{id,en}.ts``
(keeping existing translations), ``prakerja_id.ts`` is completed as identity (source = translation, so
wording can still be corrected there without touching code), and ``pyside6-lrelease`` compiles the
``.qm`` files the kiosk loads. ``.qm`` files are build outputs (gitignored); ``scripts/setup.sh`` runs
this script with ``--release-only``.

Usage::

    python scripts/build_translations.py                # lupdate + identity id + lrelease
    python scripts/build_translations.py --release-only # lrelease only (install step)
    python scripts/build_translations.py --check        # exit 1 if English has unfinished messages
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
SOURCE_DIRS = (ROOT / "ui",)
LANGUAGES = ("id", "en")
SOURCE_LANGUAGE = "id"


def tool(name: str) -> str:
    """The Qt tool next to this Python (``.venv/bin``), else on PATH."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"build_translations: {name} not found (install PySide6 in .venv)")
    return found


def ts_path(language: str) -> Path:
    return TS_DIR / f"prakerja_{language}.ts"


def python_sources() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for p in d.rglob("*.py") if "__pycache__" not in p.parts)


def run_lupdate() -> None:
    sources = [str(p.relative_to(ROOT)) for p in python_sources()]
    for language in LANGUAGES:
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                "-silent",
                "-locations",
                "none",
                "-no-obsolete",
                "-source-language",
                SOURCE_LANGUAGE,
                "-target-language",
                language,
                *sources,
                "-ts",
                str(ts_path(language).relative_to(ROOT)),
            ],
            cwd=ROOT,
            check=True,
        )


def complete_identity(path: Path) -> int:
    """Fill every unfinished message of the source-language catalogue with its source; returns count."""
    tree = ET.parse(path)  # noqa: S314 - our own .ts file from the repository, not untrusted input
    filled = 0
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source", "")
        if translation is None or translation.get("type") not in ("unfinished", "vanished", "obsolete"):
            continue
        if translation.get("type") != "unfinished":
            continue
        if message.get("numerus") == "yes":
            for child in list(translation):
                translation.remove(child)
            ET.SubElement(translation, "numerusform").text = source
        else:
            translation.text = source
        del translation.attrib["type"]
        filled += 1
    if filled:
        ET.indent(tree, space="    ")
        tree.write(path, encoding="utf-8", xml_declaration=True)
        # Qt tools expect the doctype line; ElementTree drops it.
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "<?xml version='1.0' encoding='utf-8'?>",
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>',
            1,
        )
        path.write_text(text.replace("\n\n", "\n") + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
    return filled


def unfinished(path: Path) -> list[str]:
    """Source texts whose translation is missing or marked unfinished."""
    problems = []
    for message in ET.parse(path).getroot().iter("message"):  # noqa: S314 - repository file
        translation = message.find("translation")
        source = message.findtext("source", "")
        if translation is None or translation.get("type") == "unfinished":
            problems.append(source)
        elif translation.get("type") in ("vanished", "obsolete"):
            continue
        elif not ("".join(translation.itertext())).strip():
            problems.append(source)
    return problems


def run_lrelease() -> list[Path]:
    built = []
    for language in LANGUAGES:
        source = ts_path(language)
        if not source.exists():
            print(f"build_translations: {source} missing; skipped", file=sys.stderr)
            continue
        target = source.with_suffix(".qm")
        subprocess.run(
            [tool("pyside6-lrelease"), "-silent", "-nounfinished", str(source), "-qm", str(target)],
            check=True,
        )
        built.append(target)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--release-only", action="store_true", help="only compile .ts -> .qm")
    parser.add_argument("--check", action="store_true", help="fail when English has unfinished messages")
    args = parser.parse_args(argv)
    TS_DIR.mkdir(parents=True, exist_ok=True)
    if not args.release_only:
        run_lupdate()
        filled = complete_identity(ts_path(SOURCE_LANGUAGE))
        if filled:
            run_lupdate()  # lets lupdate rewrite the file in its own layout (stable diffs)
            print(f"build_translations: {filled} new Indonesian message(s) completed as identity")
        missing = unfinished(ts_path("en"))
        for source in missing:
            print(f"build_translations: English translation missing: {source!r}", file=sys.stderr)
        if args.check and missing:
            return 1
    for path in run_lrelease():
        print(f"build_translations: built {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
