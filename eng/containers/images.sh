#!/usr/bin/env bash
# Helper, run by eng/lib/prerequisites.sh (alone too): builds MsaShop's own PostgreSQL, Redis and RabbitMQ images
# from Debian bookworm's packages, for a machine whose container runtime cannot pull Aspire's default images (no
# registry reachable). The AppHost uses them when MSASHOP_CONTAINER_IMAGES=bookworm (see docs/local-run.md). Each
# image is named as what it holds and built once: it is rebuilt only when its inputs change.
#
#   bash eng/containers/images.sh                    build the missing ones (a few minutes for all three)
#   bash eng/containers/images.sh --list             print their names
#   bash eng/containers/images.sh --missing          print those not built yet (or built from other inputs)
#   bash eng/containers/images.sh --aspire-defaults  print the images Aspire 13.6.5 runs instead
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/help.sh"; msashop_help "$0" "$@"
source "$here/rootfs.sh"

# Per image: the Debian packages it holds, its name (the tag says what is inside), the version that
# name promises, and its configuration (podman import --change).
containers=(postgres redis rabbitmq)
declare -A packages=(
    [postgres]="postgresql-15 libnss-wrapper"
    [redis]="redis-server"
    [rabbitmq]="rabbitmq-server"
)
declare -A images=(
    [postgres]="msashop/postgres:15-bookworm"
    [redis]="msashop/redis:7.0-bookworm"
    [rabbitmq]="msashop/rabbitmq:3.10-bookworm"
)
# The Debian version each tag promises; the build fails if the package is something else.
declare -A versions=(
    [postgres]="postgresql-15=15."
    [redis]="redis-server=5:7.0."
    [rabbitmq]="rabbitmq-server=3.10."
)
changes_postgres=(
    "ENV=PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "ENV=PGDATA=/var/lib/postgresql/data"
    "ENV=LANG=C.UTF-8"
    "ENTRYPOINT=[\"/usr/local/bin/entrypoint.sh\"]"
    "STOPSIGNAL=SIGINT"
    "EXPOSE=5432"
)
# Aspire replaces the entrypoint with /bin/sh -c "redis-server --requirepass ..." (plus TLS flags).
changes_redis=(
    "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "WORKDIR=/data"
    "CMD=[\"redis-server\"]"
    "EXPOSE=6379"
)
changes_rabbitmq=(
    "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "ENV=LANG=C.UTF-8"
    "ENTRYPOINT=[\"/usr/local/bin/entrypoint.sh\"]"
    "EXPOSE=5672"
    "EXPOSE=15672"
)

# What Aspire runs for the same resources when MSASHOP_CONTAINER_IMAGES is not set (RabbitMQ with its
# management plugin, as the AppHost asks for on F5).
aspire_defaults=(docker.io/library/postgres:18.3 docker.io/library/redis:8.6 docker.io/library/rabbitmq:4.3-management)

# What an image is made of: its recipe (the functions that build it, its packages and configuration) and its
# entrypoint. The hash is stored as a label; a different hash means rebuild.
inputs_hash() {
    local name=$1 changes="changes_$1[@]"
    { declare -f build msashop_rootfs_base msashop_rootfs_create msashop_rootfs_import
      echo "$MSASHOP_DEBIAN_SUITE ${packages[$name]} ${images[$name]} ${versions[$name]}" "${!changes}"
      [ ! -f "$here/$name/entrypoint.sh" ] || cat "$here/$name/entrypoint.sh"; } | sha256sum | cut -c1-16
}

# Runs in a subshell of its own: the EXIT trap cleans its tree whatever happens.
build() {
    local name=$1 image=${images[$1]} hash=$2 changes="changes_$1[@]"
    tree=$(mktemp -d /var/tmp/msashop-image-"$name".XXXXXX)
    trap 'umount "$tree/proc" 2>/dev/null || true; rm -rf "$tree" "$tree.install.log"' EXIT
    if [ "$name" = postgres ]; then
        # No cluster at install time: the entrypoint makes one in PGDATA on first start.
        mkdir -p "$tree/etc/postgresql-common/createcluster.d"
        echo "create_main_cluster = false" > "$tree/etc/postgresql-common/createcluster.d/msashop.conf"
    fi
    # shellcheck disable=SC2086 # a list of packages
    msashop_rootfs_create "$tree" ${packages[$name]}
    local expected=${versions[$name]} installed
    installed=$(chroot "$tree" dpkg-query -W -f '${Version}' "${expected%%=*}")
    if [[ "$installed" != "${expected#*=}"* ]]; then
        echo "error: $image would hold ${expected%%=*} $installed: name the image for what it holds" >&2
        return 1
    fi
    if [ -f "$here/$name/entrypoint.sh" ]; then
        install -m 755 "$here/$name/entrypoint.sh" "$tree/usr/local/bin/entrypoint.sh"
    fi
    mkdir -p "$tree/data"
    if [ "$name" = redis ]; then
        # Aspire starts Redis as /bin/sh -c "redis-server ...": bash, unlike dash, execs that last command,
        # so redis-server is PID 1 and the runtime's stop signal reaches it (no 10 s wait for SIGKILL).
        ln -sf bash "$tree/bin/sh"
    fi
    local args=() change
    for change in "${!changes}"; do args+=(--change "${change/=/ }"); done
    args+=(--change "LABEL msashop.inputs=$hash"
           --change "LABEL org.opencontainers.image.description=${expected%%=*} $installed from Debian $MSASHOP_DEBIAN_SUITE")
    local previous
    previous=$(podman image inspect --format '{{.Id}}' "localhost/$image" 2>/dev/null || true)
    msashop_rootfs_import "$tree" "localhost/$image" "${args[@]}"
    # The image it replaces is left untagged: remove it unless a container still uses it.
    [ -z "$previous" ] || podman rmi "$previous" > /dev/null 2>&1 || true
    echo "==> built $image (${expected%%=*} $installed)" >&2
}

is_built() {
    local label
    label=$(podman image inspect --format '{{ index .Labels "msashop.inputs" }}' "localhost/${images[$1]}" 2>/dev/null || true)
    [ "$label" = "$(inputs_hash "$1")" ]
}

case "${1:-}" in
    --list) for name in "${containers[@]}"; do echo "${images[$name]}"; done; exit 0 ;;
    --aspire-defaults) printf '%s\n' "${aspire_defaults[@]}"; exit 0 ;;
    --missing) for name in "${containers[@]}"; do is_built "$name" || echo "${images[$name]}"; done; exit 0 ;;
    "") ;;
    *) echo "usage: bash eng/containers/images.sh [--list|--missing|--aspire-defaults]" >&2; exit 2 ;;
esac

pids=(); names=()
for name in "${containers[@]}"; do
    is_built "$name" && continue
    hash=$(inputs_hash "$name")
    # The minbase tarball is made once, before the images build side by side from copies of it.
    msashop_rootfs_base > /dev/null
    ( build "$name" "$hash" ) &
    pids+=($!); names+=("$name")
done
failed=0
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { echo "error: building ${images[${names[$i]}]} failed" >&2; failed=1; }
done
[ ${#pids[@]} -eq 0 ] || [ $failed -ne 0 ] || echo "==> ${#pids[@]} image(s) built in ${SECONDS} s" >&2
exit $failed
