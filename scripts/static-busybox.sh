# Sourced by the image builders: `ensure_static_busybox <who>` makes sure /bin/busybox is
# the static busybox (installs busybox-static when root), else exits naming <who>.
busybox=/bin/busybox
is_static() { [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1; }
ensure_static_busybox() {
  is_static "$busybox" && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "$1: $busybox is missing or not static; run as root to install busybox-static" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y busybox-static >/dev/null
  is_static "$busybox" || { echo "$1: $busybox is still not static" >&2; exit 1; }
}
