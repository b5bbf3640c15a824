#!/bin/sh
# RabbitMQ from Debian's packages, started the way the official image starts it, as far as Aspire and the
# Kubernetes dev overlay rely on: RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS, reachable from outside the
# container (loopback_users = none), logs on standard output, and any non-root user id (a pod's runAsUser) on a
# read-only root file system, its state in /var/lib/rabbitmq; the management plugin on, as in the official
# "-management" images (the AppHost's management endpoint is port 15672). Arguments are passed on to rabbitmq-server.
set -eu
# /etc is read-only under Kubernetes' readOnlyRootFilesystem: the configuration then goes to the state directory.
conf_dir=/etc/rabbitmq
[ -w "$conf_dir" ] || conf_dir=/var/lib/rabbitmq
conf=$conf_dir/rabbitmq.conf
{
    echo "loopback_users = none"
    echo "listeners.tcp.default = 5672"
    [ -z "${RABBITMQ_DEFAULT_USER:-}" ] || echo "default_user = $RABBITMQ_DEFAULT_USER"
    [ -z "${RABBITMQ_DEFAULT_PASS:-}" ] || echo "default_pass = $RABBITMQ_DEFAULT_PASS"
} > "$conf"
chmod 600 "$conf"
echo "[rabbitmq_management]." > "$conf_dir/enabled_plugins"

export HOME=/var/lib/rabbitmq RABBITMQ_LOGS=- RABBITMQ_CONFIG_FILE="${conf%.conf}"
export RABBITMQ_ENABLED_PLUGINS_FILE="$conf_dir/enabled_plugins"
# Straight into the Erlang VM (no wrapper shell), so it is PID 1 and a stop signal reaches it.
export RUNNING_UNDER_SYSTEMD=true
if [ "$(id -u)" = 0 ]; then
    chown rabbitmq:rabbitmq "$conf" "$conf_dir/enabled_plugins"
    chown -R rabbitmq:rabbitmq /var/lib/rabbitmq
    exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
