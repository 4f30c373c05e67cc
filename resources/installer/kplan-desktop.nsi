; kplan-desktop: the per-user Windows installer (no administrator rights needed).
;
; Built by scripts/build-windows (and .github/workflows/windows.yml):
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DVERSION4=0.1.0.0 -DBUNDLE=dist/windows/kplan-desktop
;            -DICON=resources/icons/kplan-desktop.ico -DOUTFILE=dist/kplan-desktop-0.1.0-setup.exe
;            resources/installer/kplan-desktop.nsi
;
; The program goes to %LOCALAPPDATA%\Programs\kplan-desktop. The user's database, backups and log
; live in %LOCALAPPDATA%\kplan-desktop and the settings in %APPDATA%\kplan-desktop: this script
; never writes or deletes there, so an upgrade keeps them and an uninstall leaves them.
;
; For IT staff (README, Packaging):
;   setup.exe /S                       per user, silent (no administrator rights)
;   setup.exe /S /ALLUSERS             every user of the PC: %ProgramFiles%\kplan-desktop, HKLM,
;                                      the all-users Start menu; needs an elevated process (exit
;                                      code 740 otherwise). Each user's data stays per user.
;   setup.exe /S /SETTINGS=X:\defaults.ini   also copies IT's defaults file (site_defaults.py)
;                                      to %APPDATA%\kplan-desktop (per user) or
;                                      %ProgramData%\kplan-desktop (with /ALLUSERS)
;   -DPUBLISHER="name"                 the Publisher Apps & features shows (default: the name below;
;                                      IT may name the city's division)
;   -DSIGN=command                     makensis runs `command file` on the uninstaller and the
;                                      installer it writes (scripts/sign-windows: Authenticode)

Unicode true
; Debian's default stub is 32-bit (needs 32-bit Wine, fails silently without it); 64-bit it is.
Target amd64-unicode
RequestExecutionLevel user
ManifestDPIAware true
!ifdef UNCOMPRESSED
  SetCompress off  ; scripts/build-windows' test-only "older version": quick to make
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION | VERSION4 | BUNDLE | ICON | OUTFILE
  !error "makensis -DVERSION=x.y.z -DVERSION4=x.y.z.0 -DBUNDLE=dir -DICON=file.ico -DOUTFILE=setup.exe"
!endif

!define APP "kplan-desktop"
!define NAME_JA "総合計画 進行管理"
!define EXE "kplan-desktop.exe"
!define CLI_EXE "kplan.exe"  ; the command-line program, beside the window program
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"
!ifndef PUBLISHER
  !define PUBLISHER "kplan-desktop project"
!endif
; The running program holds this named mutex (kplan_desktop/running.py): like Inno Setup's
; AppMutex, the installer and the uninstaller refuse to replace or remove a program in use.
!define MUTEX "kplan-desktop-running"

Name "${NAME_JA} (${APP} ${VERSION})"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=1041 "ProductName" "${NAME_JA} (${APP})"
VIAddVersionKey /LANG=1041 "FileDescription" "${NAME_JA} セットアップ"
VIAddVersionKey /LANG=1041 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1041 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1041 "LegalCopyright" "MIT License"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!ifdef SIGN
  ; Signed as makensis writes them: the uninstaller before it is packed into the installer.
  !uninstfinalize '"${SIGN}" "%1"' = 0
  !finalize '"${SIGN}" "%1"' = 0
!endif

Var AllUsers
Var Settings

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

LangString DataKept ${LANG_JAPANESE} "プログラムを削除しました。データベース・バックアップ・ログは削除していません:$\r$\n$LOCALAPPDATA\${APP}$\r$\n設定: $APPDATA\${APP}$\r$\n再インストールするとそのまま使えます。不要なら、このフォルダーを手で削除してください。"
LangString DataKept ${LANG_ENGLISH} "The program was removed. The database, its backups and the log were kept:$\r$\n$LOCALAPPDATA\${APP}$\r$\nSettings: $APPDATA\${APP}$\r$\nA new installation uses them again. Delete these folders by hand if they are no longer needed."

LangString DataKeptAll ${LANG_JAPANESE} "プログラムを削除しました。各ユーザーのデータベース・バックアップ・ログ（%LOCALAPPDATA%\${APP}）と設定（%APPDATA%\${APP}）は削除していません。再インストールするとそのまま使えます。不要なら、各ユーザーのこれらのフォルダーを手で削除してください。"
LangString DataKeptAll ${LANG_ENGLISH} "The program was removed. Each user's database, backups and log (%LOCALAPPDATA%\${APP}) and settings (%APPDATA%\${APP}) were kept. A new installation uses them again. Delete these folders of each user by hand if they are no longer needed."
LangString Running ${LANG_JAPANESE} "総合計画 進行管理 (kplan-desktop) が実行中です。プログラムを閉じてから「再試行」を押してください（どのユーザーが開いていても同じです）。"
LangString Running ${LANG_ENGLISH} "kplan-desktop is running. Close the program, then press Retry (whichever user has it open)."
LangString RunningSilent ${LANG_JAPANESE} "kplan-desktop が実行中のため、何も変更せずに終了しました（終了コード 32）。プログラムを閉じてから再実行してください。"
LangString RunningSilent ${LANG_ENGLISH} "kplan-desktop is running: nothing was changed (exit code 32). Close the program and run this again."

LangString NeedsAdmin ${LANG_JAPANESE} "/ALLUSERS（全ユーザーへのインストール）には管理者としての実行が必要です。"
LangString NeedsAdmin ${LANG_ENGLISH} "/ALLUSERS (an installation for every user) must run as an administrator."
LangString NoSettings ${LANG_JAPANESE} "/SETTINGS の設定ファイルが見つかりません: "
LangString NoSettings ${LANG_ENGLISH} "The /SETTINGS file was not found: "

; Waits while the program runs: interactive, the user closes it and retries (or cancels); silent,
; exit code 32 (ERROR_SHARING_VIOLATION) before anything is touched. Both mutex namespaces: this
; session's and every session's (another user of the PC, machine-wide).
!macro REFUSE_WHILE_RUNNING
  ${Do}
    System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${MUTEX}") p .r8'
    ${If} $8 == 0
      System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "Global\${MUTEX}") p .r8'
    ${EndIf}
    ${If} $8 == 0
      ${Break}
    ${EndIf}
    System::Call 'kernel32::CloseHandle(p r8)'
    ${If} ${Silent}
      DetailPrint "$(RunningSilent)"
      System::Call 'kernel32::AttachConsole(i -1) i .r9'
      FileOpen $9 "CONOUT$$" w
      FileWriteUTF16LE $9 "$(RunningSilent)$\r$\n"
      FileClose $9
      SetErrorLevel 32
      Quit
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(Running)" IDRETRY running_retry
    SetErrorLevel 32
    Quit
    running_retry:
  ${Loop}
!macroend

Function .onInit
  !insertmacro REFUSE_WHILE_RUNNING
  ${GetParameters} $R0
  StrCpy $AllUsers 0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/SETTINGS=" $Settings
  ${If} ${Errors}
    StrCpy $Settings ""
  ${ElseIfNot} ${FileExists} "$Settings"
    MessageBox MB_OK|MB_ICONSTOP "$(NoSettings)$Settings" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${If} $AllUsers == 1
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "Admin"
      MessageBox MB_OK|MB_ICONSTOP "$(NeedsAdmin)" /SD IDOK
      SetErrorLevel 740  ; ERROR_ELEVATION_REQUIRED
      Quit
    ${EndIf}
    ; Unless /D= named a folder: Program Files, or where the last machine-wide install went.
    ; (Compared while $LOCALAPPDATA is still the user's: SetShellVarContext changes it.)
    ReadRegStr $R3 HKCU "${UNINST_KEY}" "InstallLocation"
    SetShellVarContext current
    ${If} $INSTDIR == "$LOCALAPPDATA\Programs\${APP}"
    ${OrIf} $INSTDIR == $R3
      ReadRegStr $R3 HKLM "${UNINST_KEY}" "InstallLocation"
      ${If} $R3 != ""
        StrCpy $INSTDIR $R3
      ${Else}
        StrCpy $INSTDIR "$PROGRAMFILES64\${APP}"
      ${EndIf}
    ${EndIf}
    SetShellVarContext all
  ${EndIf}
FunctionEnd

Section "kplan-desktop"
  ${If} $AllUsers == 1
    SetShellVarContext all
  ${Else}
    SetShellVarContext current
  ${EndIf}
  ; An upgrade: the older version's program files go first, so none of them lingers.
  ; The user's data is not under $INSTDIR.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${NAME_JA}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  ; Apps & features (per user)
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${NAME_JA} (${APP})"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" $0
  ; IT's defaults file: for this user, or (machine-wide) for every user of the PC.
  ${If} $Settings != ""
    CreateDirectory "$APPDATA\${APP}"
    ClearErrors
    CopyFiles /SILENT "$Settings" "$APPDATA\${APP}\defaults.ini"
    ${If} ${Errors}
      MessageBox MB_OK|MB_ICONSTOP "$(NoSettings)$Settings" /SD IDOK
      SetErrorLevel 2
    ${EndIf}
  ${EndIf}
SectionEnd

Var UnAllUsers

Function un.onInit
  !insertmacro REFUSE_WHILE_RUNNING
  StrCpy $UnAllUsers 0
  ; Machine-wide when this is the folder the all-users entry names.
  ReadRegStr $R0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $R0 == $INSTDIR
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "Admin"
      MessageBox MB_OK|MB_ICONSTOP "$(NeedsAdmin)" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
    SetShellVarContext all
    StrCpy $UnAllUsers 1
  ${Else}
    SetShellVarContext current
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${NAME_JA}.lnk"
  ; Only what the installer put there: never a folder the user chose with their own files in it.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey SHCTX "${UNINST_KEY}"
  ; Machine-wide, $LOCALAPPDATA is now %ProgramData%: the message names each user's folders.
  ${If} $UnAllUsers == 1
    DetailPrint "$(DataKeptAll)"
    MessageBox MB_OK|MB_ICONINFORMATION "$(DataKeptAll)" /SD IDOK
  ${Else}
    DetailPrint "$(DataKept)"
    MessageBox MB_OK|MB_ICONINFORMATION "$(DataKept)" /SD IDOK
  ${EndIf}
SectionEnd
