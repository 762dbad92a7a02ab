#!/usr/bin/env bash
# Prints the path of a runnable HAProxy, fetching Debian's package the first time: apt-get download
# + dpkg -x into peers/haproxy (never installed: that would start its system service), with every
# library it needs that this machine lacks unpacked beside it. What it prints is a small wrapper,
# peers/haproxy/run, that sets LD_LIBRARY_PATH for those libraries and runs usr/sbin/haproxy.
#
# Idempotent (a second run only prints the path) and safe to run from several tests at once (flock).
# Exit status 1, with the reason on standard error, when HAProxy cannot be fetched or cannot run here.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debian-package.sh"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="$root/peers"
dir="$peers/haproxy"
run="$dir/run"
mkdir -p "$peers/debs"

works() { [ -x "$run" ] && "$run" -v >/dev/null 2>&1; }

exec 9>"$peers/haproxy.lock"
flock -w 600 9 || { echo "fetch-haproxy: another fetch held the lock for 10 minutes" >&2; exit 1; }
if works; then
  echo "$run"
  exit 0
fi

unpack_debian_package fetch-haproxy haproxy "$dir" usr/sbin/haproxy "$run" || exit 1
works || { echo "fetch-haproxy: $run -v failed: $("$run" -v 2>&1 | head -3)" >&2; exit 1; }
echo "$run"
