#!/usr/bin/env bash
# Makes sure the CI OpenStack (Keystone, Glance, Placement, Nova, Neutron, Heat) answers.
# When one of the APIs does not, runs ../shared/openstack/setup.sh next to the repository
# (CI clones the repo as <tmp>/main with shared/ beside it). setup.sh is idempotent, and so
# is this script: a second run with everything up only probes the ports.
# Env: OS_CI_HOST (default 127.0.0.1), OS_CI_SETUP (path of setup.sh, to override).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
setup="${OS_CI_SETUP:-$(dirname "$repo")/shared/openstack/setup.sh}"
host="${OS_CI_HOST:-127.0.0.1}"

answers() {
  # Any HTTP answer counts (Nova and Heat answer 401 or 300 without a token).
  local code
  code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$host:$1/" || true)"
  [ -n "$code" ] && [ "$code" != "000" ]
}

missing=()
for port in 5000 9292 8778 8774 9696 8004; do
  answers "$port" || missing+=("$port")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "ensure-openstack: all APIs answer on $host"
  exit 0
fi

echo "ensure-openstack: no answer on port(s) ${missing[*]}; running $setup"
if [ ! -f "$setup" ]; then
  echo "ensure-openstack: $setup not found; clone shared/ beside the repository or set OS_CI_SETUP" >&2
  exit 1
fi
start=$(date +%s)
bash "$setup"
echo "ensure-openstack: setup.sh took $(( $(date +%s) - start )) s"
