#!/usr/bin/env bash
# Installs the real FTP clients the end-to-end tests drive, where they are missing and we may.
# Tests that still find a client missing skip with a visible message.
set -u
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ftp >/dev/null 2>&1 || missing+=(ftp)
command -v lftp >/dev/null 2>&1 || missing+=(lftp)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "jftp: installing test peers: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/tmp/jftp-install-peers.log 2>&1 \
    || echo "jftp: could not install ${missing[*]} (see /tmp/jftp-install-peers.log); those tests will skip" >&2
else
  echo "jftp: not root or no apt-get: ${missing[*]} missing; those tests will skip" >&2
fi
exit 0
