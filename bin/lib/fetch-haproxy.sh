#!/usr/bin/env bash
# Prints the path of a runnable HAProxy, fetching Debian's package the first time: apt-get download
# + dpkg -x into peers/haproxy (never installed: that would start its system service), with every
# library it needs that this machine lacks unpacked beside it. What it prints is a small wrapper,
# peers/haproxy/run, that sets LD_LIBRARY_PATH for those libraries and runs usr/sbin/haproxy.
#
# Idempotent (a second run only prints the path) and safe to run from several tests at once (flock).
# Exit status 1, with the reason on standard error, when HAProxy cannot be fetched or cannot run here.
set -euo pipefail
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

# fetch PACKAGE...: each .deb once into peers/debs (apt-get update once if the lists lack them)
fetch() {
  local pkg missing=()
  for pkg in "$@"; do
    compgen -G "$peers/debs/${pkg}_*.deb" >/dev/null || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "fetch-haproxy: apt-get download ${missing[*]}" >&2
  (cd "$peers/debs" && apt-get download "${missing[@]}") >&2 && return 0
  [ "$(id -u)" -eq 0 ] || return 1
  apt-get update -qq >&2 && (cd "$peers/debs" && apt-get download "${missing[@]}") >&2
}
deb() { compgen -G "$peers/debs/${1}_*.deb" | head -1; }
# the packages a .deb depends on that are not installed here (first alternative of each, no versions)
uninstalled_depends() {
  local pkg
  dpkg-deb -f "$1" Depends 2>/dev/null | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/[[:space:]]//g' | sed '/^$/d' |
    while read -r pkg; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

rm -rf "$dir"
mkdir -p "$dir"
fetch haproxy || { echo "fetch-haproxy: could not download the Debian package haproxy (apt-get download)" >&2; exit 1; }
dpkg -x "$(deb haproxy)" "$dir"

# Libraries: the dependencies not installed here, and theirs, a few levels deep.
todo=(haproxy)
done_pkgs=" haproxy "
for _ in 1 2 3 4; do
  next=()
  for pkg in "${todo[@]}"; do
    while read -r dep; do
      [ -n "$dep" ] || continue
      case "$done_pkgs" in *" $dep "*) continue ;; esac
      done_pkgs+="$dep "
      next+=("$dep")
    done < <(uninstalled_depends "$(deb "$pkg")")
  done
  [ ${#next[@]} -eq 0 ] && break
  # adduser, lsb-base and the like are for the package's scripts, which dpkg -x never runs; a
  # dependency that cannot be fetched only matters if ldd below misses one of its libraries.
  for pkg in "${next[@]}"; do
    if fetch "$pkg"; then
      dpkg -x "$(deb "$pkg")" "$dir"
    else
      echo "fetch-haproxy: could not download $pkg (continuing: ldd says whether it matters)" >&2
    fi
  done
  todo=("${next[@]}")
done

libdirs="$(find "$dir" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sort -u | paste -sd:)"
missing="$(LD_LIBRARY_PATH="$libdirs" ldd "$dir/usr/sbin/haproxy" 2>&1 | awk '/not found/ { print $1 }' | paste -sd' ')"
if [ -n "$missing" ]; then
  echo "fetch-haproxy: haproxy cannot run here, libraries not found: $missing" >&2
  exit 1
fi
cat >"$run" <<EOF
#!/bin/sh
# Made by bin/lib/fetch-haproxy.sh: Debian's haproxy, unpacked here, with its libraries beside it.
LD_LIBRARY_PATH="$libdirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/usr/sbin/haproxy" "\$@"
EOF
chmod +x "$run"
works || { echo "fetch-haproxy: $run -v failed: $("$run" -v 2>&1 | head -3)" >&2; exit 1; }
echo "$run"
