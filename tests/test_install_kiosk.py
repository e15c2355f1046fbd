"""scripts/install-kiosk.sh and uninstall-kiosk.sh on a throwaway root (issue 20).

What is real: the scripts themselves, ``systemd-sysusers``/``systemd-tmpfiles``/``systemctl --root`` on
a root seeded with this machine's ``/etc/passwd`` and systemd unit files (like a fresh Debian), and
``systemd-analyze verify --root`` on the installed unit. The update tests install small bundles that
carry only an executable and a ``bundle-info.json`` (the installer never runs the bundle in --root
mode), so an "older" and a "newer" outbox schema can be built. The cage test installs the real
PyInstaller bundle (``dist/prakerja-kiosk``, built by scripts/build_bundle.sh) and starts it the way
the unit does: ``cage`` (wlroots headless backend, pixman renderer) as the unprivileged kiosk user with
the unit's environment, until the kiosk reports its welcome screen.

Boot and restart: with ``systemd-nspawn`` (Debian package systemd-container) the installed root is
booted with a real systemd as PID 1 (the host's ``/usr`` bound read-only): the unit starts at boot
through ``graphical.target`` and, every time its process exits (inside the container there is no
``/dev/tty1``, so it exits at once with 208/STDIN), systemd starts it again 2 s later without ever
giving up (``StartLimitIntervalSec=0``; the default would stop after 5 starts in 10 s). Not shown: a
kiosk that ran for a while and then crashed (cage did not get past its session set-up inside the
container).

Needs root and the Debian packages ``systemd`` (always there), ``cage`` and ``xwayland`` (the cage
test), ``grim`` and ``xvfb`` (the screenshot). ``PRAKERJA_CAGE_SCREENSHOT=FILE`` keeps the screenshot
(docs/screens/debian_cage_welcome.png was made that way).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from offline_queue.outbox import SCHEMA_VERSION, Outbox
from tests.support.processes import stop

REPO = Path(__file__).resolve().parent.parent
INSTALL = REPO / "scripts" / "install-kiosk.sh"
UNINSTALL = REPO / "scripts" / "uninstall-kiosk.sh"
REAL_BUNDLE = REPO / "dist" / "prakerja-kiosk"
APP = "prakerja-kiosk"

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="installs a system user and files: needs root"),
    pytest.mark.skipif(
        not all(
            shutil.which(t) for t in ("systemd-sysusers", "systemd-tmpfiles", "systemctl", "systemd-analyze")
        ),
        reason="needs the systemd tools (Debian package systemd)",
    ),
]


def _seed_root(root: Path) -> None:
    """What a fresh Debian has that the installer relies on: accounts, systemd's units, cage, nologin."""
    for sub in ("etc", "usr/lib", "usr/bin", "usr/sbin"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for link, target in (("lib", "usr/lib"), ("bin", "usr/bin"), ("sbin", "usr/sbin")):
        (root / link).symlink_to(target)
    for name in ("passwd", "group", "shadow", "gshadow"):
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)
    shutil.copytree("/usr/lib/systemd", root / "usr/lib/systemd", symlinks=True)
    shutil.copy2("/usr/sbin/nologin", root / "usr/sbin/nologin")
    cage = shutil.which("cage")
    if cage:
        shutil.copy2(cage, root / "usr/bin/cage")


@pytest.fixture
def target_root() -> Iterator[Path]:
    # Not under pytest's 0700 tmp dirs: the unprivileged kiosk user must be able to reach /opt inside.
    root = Path(tempfile.mkdtemp(prefix="kiosk-root-"))
    root.chmod(0o755)
    _seed_root(root)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _bundle(where: Path, version: str, schema: int) -> Path:
    """A bundle folder as the installer sees it: the executable and _internal/bundle-info.json."""
    bundle = where / f"bundle-{version}"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / APP
    exe.write_text(f"#!/bin/sh\necho prakerja-kiosk {version}\n")
    exe.chmod(0o755)
    info = {"name": APP, "version": version, "flavour": "production", "outbox_schema": schema}
    (bundle / "_internal" / "bundle-info.json").write_text(json.dumps(info) + "\n")
    return bundle


def _run(script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *args], capture_output=True, text=True, timeout=600, check=False
    )


def _install(root: Path, bundle: Path) -> subprocess.CompletedProcess[str]:
    return _run(INSTALL, "--root", str(root), "--bundle", str(bundle), "--no-packages")


def _passwd_entry(root: Path, user: str = APP) -> list[str] | None:
    for line in (root / "etc/passwd").read_text().splitlines():
        if line.split(":", 1)[0] == user:
            return line.split(":")
    return None


def _unit(root: Path) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in (root / f"etc/systemd/system/{APP}.service").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


# --------------------------------------------------------------------------------------- install


def test_install_creates_a_locked_down_kiosk(target_root: Path, tmp_path: Path) -> None:
    done = _install(target_root, _bundle(tmp_path, "0.1.0", SCHEMA_VERSION))
    assert done.returncode == 0, done.stderr

    entry = _passwd_entry(target_root)
    assert entry is not None, "no prakerja-kiosk user"
    uid, gid, home, shell = int(entry[2]), int(entry[3]), entry[5], entry[6]
    assert 0 < uid < 1000, "a system user"
    assert (home, shell) == ("/var/lib/prakerja-kiosk", "/usr/sbin/nologin")
    groups = (target_root / "etc/group").read_text().splitlines()
    assert not [g for g in groups if g.split(":")[0] in {"sudo", "adm", "root"} and APP in g.split(":")[3]]
    shadow = [ln for ln in (target_root / "etc/shadow").read_text().splitlines() if ln.startswith(f"{APP}:")]
    assert shadow and shadow[0].split(":")[1] in {"!*", "!", "*", "!!"}, (
        "the kiosk user must have no password"
    )

    data = target_root / "var/lib/prakerja-kiosk"
    info = data.stat()
    assert stat.S_IMODE(info.st_mode) == 0o700 and (info.st_uid, info.st_gid) == (uid, gid)
    opt = target_root / "opt/prakerja-kiosk"
    for path in [opt, *opt.rglob("*")]:
        st = path.lstat()
        assert st.st_uid == 0 and not st.st_mode & 0o022, f"{path} writable by the kiosk user"

    unit = _unit(target_root)
    assert unit["User"] == [APP] and unit["Restart"] == ["always"]
    assert unit["StartLimitIntervalSec"] == ["0"], "systemd must never stop restarting the kiosk"
    assert unit["ExecStart"] == ["/usr/bin/cage -d -- /opt/prakerja-kiosk/prakerja-kiosk"]
    assert " -s " not in unit["ExecStart"][0], "cage -s would allow switching to a text console"
    assert unit["StandardError"] == ["journal"] and unit["TTYPath"] == ["/dev/tty1"]
    assert "PRAKERJA_KIOSK_HOME=/var/lib/prakerja-kiosk" in unit["Environment"]
    assert unit["NoNewPrivileges"] == ["yes"] and unit["ProtectSystem"] == ["strict"]

    system = target_root / "etc/systemd/system"
    assert (
        os.readlink(system / f"graphical.target.wants/{APP}.service") == f"/etc/systemd/system/{APP}.service"
    )
    assert os.readlink(system / "default.target").endswith("/graphical.target")
    assert os.readlink(system / "ctrl-alt-del.target") == "/dev/null", "Ctrl+Alt+Del must be masked"
    logind = (target_root / f"etc/systemd/logind.conf.d/{APP}.conf").read_text()
    assert "NAutoVTs=0" in logind and "ReserveVT=0" in logind
    assert "CtrlAltDelBurstAction=none" in (target_root / f"etc/systemd/system.conf.d/{APP}.conf").read_text()
    assert "kernel.sysrq = 0" in (target_root / f"etc/sysctl.d/90-{APP}.conf").read_text()
    assert "pam_deny.so" in (target_root / f"etc/pam.d/{APP}").read_text()

    if (target_root / "usr/bin/cage").exists():
        verify = subprocess.run(
            ["systemd-analyze", "verify", f"--root={target_root}", f"{APP}.service"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert verify.returncode == 0, verify.stderr
        assert APP not in verify.stderr, verify.stderr  # no warning about our unit (unknown keys, bad values)


def test_systemd_analyze_verify_has_teeth(target_root: Path, tmp_path: Path) -> None:
    """The check above would notice a unit whose compositor is missing."""
    assert _install(target_root, _bundle(tmp_path, "0.1.0", SCHEMA_VERSION)).returncode == 0
    (target_root / "usr/bin/cage").unlink(missing_ok=True)
    verify = subprocess.run(
        ["systemd-analyze", "verify", f"--root={target_root}", f"{APP}.service"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verify.returncode != 0 and "/usr/bin/cage" in verify.stderr


def test_refuses_without_a_bundle_or_root(target_root: Path, tmp_path: Path) -> None:
    missing = _run(
        INSTALL, "--root", str(target_root), "--bundle", str(tmp_path / "nothing"), "--no-packages"
    )
    assert missing.returncode == 2 and "build_bundle.sh" in missing.stderr
    assert not (target_root / "opt/prakerja-kiosk").exists()


# --------------------------------------------------------------------------------------- updates


def _outbox_with_one_item(root: Path) -> Path:
    data_dir = root / "var/lib/prakerja-kiosk/data"
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "outbox.sqlite3"
    outbox = Outbox(path)
    try:
        outbox.enqueue("sub-1", b"sealed-envelope-bytes", {"reference": "PK-TEST"})
    finally:
        outbox.close()
    return path


def test_update_keeps_the_data_and_refuses_an_outbox_schema_downgrade(
    target_root: Path, tmp_path: Path
) -> None:
    assert _install(target_root, _bundle(tmp_path, "0.1.0", SCHEMA_VERSION)).returncode == 0
    outbox = _outbox_with_one_item(target_root)
    before = outbox.read_bytes()

    newer = _install(target_root, _bundle(tmp_path, "0.2.0", SCHEMA_VERSION + 1))
    assert newer.returncode == 0, newer.stderr
    assert "0.1.0 -> 0.2.0" in newer.stdout
    assert outbox.read_bytes() == before, "an update must not touch the outbox"
    assert (target_root / "opt/prakerja-kiosk.previous/_internal/bundle-info.json").exists(), (
        "no rollback copy"
    )
    marker = target_root / "var/lib/prakerja-kiosk/.outbox-schema"
    assert marker.read_text().strip() == str(SCHEMA_VERSION + 1)
    uid = int((_passwd_entry(target_root) or ["", "", "-1"])[2])
    assert outbox.stat().st_uid == uid, "data files belong to the kiosk user after an update"

    older = _install(target_root, _bundle(tmp_path, "0.1.1", SCHEMA_VERSION))
    assert older.returncode == 3
    assert "refusing a downgrade" in older.stderr and "nothing was changed" in older.stderr
    info = json.loads((target_root / "opt/prakerja-kiosk/_internal/bundle-info.json").read_text())
    assert info["version"] == "0.2.0", "the refused install replaced the program"
    assert outbox.read_bytes() == before


def test_downgrade_is_refused_from_the_outbox_header_even_without_the_marker(
    target_root: Path, tmp_path: Path
) -> None:
    """Data restored from a backup (no marker file): the SQLite header's user_version decides."""
    data_dir = target_root / "var/lib/prakerja-kiosk/data"
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "outbox.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 4}")
    conn.commit()
    conn.close()
    refused = _install(target_root, _bundle(tmp_path, "0.1.0", SCHEMA_VERSION))
    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert f"schema {SCHEMA_VERSION + 4}" in refused.stderr
    assert not (target_root / "opt/prakerja-kiosk").exists()


# ------------------------------------------------------------------------------------- uninstall


def test_uninstall_keeps_the_outbox_unless_purged(target_root: Path, tmp_path: Path) -> None:
    assert _install(target_root, _bundle(tmp_path, "0.1.0", SCHEMA_VERSION)).returncode == 0
    outbox = _outbox_with_one_item(target_root)
    assert (target_root / "usr/local/sbin/prakerja-kiosk-uninstall").exists()

    kept = _run(UNINSTALL, "--root", str(target_root))
    assert kept.returncode == 0, kept.stderr
    assert not (target_root / "opt/prakerja-kiosk").exists()
    assert not (target_root / f"etc/systemd/system/{APP}.service").exists()
    assert not (target_root / f"etc/systemd/system/graphical.target.wants/{APP}.service").exists()
    assert not (target_root / "etc/systemd/system/ctrl-alt-del.target").exists(), "Ctrl+Alt+Del left masked"
    assert outbox.exists() and Outbox(outbox).stats() is not None
    assert _passwd_entry(target_root) is not None, "the data's owner stays while the data stays"

    purged = _run(UNINSTALL, "--root", str(target_root), "--purge")
    assert purged.returncode == 0, purged.stderr
    assert not (target_root / "var/lib/prakerja-kiosk").exists()
    assert _passwd_entry(target_root) is None


# ----------------------------------------------------------------------------------- cage start


def _wait_for(path: Path, text: str, proc: subprocess.Popen[bytes], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text(errors="replace"):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def _kiosk_env(root: Path, unit: dict[str, list[str]], runtime_dir: Path, backend: str) -> dict[str, str]:
    """The unit's Environment= lines, with the data dir moved into the throwaway root."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(runtime_dir)}
    for assignment in unit.get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = str(root) + value if value.startswith("/var/lib/") else value
    env |= {
        "HOME": env["PRAKERJA_KIOSK_HOME"],
        "JOURNAL_STREAM": "8:1",  # what systemd sets with StandardError=journal
        "PRAKERJA_KIOSK_READY_STDOUT": "1",
        "WLR_BACKENDS": backend,
        "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1",
    }
    return env


@pytest.mark.skipif(not shutil.which("cage"), reason="needs the Debian package cage (and xwayland)")
@pytest.mark.skipif(
    not (REAL_BUNDLE / APP).exists(), reason="needs dist/prakerja-kiosk (scripts/build_bundle.sh)"
)
def test_installed_kiosk_starts_under_cage_and_reaches_the_welcome_screen(
    target_root: Path, tmp_path: Path
) -> None:
    done = _install(target_root, REAL_BUNDLE)
    assert done.returncode == 0, done.stderr
    entry = _passwd_entry(target_root)
    assert entry is not None
    uid, gid = int(entry[2]), int(entry[3])
    unit = _unit(target_root)
    command = unit["ExecStart"][0].split()
    assert command[:3] == ["/usr/bin/cage", "-d", "--"]
    kiosk = str(target_root) + command[3]

    runtime_dir = Path(tempfile.mkdtemp(prefix="kiosk-xdg-"))
    os.chown(runtime_dir, uid, gid)
    runtime_dir.chmod(0o700)
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = _kiosk_env(target_root, unit, runtime_dir, "headless")
    with out.open("wb") as out_fh, err.open("wb") as err_fh:
        proc = subprocess.Popen(
            ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "cage", "-d", "--", kiosk],
            env=env,
            stdout=out_fh,
            stderr=err_fh,
        )
        try:
            reached = _wait_for(out, "PRAKERJA_KIOSK_SCREEN WelcomeScreen", proc, timeout=120)
        finally:
            stop(proc, timeout=20)
    shutil.rmtree(runtime_dir, ignore_errors=True)
    assert reached, f"no welcome screen under cage:\n{out.read_text()}\n{err.read_text()[-3000:]}"
    assert "PRAKERJA_KIOSK_READY" in out.read_text()

    # The kiosk's own files: in the data dir, the kiosk user's, private; its log also on the "journal".
    data = target_root / "var/lib/prakerja-kiosk"
    log_file = data / "log" / "kiosk.log"
    assert log_file.exists() and "starting the kiosk window" in log_file.read_text()
    assert "starting the kiosk window" in err.read_text(), "nothing went to the journal (stderr)"
    for path in [data, *data.rglob("*")]:
        st = path.lstat()
        assert st.st_uid == uid, f"{path} is not the kiosk user's"
        if path.is_dir():
            assert stat.S_IMODE(st.st_mode) == 0o700, f"{path} is {oct(st.st_mode)}"
        else:
            assert not st.st_mode & 0o077, f"{path} is readable by others"

    if shutil.which("grim") and shutil.which("Xvfb"):
        _screenshot_under_cage(target_root, unit, uid, gid, kiosk, tmp_path)


def _screenshot_under_cage(
    root: Path, unit: dict[str, list[str]], uid: int, gid: int, kiosk: str, tmp: Path
) -> None:
    """A grim screenshot of the kiosk in cage.

    Why cage's X11 backend inside Xvfb and not the headless one: with wlroots 0.15 (Debian 12) the
    headless output scans the full-screen kiosk out directly and screencopy then returns the last
    composited frame (the first, pre-resize one), so grim would show a stale picture.
    """
    display = f":{90 + os.getpid() % 100}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-ac", "-screen", "0", "1366x768x24"], stderr=subprocess.DEVNULL
    )
    runtime_dir = Path(tempfile.mkdtemp(prefix="kiosk-xdg-"))
    os.chown(runtime_dir, uid, gid)
    runtime_dir.chmod(0o700)
    out = tmp / "shot-stdout.txt"
    env = _kiosk_env(root, unit, runtime_dir, "x11") | {"DISPLAY": display}
    try:
        time.sleep(1)
        with out.open("wb") as out_fh:
            proc = subprocess.Popen(
                ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "cage", "-d", "--", kiosk],
                env=env,
                stdout=out_fh,
                stderr=subprocess.DEVNULL,
            )
            try:
                assert _wait_for(out, "PRAKERJA_KIOSK_SERVICES_READY", proc, timeout=120), out.read_text()
                time.sleep(3)  # the status strip settles after the services opened
                shot = runtime_dir / "shot.png"
                subprocess.run(
                    ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "grim", str(shot)],
                    env={"XDG_RUNTIME_DIR": str(runtime_dir), "WAYLAND_DISPLAY": "wayland-0"},
                    check=True,
                    timeout=30,
                )
                png = shot.read_bytes()
                assert png.startswith(b"\x89PNG") and len(png) > 10_000
                keep = os.environ.get("PRAKERJA_CAGE_SCREENSHOT")
                if keep:
                    Path(keep).write_bytes(png)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(runtime_dir, ignore_errors=True)


# ------------------------------------------------------------------------------- boot and restart


def _container_ready(root: Path) -> None:
    """What systemd-nspawn and a booting systemd need beyond the installer's files."""
    shutil.copy2("/usr/lib/os-release", root / "usr/lib/os-release")
    (root / "lib64").symlink_to("usr/lib64")
    for sub in ("dev", "proc", "sys", "run", "tmp", "root"):
        (root / sub).mkdir(exist_ok=True)
    for name in ("nsswitch.conf", "login.defs"):
        shutil.copy2(Path("/etc", name), root / "etc" / name)
    shutil.copytree("/etc/security", root / "etc/security", dirs_exist_ok=True)
    shutil.copytree("/etc/alternatives", root / "etc/alternatives", symlinks=True, dirs_exist_ok=True)
    (root / "etc/pam.d").mkdir(parents=True, exist_ok=True)
    for pam in Path("/etc/pam.d").iterdir():
        target = root / "etc/pam.d" / pam.name
        if not target.exists():
            shutil.copy2(pam, target)


def _nsenter(leader: int, *command: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """Run ``command`` inside the container whose PID 1 is ``leader`` (all its namespaces)."""
    return subprocess.run(
        ["nsenter", "-t", str(leader), "-a", *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _in_container(leader: int, *command: str) -> str:
    return _nsenter(leader, *command).stdout


@contextmanager
def _booted(root: Path, usr: str) -> Iterator[subprocess.Popen[bytes]]:
    """``root`` booted with systemd-nspawn (``usr``: how the host's /usr is lent); stopped afterwards."""
    nspawn = subprocess.Popen(
        [
            "systemd-nspawn",
            "-q",
            "-D",
            str(root),
            usr,
            "--register=no",
            "--keep-unit",
            "-b",
            "--console=pipe",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield nspawn
    finally:
        stop(nspawn, timeout=30)


def _container_init(nspawn: subprocess.Popen[bytes]) -> int | None:
    """The container's PID 1 as seen from the host (the child of systemd-nspawn running systemd)."""
    for child in Path(f"/proc/{nspawn.pid}/task/{nspawn.pid}/children").read_text().split():
        if Path(f"/proc/{child}/exe").resolve().name == "systemd":
            return int(child)
    return None


@pytest.mark.skipif(
    not shutil.which("systemd-nspawn"), reason="needs systemd-nspawn (Debian package systemd-container)"
)
@pytest.mark.skipif(not shutil.which("nsenter"), reason="needs nsenter (util-linux)")
def test_booted_system_starts_the_kiosk_and_restarts_it_after_every_exit(
    target_root: Path, tmp_path: Path
) -> None:
    assert _install(target_root, _bundle(tmp_path, "0.1.0", SCHEMA_VERSION)).returncode == 0
    _container_ready(target_root)
    with _booted(target_root, "--bind-ro=/usr") as nspawn:
        deadline = time.monotonic() + 90
        state: dict[str, str] = {}
        while time.monotonic() < deadline:
            time.sleep(1)
            assert nspawn.poll() is None, "the container did not boot"
            leader = _container_init(nspawn)
            if leader is None:
                continue
            shown = _in_container(
                leader, "systemctl", "show", f"{APP}.service", "-p", "NRestarts,UnitFileState,Result"
            )
            state = dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)
            if int(state.get("NRestarts", "0") or 0) >= 8:
                break
        assert state.get("UnitFileState") == "enabled", state
        assert int(state.get("NRestarts", "0") or 0) >= 8, f"systemd stopped restarting the kiosk: {state}"


@pytest.mark.skipif(
    not shutil.which("systemd-nspawn"), reason="needs systemd-nspawn (Debian package systemd-container)"
)
@pytest.mark.skipif(not shutil.which("nsenter"), reason="needs nsenter (util-linux)")
def test_install_and_uninstall_on_a_running_system(tmp_path: Path) -> None:
    """The live path (root /, systemd running): daemon-reload, self-test as the kiosk user, start, stop."""
    root = Path(tempfile.mkdtemp(prefix="kiosk-live-"))
    root.chmod(0o755)
    try:
        _seed_root(root)
        _container_ready(root)
        work = root / "root" / "kiosk"
        (work / "scripts").mkdir(parents=True)
        for script in (INSTALL, UNINSTALL):
            shutil.copy2(script, work / "scripts" / script.name)
        shutil.copytree(REPO / "packaging" / "debian", work / "packaging" / "debian")
        _bundle(root / "root", "0.1.0", SCHEMA_VERSION)
        # /usr from the host with a throwaway writable layer: the installer writes sysusers.d etc.
        with _booted(root, "--overlay=/usr::/usr") as nspawn:
            leader = None
            for _ in range(60):
                time.sleep(1)
                leader = _container_init(nspawn)
                if leader and _in_container(leader, "systemctl", "is-system-running").strip() in {
                    "running",
                    "degraded",
                }:
                    break
            assert leader is not None, "the container did not boot"
            install = _nsenter(
                leader,
                "bash",
                "/root/kiosk/scripts/install-kiosk.sh",
                "--no-packages",
                "--bundle",
                "/root/bundle-0.1.0",
                timeout=300,
            )
            assert install.returncode == 0, install.stdout + install.stderr
            assert "self-test of the installed kiosk (as prakerja-kiosk)" in install.stdout
            assert "prakerja-kiosk 0.1.0" in install.stdout, "the bundle did not run as the kiosk user"
            assert "service started" in install.stdout
            shown = _in_container(
                leader, "systemctl", "show", f"{APP}.service", "-p", "UnitFileState,ActiveState"
            )
            assert "UnitFileState=enabled" in shown and "ActiveState=inactive" not in shown, shown
            uninstall = _nsenter(leader, "bash", "/usr/local/sbin/prakerja-kiosk-uninstall", timeout=300)
            assert uninstall.returncode == 0, uninstall.stdout + uninstall.stderr
            shown = _in_container(
                leader, "systemctl", "show", f"{APP}.service", "-p", "LoadState,ActiveState"
            )
            assert "LoadState=not-found" in shown and "ActiveState=inactive" in shown, shown
            assert (root / "var/lib/prakerja-kiosk/.outbox-schema").exists(), "uninstall removed the data"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="needs shellcheck (Debian package shellcheck)")
def test_install_scripts_pass_shellcheck() -> None:
    done = subprocess.run(
        ["shellcheck", str(INSTALL), str(UNINSTALL)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout
