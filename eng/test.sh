#!/usr/bin/env bash
# Builds every project that can be restored here and runs every test project against real
# PostgreSQL, Redis and RabbitMQ processes. Last line: "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/prerequisites.sh
msashop_ensure_prerequisites

results=artifacts/test-results
rm -rf "$results"; mkdir -p "$results"

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

# Every server a test started must be gone: LocalInfrastructure names its directories msashop-infra-*.
leftovers=$(pgrep -f 'msashop-infra-' || true)
if [ -n "$leftovers" ]; then
    echo "error: server processes left behind: $leftovers" >&2
    ps -o pid,args -p $(tr '\n' ',' <<<"$leftovers" | sed 's/,$//') >&2 || true
    kill $leftovers 2>/dev/null || true
    broken+=("leftover-processes")
fi

[ ${#broken[@]} -eq 0 ] || echo "test runs that failed: ${broken[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ ${#broken[@]} -eq 0 ]
