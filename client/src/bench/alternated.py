#!/usr/bin/env python3
"""Compares short commands on a quiet machine: like alternated.sh, with the wall time in
nanoseconds (alternated.sh's /usr/bin/time has 10 ms steps, too coarse for a 50 ms session).

  client/src/bench/alternated.py 30 'rm -f ROOT/up/client.bin' \\
      'old=/tmp/old/bin/jftp -b put.batch -P 2121 u@127.0.0.1' 'new=bin/jftp -b put.batch -P 2121 u@127.0.0.1' \\
      'curl=curl -sS -T big.bin ftp://u:pw@127.0.0.1:2121/up/client.bin'

Runs each command ROUNDS times, alternated (the order reversed every other round, so that drift
hits all alike), BEFORE (untimed; '' for none) before each run; prints per command the median,
minimum and maximum wall time and the median CPU (user + system of the command and its children,
from getrusage).
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    rounds = int(sys.argv[1])
    before = sys.argv[2]
    commands = [a.split("=", 1) for a in sys.argv[3:]]
    results = {label: [] for label, _ in commands}
    for r in range(rounds):
        for label, command in (commands if r % 2 == 0 else commands[::-1]):
            if before:
                subprocess.run(before, shell=True, check=False)
            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter_ns()
            p = subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
            t1 = time.perf_counter_ns()
            ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode != 0:
                print(f"FAIL {label} (exit {p.returncode}): {p.stderr.decode(errors='replace')[-300:]}")
            cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
            results[label].append(((t1 - t0) / 1e6, cpu * 1000))
    for label, rows in results.items():
        wall = [w for w, _ in rows]
        cpu = [c for _, c in rows]
        print(f"{label:<8} n={len(wall)} wall median {statistics.median(wall):.1f} ms min {min(wall):.1f} "
              f"max {max(wall):.1f} | cpu median {statistics.median(cpu):.1f} ms")


if __name__ == "__main__":
    main()
