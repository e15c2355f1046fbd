#!/usr/bin/env bash
# Installs (or updates) the Prakerja kiosk as a locked-down Debian 12/13 terminal in one command:
#
#   sudo scripts/install-kiosk.sh [--bundle dist/prakerja-kiosk] [--enrol CODE --api URL]
#
# What it does (docs/deploy-debian.md explains each step for Dinas IT):
#   * the PyInstaller bundle (scripts/build_bundle.sh) goes to /opt/prakerja-kiosk, owned by root and
#     read-only for everyone else; the previous version stays in /opt/prakerja-kiosk.previous;
#   * a dedicated unprivileged system user `prakerja-kiosk` (no password, no shell) owns the data dir
#     /var/lib/prakerja-kiosk, mode 0700 (outbox, device identity, audit log, settings, logs);
#   * prakerja-kiosk.service starts the kiosk full screen in the `cage` Wayland kiosk compositor on
#     tty1 at boot and restarts it whenever it exits (Restart=always); no desktop, no terminal;
#   * lock-down: Ctrl+Alt+Del (masked, burst action off), no spare consoles (logind NAutoVTs=0), VT
#     switching off (cage without -s), SysRq off, suspend keys ignored; graphical.target is the default;
#   * an update keeps the data dir (the new kiosk migrates the outbox when it opens it) and refuses to
#     install a bundle whose outbox schema is OLDER than the one the data already has (a downgrade
#     would make the older kiosk misread or rewrite the queue). Nothing is changed when it refuses.
#
# --root DIR installs into a throwaway root instead of / (tests, image building): no packages are
# installed, no service is started, users go to DIR/etc/passwd (systemd-sysusers --root).
# Exit codes: 0 done, 2 usage / missing bundle, 3 downgrade refused, 4 not root, 5 missing tools.
set -euo pipefail

APP=prakerja-kiosk
KIOSK_USER=prakerja-kiosk
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$SCRIPT_DIR")"
PACKAGING="$REPO_DIR/packaging/debian"
BUNDLE="$REPO_DIR/dist/$APP"
ROOT=/
ENROL_CODE=""
API_URL=""
START=1
INSTALL_PACKAGES=1

usage() {
  sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  cat <<'EOF'
Options:
  --bundle DIR      the built bundle (default: dist/prakerja-kiosk next to this script)
  --root DIR        install into DIR instead of / (no packages, no service start)
  --enrol CODE      enrol the device with this one-time code after installing (needs --api)
  --api URL         the central API's base URL for --enrol
  --no-start        install and enable, but do not (re)start the service now
  --no-packages     do not apt-get install cage and the Qt system libraries
  -h, --help        this text
EOF
}

die() {
  local code=$1
  shift
  echo "install-kiosk: $*" >&2
  exit "$code"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) BUNDLE=${2:?--bundle needs a folder}; shift 2 ;;
    --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
    --enrol) ENROL_CODE=${2:?--enrol needs a code}; shift 2 ;;
    --api) API_URL=${2:?--api needs a URL}; shift 2 ;;
    --no-start) START=0; shift ;;
    --no-packages) INSTALL_PACKAGES=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die 2 "unknown option: $1" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die 4 "run as root (sudo $0 ...): it creates a system user and a service"
[ -x "$BUNDLE/$APP" ] || die 2 "no bundle at $BUNDLE (build it with scripts/build_bundle.sh or pass --bundle DIR)"
if [ -n "$ENROL_CODE" ] && [ -z "$API_URL" ]; then die 2 "--enrol needs --api URL"; fi
for tool in systemd-sysusers systemd-tmpfiles systemctl; do
  command -v "$tool" >/dev/null || die 5 "$tool is missing (Debian package systemd)"
done
ROOT="$(cd "$ROOT" && pwd)"
LIVE=0
[ "$ROOT" = / ] && LIVE=1
r() { # path inside the target root
  if [ "$ROOT" = / ]; then echo "$1"; else echo "$ROOT$1"; fi
}

OPT_DIR="$(r /opt/$APP)"
DATA_DIR="$(r /var/lib/$APP)"
SCHEMA_MARK="$DATA_DIR/.outbox-schema"

# ----------------------------------------------------------------------------- version checks
bundle_info() { # the bundle's bundle-info.json (PyInstaller 6 puts datas under _internal/)
  local dir=$1 f
  for f in "$dir/_internal/bundle-info.json" "$dir/bundle-info.json"; do
    [ -f "$f" ] && { cat "$f"; return 0; }
  done
  return 1
}
json_field() { # json_field NAME  (flat JSON from build.spec; no python/jq on a minimal system)
  sed -n "s/.*\"$1\": *\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" | head -n 1
}
sqlite_user_version() { # the outbox's PRAGMA user_version: big-endian 32 bits at offset 60 of the header
  local db=$1
  [ -s "$db" ] || { echo 0; return; }
  od -An -tu1 -j60 -N4 "$db" | awk '{ print ($1 * 16777216) + ($2 * 65536) + ($3 * 256) + $4 }'
}

INFO="$(bundle_info "$BUNDLE")" || die 2 "$BUNDLE has no bundle-info.json: rebuild it with this version's build.spec"
NEW_VERSION="$(echo "$INFO" | json_field version)"
NEW_SCHEMA="$(echo "$INFO" | json_field outbox_schema)"
case "$NEW_SCHEMA" in ''|*[!0-9]*) die 2 "bundle-info.json has no outbox_schema number" ;; esac

OLD_VERSION=""
if [ -d "$OPT_DIR" ] && OLD_INFO="$(bundle_info "$OPT_DIR")"; then
  OLD_VERSION="$(echo "$OLD_INFO" | json_field version)"
fi
DATA_SCHEMA=0
if [ -f "$SCHEMA_MARK" ]; then
  DATA_SCHEMA="$(tr -cd '0-9' <"$SCHEMA_MARK")"
  DATA_SCHEMA=${DATA_SCHEMA:-0}
fi
OUTBOX="$DATA_DIR/data/outbox.sqlite3"
if [ -f "$OUTBOX" ]; then
  FILE_SCHEMA="$(sqlite_user_version "$OUTBOX")"
  [ "$FILE_SCHEMA" -gt "$DATA_SCHEMA" ] && DATA_SCHEMA=$FILE_SCHEMA
fi
if [ "$DATA_SCHEMA" -gt "$NEW_SCHEMA" ]; then
  die 3 "refusing a downgrade: the data in $DATA_DIR has outbox schema $DATA_SCHEMA, this bundle ($NEW_VERSION) only knows schema $NEW_SCHEMA. Install version ${OLD_VERSION:-that wrote it} or newer; nothing was changed."
fi
if [ -n "$OLD_VERSION" ]; then
  echo "== updating $APP $OLD_VERSION -> $NEW_VERSION (outbox schema $DATA_SCHEMA -> $NEW_SCHEMA), data dir kept"
else
  echo "== installing $APP $NEW_VERSION into ${ROOT}"
fi

# ----------------------------------------------------------------------------- packages
if [ "$LIVE" -eq 1 ] && [ "$INSTALL_PACKAGES" -eq 1 ]; then
  echo "== Debian packages: cage and the system libraries Qt needs"
  PKGS=(cage)
  TSV="$BUNDLE/_internal/resources/system/debian-packages.tsv"
  if [ -f "$TSV" ]; then
    # shellcheck disable=SC1091  # the target system's own release file
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
    while read -r entry; do
      case "$entry" in
        '') ;;
        *'|'*) if [ "$codename" = bookworm ]; then PKGS+=("${entry%%|*}"); else PKGS+=("${entry##*|}"); fi ;;
        *) PKGS+=("$entry") ;;
      esac
    done < <(grep -v '^#' "$TSV" | cut -f2 | sort -u)
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PKGS[@]}"
fi
if [ "$LIVE" -eq 1 ]; then
  command -v cage >/dev/null || die 5 "cage is not installed (apt-get install cage)"
fi

# ----------------------------------------------------------------------------- stop a running kiosk
RUNNING=0
if [ "$LIVE" -eq 1 ] && [ -d /run/systemd/system ] && systemctl is-active --quiet "$APP.service"; then
  RUNNING=1
  echo "== stopping $APP.service for the update"
  systemctl stop "$APP.service"
fi

# ----------------------------------------------------------------------------- bundle under /opt
echo "== bundle -> /opt/$APP"
mkdir -p "$(r /opt)"
STAGE="$(r /opt/.$APP.new)"
rm -rf "$STAGE"
cp -a "$BUNDLE" "$STAGE"
chown -R root:root "$STAGE"
chmod -R u+rwX,go+rX,go-w "$STAGE"
if [ -d "$OPT_DIR" ]; then
  rm -rf "$OPT_DIR.previous"
  mv "$OPT_DIR" "$OPT_DIR.previous"
fi
mv "$STAGE" "$OPT_DIR"

# ----------------------------------------------------------------------------- system files
echo "== user, data dir, service and lock-down files"
install -D -m 0644 "$PACKAGING/sysusers.conf" "$(r /usr/lib/sysusers.d/$APP.conf)"
install -D -m 0644 "$PACKAGING/tmpfiles.conf" "$(r /usr/lib/tmpfiles.d/$APP.conf)"
install -D -m 0644 "$PACKAGING/$APP.service" "$(r /etc/systemd/system/$APP.service)"
install -D -m 0644 "$PACKAGING/$APP.pam" "$(r /etc/pam.d/$APP)"
install -D -m 0644 "$PACKAGING/logind.conf" "$(r /etc/systemd/logind.conf.d/$APP.conf)"
install -D -m 0644 "$PACKAGING/system.conf" "$(r /etc/systemd/system.conf.d/$APP.conf)"
install -D -m 0644 "$PACKAGING/sysctl.conf" "$(r /etc/sysctl.d/90-$APP.conf)"
[ -f "$(r /etc/default/$APP)" ] || install -D -m 0644 "$PACKAGING/default.env" "$(r /etc/default/$APP)"
install -D -m 0755 "$SCRIPT_DIR/uninstall-kiosk.sh" "$(r /usr/local/sbin/$APP-uninstall)"
for f in sysusers.conf tmpfiles.conf "$APP.service" "$APP.pam" logind.conf system.conf sysctl.conf default.env; do
  install -D -m 0644 "$PACKAGING/$f" "$(r /usr/local/share/$APP/packaging/$f)"
done

systemd-sysusers --root="$ROOT" "$(r /usr/lib/sysusers.d/$APP.conf)"
systemd-tmpfiles --root="$ROOT" --create "$(r /usr/lib/tmpfiles.d/$APP.conf)"
KIOSK_UID="$(awk -F: -v u="$KIOSK_USER" '$1 == u { print $3 }' "$(r /etc/passwd)")"
KIOSK_GID="$(awk -F: -v u="$KIOSK_USER" '$1 == u { print $4 }' "$(r /etc/passwd)")"
[ -n "$KIOSK_UID" ] || die 5 "systemd-sysusers did not create the $KIOSK_USER user"
# Files written by an older version or restored from a backup: all of it belongs to the kiosk user.
chown -R "$KIOSK_UID:$KIOSK_GID" "$DATA_DIR"
chmod 0700 "$DATA_DIR"
echo "$NEW_SCHEMA" >"$SCHEMA_MARK"
chown "$KIOSK_UID:$KIOSK_GID" "$SCHEMA_MARK"
chmod 0600 "$SCHEMA_MARK"

# Enable at boot, boot into the graphical target, and lock the keys down.
systemctl --root="$ROOT" enable "$APP.service" >/dev/null
systemctl --root="$ROOT" set-default graphical.target >/dev/null
# An existing override (some systems link it to reboot.target in /etc) would make `mask` fail.
CAD="$(r /etc/systemd/system/ctrl-alt-del.target)"
if [ -L "$CAD" ] && [ "$(readlink "$CAD")" != /dev/null ]; then rm -f "$CAD"; fi
systemctl --root="$ROOT" mask ctrl-alt-del.target >/dev/null
# A desktop's display manager would fight the kiosk for tty1 and offer a desktop: switch it off.
if [ -L "$(r /etc/systemd/system/display-manager.service)" ]; then
  rm -f "$(r /etc/systemd/system/display-manager.service)"
  echo "   display manager disabled (the kiosk owns the screen)"
fi

# ----------------------------------------------------------------------------- live system only
if [ "$LIVE" -eq 1 ]; then
  sysctl -q -p "/etc/sysctl.d/90-$APP.conf" >/dev/null 2>&1 || true
  KIOSK_ENV=(env "PRAKERJA_KIOSK_HOME=/var/lib/$APP" QT_QPA_PLATFORM=offscreen)
  if [ -n "$ENROL_CODE" ]; then
    echo "== enrolling this device"
    runuser -u "$KIOSK_USER" -- "${KIOSK_ENV[@]}" "/opt/$APP/$APP" enrol "$ENROL_CODE" --api "$API_URL"
  fi
  echo "== self-test of the installed kiosk (as $KIOSK_USER)"
  runuser -u "$KIOSK_USER" -- "${KIOSK_ENV[@]}" "/opt/$APP/$APP" --self-test || \
    echo "install-kiosk: the self-test reported problems (above); the kiosk is installed anyway" >&2
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    if [ "$START" -eq 1 ] || [ "$RUNNING" -eq 1 ]; then
      systemctl restart "$APP.service"
      echo "== $APP.service started (journalctl -u $APP -f)"
    fi
  fi
fi
echo "== done: $APP $NEW_VERSION in /opt/$APP, data in /var/lib/$APP (0700, $KIOSK_USER)"
