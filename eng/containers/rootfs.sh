# Helper, sourced by eng/containers/images.sh and aspnet-base.sh: builds container images from Debian's own
# packages, with no registry and no Dockerfile. A root file system is made with debootstrap (minbase), packages are
# installed into it in a chroot, and `podman import` turns the folder into an image. Any image MsaShop
# needs that a registry cannot give (a .NET base image, say) is built
# the same way.
#
#   msashop_rootfs_create  <dir> <package>...          a bookworm minbase tree with these packages
#   msashop_rootfs_import  <dir> <image> [--change X]... the tree as an image (podman import)
#   msashop_image_install  <dir> <image> <hash> <description> [INSTRUCTION=value]...
#                                                       the tree as <image>, labelled with the hash of its
#                                                       inputs, replacing an earlier build of it
#   msashop_image_is_current <image> <hash>            true when <image> was built from those inputs
#
# Needs root (debootstrap, chroot), debootstrap and podman. MSASHOP_DEBIAN_MIRROR overrides the mirror.

MSASHOP_DEBIAN_SUITE=bookworm
MSASHOP_DEBIAN_MIRROR=${MSASHOP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
MSASHOP_ROOTFS_CACHE=${MSASHOP_ROOTFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/msashop/rootfs}

# The minbase tree, debootstrapped once and kept as a tarball: every image starts from a copy of it.
msashop_rootfs_base() {
    local tarball="$MSASHOP_ROOTFS_CACHE/$MSASHOP_DEBIAN_SUITE-minbase.tar"
    if [ ! -s "$tarball" ]; then
        mkdir -p "$MSASHOP_ROOTFS_CACHE"
        local tree
        tree=$(mktemp -d /var/tmp/msashop-rootfs-base.XXXXXX)
        echo "==> debootstrap --variant=minbase $MSASHOP_DEBIAN_SUITE (once; cached in $tarball)" >&2
        if ! debootstrap --variant=minbase "$MSASHOP_DEBIAN_SUITE" "$tree" "$MSASHOP_DEBIAN_MIRROR" \
                > "$MSASHOP_ROOTFS_CACHE/debootstrap.log" 2>&1; then
            tail -20 "$MSASHOP_ROOTFS_CACHE/debootstrap.log" >&2
            rm -rf "$tree"
            return 1
        fi
        # Security and point-release updates too: these trees become servers.
        cat > "$tree/etc/apt/sources.list" <<SOURCES
deb $MSASHOP_DEBIAN_MIRROR $MSASHOP_DEBIAN_SUITE main
deb $MSASHOP_DEBIAN_MIRROR $MSASHOP_DEBIAN_SUITE-updates main
deb ${MSASHOP_DEBIAN_MIRROR%/debian}/debian-security $MSASHOP_DEBIAN_SUITE-security main
SOURCES
        # No daemon starts inside a chroot during installs; no docs or translations in an image.
        printf '#!/bin/sh\nexit 101\n' > "$tree/usr/sbin/policy-rc.d"
        chmod +x "$tree/usr/sbin/policy-rc.d"
        cat > "$tree/etc/dpkg/dpkg.cfg.d/01-msashop-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/info/*
SLIM
        tar -C "$tree" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
        rm -rf "$tree"
    fi
    echo "$tarball"
}

msashop_rootfs_create() {
    local dir=$1; shift
    local base
    base=$(msashop_rootfs_base) || return 1
    mkdir -p "$dir"
    tar -C "$dir" -xf "$base"
    [ $# -eq 0 ] && return 0
    mount -t proc proc "$dir/proc"
    local rc=0
    {
        chroot "$dir" apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive chroot "$dir" apt-get install -y -qq --no-install-recommends "$@" \
        && chroot "$dir" apt-get clean
    } > "$dir.install.log" 2>&1 || rc=$?
    umount "$dir/proc"
    if [ $rc -ne 0 ]; then
        tail -20 "$dir.install.log" >&2
        return $rc
    fi
    rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/log/apt "$dir"/var/log/dpkg.log "$dir"/tmp/* "$dir.install.log"
    # The runtime provides these per container; this machine's own must not ship in an image.
    : > "$dir/etc/resolv.conf"
    : > "$dir/etc/hostname"
}

msashop_rootfs_import() {
    local dir=$1 image=$2; shift 2
    # Numeric owners: the tree's users are the image's users, whatever this machine calls them.
    tar -C "$dir" --numeric-owner -cf - . | podman import --quiet "$@" - "$image" > /dev/null
}

msashop_image_install() {
    local dir=$1 image=$2 hash=$3 description=$4; shift 4
    local args=() change
    for change in "$@"; do args+=(--change "${change/=/ }"); done
    args+=(--change "LABEL msashop.inputs=$hash" --change "LABEL org.opencontainers.image.description=$description")
    local previous
    previous=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
    msashop_rootfs_import "$dir" "$image" "${args[@]}"
    # The image it replaces is left untagged: remove it unless a container still uses it.
    [ -z "$previous" ] || podman rmi "$previous" > /dev/null 2>&1 || true
}

msashop_image_is_current() {
    [ "$(podman image inspect --format '{{ index .Labels "msashop.inputs" }}' "$1" 2>/dev/null)" = "$2" ]
}
