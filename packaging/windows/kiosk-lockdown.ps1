<#
.SYNOPSIS
  Turns a Windows 10/11 PC into a Prakerja walk-in terminal: a kiosk account whose only program is the
  kiosk, signed in automatically, with the Ctrl+Alt+Del / Alt+Tab escapes closed as far as the edition
  allows. Run as Administrator after the installer (the installer's "kiosk account" task runs it).

.DESCRIPTION
  What it does, and what each Windows edition can stop (docs/deploy-windows.md has the table):
    * a local standard account (default "prakerja-kiosk"), not an administrator;
    * its shell is prakerja-kiosk.exe instead of Explorer: no desktop, no Start menu, no taskbar, nothing
      to Alt+Tab to. Enterprise/Education/IoT: Shell Launcher v2 (WESL_UserSetting), which also
      restarts the kiosk when it exits. Pro/Home: the per-user Winlogon "Shell" value in the account's
      own registry hive (Windows restarts nothing: the kiosk is relaunched by the scheduled task below);
    * Enterprise/Education/IoT: Keyboard Filter blocks Ctrl+Alt+Del, Win+L, Ctrl+Shift+Esc, Alt+Tab,
      Alt+F4 and the Windows key for the kiosk account (administrators are exempt);
    * every edition: the Ctrl+Alt+Del screen shows no Task Manager, Lock, Change password, Sign out
      or Switch user (user policies DisableTaskMgr, DisableLockWorkstation, DisableChangePassword,
      NoLogoff; machine policy HideFastUserSwitching). On Pro the secure attention sequence itself
      cannot be blocked (Windows guarantees it); what remains on that screen is "Cancel" and the power
      button;
    * a "Prakerja Kiosk\Relaunch" task that starts the kiosk again at logon and every minute if it is
      not running (Pro/Home);
    * optional automatic sign-in with Sysinternals Autologon (-Autologon path), which stores the
      password as an LSA secret instead of in the registry in clear.

  -Remove undoes all of it except the account and its data (the outbox lives in its profile).
  Verified by review only (this project's CI runs on Debian).
#>
[CmdletBinding()]
param(
  [string]$Account = "prakerja-kiosk",
  [string]$InstallDir = "$env:ProgramFiles\Prakerja Kiosk",
  [securestring]$Password,
  [string]$Autologon = "",
  [switch]$Remove
)

$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw "kiosk-lockdown: run this in an elevated PowerShell (Run as administrator)"
}
$Kiosk = Join-Path $InstallDir "prakerja-kiosk.exe"
$Edition = (Get-CimInstance Win32_OperatingSystem).Caption
$HasShellLauncher = $Edition -match "Enterprise|Education|IoT"
$TaskPath = "\Prakerja Kiosk\"

function Get-AccountSid([string]$Name) {
  (New-Object Security.Principal.NTAccount($Name)).Translate([Security.Principal.SecurityIdentifier]).Value
}

function Set-UserPolicies([string]$HiveRoot, [int]$Value) {
  $system = "$HiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\System"
  $explorer = "$HiveRoot\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer"
  foreach ($key in @($system, $explorer)) { if (-not (Test-Path $key)) { New-Item -Path $key -Force | Out-Null } }
  foreach ($name in @("DisableTaskMgr", "DisableLockWorkstation", "DisableChangePassword")) {
    Set-ItemProperty -Path $system -Name $name -Value $Value -Type DWord
  }
  Set-ItemProperty -Path $explorer -Name "NoLogoff" -Value $Value -Type DWord
}

function Invoke-WithUserHive([string]$Sid, [string]$ProfilePath, [scriptblock]$Block) {
  # The account's HKCU: mounted already when it is signed in, otherwise loaded from NTUSER.DAT.
  if (Test-Path "Registry::HKEY_USERS\$Sid") { & $Block "Registry::HKEY_USERS\$Sid"; return }
  $hive = Join-Path $ProfilePath "NTUSER.DAT"
  & reg.exe load "HKU\PrakerjaKiosk" $hive | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "kiosk-lockdown: cannot load $hive" }
  try { & $Block "Registry::HKEY_USERS\PrakerjaKiosk" }
  finally { [gc]::Collect(); & reg.exe unload "HKU\PrakerjaKiosk" | Out-Null }
}

if ($Remove) {
  Write-Host "== removing the kiosk lock-down for $Account (account and data kept)"
  $sid = Get-AccountSid $Account
  if ($HasShellLauncher) {
    $shell = Get-CimInstance -Namespace "root\standardcimv2\embedded" -ClassName WESL_UserSetting -ErrorAction SilentlyContinue
    if ($shell) { Invoke-CimMethod -Namespace "root\standardcimv2\embedded" -ClassName WESL_UserSetting -MethodName RemoveCustomShell -Arguments @{ Sid = $sid } | Out-Null }
  }
  $profilePath = (Get-CimInstance Win32_UserProfile | Where-Object { $_.SID -eq $sid }).LocalPath
  if ($profilePath) {
    Invoke-WithUserHive $sid $profilePath {
      param($root)
      Remove-ItemProperty -Path "$root\Software\Microsoft\Windows NT\CurrentVersion\Winlogon" -Name Shell -ErrorAction SilentlyContinue
      Set-UserPolicies $root 0
    }
  }
  Unregister-ScheduledTask -TaskPath $TaskPath -TaskName "Relaunch" -Confirm:$false -ErrorAction SilentlyContinue
  Set-ItemProperty "HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon" -Name AutoAdminLogon -Value "0"
  Write-Host "== done"
  exit 0
}

if (-not (Test-Path $Kiosk)) { throw "kiosk-lockdown: $Kiosk not found; run the installer first" }

# 1. the account ---------------------------------------------------------------------------------
if (-not (Get-LocalUser -Name $Account -ErrorAction SilentlyContinue)) {
  if (-not $Password) { $Password = Read-Host -AsSecureString "Password for the new kiosk account $Account" }
  New-LocalUser -Name $Account -Password $Password -FullName "Prakerja Kiosk" `
    -Description "Walk-in terminal account: runs only the Prakerja kiosk" -PasswordNeverExpires | Out-Null
  Add-LocalGroupMember -Group (Get-CimInstance Win32_Group -Filter "SID='S-1-5-32-545'").Name -Member $Account
  Write-Host "== created standard account $Account"
}
$sid = Get-AccountSid $Account
$profilePath = (Get-CimInstance Win32_UserProfile | Where-Object { $_.SID -eq $sid }).LocalPath
if (-not $profilePath) {
  # The profile (and its registry hive) exists only after a first sign-in: create it now.
  if (-not $Password) { $Password = Read-Host -AsSecureString "Password of $Account (to create its profile)" }
  $cred = New-Object Management.Automation.PSCredential(".\$Account", $Password)
  Start-Process -FilePath "cmd.exe" -ArgumentList "/c", "exit" -Credential $cred -LoadUserProfile -Wait -WindowStyle Hidden
  $profilePath = (Get-CimInstance Win32_UserProfile | Where-Object { $_.SID -eq $sid }).LocalPath
}

# 2. the shell -----------------------------------------------------------------------------------
if ($HasShellLauncher) {
  Write-Host "== $Edition: Shell Launcher v2 and Keyboard Filter"
  foreach ($feature in @("Client-EmbeddedShellLauncher", "Client-KeyboardFilter")) {
    Enable-WindowsOptionalFeature -Online -FeatureName $feature -All -NoRestart | Out-Null
  }
  $ns = "root\standardcimv2\embedded"
  # Action 0 = restart the shell (the kiosk) whenever it exits.
  Invoke-CimMethod -Namespace $ns -ClassName WESL_UserSetting -MethodName SetCustomShell `
    -Arguments @{ Sid = $sid; Shell = "`"$Kiosk`""; CustomReturnCodes = $null; CustomReturnCodesAction = $null; DefaultAction = 0 } | Out-Null
  Invoke-CimMethod -Namespace $ns -ClassName WESL_UserSetting -MethodName SetEnabled -Arguments @{ Enabled = $true } | Out-Null
  foreach ($combo in @("Ctrl+Alt+Del", "Win+L", "Ctrl+Shift+Esc", "Alt+Tab", "Alt+F4", "Windows", "Ctrl+Esc", "Alt+Esc")) {
    $key = Get-CimInstance -Namespace $ns -ClassName WEKF_PredefinedKey -Filter "Id='$combo'" -ErrorAction SilentlyContinue
    if ($key) { $key.Enabled = $true; Set-CimInstance -InputObject $key }
  }
} else {
  Write-Host "== $Edition: per-user shell (no Shell Launcher on this edition)"
}

# 3. the account's own policies and (Pro/Home) shell ----------------------------------------------
Invoke-WithUserHive $sid $profilePath {
  param($root)
  if (-not $HasShellLauncher) {
    $winlogon = "$root\Software\Microsoft\Windows NT\CurrentVersion\Winlogon"
    if (-not (Test-Path $winlogon)) { New-Item -Path $winlogon -Force | Out-Null }
    Set-ItemProperty -Path $winlogon -Name Shell -Value "`"$Kiosk`""
  }
  Set-UserPolicies $root 1
}
$machineSystem = "HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System"
Set-ItemProperty -Path $machineSystem -Name HideFastUserSwitching -Value 1 -Type DWord

# 4. relaunch when it exits (Pro/Home; Shell Launcher does this itself) ---------------------------
if (-not $HasShellLauncher) {
  $action = New-ScheduledTaskAction -Execute "powershell.exe" -Argument (
    "-NoProfile -WindowStyle Hidden -Command `"if (-not (Get-Process prakerja-kiosk -ErrorAction SilentlyContinue)) { Start-Process '$Kiosk' }`"")
  $atLogon = New-ScheduledTaskTrigger -AtLogOn -User $Account
  $everyMinute = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 1)
  $who = New-ScheduledTaskPrincipal -UserId $Account -LogonType Interactive -RunLevel Limited
  Register-ScheduledTask -TaskPath $TaskPath -TaskName "Relaunch" -Action $action -Trigger @($atLogon, $everyMinute) `
    -Principal $who -Settings (New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries) -Force | Out-Null
}

# 5. automatic sign-in ----------------------------------------------------------------------------
if ($Autologon) {
  if (-not $Password) { $Password = Read-Host -AsSecureString "Password of $Account (for automatic sign-in)" }
  $plain = [Runtime.InteropServices.Marshal]::PtrToStringAuto([Runtime.InteropServices.Marshal]::SecureStringToBSTR($Password))
  & $Autologon /accepteula $Account "." $plain | Out-Null
  Write-Host "== automatic sign-in as $Account (password stored as an LSA secret by Autologon)"
} else {
  Write-Host "   automatic sign-in not set: run Sysinternals Autologon, or pass -Autologon C:\path\Autologon64.exe"
}
Write-Host "== done: sign in as $Account (or restart) to see the kiosk"
