#!/usr/bin/env bash
# Builds every project of MsaShop.sln and runs every test project: the per-service tests against real
# PostgreSQL, Redis and RabbitMQ processes (tests/MsaShop.Harness), the AppHost and end-to-end tests
# through Aspire (DCP runs the services, the container runtime runs the servers). Then checks that no
# process and no container the run started outlived it. Last line: "N passed, N failed".
#   bash eng/test.sh            everything (about 12 minutes on two busy cores)
#   bash eng/test.sh --help     this text
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib/help.sh; msashop_help "$0" "$@"
source eng/lib/prerequisites.sh
msashop_ensure_prerequisites servers browser tracer
msashop_ensure_aspire_cli
msashop_ensure_dev_certificate
msashop_ensure_container_runtime
msashop_choose_container_images
# Every shop the tests start gets fresh backing services, removed when it stops (the AppHost keeps them on F5).
export MSASHOP_CONTAINER_LIFETIME=session

results=artifacts/test-results
rm -rf "$results"; mkdir -p "$results"

# MsaShop's own images (where they are needed and missing) build while the solution builds and the
# per-service tests run; only the Aspire tests, last, wait for them.
msashop_build_container_images dotnet-base > "$results/container-images.log" 2>&1 &
images=$!

echo "==> building MsaShop.sln (Release)"
dotnet build MsaShop.sln -c Release -nologo -v quiet -clp:NoSummary

# Every process the tests start inherits this marker, down to DCP and the services it runs: whatever
# still carries it after the run was left behind. Containers are DCP's, labelled by it, created from now,
# and the tests' own, labelled msashop.test-run=<marker> as their networks are.
run_marker="MSASHOP_TEST_RUN=$$-$(date +%s%N)"
run_started=$(date +%s)
# No MSBuild node outlives `dotnet test`.
export MSBUILDDISABLENODEREUSE=1

passed=0; failed=0; broken=()
# The projects that need the container images come last: those that start the AppHost, and the
# deployment tests, which publish MsaShop's images and run them.
image_tests='MsaShop\.(AppHost|EndToEnd|Deployment)\.Tests'
mapfile -t test_projects < <(dotnet sln MsaShop.sln list | grep '\.Tests\.csproj$' | grep -Ev "$image_tests"
                             dotnet sln MsaShop.sln list | grep -E "$image_tests\.csproj$")
for p in "${test_projects[@]}"; do
    name=$(basename "$p" .csproj)
    if [[ "$name" =~ $image_tests ]] && [ -n "$images" ]; then
        echo "==> waiting for the container images"
        wait "$images" || { cat "$results/container-images.log"; broken+=("container-images"); }
        images=
    fi
    echo "==> $name"
    # A hang is a test past 10 minutes: AspireCliTests builds the AppHost the way `aspire start` does, then starts it
    # under strace, in about 7 minutes on two busy cores.
    if ! env "$run_marker" dotnet test "$p" -c Release --no-build --nologo \
            --blame-hang-timeout 10m \
            --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
            --results-directory "$results"; then
        broken+=("$name")
    fi
    trx="$results/$name.trx"
    if [ -f "$trx" ]; then
        counters=$(grep -o '<Counters [^>]*>' "$trx")
        passed=$((passed + $(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")))
        failed=$((failed + $(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")))
    else
        broken+=("$name(no results)")
    fi
done

# Processes still carrying the marker. A zombie has no environment: it is not running.
marked_processes() {
    grep -lsxzF "$run_marker" /proc/[0-9]*/environ | cut -d/ -f3
}
# Containers DCP created during the run (it labels each with the process that created it), and the tests' own.
run_containers() {
    local id created
    "$ASPIRE_CONTAINER_RUNTIME" ps -a --filter label=com.microsoft.developer.usvc-dev.creatorProcessId \
            --format '{{.ID}}|{{.CreatedAt}}' 2>/dev/null \
        | while IFS='|' read -r id created; do
            if [ "$(date -d "${created% UTC}" +%s)" -ge "$run_started" ]; then echo "$id"; fi
        done
    "$ASPIRE_CONTAINER_RUNTIME" ps -aq --filter "label=msashop.test-run=${run_marker#*=}" 2>/dev/null
}
run_networks() {
    "$ASPIRE_CONTAINER_RUNTIME" network ls -q --filter "label=msashop.test-run=${run_marker#*=}" 2>/dev/null
}

# DCP's watchers and a killed test host's reapers need a few seconds to finish their work: poll, bounded.
for _ in $(seq 60); do
    [ -z "$(marked_processes)" ] && [ -z "$(run_containers)" ] && [ -z "$(run_networks)" ] && break
    sleep 1
done
mapfile -t leftover_pids < <(marked_processes)
mapfile -t leftover_containers < <(run_containers)
mapfile -t leftover_networks < <(run_networks)
if [ ${#leftover_pids[@]} -gt 0 ]; then
    echo "error: processes left behind:" >&2
    for pid in "${leftover_pids[@]}"; do echo "  $pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-160)" >&2; done
    kill -KILL "${leftover_pids[@]}" 2>/dev/null || true
    broken+=("leftover-processes")
fi
if [ ${#leftover_containers[@]} -gt 0 ]; then
    echo "error: containers left behind: ${leftover_containers[*]}" >&2
    "$ASPIRE_CONTAINER_RUNTIME" rm -f "${leftover_containers[@]}" >/dev/null || true
    broken+=("leftover-containers")
fi
if [ ${#leftover_networks[@]} -gt 0 ]; then
    echo "error: networks left behind: ${leftover_networks[*]}" >&2
    "$ASPIRE_CONTAINER_RUNTIME" network rm "${leftover_networks[@]}" >/dev/null || true
    broken+=("leftover-networks")
fi
[ ${#leftover_pids[@]} -gt 0 ] || [ ${#leftover_containers[@]} -gt 0 ] || [ ${#leftover_networks[@]} -gt 0 ] \
    || echo "no process, container or network started by the tests is left behind"

# Figures the tests measured (the storefront's page weight and time to interactive): printed, not asserted.
for figures in "$results"/*/figures.txt; do
    if [ -f "$figures" ]; then sed 's/^/figure: /' "$figures"; fi
done
[ ${#broken[@]} -eq 0 ] || echo "test runs that failed: ${broken[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ ${#broken[@]} -eq 0 ]
