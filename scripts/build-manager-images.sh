#!/usr/bin/env bash
# Builds the example specific managers (examples/managers) into local images with
# `docker import` (nothing is pulled from a registry):
#   rondo/ssm-placement   placement SSM (pins the firewall to dc2)
#   rondo/fsm-firewall    firewall FSM (writes the firewall's config file through Rondo's exec)
# Each image holds /usr/bin/node with the libraries `ldd` names, and an esbuild bundle of
# the manager with the SDK and amqplib (/app/main.cjs). It is tagged with a hash of what
# goes into it (`:<hash>`) and `:latest`; a run whose hash tag exists only moves `:latest`
# (idempotent, fast). Needs Docker and `npm ci` (esbuild comes with vite).
set -euo pipefail
cd "$(dirname "$0")/.."

ESBUILD=node_modules/.bin/esbuild
[ -x "$ESBUILD" ] || { echo "build-manager-images: $ESBUILD is missing; run npm ci" >&2; exit 1; }
NODE=$(readlink -f /usr/bin/node 2>/dev/null || command -v node)

# What the images are made of: the managers, the SDK and what it bundles, the node binary, amqplib's version.
hash=$( {
  cat scripts/build-manager-images.sh
  find examples/managers src/sdk src/plugins src/bus src/model -name '*.ts' ! -name '*.test.ts' -type f | sort | xargs cat
  sha256sum "$NODE" | cut -d' ' -f1
  node -p "require('./node_modules/amqplib/package.json').version"
} | sha256sum | cut -c1-12)

build() { # <image> <entry>
  local image=$1 entry=$2
  if docker image inspect "$image:$hash" >/dev/null 2>&1; then
    docker tag "$image:$hash" "$image:latest"
    return
  fi
  local root
  root=$(mktemp -d)
  mkdir -p "$root/app" "$root/tmp" "$root/usr/bin"
  chmod 1777 "$root/tmp"
  cp "$NODE" "$root/usr/bin/node"
  for lib in $(ldd "$NODE" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  "$ESBUILD" "$entry" --bundle --platform=node --format=cjs --target=node20 --outfile="$root/app/main.cjs" --log-level=warning
  tar -C "$root" -c . | docker import \
    --change 'CMD ["/usr/bin/node", "/app/main.cjs"]' \
    --change 'WORKDIR /app' \
    --change "LABEL rondo.manager.image=$image rondo.image.hash=$hash" \
    - "$image:$hash" >/dev/null
  rm -rf "$root"
  docker tag "$image:$hash" "$image:latest"
  echo "built $image:$hash"
}

build rondo/ssm-placement examples/managers/placement-ssm.ts
build rondo/fsm-firewall examples/managers/firewall-fsm.ts
