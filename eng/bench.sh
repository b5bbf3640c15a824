#!/usr/bin/env bash
# MsaShop's benchmarks, one command: the shop as deployed (its services as processes in Production, on real
# PostgreSQL, Redis and RabbitMQ, no Aspire proxies) measured side by side with bare Kestrel and nginx for cached
# reads (wrk), the order saga at fixed open-loop rates with the ledger check, cold start, memory and log volume;
# then the catalog's Redis-vs-PostgreSQL reads. Prints Markdown tables with ratios and the targets;
# docs/benchmarks.md records a run.
#   bash eng/bench.sh            everything: about 10 minutes by its settings
#   bash eng/bench.sh --quick    fewer and shorter rounds, two saga rates, no micro-benchmarks: 4-6 minutes here
#   bash eng/bench.sh shop       only the shop as deployed, until Ctrl-C, to drive with bench/MsaShop.LoadGenerator
#   bash eng/bench.sh --help     this text
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib/help.sh; msashop_help "$0" "$@"
source eng/lib/prerequisites.sh
msashop_ensure_prerequisites servers
# Debian's nginx (the reference proxy) and wrk (the HTTP load), when missing.
missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
msashop_apt_install "${missing[@]}"

echo "==> building (Release)" >&2
mkdir -p artifacts
for project in bench/MsaShop.Benchmarks bench/MsaShop.LoadGenerator; do
    if ! dotnet build "$project" -c Release -nologo -v quiet -clp:NoSummary > artifacts/bench-build.log 2>&1; then
        cat artifacts/bench-build.log >&2
        exit 1
    fi
done

# The services run as the images hold them: published, ReadyToRun (precompiled, so the first requests do not wait on
# the JIT); with --services-from, as that checkout built them. dotnet publish skips what is up to date.
if [[ " $* " != *" --services-from "* ]]; then
    echo "==> publishing the services (ReadyToRun)" >&2
    services=artifacts/bench/services
    for project in services/Catalog/MsaShop.Catalog services/Ordering/MsaShop.Ordering services/Payment/MsaShop.Payment \
                   gateway/MsaShop.Gateway; do
        if ! dotnet publish "$project.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
                -o "$services/$(basename "$project")" -nologo -v quiet -clp:NoSummary > artifacts/bench-publish.log 2>&1; then
            cat artifacts/bench-publish.log >&2
            exit 1
        fi
    done
    export MSASHOP_PUBLISHED_SERVICES=$PWD/$services
fi

postgres=$(compgen -G "/usr/lib/postgresql/*/bin/postgres" | sort -V | tail -n 1 || true)
rabbitmq=$(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || true)
echo "servers: $("${postgres:-postgres}" --version), $(redis-server --version | cut -d' ' -f1-3), RabbitMQ $rabbitmq," \
     "$(nginx -v 2>&1 | cut -d' ' -f3); $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
exec dotnet bench/MsaShop.Benchmarks/bin/Release/net10.0/MsaShop.Benchmarks.dll "$@"
