#!/usr/bin/env bash
# Makes sure a Docker engine answers on the local socket (idempotent, run as root):
# installs docker.io when dockerd is missing, starts `dockerd --iptables=false` in the
# background (log: /var/log/rondo-dockerd.log) and waits up to 120 s for it. A machine
# whose earlier dockerd was killed keeps /var/run/docker.pid, and a new dockerd then
# refuses to start ("pid file found"): with no dockerd running, stale pid files go first.
set -euo pipefail

docker info >/dev/null 2>&1 && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-docker: the Docker engine is not reachable; run this script as root to start it" >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io >/dev/null
fi

log=/var/log/rondo-dockerd.log
start_dockerd() {
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    rm -f /var/run/docker.pid
    pgrep -x containerd >/dev/null 2>&1 || rm -f /var/run/docker/containerd/containerd.pid
    echo "--- ensure-docker: starting dockerd at $(date -u +%FT%TZ)" >>"$log"
    nohup dockerd --iptables=false >>"$log" 2>&1 &
  fi
}

for attempt in 1 2; do
  start_dockerd
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && exit 0
    # dockerd gave up (it exits at once on a bad pid file or config): start it again.
    pgrep -x dockerd >/dev/null 2>&1 || break
    sleep 1
  done
  echo "ensure-docker: dockerd is not answering (attempt $attempt); its log ends with:" >&2
  tail -n 5 "$log" >&2 || true
done
echo "ensure-docker: dockerd did not answer; see $log" >&2
exit 1
