#!/usr/bin/env bash
# Chaos under load (docs/reliability.md): runs the shop as deployed on this machine (PostgreSQL, Redis and RabbitMQ
# from Debian's packages, the services as processes in Production), drives steady open-loop load through the
# gateway and, one scenario at a time, kills, restarts or slows a piece of it, then checks the books: no accepted
# order lost, stuck or charged twice. About 10-12 minutes on two busy cores.
#   bash eng/chaos.sh                     every scenario
#   bash eng/chaos.sh redis ordering      only those (names: see docs/reliability.md)
#   bash eng/chaos.sh --help              this text
# Last line: "N passed, N failed" (one per scenario). Every process it starts is stopped, also when it is
# interrupted (SIGINT, SIGTERM) or killed (a reaper outlives it and stops the rest).
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib/help.sh; msashop_help "$0" "$@"
source eng/lib/prerequisites.sh
msashop_ensure_prerequisites servers

echo "==> building the chaos runner and the services (Release)"
mkdir -p artifacts
if ! dotnet build tests/MsaShop.Chaos/MsaShop.Chaos.csproj -c Release -nologo -v quiet -clp:NoSummary > artifacts/chaos-build.log 2>&1; then
    cat artifacts/chaos-build.log >&2
    echo "0 passed, 1 failed"
    exit 1
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The runner replaces this shell: a signal sent to this script's PID reaches it.
exec dotnet tests/MsaShop.Chaos/bin/Release/net10.0/MsaShop.Chaos.dll "$@"
