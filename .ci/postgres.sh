#!/usr/bin/env bash
# Install (Debian packages) and start a throwaway PostgreSQL cluster on a loopback port for
# the tests that need one. Prints, as its last line, the URL to export as SAM_COWBOY_TEST_PG:
#   export SAM_COWBOY_TEST_PG="$(bash .ci/postgres.sh | tail -n 1)"
# Idempotent: a cluster already running in $PGDIR is reused. Needs root for apt-get (CI is
# root); the server itself runs as the `postgres` user (initdb refuses root).
set -euo pipefail
PORT="${SAM_COWBOY_PG_PORT:-54329}"
PGDIR="${SAM_COWBOY_PG_DIR:-/tmp/sam-cowboy-pg}"
SOCKDIR="${PGDIR}-sock"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(bindir)"
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
mkdir -p "$PGDIR" "$SOCKDIR"
chown postgres "$PGDIR" "$SOCKDIR"
if [ ! -f "$PGDIR/PG_VERSION" ]; then
  su postgres -s /bin/sh -c "'$BIN/initdb' -D '$PGDIR' -U postgres --auth=trust -E UTF8 --no-locale" >&2
fi
if ! su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$PGDIR' status" >/dev/null 2>&1; then
  # max_connections: generous for tests that open many stores at once (each workshop
  # server itself holds two connections: its store and its LISTEN).
  su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$PGDIR' -w -t 60 -l '$PGDIR.log' \
      -o \"-p $PORT -k '$SOCKDIR' -c listen_addresses=127.0.0.1 -c max_connections=400 \
      -c fsync=off -c synchronous_commit=off -c shared_buffers=64MB\" start" >&2
fi
for _ in $(seq 1 50); do
  "$BIN/pg_isready" -h 127.0.0.1 -p "$PORT" -q && break
  sleep 0.2
done
su postgres -s /bin/sh -c "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \
  \"SELECT 1 FROM pg_database WHERE datname='sam_cowboy_test'\"" | grep -q 1 ||
  su postgres -s /bin/sh -c "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres sam_cowboy_test" >&2
echo "postgresql://postgres@127.0.0.1:${PORT}/sam_cowboy_test"
