#!/usr/bin/env bash
# Builds the VNF images used by tests and the demo from busybox-static with
# `docker import` (nothing is pulled from a registry). Idempotent; fast when present.
#   vnf/busybox:latest  generic VNF (sh, ping, ip, route, traceroute, nc, httpd)
#   vnf/sap:latest      service access point, same content
# The default command keeps the container alive until SIGTERM, as a VNF's daemon would
# (busybox's sh exits at once without a terminal). Images of an older revision are rebuilt.
set -euo pipefail
REV=3

IMAGES=(vnf/busybox:latest vnf/sap:latest)

missing=()
for image in "${IMAGES[@]}"; do
  rev=$(docker image inspect --format '{{ index .Config.Labels "rondo.image.rev" }}' "$image" 2>/dev/null || true)
  [ "$rev" = "$REV" ] || missing+=("$image")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

. "$(dirname "${BASH_SOURCE[0]}")/static-busybox.sh"
ensure_static_busybox build-vnf-images

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/root"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  # The applet list names busybox itself; linking it would overwrite the binary.
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
# Debian's busybox-static has no nohup applet; start commands are run detached with it.
[ -e "$root/bin/nohup" ] || printf '#!/bin/sh\ntrap "" HUP\nexec "$@"\n' >"$root/bin/nohup"
chmod 755 "$root/bin/nohup"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

for image in "${missing[@]}"; do
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/bin' \
    --change 'CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"]' \
    --change "LABEL rondo.image.rev=$REV" \
    --change "LABEL rondo.image=${image%%:*}" \
    - "$image" >/dev/null
  echo "build-vnf-images: built $image"
done
