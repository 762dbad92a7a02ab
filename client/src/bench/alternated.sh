#!/usr/bin/env bash
# Compares commands under load: runs them alternated, N rounds (the order reversed every other
# round), so that load from other processes hits them alike, and prints per command the median,
# min and max wall time, the median and min CPU (user + system of the command and its children),
# and, with AB_PID set, the median CPU that process (a server) spent during each run.
#
#   client/src/bench/alternated.sh 10 'old=/tmp/old/bin/jftp -b bye.batch -P 2121 u@127.0.0.1' \
#       'new=bin/jftp -b bye.batch -P 2121 u@127.0.0.1' 'curl=curl -sS -I ftp://u:pw@127.0.0.1:2121/'
#
# AB_BEFORE: a command run (untimed) before each run, e.g. removing the last upload.
# How the client figures in README.md ("What profiling changed in the client") were taken: a copy
# of bin/ and client/target/jftp.jar in another directory is a frozen old client.
set -uo pipefail
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 1; }
n=$1; shift
ticks=$(getconf CLK_TCK) # /proc/PID/stat counts CPU in these
labels=(); cmds=()
for a in "$@"; do labels+=("${a%%=*}"); cmds+=("${a#*=}"); done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r=0;r<n;r++)); do
  idx=($(seq 0 $((${#cmds[@]}-1))))
  if ((r%2)); then idx=($(printf '%s\n' "${idx[@]}" | tac)); fi
  for i in "${idx[@]}"; do
    [ -n "${AB_BEFORE:-}" ] && bash -c "$AB_BEFORE" >/dev/null 2>&1
    s0=0; [ -n "${AB_PID:-}" ] && s0=$(awk '{print $14+$15}' /proc/$AB_PID/stat)
    /usr/bin/time -f "%e %U %S" -o "$out/t" bash -c "${cmds[$i]}" >/dev/null 2>"$out/err" || { echo "FAIL ${labels[$i]}: $(tail -3 $out/err)"; }
    s1=0; [ -n "${AB_PID:-}" ] && s1=$(awk '{print $14+$15}' /proc/$AB_PID/stat)
    read w u s < "$out/t"; echo "$w $(echo "$u + $s" | bc) $(echo "($s1 - $s0)/$ticks" | bc -l)" >> "$out/${labels[$i]}"
  done
done
for l in "${labels[@]}"; do
  python3 -c '
import sys, statistics as st
l=sys.argv[1]; rows=[list(map(float,x.split())) for x in open(sys.argv[2])]
w=[r[0] for r in rows]; c=[r[1] for r in rows]
sv=[r[2] for r in rows]
print(f"{l:<12} n={len(w)} wall median {st.median(w):.3f} min {min(w):.3f} max {max(w):.3f} | cpu median {st.median(c):.3f} min {min(c):.3f} | server cpu median {st.median(sv):.3f}")
' "$l" "$out/$l"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
