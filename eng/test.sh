#!/usr/bin/env bash
# Builds every project that can be restored here and runs every test project against real
# PostgreSQL, Redis and RabbitMQ processes. Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh
msashop_ensure_prerequisites

results=artifacts/test-results
rm -rf "$results"; mkdir -p "$results"
# MsaShop.LocalInfrastructure logs "pid start-time name" of every process it starts here.
export MSASHOP_INFRA_PIDLOG="$PWD/$results/started-processes.log"
: > "$MSASHOP_INFRA_PIDLOG"

# Aspire (AppHost and its tests) restores only where the Aspire packages are reachable.
mapfile -t projects < <(dotnet sln MsaShop.sln list | grep '\.csproj$')
aspire=(); others=()
for p in "${projects[@]}"; do
    case "$p" in AppHost/*|tests/MsaShop.AppHost.Tests/*) aspire+=("$p") ;; *) others+=("$p") ;; esac
done
if dotnet restore "${aspire[0]}" >"$results/aspire-restore.log" 2>&1; then
    others+=("${aspire[@]}")
else
    echo "################################################################################"
    echo "# LEFT OUT: ${aspire[*]}"
    echo "# Aspire 13.5 cannot be restored from this machine's package feed"
    echo "# (see $results/aspire-restore.log). Everything else is built and tested."
    echo "################################################################################"
fi

# One solution filter with everything buildable, built once.
filter="$results/MsaShop.buildable.slnf"
{
    echo '{ "solution": { "path": "../../MsaShop.sln", "projects": ['
    printf '  "%s",\n' "${others[@]}" | sed '$ s/,$//'
    echo '] } }'
} > "$filter"
dotnet build "$filter" -c Release -nologo -v quiet -clp:NoSummary

passed=0; failed=0; broken=()
for p in "${others[@]}"; do
    case "$p" in *.Tests.csproj) ;; *) continue ;; esac
    name=$(basename "$p" .csproj)
    echo "==> $name"
    if ! dotnet test "$p" -c Release --no-build --nologo \
            --blame-hang-timeout 5m \
            --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
            --results-directory "$results"; then
        broken+=("$name")
    fi
    trx="$results/$name.trx"
    if [ -f "$trx" ]; then
        counters=$(grep -o '<Counters [^>]*>' "$trx")
        p_count=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
        f_count=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
        passed=$((passed + p_count)); failed=$((failed + f_count))
    else
        broken+=("$name(no results)")
    fi
done

# Every process a test started must be gone. The reapers get a moment to act for a test host that died.
sleep 2
leftovers=()
while read -r pid started name; do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    [ "$(sed 's/.*) //' <<<"$stat" | cut -d' ' -f20)" = "$started" ] && leftovers+=("$pid:$name")
done < "$MSASHOP_INFRA_PIDLOG"
if [ ${#leftovers[@]} -gt 0 ]; then
    echo "error: processes left behind: ${leftovers[*]}" >&2
    for entry in "${leftovers[@]}"; do kill -KILL "${entry%%:*}" 2>/dev/null || true; done
    broken+=("leftover-processes")
else
    echo "$(wc -l < "$MSASHOP_INFRA_PIDLOG") server and service processes started by the tests; none left behind"
fi

[ ${#broken[@]} -eq 0 ] || echo "test runs that failed: ${broken[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ ${#broken[@]} -eq 0 ]
