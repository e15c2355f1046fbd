#!/usr/bin/env python3
"""Does ``requirements.lock`` still cover ``pyproject.toml``? Exit 0 when it does, 1 (with a list) when not.

Why: set-up installs only what the lock names, with ``--require-hashes`` (no package that was not
reviewed, no altered file). A dependency added to ``pyproject.toml`` without regenerating the lock would
be missing in a fresh install; this check tells which, in set-up (``--installed``: the venv) and in the
tests (default: the lock file itself). Regenerate with the command at the top of ``requirements.lock``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("dev", "bench", "postgres")
_PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", re.MULTILINE)


def wanted(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The project's runtime requirements and those of the extras set-up installs."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project.get("dependencies", [])]
    for extra in EXTRAS:
        reqs += [Requirement(r) for r in project.get("optional-dependencies", {}).get(extra, [])]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def locked(lock: Path = ROOT / "requirements.lock") -> dict[str, str]:
    """Pinned versions by canonical name."""
    return {canonicalize_name(n): v for n, v in _PIN.findall(lock.read_text(encoding="utf-8"))}


def installed() -> dict[str, str]:
    """Installed versions by canonical name (this interpreter's environment)."""
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def problems(versions: dict[str, str]) -> list[str]:
    """Requirements that ``versions`` lacks or pins outside the allowed range."""
    out = []
    for req in wanted():
        have = versions.get(canonicalize_name(req.name))
        if have is None:
            out.append(f"{req}: missing")
        elif not req.specifier.contains(have, prereleases=True):
            out.append(f"{req}: {have} does not fit")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--installed", action="store_true", help="check this venv instead of the lock file")
    args = parser.parse_args(argv)
    found = problems(installed() if args.installed else locked())
    for line in found:
        print(f"check_lock: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
