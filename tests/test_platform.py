"""Windows correctness, tested on Linux by forcing the Windows branch of ``kiosk.platform`` (issue 20).

Each test here fails on the code before the issue: a text-mode descriptor corrupting ``machine.secret``,
receipt names Windows refuses, USB sticks found only under ``/media``, a log rotation that breaks
when another process holds the file, glibc memory tuning attempted where there is no glibc.
Where Windows behaviour itself is needed (the C runtime's ``\\n`` -> ``\\r\\n`` translation, a rename
refused while another process has the file open) the test emulates exactly that rule and says so.
"""

from __future__ import annotations

import logging
import ntpath
import os
import stat
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk import memory, platform
from kiosk import reference as reference_numbers
from kiosk.atomic_file import write_atomic
from kiosk.console_model import usb_export_dir
from kiosk.logging_setup import (
    CLI_PROCESS,
    log_file_name,
    set_process_name,
    setup_logging,
    shutdown_logging,
)
from kiosk.paths import ensure_dir

# Only the names: importing the plug-in's autouse fixture here would force Windows on every test.
from tests.support.windows_emulation import WINDOWS_O_BINARY, TextModeFile


@pytest.fixture
def windows_crt(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Force ``kiosk.platform`` onto its Windows branch and emulate text-mode descriptors.

    A descriptor opened without ``O_BINARY`` translates line endings, as MSVC's ``_open`` does; the
    fixture yields the flags of every ``os.open`` so a test can also check them directly.
    """
    monkeypatch.setattr(platform, "IS_WINDOWS", True)
    real_open, real_fdopen = os.open, os.fdopen
    text_fds: set[int] = set()
    seen: list[int] = []

    def crt_open(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        fd = real_open(path, flags & ~WINDOWS_O_BINARY, mode, **kw)
        if not os.path.isdir(path):  # folders are opened only to fsync them (POSIX only)
            seen.append(flags)
            if not flags & WINDOWS_O_BINARY:
                text_fds.add(fd)
        return fd

    def crt_fdopen(fd: int, *args: Any, **kw: Any) -> Any:
        raw = real_fdopen(fd, *args, **kw)
        return TextModeFile(raw) if fd in text_fds else raw

    monkeypatch.setattr(os, "open", crt_open)
    monkeypatch.setattr(os, "fdopen", crt_fdopen)
    yield seen


# ------------------------------------------------------------------------------------ O_BINARY


def test_windows_open_flags_add_o_binary_and_posix_ones_do_not() -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    assert platform.open_flags(flags, windows=True) & WINDOWS_O_BINARY
    assert platform.open_flags(flags, windows=False) == flags
    assert platform.binary_flag(windows=False) == 0


def test_machine_secret_with_newline_bytes_survives_a_windows_text_mode_runtime(
    windows_crt: list[int], tmp_path: Path
) -> None:
    # 32 random bytes contain 0x0A about 12 % of the time; this one certainly does.
    secret = bytes(range(0, 32))
    assert b"\n" in secret
    target = tmp_path / "machine.secret"
    write_atomic(target, secret)
    assert target.read_bytes() == secret, "line endings were expanded: descriptor opened in text mode"
    assert all(f & WINDOWS_O_BINARY for f in windows_crt)


def test_log_file_is_created_through_the_binary_open(windows_crt: list[int], tmp_path: Path) -> None:
    try:
        path = setup_logging(tmp_path / "log")
    finally:
        shutdown_logging()
    assert path.exists()
    assert windows_crt and all(f & WINDOWS_O_BINARY for f in windows_crt)


# ------------------------------------------------------------------------------------ file names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("PK-0KJT-FDWH-8RAG-*.pdf", "PK-0KJT-FDWH-8RAG-_.pdf"),
        ('a<b>c:d"e/f\\g|h?i.pdf', "a_b_c_d_e_f_g_h_i.pdf"),
        ("receipt. ", "receipt"),
        ("CON.pdf", "_CON.pdf"),
        ("com1", "_com1"),
        ("tab\there.pdf", "tab_here.pdf"),
        ("PK-0KJT-FDWH-8RAG-~.pdf", "PK-0KJT-FDWH-8RAG-~.pdf"),
    ],
)
def test_safe_file_name_follows_windows_rules(name: str, expected: str) -> None:
    assert platform.safe_file_name(name) == expected
    assert platform.is_valid_windows_name(expected)


def test_every_receipt_reference_gives_a_windows_valid_and_distinct_pdf_name() -> None:
    names: dict[str, str] = {}
    stars = 0
    for i in range(4000):
        ref = reference_numbers.format(uuid.UUID(int=(i * 0x9E3779B97F4A7C15) % (1 << 128)))
        stars += ref.endswith("*")
        name = platform.safe_file_name(f"{ref}.pdf")
        assert platform.is_valid_windows_name(name), name
        assert names.setdefault(name, ref) == ref, f"{ref} and {names[name]} share a file name"
    assert stars, "no reference ended in '*': the test did not cover the defect"


# ------------------------------------------------------------------------------- paths and ACLs


def test_ntpath_branch_joins_windows_paths() -> None:
    assert platform.path_module(windows=True) is ntpath
    joined = platform.path_module(windows=True).join("C:\\Users\\kiosk\\AppData\\Local", "prakerja-kiosk")
    assert joined == "C:\\Users\\kiosk\\AppData\\Local\\prakerja-kiosk"


def test_icacls_command_limits_the_folder_to_the_account_system_and_administrators() -> None:
    cmd = platform.icacls_command(Path("C:/data"), user="kiosk")
    assert cmd[:3] == ["icacls", str(Path("C:/data")), "/inheritance:r"]
    grants = [cmd[i + 1] for i, part in enumerate(cmd) if part == "/grant:r"]
    assert grants == ["kiosk:(OI)(CI)F", "*S-1-5-32-544:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F"]
    assert "(OI)" not in " ".join(platform.icacls_command(Path("f"), user="k", directory=False))


def test_icacls_names_the_account_with_its_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USERNAME", "petugas")
    monkeypatch.setenv("USERDOMAIN", "DISNAKER-PC07")
    assert "DISNAKER-PC07\\petugas:(OI)(CI)F" in platform.icacls_command(Path("C:/data"))


def test_data_dirs_are_private_on_posix(tmp_path: Path) -> None:
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    for path in (ensure_dir(tmp_path / "new" / "data"), ensure_dir(loose)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700
        assert platform.is_private(path)


# ------------------------------------------------------------------------------------ USB sticks


def test_removable_mounts_on_debian_and_windows() -> None:
    assert platform.is_removable_mount("/media/petugas/USB", "/dev/sdb1", "vfat", windows=False)
    assert platform.is_removable_mount("/run/media/petugas/KINGSTON", "/dev/sdc1", "exfat", windows=False)
    assert not platform.is_removable_mount("/", "/dev/sda1", "ext4", windows=False)
    assert not platform.is_removable_mount("/media/ram", "tmpfs", "tmpfs", windows=False)
    assert not platform.is_removable_mount("/home", "/dev/sda2", "ext4", windows=False)
    assert platform.is_removable_mount("E:/", "\\\\?\\Volume{1}", "FAT32", windows=True)
    assert not platform.is_removable_mount("C:/", "\\\\?\\Volume{0}", "NTFS", windows=True)
    assert platform.usb_roots(windows=True) == () if not platform.IS_WINDOWS else True


def test_core_usb_search_finds_sticks_two_levels_below_the_roots(tmp_path: Path) -> None:
    media = tmp_path / "media"
    stick = media / "petugas" / "USB"
    stick.mkdir(parents=True)
    assert usb_export_dir([tmp_path / "missing", media]) == stick
    read_only = media / "petugas" / "CDROM"
    read_only.mkdir()
    read_only.chmod(0o500)
    if os.geteuid() != 0:  # root may write anywhere
        assert platform.removable_candidates([media]) == [stick]


# ----------------------------------------------------------------------------------- memory tuning


def test_memory_tuning_applies_on_glibc_linux_only(monkeypatch: pytest.MonkeyPatch) -> None:
    memory._glibc.cache_clear()
    try:
        if sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION"):
            assert memory.skip_reason() is None
        monkeypatch.setattr(sys, "platform", "win32")
        memory._glibc.cache_clear()
        reason = memory.skip_reason()
        assert reason is not None and "win32" in reason
        monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
        assert memory.limit_malloc_arenas() is False
        assert memory.release_free_memory() is False
    finally:
        memory._glibc.cache_clear()


# ----------------------------------------------------------------------------------------- logging


@pytest.fixture
def process_name() -> Iterator[None]:
    yield
    set_process_name(None)
    shutdown_logging()


def test_window_and_headless_commands_write_separate_logs(isolated_home: Path, process_name: None) -> None:
    from ui.entry import main

    assert log_file_name() == "kiosk.log"
    assert log_file_name(CLI_PROCESS) == "kiosk-cli.log"
    main(["status"])
    logging.getLogger("test").warning("after the status command")
    shutdown_logging()
    assert "after the status command" in (isolated_home / "log" / "kiosk-cli.log").read_text()
    assert not (isolated_home / "log" / "kiosk.log").exists()


def test_rotation_refused_while_another_process_holds_the_log_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], process_name: None
) -> None:
    """Windows refuses to rename a file another process has open; emulate exactly that rule."""
    import kiosk.logging_setup as logging_setup

    held: set[str] = set()
    real_rename = os.rename

    def windows_rename(src: Any, dst: Any) -> None:
        if os.fspath(src) in held:
            raise PermissionError(13, "The process cannot access the file because it is being used")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", windows_rename)
    monkeypatch.setattr(logging_setup, "ROTATE_RETRY_S", 0.0)
    path = setup_logging(tmp_path / "log", max_bytes=2_000, backup_count=2)
    held.add(os.fspath(path))  # the kiosk window of another process has kiosk.log open
    log = logging.getLogger("rotation")
    for i in range(60):
        log.warning("line %03d while the file is held", i)
    held.clear()  # the other process exits
    for i in range(60, 80):
        log.warning("line %03d after it was released", i)
    shutdown_logging()
    text = "".join(p.read_text() for p in sorted(path.parent.glob("kiosk.log*")))
    assert all(f"line {i:03d}" in text for i in range(80))
    assert "Logging error" not in capsys.readouterr().err
    assert (path.parent / "kiosk.log.1").exists(), "rotation never resumed after the file was released"


def test_journal_gets_the_masked_lines_under_systemd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], process_name: None
) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    setup_logging(tmp_path / "log")
    logging.getLogger("kiosk.sync").info("sent item for NIK 3171012345670001")
    shutdown_logging()
    err = capsys.readouterr().err
    assert "INFO kiosk.sync" in err and "[NIK]" in err and "3171012345670001" not in err


def test_windows_data_dirs_get_their_acl_once_through_icacls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Windows branch of ensure_dir runs icacls on a folder it creates, and only then.

    Linux has no icacls: a stand-in program of that name on PATH records its arguments, so the test
    sees exactly the command line Windows would run (no shell, the folder, the three grants).
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls.txt"
    fake = bin_dir / "icacls"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {calls}\necho --- >> {calls}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("USERNAME", "kiosk")
    monkeypatch.delenv("USERDOMAIN", raising=False)
    monkeypatch.setattr(platform, "IS_WINDOWS", True)

    data = ensure_dir(tmp_path / "LocalAppData" / "prakerja-kiosk")
    ensure_dir(data)  # already there: no second icacls run
    runs = [run.strip().splitlines() for run in calls.read_text().split("---") if run.strip()]
    assert runs == [
        [
            str(data),
            "/inheritance:r",
            "/grant:r",
            "kiosk:(OI)(CI)F",
            "/grant:r",
            "*S-1-5-32-544:(OI)(CI)F",
            "/grant:r",
            "*S-1-5-18:(OI)(CI)F",
            "/q",
        ]
    ]
    fake.write_text("#!/bin/sh\nexit 5\n")  # icacls refusing (e.g. a FAT stick) is not fatal
    assert platform.restrict_to_owner(tmp_path / "LocalAppData") is False
