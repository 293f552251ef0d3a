#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the metadata store tests, without touching the
# system's default cluster, and prints the JDBC URL for them as its last line on stdout:
#
#   REELBOX_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:55432/reelbox?user=reelbox&password=reelbox
#
# Idempotent: a second run finds the cluster initialised and running, the role and database
# present, and only prints the URL again. Progress goes to stderr so that callers can take the
# URL with `eval "$(.ci/start-postgres.sh | tail -n 1)"` or `... | tail -n 1 >> env-file`.
#
# Environment: PGTEST_DIR (default /tmp/pgtest), PGTEST_PORT (default 55432).
set -euo pipefail

dir="${PGTEST_DIR:-/tmp/pgtest}"
port="${PGTEST_PORT:-55432}"
data="$dir/data"

log() { echo "start-postgres: $*" >&2; }

# The newest installed server, whatever its major version (Debian: /usr/lib/postgresql/N/bin).
find_bin() {
  local candidate best=""
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] || continue
    if [ -z "$best" ] || [ "$(basename "$(dirname "$candidate")")" -gt "$(basename "$(dirname "$best")")" ] 2>/dev/null; then
      best="$candidate"
    fi
  done
  echo "$best"
}

bin="$(find_bin)"
if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin and not root: install the 'postgresql' package"
    exit 1
  fi
  log "installing PostgreSQL server (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # The package's postinst may create and start a default cluster on port 5432; it is left
  # alone: this script only ever touches its own cluster under $dir.
  apt-get install -y -qq postgresql >&2
  bin="$(find_bin)"
  [ -n "$bin" ] || { log "PostgreSQL installed but no server binaries found"; exit 1; }
fi
log "using $bin"

# initdb and postgres refuse to run as root: run them as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; fi

if [ ! -s "$data/PG_VERSION" ]; then
  log "initdb $data"
  as_pg "'$bin/initdb' -D '$data' -A trust -U postgres" >&2
fi

if as_pg "'$bin/pg_ctl' -D '$data' status" >/dev/null 2>&1; then
  log "already running on port $port"
else
  log "starting on 127.0.0.1:$port"
  as_pg "'$bin/pg_ctl' -D '$data' -o '-p $port -k $dir -c listen_addresses=127.0.0.1' -l '$dir/log' -w -t 60 start" >&2
fi

psql_admin() {
  psql -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

for _ in $(seq 1 30); do
  psql_admin -d postgres -c 'SELECT 1' >/dev/null 2>&1 && break
  sleep 1
done

if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'reelbox'")" != "1" ]; then
  log "creating role reelbox"
  psql_admin -d postgres -c "CREATE ROLE reelbox LOGIN PASSWORD 'reelbox'" >&2
fi
if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'reelbox'")" != "1" ]; then
  log "creating database reelbox"
  psql_admin -d postgres -c "CREATE DATABASE reelbox OWNER reelbox" >&2
fi

echo "REELBOX_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/reelbox?user=reelbox&password=reelbox"
