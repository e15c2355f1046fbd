"""The Windows build and install files stay consistent with the code (issue 20).

These files cannot run here (no Windows, no PowerShell, no Inno Setup); they are verified by review,
and this test catches the drift a review would miss later: a renamed executable, test file or
script, a lost downgrade check, a schema the installer would not be told about.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
ISS = REPO / "packaging" / "windows" / "prakerja-kiosk.iss"
LOCKDOWN = REPO / "packaging" / "windows" / "kiosk-lockdown.ps1"
BUILD_PS1 = REPO / "scripts" / "build-windows.ps1"
WORKFLOW = REPO / ".github" / "workflows" / "windows.yml"
SPEC = REPO / "build.spec"


def test_build_spec_makes_a_windowed_kiosk_and_a_console_cli_on_windows_only() -> None:
    spec = SPEC.read_text()
    windows_part = spec[spec.index("\nelse:\n", spec.index("if not WINDOWS:")) :]
    linux_part = spec[spec.index("if not WINDOWS:") : spec.index("\nelse:\n", spec.index("if not WINDOWS:"))]
    assert re.search(r'name="prakerja-kiosk",\s*console=False', windows_part)
    assert re.search(r'name="prakerja-kiosk-cli",\s*console=True', windows_part)
    assert "icon=icon" in windows_part and "version=version_resource" in windows_part
    assert re.search(r'name="prakerja-kiosk",\s*console=True', linux_part) and "icon" not in linux_part
    assert (REPO / "packaging" / "windows" / "prakerja-kiosk.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert '"outbox_schema"' in spec and "bundle-info.json" in spec


def test_installer_script_refers_to_what_the_build_produces() -> None:
    iss = ISS.read_text()
    assert (ISS.parent / re.search(r"SetupIconFile=(\S+)", iss)[1]).exists()  # type: ignore[index]
    assert 'Source: "kiosk-lockdown.ps1"' in iss and LOCKDOWN.exists()
    assert 'prakerja-kiosk-cli.exe\\"" sync' in iss, "the laptop task must run the console exe's sync"
    assert "/SC MINUTE /MO 15" in iss
    assert "if Old > NewSchema then" in iss and "Result := False" in iss, "downgrade refusal lost"
    assert "RegWriteDWordValue(HKLM, '{#RegKey}', 'OutboxSchema', NewSchema)" in iss
    assert "{localappdata}" in iss and "DelTree" in iss and "MB_DEFBUTTON2" in iss, (
        "data deletion must default to No"
    )
    ps1 = BUILD_PS1.read_text()
    for define in ("AppVersion", "OutboxSchema", "BundleDir"):
        assert f"/D{define}=" in ps1 and f"#ifndef {define}" in iss
    assert "prakerja-kiosk-cli.exe" in ps1 and "--self-test" in ps1


def test_lockdown_script_covers_the_escapes_the_docs_promise() -> None:
    script = LOCKDOWN.read_text()
    for needle in (
        "WESL_UserSetting",
        "WEKF_PredefinedKey",
        '"Ctrl+Alt+Del"',
        '"Alt+Tab"',
        "DisableTaskMgr",
        "DisableLockWorkstation",
        "DisableChangePassword",
        "NoLogoff",
        "HideFastUserSwitching",
        "Winlogon",
        "-Remove",
    ):
        assert needle in script, needle
    docs = (REPO / "docs" / "deploy-windows.md").read_text()
    assert "Verified by review only" in docs and "Ctrl+Alt+Del" in docs


def test_workflow_runs_on_windows_and_names_existing_files() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job = workflow["jobs"]["test-and-build"]
    assert job["runs-on"] == "windows-latest"
    commands = " ".join(str(step.get("run", "")) for step in job["steps"])
    for name in re.findall(r"(tests/test_\w+\.py|scripts/[\w\-]+\.(?:py|ps1))", commands):
        assert (REPO / name).exists(), f"the workflow names {name}, which does not exist"
    assert "build-windows.ps1" in commands and "check_portability.py" in commands
