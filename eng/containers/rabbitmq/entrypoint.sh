#!/bin/sh
# RabbitMQ from Debian's packages, started the way the official image starts it, as far as Aspire
# relies on: RABBITMQ_DEFAULT_USER and RABBITMQ_DEFAULT_PASS, reachable from outside the container
# (loopback_users = none), logs on standard output; the management plugin on, as in the official
# "-management" images (the AppHost's management endpoint is port 15672). Arguments are passed on to rabbitmq-server.
set -eu
conf=/etc/rabbitmq/rabbitmq.conf
{
    echo "loopback_users = none"
    echo "listeners.tcp.default = 5672"
    [ -z "${RABBITMQ_DEFAULT_USER:-}" ] || echo "default_user = $RABBITMQ_DEFAULT_USER"
    [ -z "${RABBITMQ_DEFAULT_PASS:-}" ] || echo "default_pass = $RABBITMQ_DEFAULT_PASS"
} > "$conf"
chown rabbitmq:rabbitmq "$conf"
chmod 600 "$conf"
echo "[rabbitmq_management]." > /etc/rabbitmq/enabled_plugins
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq

export HOME=/var/lib/rabbitmq RABBITMQ_LOGS=- RABBITMQ_CONFIG_FILE="${conf%.conf}"
# Straight into the Erlang VM (no wrapper shell), so it is PID 1 and a stop signal reaches it.
export RUNNING_UNDER_SYSTEMD=true
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
