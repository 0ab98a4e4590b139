#!/usr/bin/env bash
# Makes sure a Docker engine answers on the local socket (idempotent, run as root):
# installs docker.io when dockerd is missing, starts `dockerd --iptables=false` in the
# background (log: /var/log/rondo-dockerd.log) and waits up to 60 s for it.
set -euo pipefail

docker info >/dev/null 2>&1 && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-docker: the Docker engine is not reachable; run this script as root to start it" >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  nohup dockerd --iptables=false >>/var/log/rondo-dockerd.log 2>&1 &
fi

for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && exit 0
  sleep 1
done
echo "ensure-docker: dockerd did not answer within 60 s; see /var/log/rondo-dockerd.log" >&2
exit 1
