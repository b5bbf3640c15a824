#!/bin/sh
# PostgreSQL from Debian's packages, started the way the official image starts it, as far as Aspire
# relies on: POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_INITDB_ARGS,
# POSTGRES_HOST_AUTH_METHOD (for connections from outside the container) and PGDATA.
# Arguments are passed on to postgres (e.g. -c max_connections=200).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
        echo "error: POSTGRES_PASSWORD is required (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
    [ -n "${POSTGRES_PASSWORD:-}" ] || pwfile=
    # POSTGRES_INITDB_ARGS is a list of options split on spaces, as in the official image.
    # shellcheck disable=SC2086
    initdb --pgdata="$PGDATA" --username="${POSTGRES_USER:-postgres}" --encoding=UTF8 --locale=C.UTF-8 --no-instructions \
        ${pwfile:+--pwfile="$pwfile"} ${POSTGRES_INITDB_ARGS:-}
    [ -z "$pwfile" ] || rm -f "$pwfile"
    printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
