#!/usr/bin/env bash
# Builds the tunnel helper image `rondo/tunnel` that a Docker PoP's driver runs as the
# endpoint of an inter-PoP link (VXLAN + bridge + tbf shaping; see
# src/vim/docker/docker-tunnel.ts). Busybox's `ip` has no vxlan and its `tc` no tbf, so
# the rootfs holds busybox-static plus this host's iproute2 binaries (ip, bridge, tc) and
# the libraries `ldd` names for them. Nothing is pulled: `docker import` of that rootfs.
# Idempotent and cached: the image is tagged with a hash of its content
# (rondo/tunnel:<hash>) and `rondo/tunnel:latest` points at it; a present hash is not
# rebuilt. Honours DOCKER_HOST (local engines build it in their own engine).
set -euo pipefail
IMAGE=rondo/tunnel
REV=1

. "$(dirname "${BASH_SOURCE[0]}")/static-busybox.sh"
ensure_static_busybox build-tunnel-image
bins=()
for b in ip bridge tc; do
  p=$(command -v "$b" || true)
  [ -n "$p" ] || { echo "build-tunnel-image: $b (iproute2) is missing on this host" >&2; exit 1; }
  bins+=("$(readlink -f "$p")")
done
# The libraries (and the loader) the binaries need, as absolute paths.
libs=$(for b in "${bins[@]}"; do ldd "$b"; done | grep -v ":$" | grep -o "/[^ ]*" | sort -u)

hash=$( { echo "rev $REV"; sha256sum "$busybox" "${bins[@]}" $libs "$0"; } | sha256sum | cut -c1-16)
tag="$IMAGE:$hash"
if docker image inspect "$tag" >/dev/null 2>&1; then
  docker tag "$tag" "$IMAGE:latest"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/sbin" "$root/tmp" "$root/etc" "$root/root"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
# iproute2 replaces busybox's ip, bridge and tc applets.
for b in "${bins[@]}"; do
  n=$(basename "$b")
  rm -f "$root/bin/$n"
  cp "$b" "$root/sbin/$n"
done
for l in $libs; do
  mkdir -p "$root$(dirname "$l")"
  cp -L "$l" "$root$l"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/sbin:/bin' \
  --change 'CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; while :; do sleep 3600 & wait $!; done"]' \
  --change "LABEL rondo.image=$IMAGE" \
  --change "LABEL rondo.image.hash=$hash" \
  - "$tag" >/dev/null
docker tag "$tag" "$IMAGE:latest"
echo "build-tunnel-image: built $tag"
