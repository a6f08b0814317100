"""Bar 6: whole-process start-up, with and without the agent.

Usage: python3 startup.py <benchmarks.jar> <pool-agent.jar> <runs> <out.json>

Starts StartupProbe (a HikariCP pool on the stub driver; with "classes" it first loads a few thousand
classes) in a fresh JVM, <runs> times per variant (no agent, an agent that does nothing, pool-agent),
the variants interleaved so that machine load
affects them alike. Measures the time from spawning the JVM to the probe's "first-borrow" line, and
to the process's exit; reports medians.
"""
import json
import os
import statistics
import subprocess
import sys
import time


class Run:
    """One start of StartupProbe: times from spawning the JVM, in ms, and the process's CPU time."""

    def __init__(self, first_borrow_ms, exit_ms, classes_loaded, cpu_ms):
        self.first_borrow_ms = first_borrow_ms
        self.exit_ms = exit_ms
        self.classes_loaded = classes_loaded
        self.cpu_ms = cpu_ms


def run_probe(jar, jvm_args, app, name):
    """Starts StartupProbe <app> with <jvm_args>; exits the script when the probe fails."""
    cmd = ["java", "-Xshare:auto", *jvm_args, "-cp", jar,
           "io.poolagent.bench.process.StartupProbe", app]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first, loaded = None, 0
    for line in proc.stdout:
        if line.startswith("first-borrow") and first is None:
            first = time.perf_counter()
            loaded = int(line.split()[1])
    _, status, usage = os.wait4(proc.pid, 0)
    end = time.perf_counter()
    if status != 0 or first is None:
        sys.exit(f"start-up probe {name} failed (wait status {status})")
    return Run((first - start) * 1000, (end - start) * 1000, loaded,
               (usage.ru_utime + usage.ru_stime) * 1000)


def main():
    jar, agent, runs, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    # "empty": the benchmark jar as an agent whose premain does nothing (EmptyAgent): what the JVM
    # adds for any -javaagent, the floor under the agent's own figure
    variants = {
        "plain-none": ([], "plain"),
        "plain-empty": (["-javaagent:" + jar], "plain"),
        "plain-agent": (["-javaagent:" + agent], "plain"),
        "classes-none": ([], "classes"),
        "classes-empty": (["-javaagent:" + jar], "classes"),
        "classes-agent": (["-javaagent:" + agent], "classes"),
    }
    samples = {name: {"first_borrow_ms": [], "exit_ms": []} for name in variants}
    classes_loaded = {}
    for _ in range(runs):
        for name, (jvm_args, app) in variants.items():
            run = run_probe(jar, jvm_args, app, name)
            classes_loaded[name] = run.classes_loaded
            samples[name]["first_borrow_ms"].append(run.first_borrow_ms)
            samples[name]["exit_ms"].append(run.exit_ms)

    result = {"runs": runs}
    for name, s in samples.items():
        for key, values in s.items():
            result[f"{name}_{key}_median"] = statistics.median(values)
        result[f"{name}_classes_loaded"] = classes_loaded.get(name, 0)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
