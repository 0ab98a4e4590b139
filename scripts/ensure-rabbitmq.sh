#!/usr/bin/env bash
# Makes sure RabbitMQ answers on 127.0.0.1:5672 for the tests (the event bus compliance
# suite and the split-role test; Rondo itself runs without a broker unless RONDO_AMQP_URL
# is set, and `make demo` skips this). Idempotent, run as root: installs rabbitmq-server
# from apt when it is missing, starts it when it is stopped (the service, else
# `rabbitmq-server -detached`) and waits up to 90 s. No plugin is enabled: Rondo needs
# none (not even the management plugin).
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
answers && exit 0

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
  answers && exit 0
  if ! pgrep -u rabbitmq -f beam.smp >/dev/null 2>&1; then
    service rabbitmq-server start >/dev/null 2>&1 || su -s /bin/sh rabbitmq -c 'rabbitmq-server -detached' >/dev/null 2>&1 || true
  fi
  for _ in $(seq 1 90); do
    answers && exit 0
    sleep 1
  done
  echo "ensure-rabbitmq: RabbitMQ is not answering (attempt $attempt)" >&2
done
echo "ensure-rabbitmq: RabbitMQ did not answer on 127.0.0.1:5672; see /var/log/rabbitmq/" >&2
exit 1
