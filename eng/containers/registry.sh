#!/usr/bin/env bash
# Helper, run by eng/containers/publish.sh and the deployment tests: runs a container registry (Debian's
# docker-registry, the CNCF distribution server) on 127.0.0.1:<port>, storing in <dir>, in the foreground: the
# process that runs this script becomes the registry (exec), so whoever started it stops it by that PID. Plain HTTP,
# loopback only, no authentication: for publishing and pulling on this machine, never a registry to share.
#
#   bash eng/containers/registry.sh <dir> <port>
set -euo pipefail
source "$(dirname "$0")/../lib/help.sh"; msashop_help "$0" "$@"
if [ $# -ne 2 ]; then
    echo "usage: bash eng/containers/registry.sh <dir> <port>" >&2
    exit 2
fi
dir=$1 port=$2
mkdir -p "$dir/storage"
cat > "$dir/config.yml" <<CONFIG
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
CONFIG
exec docker-registry serve "$dir/config.yml"
