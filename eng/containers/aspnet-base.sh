#!/usr/bin/env bash
# Helper, run by eng/lib/prerequisites.sh and eng/containers/publish.sh (alone too): builds the base image MsaShop's
# services run on where mcr.microsoft.com/dotnet/aspnet cannot be pulled: Debian bookworm (minbase,
# eng/containers/rootfs.sh) with the libraries .NET needs and the ASP.NET Core runtime this machine's .NET SDK
# ships, laid out like the official image (/usr/share/dotnet, the `app` user 1654, APP_UID,
# ASPNETCORE_HTTP_PORTS=8080). Named for what it holds: the runtime's version and Debian's codename. Built once;
# rebuilt only when its inputs change (label msashop.inputs).
#
#   bash eng/containers/aspnet-base.sh          build it if missing, then print its name
#   bash eng/containers/aspnet-base.sh --name   print its name only
#
# No ICU: MsaShop builds with InvariantGlobalization (Directory.Build.props), as the official chiseled
# images expect; the image says so with DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/help.sh"; msashop_help "$0" "$@"
source "$here/rootfs.sh"

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
# The newest ASP.NET Core runtime the SDK carries, and the .NET runtime of the same version under it.
version=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
image="msashop/dotnet-aspnet:$version-$MSASHOP_DEBIAN_SUITE"
# What runtime-deps installs on Debian, less libicu (see above).
packages=(ca-certificates libc6 libgcc-s1 libssl3 libstdc++6 tzdata zlib1g)
app_uid=1654
changes=(
    "ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    "ENV=APP_UID=$app_uid"
    "ENV=ASPNETCORE_HTTP_PORTS=8080"
    "ENV=DOTNET_RUNNING_IN_CONTAINER=true"
    "ENV=DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true"
    "ENV=DOTNET_VERSION=$version"
    "ENV=ASPNET_VERSION=$version"
    "WORKDIR=/app"
)

inputs_hash() {
    { declare -f build msashop_rootfs_base msashop_rootfs_create msashop_rootfs_import msashop_image_install
      echo "$MSASHOP_DEBIAN_SUITE $image ${packages[*]} $app_uid" "${changes[@]}"; } | sha256sum | cut -c1-16
}

# Runs in a subshell of its own: the EXIT trap cleans its tree whatever happens.
build() {
    local hash=$1
    tree=$(mktemp -d /var/tmp/msashop-image-dotnet-aspnet.XXXXXX)
    trap 'umount "$tree/proc" 2>/dev/null || true; rm -rf "$tree" "$tree.install.log"' EXIT
    msashop_rootfs_create "$tree" "${packages[@]}"
    # Translations, manuals and docs debootstrap unpacked before rootfs.sh's dpkg exclusions applied.
    rm -rf "$tree"/usr/share/locale/* "$tree"/usr/share/man/* "$tree"/usr/share/doc/*
    chroot "$tree" groupadd --gid "$app_uid" app
    chroot "$tree" useradd --no-log-init --uid "$app_uid" --gid "$app_uid" --create-home app
    if [ ! -d "$dotnet_root/shared/Microsoft.NETCore.App/$version" ]; then
        echo "error: the SDK has ASP.NET Core $version but no .NET runtime $version under $dotnet_root/shared" >&2
        return 1
    fi
    # The muxer, its resolver and the two shared frameworks: what `dotnet app.dll` needs, nothing of the SDK.
    local target="$tree/usr/share/dotnet" part
    mkdir -p "$target/host/fxr" "$target/shared/Microsoft.NETCore.App" "$target/shared/Microsoft.AspNetCore.App"
    cp -a "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$target/"
    cp -a "$dotnet_root/host/fxr/$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)" "$target/host/fxr/"
    for part in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
        cp -a "$dotnet_root/shared/$part/$version" "$target/shared/$part/"
    done
    ln -s /usr/share/dotnet/dotnet "$tree/usr/bin/dotnet"
    mkdir -p "$tree/app"
    msashop_image_install "$tree" "localhost/$image" "$hash" \
        "ASP.NET Core runtime $version on Debian $MSASHOP_DEBIAN_SUITE (minbase), user app ($app_uid), no ICU" "${changes[@]}"
    echo "==> built $image in ${SECONDS} s" >&2
}

case "${1:-}" in
    --name) echo "$image"; exit 0 ;;
    "") ;;
    *) echo "usage: bash eng/containers/aspnet-base.sh [--name]" >&2; exit 2 ;;
esac

hash=$(inputs_hash)
msashop_image_is_current "localhost/$image" "$hash" || ( build "$hash" )
echo "$image"
