; Inno Setup 6 script for the Prakerja kiosk on Windows 10/11 (x64).
; Built by scripts\build-windows.ps1, which passes /DAppVersion, /DAppVersionNumeric, /DOutboxSchema
; and /DBundleDir from the bundle's bundle-info.json. Verified by review only (CI here runs on Debian;
; .github/workflows/windows.yml builds it on windows-latest).
;
; What it does (docs/deploy-windows.md):
;   * program files in {autopf}\Prakerja Kiosk, read-only for standard users;
;   * Start menu shortcut for every account; optional desktop shortcut;
;   * task "laptop": a scheduled task "Prakerja Kiosk\Sync" that runs `prakerja-kiosk-cli.exe sync`
;     every 15 minutes while the signing-in user is logged on, for field officers' laptops;
;   * task "kiosk": runs packaging\windows\kiosk-lockdown.ps1 (kiosk account, Shell Launcher or per-user
;     shell, Keyboard Filter where the edition has it, Ctrl+Alt+Del options hidden);
;   * the data (outbox, device identity, audit log, settings, logs) lives in each account's
;     %LOCALAPPDATA%\prakerja-kiosk, never under Program Files: an upgrade replaces program files only,
;     and uninstalling keeps the data unless the officer ticks the box that deletes it;
;   * an upgrade whose outbox schema is older than the one installed before is refused
;     (HKLM\Software\Prakerja Kiosk\OutboxSchema holds the highest schema this PC has run).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#ifndef OutboxSchema
  #define OutboxSchema "1"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\prakerja-kiosk"
#endif
#define AppName "Prakerja Kiosk"
#define RegKey "Software\Prakerja Kiosk"

[Setup]
AppId={{6E0C7F0A-6A43-4C3B-9C7E-5B1C9F3F2A11}
AppName={#AppName}
AppVersion={#AppVersion}
VersionInfoVersion={#AppVersionNumeric}
AppPublisher=Kartu Prakerja - Dinas Tenaga Kerja
DefaultDirName={autopf}\Prakerja Kiosk
DefaultGroupName=Prakerja Kiosk
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
PrivilegesRequired=admin
OutputBaseFilename=prakerja-kiosk-setup-{#AppVersion}
SetupIconFile=prakerja-kiosk.ico
UninstallDisplayIcon={app}\prakerja-kiosk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto

[Languages]
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
id.TaskLaptop=Laptop petugas lapangan: kirim antrean otomatis setiap 15 menit
en.TaskLaptop=Field officer's laptop: send the queue automatically every 15 minutes
id.TaskKiosk=Terminal kios: akun khusus yang hanya menjalankan kios (butuh kata sandi akun)
en.TaskKiosk=Walk-in terminal: a dedicated account that runs only the kiosk (asks for its password)
id.RefuseDowngrade=Versi ini (skema antrean %1) lebih lama dari versi yang pernah terpasang di PC ini (skema %2). Pasang versi terbaru; data antrean tidak diubah.
en.RefuseDowngrade=This version (queue schema %1) is older than one installed on this PC before (schema %2). Install the newest version; the queue data was not changed.
id.DeleteData=Hapus juga data kios akun ini (antrean pendaftaran yang BELUM terkirim ikut terhapus)?
en.DeleteData=Also delete this account's kiosk data (registrations NOT yet sent are deleted too)?

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "laptop"; Description: "{cm:TaskLaptop}"; Flags: unchecked
Name: "kiosk"; Description: "{cm:TaskKiosk}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "kiosk-lockdown.ps1"; DestDir: "{app}\tools"; Flags: ignoreversion

[InstallDelete]
; The previous version's program files (a dropped DLL must not linger); never the data.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\Prakerja Kiosk"; Filename: "{app}\prakerja-kiosk.exe"
Name: "{group}\Prakerja Kiosk (jendela / windowed)"; Filename: "{app}\prakerja-kiosk.exe"; Parameters: "--windowed"
Name: "{autodesktop}\Prakerja Kiosk"; Filename: "{app}\prakerja-kiosk.exe"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "{#RegKey}"; ValueType: string; ValueName: "InstallDir"; ValueData: "{app}"; Flags: uninsdeletevalue
Root: HKLM; Subkey: "{#RegKey}"; ValueType: string; ValueName: "Version"; ValueData: "{#AppVersion}"; Flags: uninsdeletevalue

[Run]
; Field laptops: sync every 15 minutes as the officer (the data is in the officer's profile), only
; while they are signed in, no window. /F replaces the task of an older version.
Filename: "{sys}\schtasks.exe"; \
  Parameters: "/Create /F /TN ""Prakerja Kiosk\Sync"" /SC MINUTE /MO 15 /IT /RL LIMITED /TR ""\""{app}\prakerja-kiosk-cli.exe\"" sync"""; \
  Flags: runhidden; Tasks: laptop
Filename: "powershell.exe"; \
  Parameters: "-NoProfile -ExecutionPolicy Bypass -File ""{app}\tools\kiosk-lockdown.ps1"" -InstallDir ""{app}"""; \
  Flags: waituntilterminated; Tasks: kiosk
Filename: "{app}\prakerja-kiosk.exe"; Description: "{cm:LaunchProgram,Prakerja Kiosk}"; Flags: nowait postinstall skipifsilent unchecked

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""Prakerja Kiosk\Sync"""; Flags: runhidden; RunOnceId: "DelSync"
Filename: "powershell.exe"; \
  Parameters: "-NoProfile -ExecutionPolicy Bypass -File ""{app}\tools\kiosk-lockdown.ps1"" -InstallDir ""{app}"" -Remove"; \
  Flags: runhidden; RunOnceId: "Unlock"

[Code]
const
  NewSchema = {#OutboxSchema};

function InstalledSchema(): Integer;
var
  Value: Cardinal;
begin
  Result := 0;
  if RegQueryDWordValue(HKLM, '{#RegKey}', 'OutboxSchema', Value) then
    Result := Value;
end;

function InitializeSetup(): Boolean;
var
  Old: Integer;
begin
  Result := True;
  Old := InstalledSchema();
  if Old > NewSchema then
  begin
    SuppressibleMsgBox(FmtMessage(CustomMessage('RefuseDowngrade'), [IntToStr(NewSchema), IntToStr(Old)]),
      mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
    if NewSchema > InstalledSchema() then
      RegWriteDWordValue(HKLM, '{#RegKey}', 'OutboxSchema', NewSchema);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    { The uninstalling administrator's own data only; the kiosk account's profile keeps its data. }
    DataDir := ExpandConstant('{localappdata}\prakerja-kiosk');
    if DirExists(DataDir) and not UninstallSilent() then
      if MsgBox(CustomMessage('DeleteData'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
    { HKLM\Software\Prakerja Kiosk\OutboxSchema stays on purpose: the kiosk account's queue outlives
      the program, and a later, older version must still be refused. }
  end;
end;
