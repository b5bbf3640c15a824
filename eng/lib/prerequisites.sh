# Helper, sourced by eng/run.sh, eng/test.sh, eng/chaos.sh, eng/bench.sh and eng/containers/publish.sh: the one place
# that makes sure this machine has what MsaShop needs.
#   msashop_ensure_prerequisites [servers] [browser] [tracer]
#                                            the .NET SDK; with `servers`, PostgreSQL, Redis and RabbitMQ from
#                                            Debian's packages, the fast real-server fixture of the per-service
#                                            tests (tests/MsaShop.Harness); with `browser`, Debian's
#                                            chromium, which the storefront's browser test drives (Playwright
#                                            cannot download a browser of its own here); with `tracer`, strace,
#                                            which the Aspire CLI's test watches every connection attempt with
#   msashop_ensure_aspire_cli                the Aspire CLI, the repository's local .NET tool (.config/dotnet-tools.json):
#                                            `dotnet aspire start|wait|ps|logs|stop` from the repository root
#   msashop_ensure_dev_certificate           the HTTPS development certificate, created and trusted (exports
#                                            SSL_CERT_DIR with the folder `dotnet dev-certs` trusts it in)
#   msashop_ensure_container_runtime         the container runtime Aspire will use (exports ASPIRE_CONTAINER_RUNTIME)
#   msashop_choose_container_images          Aspire's images, or MsaShop's (exports MSASHOP_CONTAINER_IMAGES=bookworm)
#   msashop_build_container_images [dotnet-base]
#                                            builds MsaShop's images if they are the chosen ones and missing
#                                            (eng/containers/images.sh; aspnet-base.sh with dotnet-base); the
#                                            scripts run it beside the build

# Nothing MsaShop runs phones home: neither the .NET SDK nor the Aspire CLI (aspire.config.json says so too, for a
# shell that has not sourced this file).
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPIRE_CLI_TELEMETRY_OPTOUT=1

msashop_ensure_prerequisites() {
    if ! command -v dotnet >/dev/null; then
        echo "error: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
        return 1
    fi
    local part
    for part in "$@"; do
        case "$part" in
            servers) msashop_apt_install $(msashop_missing_server_packages) || return 1 ;;
            browser) [ -x /usr/bin/chromium ] || msashop_apt_install chromium || return 1 ;;
            tracer) command -v strace >/dev/null || msashop_apt_install strace || return 1 ;;
            *) echo "error: unknown prerequisite '$part'" >&2; return 1 ;;
        esac
    done
}

# Restores the repository's .NET tools when the Aspire CLI's package is not in the NuGet cache yet (a check that costs
# nothing, where `dotnet tool restore` takes seconds).
msashop_ensure_aspire_cli() {
    local version
    version=$(sed -n '/"aspire.cli"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' .config/dotnet-tools.json)
    [ -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.cli/$version" ] && return 0
    echo "==> restoring the repository's .NET tools (the Aspire CLI $version)" >&2
    dotnet tool restore > /dev/null
}

# On Linux, `dotnet dev-certs https --trust` trusts the certificate for OpenSSL through a folder of its own, which
# SSL_CERT_DIR must name for every process that checks it (the AppHost gives its resources the same folder).
msashop_ensure_dev_certificate() {
    local trusted="$HOME/.aspnet/dev-certs/trust"
    case ":${SSL_CERT_DIR:-}:" in
        *":$trusted:"*) ;;
        *) export SSL_CERT_DIR="${SSL_CERT_DIR:-/etc/ssl/certs}:$trusted" ;;
    esac
    dotnet dev-certs https --check --trust > /dev/null 2>&1 && return 0
    echo "==> creating and trusting the HTTPS development certificate (dotnet dev-certs https --trust)" >&2
    dotnet dev-certs https --trust > /dev/null
}

msashop_missing_server_packages() {
    local missing=()
    if ! { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; } \
        || { [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; }; then
        missing+=(postgresql)   # as root, PostgreSQL runs as its own user, which the package creates
    fi
    command -v redis-server >/dev/null || missing+=(redis-server)
    [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
    echo "${missing[@]}"
}

# Installs Debian packages (none: nothing to do). Servers are never started as system services: MsaShop starts its own.
msashop_apt_install() {
    [ $# -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: missing Debian packages: $*" >&2
        echo "install them with:  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*" >&2
        return 1
    fi
    echo "==> installing $* (Debian packages)" >&2
    # policy-rc.d 101 keeps the package scripts from starting system-wide servers.
    local policy=/usr/sbin/policy-rc.d had_policy=0
    [ -e "$policy" ] && had_policy=1
    [ "$had_policy" -eq 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; }
    local rc=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } >&2 || rc=$?
    [ "$had_policy" -eq 1 ] || rm -f "$policy"
    return $rc
}

# Docker when an engine answers, else podman (installed if missing); ASPIRE_CONTAINER_RUNTIME, if set, decides.
msashop_ensure_container_runtime() {
    local runtime=${ASPIRE_CONTAINER_RUNTIME:-}
    if [ -z "$runtime" ]; then
        if docker info >/dev/null 2>&1; then runtime=docker; else runtime=podman; fi
    fi
    # eng/run.sh reads launch profiles with jq and asks the gateway with curl; eng/containers/publish.sh and
    # its test push MsaShop's images to a registry of their own (Debian's docker-registry, on loopback); the
    # test that runs the Kubernetes manifests with podman gives each Service its address with socat.
    local missing=() tool tools=(jq curl docker-registry socat)
    # podman with its OCI runtime and rootless tools (uidmap, slirp4netns, fuse-overlayfs); CNI
    # plugins give it the network DCP creates.
    [ "$runtime" != podman ] || tools+=(podman runc newuidmap slirp4netns fuse-overlayfs)
    for tool in "${tools[@]}"; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    [ "$runtime" != podman ] || [ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
    msashop_apt_install "${missing[@]/newuidmap/uidmap}" || return 1
    [ "$runtime" != podman ] || msashop_fit_podman_limits || return 1
    export ASPIRE_CONTAINER_RUNTIME=$runtime
}

# Rootful podman gives every container 1048576 open files and 4194304 processes unless told otherwise.
# Where this machine may not raise its limits that far (no CAP_SYS_RESOURCE, as in some sandboxes and
# CI containers), every container fails to start ("error setting rlimits"): give podman limits it can set.
msashop_fit_podman_limits() {
    [ "$(id -u)" -eq 0 ] || return 0
    bash -c 'ulimit -Hn 1048576 && ulimit -Hu 4194304' 2>/dev/null && return 0
    local dropin=/etc/containers/containers.conf.d/msashop-ulimits.conf
    local nofile nproc pid_max
    nofile=$(ulimit -Hn) nproc=$(ulimit -Hu) pid_max=$(cat /proc/sys/kernel/pid_max)
    [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pid_max" ] && nproc=$pid_max
    local wanted="default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=$nproc:$nproc\"]"
    grep -qxF "$wanted" "$dropin" 2>/dev/null && return 0
    echo "==> podman: container limits set to this machine's ($dropin)" >&2
    mkdir -p "$(dirname "$dropin")"
    local why="this machine refuses podman's default container limits."
    printf '%s\n' "# Written by MsaShop eng/lib/prerequisites.sh: $why" '[containers]' "$wanted" > "$dropin"
}

# Aspire's own images when the runtime has them or can pull them; otherwise MsaShop's, built from
# Debian's packages (exports MSASHOP_CONTAINER_IMAGES=bookworm). MSASHOP_CONTAINER_IMAGES=bookworm, if
# set, asks for MsaShop's without trying a pull.
msashop_choose_container_images() {
    local images=eng/containers/images.sh
    if [ "${MSASHOP_CONTAINER_IMAGES:-}" != bookworm ]; then
        local image have_all=1
        for image in $(bash "$images" --aspire-defaults); do
            "$ASPIRE_CONTAINER_RUNTIME" image inspect "$image" >/dev/null 2>&1 && continue
            # One pull tells whether a registry answers; DCP pulls the others itself.
            if [ "$have_all" -eq 1 ] && timeout 300 "$ASPIRE_CONTAINER_RUNTIME" pull -q "$image" >/dev/null 2>&1; then
                continue
            fi
            have_all=0
            break
        done
        if [ "$have_all" -eq 1 ]; then
            unset MSASHOP_CONTAINER_IMAGES
            return 0
        fi
        echo "==> no registry answers $ASPIRE_CONTAINER_RUNTIME: using MsaShop's own images, built from Debian's packages" >&2
    fi
    if [ "$ASPIRE_CONTAINER_RUNTIME" != podman ]; then
        echo "error: MsaShop builds its own images with podman only; ASPIRE_CONTAINER_RUNTIME is $ASPIRE_CONTAINER_RUNTIME" >&2
        return 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        # debootstrap and chroot need root; once built, the images serve anyone.
        if [ -n "$(bash "$images" --missing)" ]; then
            echo "error: building MsaShop's images needs root: sudo bash $images" >&2
            return 1
        fi
    else
        command -v debootstrap >/dev/null || msashop_apt_install debootstrap || return 1
    fi
    export MSASHOP_CONTAINER_IMAGES=bookworm
}

# Builds MsaShop's images when they are the ones chosen and some are missing (a no-op otherwise); with
# `dotnet-base`, also the base image the services' own images are published on (eng/containers/publish.sh).
msashop_build_container_images() {
    [ "${MSASHOP_CONTAINER_IMAGES:-}" = bookworm ] && [ "$(id -u)" -eq 0 ] || return 0
    bash eng/containers/images.sh || return 1
    [ "${1:-}" != dotnet-base ] || bash eng/containers/aspnet-base.sh > /dev/null
}
