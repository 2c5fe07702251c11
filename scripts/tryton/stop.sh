#!/usr/bin/env bash
# Stop the trytond started by scripts/tryton/start.sh [STATE_DIR].
#
#   scripts/tryton/stop.sh [STATE_DIR] [--drop]
#
# --drop (or TRYTON_DROP_DB=1) also drops the database TRYTON_DB (default revgate_tryton), or deletes
# its SQLite file when TRYTON_DB_URI is sqlite://, so the next start.sh rebuilds everything.
set -euo pipefail

DROP="${TRYTON_DROP_DB:-0}"
STATE_DIR=""
for arg in "$@"; do
  case "$arg" in
    --drop) DROP=1 ;;
    *) STATE_DIR="$arg" ;;
  esac
done
STATE_DIR="${STATE_DIR:-${TRYTON_HOME:-/tmp/revgate-tryton}}"
TRYTON_DB="${TRYTON_DB:-revgate_tryton}"
TRYTON_DB_URI="${TRYTON_DB_URI:-postgresql://postgres@127.0.0.1:5432/}"
PIDFILE="$STATE_DIR/trytond.pid"

log() { printf '[tryton] %s\n' "$*"; }

if [ -f "$PIDFILE" ]; then
  pid=$(cat "$PIDFILE")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "trytond $pid ignored SIGTERM for 20s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "trytond $pid stopped"
  else
    log "trytond not running (stale pid file)"
  fi
  rm -f "$PIDFILE"
else
  log "trytond not running (no $PIDFILE)"
fi

if [ "$DROP" = 1 ] && [ "${TRYTON_DB_URI#sqlite}" != "$TRYTON_DB_URI" ]; then
  rm -f "$STATE_DIR/data/$TRYTON_DB.sqlite"
  log "database $TRYTON_DB (SQLite) deleted"
elif [ "$DROP" = 1 ]; then
  # The server must be stopped first: PostgreSQL refuses to drop a database in use.
  if /usr/bin/python3 -c 'import psycopg2' 2>/dev/null; then
    /usr/bin/python3 - "$TRYTON_DB_URI" "$TRYTON_DB" <<'EOF'
import sys, urllib.parse
import psycopg2
uri, db = sys.argv[1:3]
u = urllib.parse.urlsplit(uri)
params = dict(host=u.hostname or None, port=u.port or None,
    user=urllib.parse.unquote(u.username) if u.username else None,
    password=urllib.parse.unquote(u.password) if u.password else None)
conn = psycopg2.connect(dbname='postgres', **{k: v for k, v in params.items() if v is not None})
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute('DROP DATABASE IF EXISTS "%s"' % db.replace('"', '""'))
EOF
  else
    # Tryton not installed (yet): psql takes the same URI as a libpq connection string.
    psql "${TRYTON_DB_URI%/}/postgres" -qAt -c "DROP DATABASE IF EXISTS \"$TRYTON_DB\""
  fi
  log "database $TRYTON_DB dropped"
fi
