#!/usr/bin/env bash
# Runs MsaShop under Aspire: the AppHost starts DCP, the dashboard, PostgreSQL, Redis and RabbitMQ in
# containers, two catalog replicas, the catalog canary, ordering, payment and the gateway.
#   bash eng/run.sh                                  the shop, until Ctrl-C (or SIGTERM)
#   bash eng/run.sh token <subject> [--role admin]   a development JWT the running shop accepts
#   bash eng/run.sh reset                            removes PostgreSQL, Redis and RabbitMQ with their data: the next
#                                                    start initialises them anew (they outlive the shop otherwise)
#   bash eng/run.sh --help                           this text
# The storefront is the gateway's page (http://localhost:5080/); in Development it signs customers in itself.
# The AppHost runs with its http launch profile (docs/local-run.md says why) and replaces this script's
# process: the PID that Ctrl-C, SIGTERM or SIGKILL reaches is the AppHost's, and DCP, which watches that
# PID, stops every service when it ends, however it ends. The backing services' containers stay, with their
# data, for the next start; `reset` removes them. A second start with nothing changed builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib/help.sh; msashop_help "$0" "$@"
source eng/lib/prerequisites.sh

configuration=Release
tokens_dll=eng/DevTokens/bin/$configuration/net10.0/MsaShop.DevTokens.dll
apphost=bin/$configuration/net10.0/MsaShop.AppHost
profile=http
# When the command ran: the announcement says how long the shop took to serve.
launched=$EPOCHREALTIME

build() {
    echo "==> building $* ($configuration)" >&2
    mkdir -p artifacts
    local project
    for project in "$@"; do
        if ! dotnet build "$project" -c "$configuration" -nologo -v quiet -clp:NoSummary > artifacts/run-build.log 2>&1; then
            cat artifacts/run-build.log >&2
            exit 1
        fi
    done
}

# The last successful build of the shop; a start with nothing changed since (no file, and no folder, whose entries
# changed) skips MSBuild altogether: its up-to-date check alone costs more than the rest of a second start.
build_stamp=artifacts/run-build.stamp
changed_since_build() {
    [ -f "$build_stamp" ] && [ -x "AppHost/$apphost" ] && [ -f "$tokens_dll" ] || return 0
    [ -n "$(find . \( -name bin -o -name obj -o -name artifacts -o -name .git -o -name .vs -o -name .idea -o -name docs \) -prune \
                -o ! -name '*.md' -newer "$build_stamp" -print -quit)" ]
}

# Aspire names the persistent containers, their volumes and their network after the AppHost's project path (lower
# case, SHA-256): the first $1 hexadecimal digits.
apphost_hash() {
    printf %s "$PWD/AppHost/MsaShop.AppHost.csproj" | tr '[:upper:]' '[:lower:]' | sha256sum | cut -c1-"$1"
}

# PostgreSQL, Redis and RabbitMQ kept between runs: their containers, volumes and network. (`aspire stop --volumes`
# says it cleans them up, and leaves them all.)
remove_persistent_services() {
    local runtime=$ASPIRE_CONTAINER_RUNTIME short long
    short=$(apphost_hash 8) long=$(apphost_hash 10)
    "$runtime" ps -a --filter label=com.microsoft.developer.usvc-dev.persistent=true --format '{{.Names}}' \
        | grep -E -- "-$short\$" | xargs -r "$runtime" rm -f > /dev/null
    "$runtime" volume ls -q | grep -E "^msashop\.apphost-$long-" | xargs -r "$runtime" volume rm > /dev/null
    "$runtime" network ls --format '{{.Name}}' | grep -Fx "aspire-persistent-network-$short-MsaShop" \
        | xargs -r "$runtime" network rm > /dev/null
    echo "==> PostgreSQL, Redis and RabbitMQ removed with their data: the next start initialises them anew" >&2
}

# Podman 4.3 (Debian bookworm): at start-up DCP force-removes every network it created in a run that has ended, the
# persistent containers' network too, which takes the bridge from under the running containers and leaves them
# unreachable. A network without DCP's creator label is left alone and re-used: this makes it one, once.
keep_persistent_network() {
    [ "$ASPIRE_CONTAINER_RUNTIME" = podman ] && [ "${MSASHOP_CONTAINER_LIFETIME:-persistent}" = persistent ] || return 0
    local hash network containers name
    hash=$(apphost_hash 8)
    network=aspire-persistent-network-$hash-MsaShop
    if podman network exists "$network"; then
        [ -n "$(podman network inspect "$network" --format '{{index .Labels "com.microsoft.developer.usvc-dev.creatorProcessId"}}')" ] \
            || return 0
        containers=$(podman ps --filter "network=$network" --format '{{.Names}}')
        for name in $containers; do podman network disconnect "$network" "$name" > /dev/null; done
        podman network rm "$network" > /dev/null
    fi
    podman network create --label com.microsoft.developer.usvc-dev.persistent=true "$network" > /dev/null
    # The aliases DCP gives them: the resource's name, and the same under .dev.internal.
    for name in ${containers:-}; do
        podman network connect --alias "${name%-$hash}" --alias "${name%-$hash}.dev.internal" "$network" "$name"
    done
}

if [ "${1:-}" = token ]; then
    shift
    msashop_ensure_prerequisites
    [ -f "$tokens_dll" ] || build eng/DevTokens
    exec dotnet "$tokens_dll" "$@"
fi

msashop_ensure_prerequisites
msashop_ensure_aspire_cli
msashop_ensure_container_runtime
if [ "${1:-}" = reset ]; then
    # The Aspire CLI stops the AppHost if it runs; what it keeps between runs goes next.
    dotnet aspire stop --non-interactive --nologo > /dev/null 2>&1 || true
    remove_persistent_services
    exit 0
fi
msashop_choose_container_images
# MsaShop's own images, where they are needed and missing, build while the projects do.
msashop_build_container_images &
images=$!
if changed_since_build; then
    started=$(date +%s)
    build AppHost eng/DevTokens
    # The stamp takes the time the build started: a file saved during the build is newer, and is built next time.
    touch -d "@$started" "$build_stamp"
else
    echo "==> nothing changed since the last build (remove $build_stamp to build anyway)" >&2
fi
wait "$images"
keep_persistent_network

# What `dotnet run --launch-profile http` would set, read from the AppHost's launch settings.
launch_settings=AppHost/Properties/launchSettings.json
while IFS= read -r variable; do
    export "${variable?}"
done < <(jq -r --arg p "$profile" '.profiles[$p].environmentVariables | to_entries[] | "\(.key)=\(.value)"' "$launch_settings")
export DOTNET_LAUNCH_PROFILE=$profile
ASPNETCORE_URLS=$(jq -r --arg p "$profile" '.profiles[$p].applicationUrl' "$launch_settings")
export ASPNETCORE_URLS
# The dashboard's login token, chosen here so that the login URL can be printed with the rest.
ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN
dashboard="${ASPNETCORE_URLS%%;*}/login?t=$ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN"
# A service's port comes from its own launch profile; DCP listens there, on localhost.
port_of() { jq -r '.profiles.http.applicationUrl' "$1/Properties/launchSettings.json" | sed -E 's/.*:([0-9]+).*/\1/'; }
gateway=http://localhost:$(port_of gateway)
# Services start side by side, none waiting for another: the shop is up when ordering and payment (behind no route,
# but an order needs it) are healthy and the catalog answers through the gateway.
service_health=(http://localhost:$(port_of services/Ordering)/health http://localhost:$(port_of services/Payment)/health)

customer_token=$(dotnet "$tokens_dll" alice)
admin_token=$(dotnet "$tokens_dll" admin --role admin)

# Once ordering and payment are healthy and the catalog answers through the gateway, print how to use the shop.
# Detached (the AppHost is not its parent), it ends by itself: when it has printed, or when the AppHost
# ($$ after exec) is gone.
announce() {
    local apphost_pid=$1 deadline=$((SECONDS + 600)) product
    until curl -sf -o /dev/null "${service_health[0]}" && curl -sf -o /dev/null "${service_health[1]}" \
            && product=$(curl -sf "$gateway/api/catalog/items?pageSize=1" | jq -r '.items[0].id // 1'); do
        kill -0 "$apphost_pid" 2>/dev/null && [ $SECONDS -lt $deadline ] || return 0
        sleep 1
    done
    cat <<INSTRUCTIONS

================================================================================
MsaShop is running under Aspire, serving $(awk -v from="$launched" -v to="$EPOCHREALTIME" 'BEGIN { printf "%.1f", to - from }') s
after the command. Ctrl-C stops it; PostgreSQL, Redis and RabbitMQ stay,
with their data, for the next start (bash eng/run.sh reset removes them).

  Dashboard:  $dashboard
              (RabbitMQ's management UI: the messaging resource's link; user guest, its password there too)
  Gateway:    $gateway   (the only public entry point)
  Storefront: $gateway/  (sign in as a development customer, order, watch the saga)
  API docs:   $gateway/scalar/   (catalog's and ordering's OpenAPI documents)

Paste into another terminal (customer "alice" and an admin, valid one hour;
more with: bash eng/run.sh token <subject> [--role admin]):

  export GATEWAY=$gateway
  export CUSTOMER_TOKEN=$customer_token
  export ADMIN_TOKEN=$admin_token

  curl -s "\$GATEWAY/api/catalog/items?pageSize=5"
  curl -si -X POST "\$GATEWAY/api/orders" -H "Authorization: Bearer \$CUSTOMER_TOKEN" \\
       -H 'Content-Type: application/json' -H "Idempotency-Key: \$(cat /proc/sys/kernel/random/uuid)" \\
       -d '{"items":[{"productId":$product,"quantity":2}],"paymentToken":"tok_visa"}'
  curl -s "\$GATEWAY/api/orders" -H "Authorization: Bearer \$CUSTOMER_TOKEN"   # Submitted ... Completed

The Aspire CLI (the repository's local tool) sees this shop too:
  dotnet aspire ps;  dotnet aspire describe messaging;  dotnet aspire logs ordering -f;  dotnet aspire stop
================================================================================
INSTRUCTIONS
}
( announce $$ & )

echo "==> starting the AppHost (container runtime $ASPIRE_CONTAINER_RUNTIME," \
     "images: ${MSASHOP_CONTAINER_IMAGES:-the defaults of Aspire})" >&2
# From its project folder, as `dotnet run` starts it: its appsettings.json is read from there.
cd AppHost
exec "$apphost"
