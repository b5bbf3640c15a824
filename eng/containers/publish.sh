#!/usr/bin/env bash
# Entry point: publishes MsaShop's deployables (eng/containers/deployables.slnf: catalog, ordering, payment,
# gateway) as OCI images with the .NET SDK: one `dotnet publish -t:PublishContainer` for the four, no Dockerfile.
# Each project names its repository (msashop/<service>) and port; what every image shares (tags: the version and the
# commit; the non-root app user; labels) is in eng/containers/Container.targets. See docs/containers.md.
#
#   bash eng/containers/publish.sh                        into the local container runtime (`podman images`)
#   bash eng/containers/publish.sh --registry HOST:PORT   pushed to that registry (on loopback: plain HTTP)
#   bash eng/containers/publish.sh ... -- ARGS            ARGS go to dotnet publish, e.g. -p:ContainerImageTags=dev
#
# The base image is the SDK's default, mcr.microsoft.com/dotnet/aspnet, unchanged, unless
# MSASHOP_CONTAINER_IMAGES=bookworm (eng/lib/prerequisites.sh sets it where no registry answers): then it is
# MsaShop's own (eng/containers/aspnet-base.sh). The SDK reads a base image from a registry only, so that one
# is pushed first: to --registry, or to a registry this script runs on 127.0.0.1 while it publishes.
set -euo pipefail
cd "$(dirname "$0")/../.."
source eng/lib/help.sh; msashop_help "$0" "$@"
source eng/lib/prerequisites.sh

registry=
publish_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --registry) registry=${2:?--registry needs HOST:PORT}; shift 2 ;;
        --) shift; publish_args=("$@"); break ;;
        *) echo "usage: bash eng/containers/publish.sh [--registry HOST:PORT] [-- dotnet publish arguments]" >&2; exit 2 ;;
    esac
done

msashop_ensure_prerequisites
msashop_ensure_container_runtime
msashop_choose_container_images

is_loopback() { [[ "$1" =~ ^(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?$ ]]; }

args=(eng/containers/deployables.slnf -c Release -t:PublishContainer -nologo -v minimal -clp:NoSummary)
insecure=()
if [ -n "$registry" ]; then
    args+=(-p:ContainerRegistry="$registry")
    ! is_loopback "$registry" || insecure+=("$registry")
else
    # Podman or Docker: the SDK loads the images into the runtime Aspire uses.
    args+=(-p:LocalRegistry="${ASPIRE_CONTAINER_RUNTIME^}")
fi

if [ "${MSASHOP_CONTAINER_IMAGES:-}" = bookworm ]; then
    base=$(bash eng/containers/aspnet-base.sh)
    base_registry=$registry
    if [ -z "$base_registry" ]; then
        # A registry of our own for the time of the publish: 127.0.0.1, a free port, stopped by PID on exit.
        registry_dir=$(mktemp -d /var/tmp/msashop-registry.XXXXXX)
        for _ in $(seq 20); do
            port=$((20000 + RANDOM % 40000))
            (exec 3<> "/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
        done
        bash eng/containers/registry.sh "$registry_dir" "$port" > "$registry_dir/registry.log" 2>&1 &
        registry_pid=$!
        stop_registry() { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; rm -rf "$registry_dir"; }
        trap stop_registry EXIT
        base_registry=127.0.0.1:$port
        for _ in $(seq 100); do
            curl -sf "http://$base_registry/v2/" > /dev/null && break
            kill -0 "$registry_pid" 2>/dev/null || { cat "$registry_dir/registry.log" >&2; exit 1; }
            sleep 0.1
        done
    fi
    tls=()
    if is_loopback "$base_registry"; then
        insecure+=("$base_registry")
        [ "$ASPIRE_CONTAINER_RUNTIME" != podman ] || tls=(--tls-verify=false)
    fi
    echo "==> pushing the base image $base to $base_registry"
    "$ASPIRE_CONTAINER_RUNTIME" push -q "${tls[@]}" "localhost/$base" "$base_registry/$base"
    args+=(-p:ContainerBaseImage="$base_registry/$base")
fi

echo "==> dotnet publish -t:PublishContainer: catalog, ordering, payment, gateway"
# The SDK talks plain HTTP only to the registries named here (separated by semicolons).
DOTNET_CONTAINER_INSECURE_REGISTRIES=$(IFS=';'; echo "${insecure[*]}") dotnet publish "${args[@]}" "${publish_args[@]}"
echo "==> published in ${SECONDS} s"
