<#
.SYNOPSIS
  Builds the Prakerja kiosk for Windows 10/11: the one-folder bundle (build.spec) and its installer.

.DESCRIPTION
  Run in PowerShell 5.1 or 7 on a Windows 10/11 build machine with Python 3.11 (x64) and Inno Setup 6:

      powershell -ExecutionPolicy Bypass -File scripts\build-windows.ps1

  Steps (each stops the build on failure):
    1. a virtual environment in .venv-win with the project and its build tools;
    2. the compiled translations (scripts\build_translations.py --release-only);
    3. PyInstaller on build.spec: dist\prakerja-kiosk\prakerja-kiosk.exe (windowed, icon, version
       resource) and prakerja-kiosk-cli.exe (console: sync, status, export, --self-test);
    4. the bundled self-test, offscreen, in a throwaway home (never this machine's kiosk data);
    5. Inno Setup (packaging\windows\prakerja-kiosk.iss) -> dist\installer\prakerja-kiosk-setup-<version>.exe,
       with the version and the outbox schema read from the bundle's bundle-info.json.

  -SkipTests skips nothing here (tests are the CI workflow's job); -NoInstaller stops after step 4.
  Verified by review only: this repository's CI runs on Debian; .github/workflows/windows.yml runs this
  script on a windows-latest runner.
#>
[CmdletBinding()]
param(
  [string]$Python = "py",
  [string]$PythonVersion = "-3.11",
  [switch]$NoInstaller,
  [string]$InnoSetup = ""
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked([string]$What, [scriptblock]$Block) {
  Write-Host "== $What"
  & $Block
  if ($LASTEXITCODE -ne 0) { throw "build-windows: $What failed (exit code $LASTEXITCODE)" }
}

$Venv = Join-Path $Root ".venv-win"
$VenvPython = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPython)) {
  if ($Python -eq "py") {
    Invoke-Checked "virtual environment (.venv-win)" { & py $PythonVersion -m venv $Venv }
  } else {
    Invoke-Checked "virtual environment (.venv-win)" { & $Python -m venv $Venv }
  }
}
Invoke-Checked "pip upgrade" { & $VenvPython -m pip install --quiet --upgrade pip }
Invoke-Checked "project and build tools" { & $VenvPython -m pip install --quiet -e ".[dev]" }
Invoke-Checked "translations" { & $VenvPython scripts\build_translations.py --release-only }
Invoke-Checked "PyInstaller (build.spec)" {
  & $VenvPython -m PyInstaller --noconfirm --clean --log-level WARN build.spec
}

$Bundle = Join-Path $Root "dist\prakerja-kiosk"
foreach ($exe in @("prakerja-kiosk.exe", "prakerja-kiosk-cli.exe")) {
  if (-not (Test-Path (Join-Path $Bundle $exe))) { throw "build-windows: $exe missing from $Bundle" }
}
$InfoFile = Get-ChildItem -Path $Bundle -Recurse -Filter "bundle-info.json" | Select-Object -First 1
if (-not $InfoFile) { throw "build-windows: bundle-info.json missing from $Bundle" }
$Info = Get-Content $InfoFile.FullName -Raw | ConvertFrom-Json
Write-Host "== bundle $($Info.version), outbox schema $($Info.outbox_schema), $($Info.flavour)"

# The self-test runs the console executable (the windowed one has no stdout) in a throwaway home.
$SelfTestHome = Join-Path ([System.IO.Path]::GetTempPath()) ("prakerja-selftest-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $SelfTestHome | Out-Null
try {
  $env:PRAKERJA_KIOSK_HOME = $SelfTestHome
  $env:QT_QPA_PLATFORM = "offscreen"
  Invoke-Checked "bundled self-test" { & (Join-Path $Bundle "prakerja-kiosk-cli.exe") --self-test }
} finally {
  Remove-Item Env:PRAKERJA_KIOSK_HOME, Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
  Remove-Item -Recurse -Force $SelfTestHome -ErrorAction SilentlyContinue
}

if ($NoInstaller) { Write-Host "== done (no installer: -NoInstaller)"; exit 0 }

if (-not $InnoSetup) {
  $candidates = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
  )
  $InnoSetup = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $InnoSetup) { throw "build-windows: Inno Setup 6 (ISCC.exe) not found; install it (winget install JRSoftware.InnoSetup)" }
$Numeric = ($Info.version -replace "[^0-9.]", "")
Invoke-Checked "installer (Inno Setup)" {
  & $InnoSetup "/DAppVersion=$($Info.version)" "/DAppVersionNumeric=$Numeric" `
    "/DOutboxSchema=$($Info.outbox_schema)" "/DBundleDir=$Bundle" "/O$(Join-Path $Root 'dist\installer')" `
    (Join-Path $Root "packaging\windows\prakerja-kiosk.iss")
}
Write-Host "== done: dist\installer\prakerja-kiosk-setup-$($Info.version).exe"
