#!/usr/bin/env bash
# Benchmark: jftp against curl, 1 GiB download and upload over loopback from bin/jftpd, same run.
#
#   client/src/bench/transfer-vs-curl.sh            # 1024 MiB, 3 rounds
#   SIZE_MB=256 ROUNDS=5 client/src/bench/transfer-vs-curl.sh
#
# Each round runs curl and jftp alternately on the same file, so that load from other processes
# hits both alike; the report gives the median seconds and the ratio jftp/curl. "jftp" includes
# the JVM start (one process per transfer, like curl); "in one process" is the per-file time of
# ROUNDS transfers in one jftp batch (less one start-login-quit) and in one curl command line,
# i.e. the transfer paths without process start and login.
# Files live in /dev/shm when it has room (BENCH_DIR overrides), so that disk write-back does not
# blur the comparison; the order of curl and jftp alternates between rounds.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../../../bin/lib/common.sh"
SIZE_MB="${SIZE_MB:-1024}"
ROUNDS="${ROUNDS:-3}"
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
command -v bc >/dev/null || { echo "bc is needed (apt-get install bc)" >&2; exit 1; }

bench_dir="${BENCH_DIR:-}"
if [ -z "$bench_dir" ]; then
  bench_dir=/tmp
  if [ -d /dev/shm ] && [ "$(df -Pm /dev/shm | awk 'NR==2 {print $4}')" -gt $((SIZE_MB * 5)) ]; then bench_dir=/dev/shm; fi
fi
work="$(mktemp -d "$bench_dir/jftp-bench.XXXXXX")"
echo "working in $work" >&2
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root" "$work/local"

jar_server="$(jftp_ensure_jar server jftpd)"
jftp_ensure_jar client jftp >/dev/null
echo "making a ${SIZE_MB} MiB file..." >&2
head -c "${SIZE_MB}M" /dev/urandom > "$work/root/big.bin"
cp "$work/root/big.bin" "$work/local/up.bin"

"$JAVA_HOME/bin/java" -jar "$jar_server" --port 0 --root "$work/root" --user bench:bench >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$work/server.out" 2>/dev/null && break
  sleep 0.1
done
port="$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/server.out")"
[ -n "$port" ] || { echo "jftpd did not start: $(cat "$work/server.err")" >&2; exit 1; }
url="ftp://bench:bench@127.0.0.1:$port"

jftp() { (cd "$work/local" && JFTP_PASSWORD=bench "$JFTP_ROOT/bin/jftp" -P "$port" -b - bench@127.0.0.1 >/dev/null); }
seconds() { local start end; start=$(date +%s.%N); "$@"; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
# CPU seconds (user + system) of a command and its children: less sensitive to a busy machine than wall time.
cpu() { local t; t="$( { /usr/bin/time -f "%U %S" "$@" >/dev/null; } 2>&1 | tail -1)"; echo "$t" | awk '{printf "%.3f", $1 + $2}'; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

# The first session after a build trains bin/jftp's AOT cache (or class-data archive): a small put
# and get, not timed, so that it holds what a transfer needs.
head -c 1M /dev/urandom > "$work/local/warm-up.bin"
jftp <<<$'put warm-up.bin warm-up.bin\nget warm-up.bin warm-up-back.bin'
rm -f "$work/local/warm-up.bin" "$work/local/warm-up-back.bin" "$work/root/warm-up.bin"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
declare -a curl_get jftp_get curl_put jftp_put
curl_download() { curl_get+=("$(seconds curl -s -o "$work/local/curl.bin" "$url/big.bin")"); }
jftp_download() { jftp_get+=("$(seconds jftp <<<"get big.bin jftp.bin")"); }
curl_upload() { curl_put+=("$(seconds curl -s -T "$work/local/up.bin" "$url/curl-up.bin")"); }
jftp_upload() { jftp_put+=("$(seconds jftp <<<"put up.bin jftp-up.bin")"); }
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then curl_download; sync; jftp_download; else jftp_download; sync; curl_download; fi
  cmp -s "$work/local/jftp.bin" "$work/root/big.bin" || { echo "jftp download differs" >&2; exit 1; }
  rm -f "$work/local/curl.bin" "$work/local/jftp.bin"; sync
  if [ $((round % 2)) -eq 1 ]; then jftp_upload; sync; curl_upload; else curl_upload; sync; jftp_upload; fi
  cmp -s "$work/root/jftp-up.bin" "$work/local/up.bin" || { echo "jftp upload differs" >&2; exit 1; }
  rm -f "$work/root/curl-up.bin" "$work/root/jftp-up.bin"; sync
  echo "round $round: get curl ${curl_get[-1]} s, jftp ${jftp_get[-1]} s; put curl ${curl_put[-1]} s, jftp ${jftp_put[-1]} s" >&2
done

batch_get="" batch_put=""
for round in $(seq 1 "$ROUNDS"); do batch_get+="get big.bin in-session.bin"$'\n'; done
for round in $(seq 1 "$ROUNDS"); do batch_put+="put up.bin in-session.bin"$'\n'; done
login_only="$(seconds jftp <<<"pwd")"
sync
session_get="$(seconds jftp <<<"$batch_get")"
rm -f "$work/local/in-session.bin"; sync
session_put="$(seconds jftp <<<"$batch_put")"
rm -f "$work/root/in-session.bin"; sync
# curl with all rounds in one process too (one connection, one login), for the same comparison.
declare -a curl_many_get=() curl_many_put=()
for round in $(seq 1 "$ROUNDS"); do
  curl_many_get+=(-o "$work/local/in-session.bin" "$url/big.bin")
  curl_many_put+=(-T "$work/local/up.bin" "$url/in-session.bin")
done
curl_session_get="$(seconds curl -s "${curl_many_get[@]}")"
rm -f "$work/local/in-session.bin"; sync
curl_session_put="$(seconds curl -s "${curl_many_put[@]}")"
rm -f "$work/root/in-session.bin"; sync

# CPU time of one transfer each.
jftp_get_cpu() { jftp <<<"get big.bin cpu.bin"; }
jftp_put_cpu() { jftp <<<"put up.bin cpu-up.bin"; }
cpu_curl_get="$(cpu curl -s -o "$work/local/cpu.bin" "$url/big.bin")"; rm -f "$work/local/cpu.bin"
cpu_jftp_get="$(cpu bash -c "$(declare -f jftp jftp_get_cpu); work='$work' JFTP_ROOT='$JFTP_ROOT' port='$port' jftp_get_cpu")"; rm -f "$work/local/cpu.bin"
cpu_curl_put="$(cpu curl -s -T "$work/local/up.bin" "$url/cpu-up.bin")"; rm -f "$work/root/cpu-up.bin"
cpu_jftp_put="$(cpu bash -c "$(declare -f jftp jftp_put_cpu); work='$work' JFTP_ROOT='$JFTP_ROOT' port='$port' jftp_put_cpu")"
cpu_jftp_idle="$(cpu bash -c "$(declare -f jftp); work='$work' JFTP_ROOT='$JFTP_ROOT' port='$port' jftp <<<pwd")"

cg=$(printf '%s\n' "${curl_get[@]}" | median); jg=$(printf '%s\n' "${jftp_get[@]}" | median)
cp_=$(printf '%s\n' "${curl_put[@]}" | median); jp=$(printf '%s\n' "${jftp_put[@]}" | median)
sg=$(echo "($session_get - $login_only) / $ROUNDS" | bc -l); sp=$(echo "($session_put - $login_only) / $ROUNDS" | bc -l)
csg=$(echo "$curl_session_get / $ROUNDS" | bc -l); csp=$(echo "$curl_session_put / $ROUNDS" | bc -l)
echo "load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
echo "${SIZE_MB} MiB over loopback, median of $ROUNDS rounds, wall seconds (ratio = jftp/curl):"
printf "  one process per file:  get curl %.3f  jftp %.3f (ratio %.3f)   put curl %.3f  jftp %.3f (ratio %.3f)\n" \
  "$cg" "$jg" "$(echo "$jg/$cg" | bc -l)" "$cp_" "$jp" "$(echo "$jp/$cp_" | bc -l)"
printf "  per file, %s in one process: get curl %.3f  jftp %.3f (ratio %.3f)   put curl %.3f  jftp %.3f (ratio %.3f)\n" \
  "$ROUNDS" "$csg" "$sg" "$(echo "$sg/$csg" | bc -l)" "$csp" "$sp" "$(echo "$sp/$csp" | bc -l)"
printf "  jftp start + login + quit alone: %.3f\n" "$login_only"
echo "client CPU seconds (user+sys) for one transfer:"
printf "  get: curl %s  jftp %s   put: curl %s  jftp %s   (jftp start + login + quit alone: %s)\n" \
  "$cpu_curl_get" "$cpu_jftp_get" "$cpu_curl_put" "$cpu_jftp_put" "$cpu_jftp_idle"
