#!/usr/bin/env bash
# Install a real Tryton 6.0 server (Debian 12 "bookworm" packages) with the modules Revgate's
# Tryton connector needs. Idempotent: does nothing when every package is already installed.
# Needs only Debian's apt repositories (no PyPI). See scripts/tryton/NOTES.md.
set -euo pipefail

# python3-psycopg2 is only a Recommends of tryton-server, but the PostgreSQL backend needs it.
# tryton-modules-country comes in as a dependency of party. (SQLite needs nothing more: Python's
# sqlite3 is part of python3.)
PACKAGES=(
  tryton-server
  python3-psycopg2
  tryton-modules-party
  tryton-modules-company
  tryton-modules-currency
  tryton-modules-product
  tryton-modules-account
  tryton-modules-account-invoice
  tryton-modules-account-product
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "tryton: all packages already installed ($(/usr/bin/trytond --version 2>/dev/null))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

echo "tryton: installing ${missing[*]}"
start=$(date +%s)
LOG=$(mktemp /tmp/tryton-apt.XXXXXX.log)
# policy-rc.d in containers denies starting the packaged trytond service ("invoke-rc.d:
# policy-rc.d denied execution of start"); that is expected: start.sh runs its own trytond.
if ! { $SUDO apt-get update -qq &&
       $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
         "${PACKAGES[@]}"; } >"$LOG" 2>&1; then
  tail -n 30 "$LOG" >&2
  echo "tryton: apt-get failed (full log: $LOG)" >&2
  exit 1
fi
rm -f "$LOG"
echo "tryton: installed $(/usr/bin/trytond --version) in $(( $(date +%s) - start ))s"
