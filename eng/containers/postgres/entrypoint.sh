#!/bin/sh
# PostgreSQL from Debian's packages, started the way the official image starts it, as far as Aspire and the
# Kubernetes dev overlay rely on: POSTGRES_USER (default postgres), POSTGRES_PASSWORD, POSTGRES_INITDB_ARGS,
# POSTGRES_HOST_AUTH_METHOD (for connections from outside the container), PGDATA, the scripts in
# /docker-entrypoint-initdb.d (*.sql) run once on a new data directory, and any non-root user id (a pod's
# runAsUser), named through nss_wrapper as the official image names it.
# Arguments are passed on to postgres (e.g. -c max_connections=200).
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
superuser=${POSTGRES_USER:-postgres}

if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

# initdb refuses a user id without a name: give it one, in memory, as the official image does.
if ! getent passwd "$(id -u)" > /dev/null; then
    NSS_WRAPPER_PASSWD=$(mktemp) NSS_WRAPPER_GROUP=$(mktemp)
    echo "postgres:x:$(id -u):$(id -g):PostgreSQL:$PGDATA:/bin/false" > "$NSS_WRAPPER_PASSWD"
    echo "postgres:x:$(id -g):" > "$NSS_WRAPPER_GROUP"
    LD_PRELOAD=$(echo /usr/lib/*/libnss_wrapper.so)
    export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP LD_PRELOAD
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
    initdb --pgdata="$PGDATA" --username="$superuser" --encoding=UTF8 --locale=C.UTF-8 --no-instructions \
        ${pwfile:+--pwfile="$pwfile"} ${POSTGRES_INITDB_ARGS:-}
    [ -z "$pwfile" ] || rm -f "$pwfile"
    printf '\nhost all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
    # The init scripts, on a server that listens on its socket only, so nobody connects before they are done.
    if [ -n "$(ls /docker-entrypoint-initdb.d/*.sql 2>/dev/null)" ]; then
        pg_ctl --pgdata="$PGDATA" --wait --silent -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" start
        for script in /docker-entrypoint-initdb.d/*.sql; do
            echo "running $script"
            psql --host=/var/run/postgresql --username="$superuser" --dbname=postgres --set=ON_ERROR_STOP=1 --quiet --file="$script"
        done
        pg_ctl --pgdata="$PGDATA" --wait --silent --mode=fast stop
    fi
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
