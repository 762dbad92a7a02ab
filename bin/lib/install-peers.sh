#!/usr/bin/env bash
# Installs the real FTP clients the end-to-end tests drive, where they are missing and we may:
# curl, ftp (Debian 12: tnftp), lftp, tmux, python3 (for ftplib), openssl (PEM files for FTPS tests),
# ssh-keygen (openssh-client: keys for the SFTP tests, whose sshd bin/lib/fetch-sshd.sh unpacks),
# and PostgreSQL's server binaries (the account store's tests start their own instance with initdb
# and pg_ctl; Debian keeps those in /usr/lib/postgresql/VERSION/bin). Debian/Ubuntu via apt-get, as root
# or through password-less sudo. Never fails: a test whose client is still missing skips, saying so.
set -u
# command -> Debian package
declare -A package=([curl]=curl [ftp]=ftp [lftp]=lftp [tmux]=tmux [python3]=python3 [openssl]=openssl [ssh-keygen]=openssh-client)
missing=()
for command in curl ftp lftp tmux python3 openssl ssh-keygen; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${package[$command]}")
done
has_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1; }
has_postgres || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "jftp: ${missing[*]} missing, and neither root nor password-less sudo to install them; those tests will skip" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "jftp: ${missing[*]} missing and no apt-get here; install them by hand, or those tests will skip" >&2
  exit 0
fi

log=/tmp/jftp-install-peers.log
echo "jftp: installing test peers: ${missing[*]} (log: $log)" >&2
{
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
} >"$log" 2>&1 || echo "jftp: could not install ${missing[*]} (see $log); those tests will skip" >&2

for command in curl ftp lftp tmux python3 openssl ssh-keygen; do
  command -v "$command" >/dev/null 2>&1 || echo "jftp: $command is still missing; its end-to-end tests will skip" >&2
done
has_postgres || echo "jftp: PostgreSQL's initdb is still missing; the PostgreSQL account store tests will skip" >&2
exit 0
