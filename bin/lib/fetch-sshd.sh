#!/usr/bin/env bash
# Prints the path of a runnable OpenSSH sshd, fetching Debian's openssh-server package the first
# time: apt-get download + dpkg -x into peers/openssh-server (never installed: that would start the
# machine's own SSH service), with every library it needs that this machine lacks unpacked beside
# it. What it prints is a small wrapper, peers/openssh-server/sshd, that sets LD_LIBRARY_PATH for
# those libraries and runs usr/sbin/sshd (which needs an absolute path: it re-executes itself).
# Tests run it on loopback with a temporary configuration and host key (see the client's
# SftpTestServer); bench/run can use it the same way.
#
# sshd needs its privilege separation user "sshd" and /run/sshd, which the package's scripts would
# have made; as root this script makes them. It also makes the account the tests log in as,
# "jftp-sftp" (no shell: /usr/sbin/nologin; the test configuration forces internal-sftp), with a
# password made at random once and kept in peers/openssh-server/test-password (mode 600).
#
# Idempotent (a second run only prints the path) and safe to run from several tests at once (flock).
# Exit status 1, with the reason on standard error, when sshd cannot be fetched or cannot run here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
peers="$root/peers"
dir="$peers/openssh-server"
run="$dir/sshd"
mkdir -p "$peers/debs"

# sshd -V prints its version and exits 0 (OpenSSH 9.2 and later); -t would need a configuration.
works() { [ -x "$run" ] && "$run" -V >/dev/null 2>&1; }

# As root: what the package's scripts would have made, and the test account (see above).
accounts() {
  [ "$(id -u)" -eq 0 ] || return 0
  mkdir -p /run/sshd && chmod 0755 /run/sshd
  getent passwd sshd >/dev/null || useradd --system --no-create-home --home-dir /run/sshd --shell /usr/sbin/nologin sshd
  local password="$dir/test-password"
  if ! getent passwd jftp-sftp >/dev/null || [ ! -s "$password" ]; then
    getent passwd jftp-sftp >/dev/null || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin jftp-sftp
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' 'xy' >"$password")
    echo "jftp-sftp:$(cat "$password")" | chpasswd
  fi
}

exec 9>"$peers/openssh-server.lock"
flock -w 600 9 || { echo "fetch-sshd: another fetch held the lock for 10 minutes" >&2; exit 1; }
if works; then
  accounts
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
  echo "fetch-sshd: apt-get download ${missing[*]}" >&2
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
fetch openssh-server || { echo "fetch-sshd: could not download the Debian package openssh-server (apt-get download)" >&2; exit 1; }
dpkg -x "$(deb openssh-server)" "$dir"

# Libraries: the dependencies not installed here, and theirs, a few levels deep.
todo=(openssh-server)
done_pkgs=" openssh-server "
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
  # debconf, ucf, procps and the like are for the package's scripts, which dpkg -x never runs; a
  # dependency that cannot be fetched only matters if ldd below misses one of its libraries.
  for pkg in "${next[@]}"; do
    if fetch "$pkg"; then
      dpkg -x "$(deb "$pkg")" "$dir"
    else
      echo "fetch-sshd: could not download $pkg (continuing: ldd says whether it matters)" >&2
    fi
  done
  todo=("${next[@]}")
done

libdirs="$(find "$dir" -name '*.so*' \( -type f -o -type l \) -printf '%h\n' | sort -u | paste -sd:)"
missing="$(LD_LIBRARY_PATH="$libdirs" ldd "$dir/usr/sbin/sshd" 2>&1 | awk '/not found/ { print $1 }' | paste -sd' ')"
if [ -n "$missing" ]; then
  echo "fetch-sshd: sshd cannot run here, libraries not found: $missing" >&2
  exit 1
fi
cat >"$run" <<WRAPPER
#!/bin/sh
# Made by bin/lib/fetch-sshd.sh: Debian's sshd, unpacked here, with its libraries beside it.
LD_LIBRARY_PATH="$libdirs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}" exec "$dir/usr/sbin/sshd" "\$@"
WRAPPER
chmod +x "$run"
works || { echo "fetch-sshd: $run -V failed: $("$run" -V 2>&1 | head -3)" >&2; exit 1; }
accounts
echo "$run"
