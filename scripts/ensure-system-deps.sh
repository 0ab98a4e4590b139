#!/usr/bin/env bash
# Installs (idempotently) and starts what the tests and the demo need on Debian 12:
# Docker engine, busybox-static (VNF images), ping/traceroute, Chromium (browser tests),
# RabbitMQ (event bus tests; RONDO_SKIP_RABBITMQ=1 skips it, as `make demo` does: Rondo
# needs no broker unless RONDO_AMQP_URL is set), and checks PostgreSQL. Runs as root;
# safe to run again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || need+=(busybox-static)
command -v ping >/dev/null 2>&1 || need+=(iputils-ping)
command -v traceroute >/dev/null 2>&1 || need+=(traceroute)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v file >/dev/null 2>&1 || need+=(file)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL is started by the machine; start it if it is down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# The bus compliance suite and the split-role test run on a real RabbitMQ.
if [ "${RONDO_SKIP_RABBITMQ:-0}" != "1" ]; then bash "$here/ensure-rabbitmq.sh"; fi

if [ -x "$here/ensure-docker.sh" ] || [ -f "$here/ensure-docker.sh" ]; then bash "$here/ensure-docker.sh"; fi
if [ -f "$here/build-vnf-images.sh" ]; then bash "$here/build-vnf-images.sh"; fi
# The example specific managers' images (esbuild comes with npm ci; the manager tests build them too).
if [ "${RONDO_SKIP_RABBITMQ:-0}" != "1" ] && [ -x "$here/../node_modules/.bin/esbuild" ]; then bash "$here/build-manager-images.sh"; fi
# The tunnel helper of inter-PoP links (iproute2 binaries of this host, cached by content hash).
if [ -f "$here/build-tunnel-image.sh" ]; then bash "$here/build-tunnel-image.sh"; fi

# The OpenStack tests run against a small real OpenStack started from ../shared/openstack.
if [ -f "$here/ensure-openstack.sh" ] && [ "${RONDO_SKIP_OPENSTACK:-0}" != "1" ]; then bash "$here/ensure-openstack.sh"; fi
