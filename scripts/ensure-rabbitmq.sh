#!/usr/bin/env bash
# Makes sure RabbitMQ answers on 127.0.0.1:5672 for the tests (the event bus compliance
# suite and the split-role test; Rondo itself runs without a broker unless RONDO_AMQP_URL
# is set, and `make demo` skips this). Idempotent, run as root: installs rabbitmq-server
# from apt when it is missing, starts it when it is stopped (the service, else
# `rabbitmq-server -detached`) and waits up to 90 s. Then it enables the management
# plugin (`rabbitmq_management`, HTTP on 15672), idempotently: Rondo makes a broker user
# per specific manager through its API (docs/plugins.md). The event bus alone needs none.
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
manages() { (exec 3<>/dev/tcp/127.0.0.1/15672) 2>/dev/null; }

ensure_management() {
  manages && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v rabbitmq-plugins >/dev/null 2>&1; then
    echo "ensure-rabbitmq: the management API does not answer on 127.0.0.1:15672; run as root: rabbitmq-plugins enable rabbitmq_management" >&2
    return 1
  fi
  rabbitmq-plugins enable rabbitmq_management >/dev/null
  for _ in $(seq 1 60); do
    manages && return 0
    sleep 1
  done
  echo "ensure-rabbitmq: the management API did not answer on 127.0.0.1:15672 after enabling rabbitmq_management" >&2
  return 1
}

if answers; then
  ensure_management
  exit $?
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-rabbitmq: nothing answers on 127.0.0.1:5672; run this script as root to start RabbitMQ" >&2
  exit 1
fi

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "installing: rabbitmq-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
fi

for attempt in 1 2; do
  answers && { ensure_management; exit $?; }
  if ! pgrep -u rabbitmq -f beam.smp >/dev/null 2>&1; then
    service rabbitmq-server start >/dev/null 2>&1 || su -s /bin/sh rabbitmq -c 'rabbitmq-server -detached' >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 90); do
    answers && { ensure_management; exit $?; }
    sleep 1
  done
  echo "ensure-rabbitmq: RabbitMQ is not answering (attempt $attempt)" >&2
done
echo "ensure-rabbitmq: RabbitMQ did not answer on 127.0.0.1:5672; see /var/log/rabbitmq/" >&2
exit 1
