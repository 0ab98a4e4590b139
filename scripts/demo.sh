#!/usr/bin/env bash
# Rondo demo: start the server on a throw-away embedded store with two PoPs, dc1 on the
# local Docker engine and dc2 on a Docker engine of its own (RONDO_LOCAL_POPS=2: serve starts
# it, as `rondo pop up dc2` would), on-board the 3-VNF chain (and the SOL004 CSAR for the
# catalog), instantiate it across dc1/dc2 (links between the engines become VXLAN tunnels),
# prove that traffic crosses client -> firewall -> server in order, then terminate it and
# show that nothing is left on either engine. Exits non-zero if any step fails.
#   bash scripts/demo.sh [--no-wait]     (make demo runs it after building)
# RONDO_BIN overrides the CLI command (default: bin/rondo, the built copy).
# Authentication is on, as in production: the server creates the admin "demo-admin" with a
# password made for this run, and the CLI logs in (its token is kept in the throw-away
# folder, not in ~/.config/rondo).
set -euo pipefail
cd "$(dirname "$0")/.."

wait_for_enter=1
for arg in "$@"; do
  case "$arg" in
    --no-wait) wait_for_enter=0 ;;
    *) echo "usage: $0 [--no-wait]" >&2; exit 2 ;;
  esac
done
[ -n "${CI:-}" ] && wait_for_enter=0
[ -t 0 ] || wait_for_enter=0

read -r -a RONDO <<<"${RONDO_BIN:-node bin/rondo}"
work=$(mktemp -d "${TMPDIR:-/tmp}/rondo-demo.XXXXXX")
# Nothing from the caller's shell decides who the demo's CLI is.
unset RONDO_INSECURE_NO_AUTH RONDO_TOKEN RONDO_API_KEY
export RONDO_CONFIG_DIR="$work/config"
admin_user=demo-admin
admin_password=$(node -e 'console.log(require("crypto").randomBytes(18).toString("base64url"))')
server_pid=""
ns_id=""

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

# The engines of the PoPs: the default one (dc1) and dc2's own (rondo pop up dc2's socket).
dc2_host=unix:///run/rondo-pop-dc2/docker.sock
engines=("" "-H $dc2_host")

cleanup() {
  local rc=$?
  if [ -n "$ns_id" ] && command -v docker >/dev/null 2>&1; then
    # A failed run must not leak containers or networks of its NS, on either engine.
    for e in "${engines[@]}"; do
      left=$(docker $e ps -aq --filter "label=rondo.ns=$ns_id" 2>/dev/null || true)
      [ -n "$left" ] && docker $e rm -f $left >/dev/null 2>&1 || true
      nets=$(docker $e network ls -q --filter "label=rondo.ns=$ns_id" 2>/dev/null || true)
      [ -n "$nets" ] && docker $e network rm $nets >/dev/null 2>&1 || true
    done
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$work/server.log" ]; then
    echo "--- server log (last 30 lines) ---" >&2
    tail -n 30 "$work/server.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT INT TERM

docker info >/dev/null 2>&1 || fail "the Docker engine does not answer; run scripts/ensure-system-deps.sh (make demo does)"
bash scripts/build-vnf-images.sh

say "starting Rondo (embedded store in $work)"
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
RONDO_ADMIN_USER="$admin_user" RONDO_ADMIN_PASSWORD="$admin_password" RONDO_LOG_LEVEL=info RONDO_LOCAL_POPS=2 RONDO_POP_MODE=engines \
  "${RONDO[@]}" serve --port "$port" --data-dir "$work/data" >"$work/server.log" 2>&1 &
server_pid=$!
url="http://127.0.0.1:$port"
export RONDO_URL="$url"
for _ in $(seq 1 600); do
  curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited during start-up"
  sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null || fail "the server did not answer on $url within 60 s"
echo "Rondo is listening on $url"

say "logging in as $admin_user (the first admin, created from RONDO_ADMIN_USER/RONDO_ADMIN_PASSWORD)"
printf '%s' "$admin_password" | "${RONDO[@]}" login --user "$admin_user" --password-stdin
"${RONDO[@]}" whoami

say "PoPs: dc1 on the local Docker engine, dc2 on an engine of its own ($dc2_host)"
"${RONDO[@]}" vim list

say "building and on-boarding the packages"
"${RONDO[@]}" package build examples/tango-chain -o "$work/tango-chain.tgo"
"${RONDO[@]}" package build examples/sol004-csar -o "$work/sol004-csar.zip"
"${RONDO[@]}" --json package onboard "$work/tango-chain.tgo" >"$work/chain.json"
"${RONDO[@]}" package onboard "$work/sol004-csar.zip" >/dev/null
nsd_id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).nsds[0].id)' "$work/chain.json")
echo "on-boarded the tango chain as NSD $nsd_id (and the SOL004 CSAR)"
"${RONDO[@]}" nsd list

say "instantiating the chain across dc1/dc2 (links between the two engines are VXLAN tunnels)"
"${RONDO[@]}" --json ns create --nsd "$nsd_id" --name demo-chain >"$work/ns.json"
ns_id=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).id)' "$work/ns.json")
echo "NS instance $ns_id"
"${RONDO[@]}" ns instantiate "$ns_id" --placement round-robin-with-saps --wait --timeout 300

say "the NS with its PoPs, containers and addresses"
"${RONDO[@]}" ns show "$ns_id"

say "traffic from the ingress SAP to the egress SAP crosses the chain in order"
"${RONDO[@]}" --json ns show "$ns_id" >"$work/show.json"
read -r ingress ingress_pop egress expected < <(node -e '
  const n = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const all = [...n.vnfInstance, ...n.sapInfo];
  const m = (id) => all.find((x) => x.memberId === id);
  const addr = (id, cp) => m(id).interfaces.find((i) => i.cp === cp).address;
  const hops = [addr("client", "input"), addr("firewall", "input"), addr("server", "input"), addr("output", "output")];
  console.log(m("input").computeIds[0], m("input").popId, addr("output", "output"), hops.join(","));
' "$work/show.json")
for m in client firewall server; do
  echo "$m on $(node -e 'const n=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(n.vnfInstance.find((v)=>v.memberId===process.argv[2]).popId)' "$work/show.json" "$m")"
done
ingress_engine=""
[ "$ingress_pop" = "dc2" ] && ingress_engine="-H $dc2_host"
trace=$(docker $ingress_engine exec "$ingress" traceroute -n -q 1 -w 2 -m 8 "$egress")
echo "$trace"
got=$(echo "$trace" | awk '/^ *[0-9]+ +[0-9.]+ /{print $2}' | paste -sd, -)
echo "hops:     $got"
echo "expected: $expected (client, firewall, server, egress SAP)"
[ "$got" = "$expected" ] || fail "traffic did not follow the chain"
echo "traffic crosses client -> firewall -> server in order: OK"

say "dashboard"
echo "open $url/ui and sign in as $admin_user with password $admin_password"
if [ "$wait_for_enter" = 1 ]; then
  read -r -p "press Enter to terminate the NS and stop Rondo... " _
fi

say "terminating"
"${RONDO[@]}" ns terminate "$ns_id" --wait --timeout 300
"${RONDO[@]}" ns delete "$ns_id"
left=""; nets=""
for e in "${engines[@]}"; do
  left+=$(docker $e ps -a --filter "label=rondo.ns=$ns_id" --format '{{.Names}}')
  nets+=$(docker $e network ls --filter "label=rondo.ns=$ns_id" --format '{{.Name}}')
done
echo "docker ps -a --filter label=rondo.ns=$ns_id (dc1 and dc2 engines): ${left:-(none)}"
echo "docker network ls --filter label=rondo.ns=$ns_id (dc1 and dc2 engines): ${nets:-(none)}"
[ -z "$left$nets" ] || fail "resources of the NS are left on Docker"
ns_id=""

say "stopping Rondo"
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""
echo "demo finished: nothing left behind"
