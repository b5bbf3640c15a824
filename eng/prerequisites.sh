# Sourced by eng/test.sh and eng/run.sh: makes sure the servers MsaShop runs locally are installed.
# PostgreSQL, Redis and RabbitMQ come from Debian's packages; they are started per run by
# MsaShop.LocalInfrastructure, never as system services.

msashop_missing_packages() {
    local missing=()
    if ! { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; } \
        || { [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; }; then
        missing+=(postgresql)   # as root, PostgreSQL runs as its own user, which the package creates
    fi
    command -v redis-server >/dev/null || missing+=(redis-server)
    [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
    echo "${missing[@]}"
}

msashop_ensure_prerequisites() {
    if ! command -v dotnet >/dev/null; then
        echo "error: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
        return 1
    fi
    local missing
    missing=$(msashop_missing_packages)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing Debian packages: $missing" >&2
        echo "install them with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
        return 1
    fi
    echo "==> installing $missing (Debian packages)" >&2
    # policy-rc.d 101 keeps the package scripts from starting system-wide servers: we start our own.
    local policy=/usr/sbin/policy-rc.d had_policy=0
    [ -e "$policy" ] && had_policy=1
    [ "$had_policy" -eq 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
    local rc=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; } >&2 || rc=$?
    [ "$had_policy" -eq 1 ] || rm -f "$policy"
    return $rc
}
