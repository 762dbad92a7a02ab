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
# password made at random once per machine and kept in /var/lib/jftp-tests/jftp-sftp-password
# (mode 600; one place for every checkout on the machine, since the account is the machine's: a
# password per checkout made concurrent test runs of two clones lock each other out), copied to
# peers/openssh-server/test-password for the tests.
#
# Idempotent (a second run only prints the path) and safe to run from several tests at once (flock).
# Exit status 1, with the reason on standard error, when sshd cannot be fetched or cannot run here.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/debian-package.sh"
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
  local state=/var/lib/jftp-tests
  local password="$state/jftp-sftp-password"
  mkdir -p "$state" && chmod 0700 "$state"
  exec 8>"$state/jftp-sftp.lock"
  flock -w 60 8 || { echo "fetch-sshd: another run held $state/jftp-sftp.lock for a minute" >&2; exit 1; }
  if ! getent passwd jftp-sftp >/dev/null || [ ! -s "$password" ]; then
    getent passwd jftp-sftp >/dev/null || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin jftp-sftp
    (umask 077 && head -c 18 /dev/urandom | base64 | tr '+/' 'xy' >"$password")
    echo "jftp-sftp:$(cat "$password")" | chpasswd
  fi
  exec 8>&-
  (umask 077 && cp "$password" "$dir/test-password")
}

exec 9>"$peers/openssh-server.lock"
flock -w 600 9 || { echo "fetch-sshd: another fetch held the lock for 10 minutes" >&2; exit 1; }
if works; then
  accounts
  echo "$run"
  exit 0
fi

unpack_debian_package fetch-sshd openssh-server "$dir" usr/sbin/sshd "$run" || exit 1
works || { echo "fetch-sshd: $run -V failed: $("$run" -V 2>&1 | head -3)" >&2; exit 1; }
accounts
echo "$run"
