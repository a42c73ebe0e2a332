# Sourced by scripts/postgres-sweep-test.sh and scripts/slurm-sweep-demo.sh: a throw-away PostgreSQL server.
#
#   source scripts/lib/throwaway-postgres.sh
#   pg_start            # sets PG_DIR, PG_PORT, PG_URI, INITLAB_TEST_POSTGRES; registers pg_stop for exit
#   ...                 # use "$PG_URI" (database 'sweeps') or "$INITLAB_TEST_POSTGRES" (database 'postgres', for the tests)
#
# Debian's PostgreSQL (initdb + pg_ctl from /usr/lib/postgresql/<version>/bin) runs from a private temporary directory,
# listening only on a Unix socket inside that directory (no TCP, so the port is private too and never collides), with
# trust authentication and durability off (fsync) since everything is deleted on exit. PostgreSQL refuses to run as
# root, so as root the server runs as the 'postgres' user (or 'nobody') via runuser; the client connects as role
# 'initlab' either way.

pg_find_bin() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

# Runs a command as the server's user: itself when not root, else postgres/nobody.
pg_as_owner() {
  if [ -n "${PG_OWNER:-}" ]; then
    runuser -u "$PG_OWNER" -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  PG_BIN=$(pg_find_bin) || { echo "throwaway-postgres: no PostgreSQL found under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2; return 1; }
  PG_OWNER=""
  if [ "$(id -u)" -eq 0 ]; then
    if id postgres >/dev/null 2>&1; then PG_OWNER=postgres; else PG_OWNER=nobody; fi
  fi
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/initlab-pg.XXXXXX")
  # The socket path must stay under ~107 bytes: keep PG_DIR short (mktemp under /tmp is).
  [ -n "$PG_OWNER" ] && chown "$PG_OWNER" "$PG_DIR"
  chmod 700 "$PG_DIR"
  # Any port number works: with listen_addresses='' it only names the socket file ".s.PGSQL.<port>" in PG_DIR.
  PG_PORT=$(( 20000 + RANDOM % 40000 ))
  trap pg_stop EXIT
  if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U initlab -E UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1; then
    echo "throwaway-postgres: initdb failed:" >&2
    cat "$PG_DIR/initdb.log" >&2
    return 1
  fi
  if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-k $PG_DIR -p $PG_PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
    echo "throwaway-postgres: the server did not start:" >&2
    cat "$PG_DIR/server.log" >&2
    return 1
  fi
  "$PG_BIN/psql" -q -h "$PG_DIR" -p "$PG_PORT" -U initlab -d postgres -c "CREATE DATABASE sweeps" >/dev/null
  export PG_DIR PG_PORT PG_BIN
  # libpq URI form, socket directory percent-encoded in the host part.
  PG_URI="postgresql://initlab@$(printf '%s' "$PG_DIR" | sed 's|/|%2F|g'):$PG_PORT/sweeps"
  export PG_URI
  export INITLAB_TEST_POSTGRES="Host=$PG_DIR;Port=$PG_PORT;Username=initlab;Database=postgres"
  echo "throwaway-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on socket $PG_DIR/.s.PGSQL.$PG_PORT"
}

# Runs SQL against the sweeps database and prints the unaligned result.
pg_sql() {
  "$PG_BIN/psql" -X -q -A -t -h "$PG_DIR" -p "$PG_PORT" -U initlab -d sweeps -c "$1"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
