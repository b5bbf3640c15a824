#!/usr/bin/env bash
# Measures MsaShop's speed claims against real PostgreSQL and Redis processes (no RabbitMQ needed) and
# prints Markdown tables with the ratios; docs/benchmarks.md records a run. About 1.5 minutes on 2 cores.
#   bash bench/run.sh
#   bash bench/run.sh --help   this text
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/help.sh; msashop_help "$0" "$@"
source eng/prerequisites.sh
msashop_ensure_prerequisites servers

echo "==> building (Release)" >&2
mkdir -p artifacts
if ! dotnet build bench/MsaShop.Benchmarks/MsaShop.Benchmarks.csproj -c Release -nologo -v quiet -clp:NoSummary > artifacts/bench-build.log 2>&1; then
    cat artifacts/bench-build.log >&2
    exit 1
fi

postgres=$(compgen -G "/usr/lib/postgresql/*/bin/postgres" | sort -V | tail -n 1 || true)
echo "servers: $("${postgres:-postgres}" --version), $(redis-server --version | cut -d' ' -f1-3); load average $(cut -d" " -f1-3 /proc/loadavg)"
exec dotnet bench/MsaShop.Benchmarks/bin/Release/net10.0/MsaShop.Benchmarks.dll
