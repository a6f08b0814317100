"""Compares the start-up of StartupProbe under several sets of JVM options, interleaved.

Usage: python3 benchmarks/startup_compare.py <runs> <plain|classes> <label>=<jvm options> ...
Example: python3 benchmarks/startup_compare.py 11 plain none= new=-javaagent:agent/target/pool-agent.jar

For comparing two agent builds by hand (bar 6 of BENCHMARKS.md is measured by startup.py). Prints,
per variant, the median time from spawning the JVM to the probe's "first-borrow" line and the
median CPU time of the whole process, each also as the difference to the first variant.
"""
import os
import shlex
import statistics
import subprocess
import sys
import time

JAR = "benchmarks/target/benchmarks.jar"
runs, app = int(sys.argv[1]), sys.argv[2]
variants = [(arg.split("=", 1)[0], shlex.split(arg.split("=", 1)[1])) for arg in sys.argv[3:]]
wall = {label: [] for label, _ in variants}
cpu = {label: [] for label, _ in variants}
for _ in range(runs):
    for label, options in variants:
        start = time.perf_counter()
        proc = subprocess.Popen(["java", "-Xshare:auto", *options, "-cp", JAR,
                                 "io.poolagent.bench.process.StartupProbe", app],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first_borrow = None
        for line in proc.stdout:
            if line.startswith("first-borrow") and first_borrow is None:
                first_borrow = (time.perf_counter() - start) * 1000
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0 or first_borrow is None:
            sys.exit(f"{label}: the probe failed (wait status {status})")
        wall[label].append(first_borrow)
        cpu[label].append((usage.ru_utime + usage.ru_stime) * 1000)
first = variants[0][0]
for label, _ in variants:
    w, c = statistics.median(wall[label]), statistics.median(cpu[label])
    print(f"{app} {label:10s} first borrow {w:7.1f} ms ({w - statistics.median(wall[first]):+6.1f})"
          f"   process CPU {c:7.1f} ms ({c - statistics.median(cpu[first]):+6.1f})")
