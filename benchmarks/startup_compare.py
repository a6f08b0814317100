"""Compares the start-up of StartupProbe under several sets of JVM options, interleaved.

Usage: python3 benchmarks/startup_compare.py <runs> <plain|classes> <label>=<jvm options> ...
Example: python3 benchmarks/startup_compare.py 11 plain none= new=-javaagent:agent/target/pool-agent.jar

For comparing two agent builds by hand (bar 6 of BENCHMARKS.md is measured by startup.py). Prints,
per variant, the median time from spawning the JVM to the probe's "first-borrow" line and the
median CPU time of the whole process, each also as the difference to the first variant.
"""
import shlex
import statistics
import sys

from startup import run_probe

JAR = "benchmarks/target/benchmarks.jar"
runs, app = int(sys.argv[1]), sys.argv[2]
variants = [(arg.split("=", 1)[0], shlex.split(arg.split("=", 1)[1])) for arg in sys.argv[3:]]
wall = {label: [] for label, _ in variants}
cpu = {label: [] for label, _ in variants}
for _ in range(runs):
    for label, options in variants:
        run = run_probe(JAR, options, app, label)
        wall[label].append(run.first_borrow_ms)
        cpu[label].append(run.cpu_ms)
first = variants[0][0]
for label, _ in variants:
    w, c = statistics.median(wall[label]), statistics.median(cpu[label])
    print(f"{app} {label:10s} first borrow {w:7.1f} ms ({w - statistics.median(wall[first]):+6.1f})"
          f"   process CPU {c:7.1f} ms ({c - statistics.median(cpu[first]):+6.1f})")
