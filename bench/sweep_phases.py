#!/usr/bin/env python3
"""CPU seconds of a `cascade sweep` in its two phases: checking every point, then running.

usage: bench/sweep_phases.py CASCADE SWEEP OUT_DIR THREADS (bench/run_sweep_bench.sh)
The split is read from /proc/<pid>/stat when the log line "sweep <name>: N runs" appears
(printed after the points are checked, before the first run).
"""
import os, subprocess, sys, time

cascade, sweep, out, threads = sys.argv[1:5]
tick = os.sysconf("SC_CLK_TCK")
start = time.monotonic()
p = subprocess.Popen([cascade, "sweep", sweep, "--out", out, "--threads", threads],
                     stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
checked_cpu = checked_wall = None
for line in p.stderr:
    if "] sweep " in line and checked_cpu is None:
        with open(f"/proc/{p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        checked_cpu = (int(fields[11]) + int(fields[12])) / tick
        checked_wall = time.monotonic() - start
_, status, usage = os.wait4(p.pid, 0)
total_cpu = usage.ru_utime + usage.ru_stime
print(p.stdout.read().strip())
print(f"check: {checked_cpu:.2f} CPU s ({checked_wall:.1f} s wall); runs: {total_cpu - checked_cpu:.2f} CPU s; "
      f"total {total_cpu:.2f} CPU s, {time.monotonic() - start:.1f} s wall, max RSS {usage.ru_maxrss} KB; "
      f"load {open('/proc/loadavg').read().split()[:3]}")
