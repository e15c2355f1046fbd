#!/usr/bin/env bash
# Removes the Prakerja kiosk that scripts/install-kiosk.sh installed (installed copy:
# /usr/local/sbin/prakerja-kiosk-uninstall).
#
#   sudo prakerja-kiosk-uninstall            # program, service and lock-down removed; DATA KEPT
#   sudo prakerja-kiosk-uninstall --purge    # also the data dir (outbox!) and the kiosk user
#
# Why the data stays by default: /var/lib/prakerja-kiosk holds the outbox of sealed registrations
# that may not have reached the central API yet, and the device identity. Export what is unsent
# first (prakerja-kiosk export --to FILE, or the console's USB export). --purge refuses while the
# outbox still has unsent registrations unless --discard-unsent is also given.
# --root DIR works on a throwaway root like install-kiosk.sh. Exit codes: 0 done, 2 usage,
# 3 unsent registrations would be lost, 4 not root.
set -euo pipefail

APP=prakerja-kiosk
KIOSK_USER=prakerja-kiosk
ROOT=/
PURGE=0
DISCARD=0

while [ $# -gt 0 ]; do
  case "$1" in
    --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
    --purge) PURGE=1; shift ;;
    --discard-unsent) DISCARD=1; shift ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall-kiosk: unknown option: $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "uninstall-kiosk: run as root" >&2; exit 4; }
ROOT="$(cd "$ROOT" && pwd)"
r() { if [ "$ROOT" = / ]; then echo "$1"; else echo "$ROOT$1"; fi; }
LIVE=0
[ "$ROOT" = / ] && LIVE=1
DATA_DIR="$(r /var/lib/$APP)"

unsent_count() { # every state but delivered, from the installed kiosk's own `status` ("by state:" line)
  if [ "$LIVE" -ne 1 ] || [ ! -x "/opt/$APP/$APP" ] || [ ! -f "$DATA_DIR/data/outbox.sqlite3" ]; then
    echo 0
    return
  fi
  runuser -u "$KIOSK_USER" -- env "PRAKERJA_KIOSK_HOME=/var/lib/$APP" "/opt/$APP/$APP" status 2>/dev/null |
    awk -F'[:,]' '/^by state:/ { n = 0; for (i = 2; i <= NF; i++) { split($i, kv, "=");
      gsub(/ /, "", kv[1]); if (kv[1] != "delivered") n += kv[2] } print n }'
}

if [ "$PURGE" -eq 1 ] && [ "$DISCARD" -eq 0 ]; then
  unsent="$(unsent_count)"
  if [ "${unsent:-0}" -gt 0 ]; then
    echo "uninstall-kiosk: $unsent registrations are not delivered yet; export them first" \
      "(prakerja-kiosk export --to FILE) or add --discard-unsent. Nothing was removed." >&2
    exit 3
  fi
fi

if [ "$LIVE" -eq 1 ] && [ -d /run/systemd/system ]; then
  systemctl stop "$APP.service" 2>/dev/null || true
fi
systemctl --root="$ROOT" disable "$APP.service" >/dev/null 2>&1 || true
systemctl --root="$ROOT" unmask ctrl-alt-del.target >/dev/null 2>&1 || true
rm -f "$(r /etc/systemd/system/$APP.service)" "$(r /etc/pam.d/$APP)" \
  "$(r /etc/systemd/logind.conf.d/$APP.conf)" "$(r /etc/systemd/system.conf.d/$APP.conf)" \
  "$(r /etc/sysctl.d/90-$APP.conf)" "$(r /usr/lib/tmpfiles.d/$APP.conf)"
rm -rf "$(r /opt/$APP)" "$(r /opt/$APP.previous)" "$(r /usr/local/share/$APP)"
echo "== program, service and lock-down removed"

if [ "$PURGE" -eq 1 ]; then
  rm -rf "$DATA_DIR"
  rm -f "$(r /etc/default/$APP)" "$(r /usr/lib/sysusers.d/$APP.conf)"
  for db in passwd group shadow gshadow; do
    f="$(r /etc/$db)"
    [ -f "$f" ] && sed -i "/^$KIOSK_USER:/d" "$f"
  done
  echo "== data dir $DATA_DIR and user $KIOSK_USER removed (--purge)"
else
  echo "== data kept in $DATA_DIR (outbox, device identity, audit log); remove it with --purge"
fi
rm -f "$(r /usr/local/sbin/$APP-uninstall)"
if [ "$LIVE" -eq 1 ] && [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
