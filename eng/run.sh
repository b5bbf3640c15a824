#!/usr/bin/env bash
# Runs MsaShop on this machine without Docker: real PostgreSQL, Redis and RabbitMQ on loopback ports,
# two catalog replicas, the catalog canary, ordering, payment and the gateway, each its own process.
# Prints the gateway's address, tokens and curl commands; Ctrl-C stops every process it started.
#   bash eng/run.sh [--port N] [--canary-weight N]
#   bash eng/run.sh token <subject> [--role admin]
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh
msashop_ensure_prerequisites

runner_dll=eng/Run/bin/Release/net10.0/MsaShop.Run.dll
# MsaShop.Run builds the services too (build-order references), all in Release. Minting a token needs
# no fresh build once there is one.
if [ "${1:-}" != token ] || [ ! -f "$runner_dll" ]; then
    echo "==> building (Release)" >&2
    mkdir -p artifacts
    if ! dotnet build eng/Run/MsaShop.Run.csproj -c Release -nologo -v quiet -clp:NoSummary > artifacts/run-build.log 2>&1; then
        cat artifacts/run-build.log >&2
        exit 1
    fi
fi

# The runner gets a session of its own, so a terminal's Ctrl-C reaches it alone and it stops every
# service and server in order (the servers themselves would each react to SIGINT at once, RabbitMQ badly).
setsid dotnet "$runner_dll" "$@" &
runner=$!
trap 'kill -TERM "$runner" 2>/dev/null' INT TERM HUP
status=0
wait "$runner" || status=$?
# A trapped signal interrupts `wait` while the runner is still stopping everything: wait for it.
while kill -0 "$runner" 2>/dev/null; do
    status=0
    wait "$runner" || status=$?
done
exit "$status"
