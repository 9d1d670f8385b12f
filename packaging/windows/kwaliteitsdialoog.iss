; Inno Setup 6.3+ script: per-user installer for Kwaliteitsdialoog (no administrator rights).
;
; Build on a Windows machine from the repository root (see packaging/README.md):
;   pyinstaller --noconfirm packaging\kwaliteitsdialoog.spec
;   iscc packaging\windows\kwaliteitsdialoog.iss
; Result: dist\installer\Kwaliteitsdialoog-<version>-setup.exe
;
; The version is read from the version resource of the PyInstaller executable, which the spec
; generates from pyproject.toml, so there is one place to change it. Override with
;   iscc /DAppVersion=1.2.3 packaging\windows\kwaliteitsdialoog.iss
;
; Deployment by IT (all standard Inno Setup switches):
;   install, per user, silent:      Kwaliteitsdialoog-<v>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
;   install for all users (admin):  ... /ALLUSERS   (installs in Program Files)
;   uninstall, silent, keep data:   "%LOCALAPPDATA%\Programs\Kwaliteitsdialoog\unins000.exe" /VERYSILENT
;   uninstall and remove user data: ... unins000.exe /VERYSILENT /PURGEDATA=1
; User data (database, backups, logs) lives in %LOCALAPPDATA%\Kwaliteitsdialoog and is kept on
; uninstall unless the user answers "Ja" to the question, or /PURGEDATA=1 is given.

#define AppName "Kwaliteitsdialoog"
#define AppExeName "Kwaliteitsdialoog.exe"
#define CliExeName "kwaliteitsdialoog-cli.exe"
#define AppPublisher "Kwaliteitsdialoog"
#define AppId "{{6F3C2A9E-4B1D-4E8A-9C27-5D0B8E7A1F42}"
#define RepoRoot AddBackslash(SourcePath) + "..\.."
#define BuildDir RepoRoot + "\dist\" + AppName
#define UserDataDir "{localappdata}\" + AppName

#if !FileExists(BuildDir + "\" + AppExeName)
  #error "Bouw eerst de PyInstaller-bundel: pyinstaller --noconfirm packaging\kwaliteitsdialoog.spec"
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BuildDir + "\" + AppExeName, "ProductVersion")
#endif
#define FileVersion GetVersionNumbersString(BuildDir + "\" + AppExeName)

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppCopyright=Copyright (C) {#AppPublisher}
VersionInfoVersion={#FileVersion}
VersionInfoProductVersion={#FileVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription=Installatieprogramma {#AppName}
VersionInfoCompany={#AppPublisher}
; Per-user install without administrator rights: {autopf} is %LOCALAPPDATA%\Programs.
; IT may still choose a machine-wide install with /ALLUSERS on the command line.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=commandline
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809 or later (Qt 6 requirement)
MinVersion=10.0.17763
OutputDir={#RepoRoot}\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile={#RepoRoot}\resources\icons\kwaliteitsdialoog.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no
CloseApplications=yes
RestartApplications=no
; Code signing (recommended for managed laptops): configure a sign tool in the IDE or with
;   iscc /Ssigntool="signtool.exe sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 $f" ...
; and uncomment:
; SignTool=signtool

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle, so no file of the previous version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "Kwaliteitssturing verpleeghuiszorg"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "Kwaliteitssturing verpleeghuiszorg"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Code]
var
  PurgeUserData: Boolean;

function UserDataPath(): String;
begin
  Result := ExpandConstant('{#UserDataDir}');
end;

function InitializeUninstall(): Boolean;
begin
  PurgeUserData := ExpandConstant('{param:PURGEDATA|0}') = '1';
  Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { Asked after the user confirmed the uninstall; "Nee" (keep) is the default button. }
  if (CurUninstallStep = usUninstall) and (not PurgeUserData) and (not UninstallSilent)
     and DirExists(UserDataPath()) then
  begin
    PurgeUserData := MsgBox(
      'Wilt u ook uw gegevens van Kwaliteitsdialoog verwijderen?' + #13#10 + #13#10 +
      'Dit verwijdert de database, de reservekopieën en de logbestanden in' + #13#10 +
      UserDataPath() + #13#10 + #13#10 +
      'Kies Nee om uw gegevens te bewaren (aanbevolen als u het programma later opnieuw ' +
      'installeert).', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  end;
  if (CurUninstallStep = usPostUninstall) and PurgeUserData then
  begin
    DelTree(UserDataPath(), True, True, True);
    { Window positions and other settings (QSettings) }
    RegDeleteKeyIncludingSubkeys(HKCU, 'Software\{#AppPublisher}');
  end;
end;
