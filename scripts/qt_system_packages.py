#!/usr/bin/env python3
"""Derive the Debian packages Qt's plug-ins need from ``ldd``, and check the committed list.

Why: the list in ``resources/system/debian-packages.tsv`` is what ``scripts/setup.sh`` installs. It
used to be written by trial and missed ``libxcb-icccm4`` and ``libxcb-keysyms1``, so the kiosk aborted
on every real X display. This script runs ``ldd`` over exactly the plug-ins and modules the kiosk
loads (``ui.system_libs.KIOSK_PLUGINS`` / ``KIOSK_MODULES``), keeps the shared objects that come from
the operating system (not from the PySide6 wheel, not glibc itself), and asks ``dpkg -S`` which
package owns each one. Debian 13 renamed some libraries in the 64-bit time_t transition
(``libasound2`` → ``libasound2t64``); those names are kept as ``deb12|deb13`` alternatives and
``scripts/setup.sh`` installs whichever the machine's archive offers.

Usage::

    python scripts/qt_system_packages.py            # print the table derived on this machine
    python scripts/qt_system_packages.py --write    # rewrite resources/system/debian-packages.tsv
    python scripts/qt_system_packages.py --check    # exit 1 when ldd needs a library the table lacks
    python scripts/qt_system_packages.py --installed # exit 1 only when ldd finds a library missing
    python scripts/qt_system_packages.py --packages # the package alternatives, one per line

Run ``--write`` on a Debian machine where every library is installed (nothing ``not found``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "resources" / "system" / "debian-packages.tsv"

RENAMED_IN_DEBIAN_13: dict[str, str] = {
    "libasound2": "libasound2t64",
    "libcups2": "libcups2t64",
    "libflac12": "libflac14",
    "libglib2.0-0": "libglib2.0-0t64",
    "libgnutls30": "libgnutls30t64",
    "libhogweed6": "libhogweed6t64",
    "libmpg123-0": "libmpg123-0t64",
    "libnettle8": "libnettle8t64",
    "libpng16-16": "libpng16-16t64",
    "libssl3": "libssl3t64",
    "libunistring2": "libunistring5",
}
"""Debian 12 package → its Debian 13 name where the t64 transition (or a new soname) renamed it.

Checked against a Debian 13 package list where the package appears there; ``setup.sh`` installs the
first alternative the archive offers, so a wrong guess here costs nothing on Debian 12 and, on 13,
only a transitive library that apt brings with its parent anyway (the ``--check`` after install
catches anything still missing)."""

BASE_SYSTEM = ("libc6", "libgcc-s1", "libstdc++6", "zlib1g")
"""Always present on Debian (essential or required by Python itself): not worth listing."""

HEADER = """\
# Shared objects that the kiosk's Qt plug-ins and PySide6 modules need from Debian, and the package
# that brings each (Debian 12 name, then the Debian 13 name after '|' where the t64 transition renamed
# it). Derived, never hand-written: `python scripts/qt_system_packages.py --write` runs ldd over
# ui.system_libs.KIOSK_PLUGINS/KIOSK_MODULES and dpkg -S on each library. scripts/setup.sh installs
# column 2; `--self-test` names the package for a missing library; tests/test_system_libs.py fails
# when ldd finds a library this table does not list.
# soname\tpackage(s)
"""


def _qt_files() -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from ui.system_libs import kiosk_qt_files

    return kiosk_qt_files()


def _owner(path: str) -> str | None:
    """The Debian package that owns ``path`` (following /lib → /usr/lib merges), or None."""
    candidates = [path, str(Path(path).resolve())]
    if path.startswith("/lib/"):
        candidates.append("/usr" + path)
    for candidate in candidates:
        out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout:
            return out.stdout.split(":", 1)[0].strip()
    return None


def derive() -> tuple[dict[str, str], list[str]]:
    """``soname → package`` for every OS library the kiosk's Qt files need, and the unresolved ones."""
    sys.path.insert(0, str(ROOT))
    from ui.system_libs import dependency_map, qt_dirs

    _, package_dir = qt_dirs()
    table: dict[str, str] = {}
    missing: list[str] = []
    for soname, (target, _users) in dependency_map(_qt_files()).items():
        if target is None:
            missing.append(soname)
            continue
        if str(Path(target).resolve()).startswith(str(package_dir)) or "/site-packages/" in target:
            continue  # shipped inside the wheel
        owner = _owner(target)
        if owner is None or owner in BASE_SYSTEM:
            continue
        renamed = RENAMED_IN_DEBIAN_13.get(owner, owner)
        table[soname] = owner if renamed == owner else f"{owner}|{renamed}"
    return table, missing


def read_table() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            soname, package = line.split("\t")[:2]
            rows[soname] = package
    return rows


def render(table: dict[str, str]) -> str:
    return HEADER + "".join(f"{soname}\t{package}\n" for soname, package in sorted(table.items()))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    group.add_argument("--installed", action="store_true")
    group.add_argument("--packages", action="store_true")
    args = parser.parse_args(argv)
    if args.packages:
        print("\n".join(sorted(set(read_table().values()))))
        return 0
    if args.installed:
        sys.path.insert(0, str(ROOT))
        from ui.system_libs import missing_libraries

        absent = missing_libraries(_qt_files())
        for item in absent:
            print(f"qt_system_packages: missing {item.describe()}", file=sys.stderr)
        return 1 if absent else 0
    table, missing = derive()
    if args.check:
        known = read_table()
        unlisted = sorted(set(table) - set(known)) + sorted(set(missing) - set(known))
        if unlisted:
            print(f"qt_system_packages: not in {TABLE.name}: {', '.join(unlisted)}", file=sys.stderr)
            return 1
        if missing:
            print(f"qt_system_packages: not installed here: {', '.join(missing)}", file=sys.stderr)
            return 1
        print(f"qt_system_packages: {len(table)} system libraries, all listed and installed")
        return 0
    if missing:
        print(
            f"qt_system_packages: install these first (ldd: not found): {', '.join(missing)}", file=sys.stderr
        )
        return 1
    if args.write:
        TABLE.parent.mkdir(parents=True, exist_ok=True)
        TABLE.write_text(render(table), encoding="utf-8")
        print(f"wrote {TABLE.relative_to(ROOT)}: {len(table)} libraries, {len(set(table.values()))} packages")
        return 0
    sys.stdout.write(render(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
