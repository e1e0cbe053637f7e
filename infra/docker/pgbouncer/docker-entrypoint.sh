#!/bin/sh
# PgBouncer in front of PostgreSQL with SCRAM auth: writes the auth file and the config from the
# environment at start, so no password is ever baked into the image or committed.
#   DATABASE_URL=postgresql://user:password@host:port/db   (Render's fromDatabase connectionString)
#   or DB_HOST, DB_PORT (5432), DB_USER, DB_PASSWORD.
# Clients log in to PgBouncer with the same user and password as the database's.
set -eu

if [ -n "${DATABASE_URL:-}" ]; then
    rest="${DATABASE_URL#*://}"
    credentials="${rest%%@*}"
    rest="${rest#*@}"
    hostport="${rest%%/*}"
    DB_USER="${credentials%%:*}"
    DB_PASSWORD="${credentials#*:}"
    DB_HOST="${hostport%%:*}"
    if [ "$hostport" != "$DB_HOST" ]; then DB_PORT="${hostport##*:}"; fi
fi
: "${DB_HOST:?set DB_HOST or DATABASE_URL}"
: "${DB_USER:?set DB_USER or DATABASE_URL}"
: "${DB_PASSWORD:?set DB_PASSWORD or DATABASE_URL}"

dir="${PGBOUNCER_RUN_DIR:-/run/pgbouncer-docfleet}"
umask 077
# userlist.txt quotes names and passwords; a double quote inside is written twice.
printf '"%s" "%s"\n' "$(printf %s "$DB_USER" | sed 's/"/""/g')" \
    "$(printf %s "$DB_PASSWORD" | sed 's/"/""/g')" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=${DB_HOST} port=${DB_PORT:-5432}

[pgbouncer]
listen_addr = ${LISTEN_ADDR:-0.0.0.0}
listen_port = ${LISTEN_PORT:-6432}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${dir}/userlist.txt
pool_mode = ${POOL_MODE:-session}
max_client_conn = ${MAX_CLIENT_CONN:-500}
default_pool_size = ${DEFAULT_POOL_SIZE:-40}
max_db_connections = ${MAX_DB_CONNECTIONS:-90}
server_tls_sslmode = ${SERVER_TLS_SSLMODE:-prefer}
ignore_startup_parameters = extra_float_digits
stats_users = ${DB_USER}
INI
exec pgbouncer "$dir/pgbouncer.ini"
