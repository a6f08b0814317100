#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md and regenerates it:  bash benchmarks/run.sh [quick|full]
#   quick: 4 warm-up + 3 measured iterations of 1 s, 1 round (about 35 minutes on 2 cores); a shorter
#          warm-up left some forks still compiling in their first measured second (HikariCP with
#          the agent at 8 threads: 3.3 M, 6.6 M, 6.6 M ops/s in one fork's three measured iterations)
#   full:  5 warm-up + 5 measured iterations of 2 s, 2 rounds; the agent-cost rows 4 warm-up + 6
#          measured iterations of 1 s, 5 rounds; the PostgreSQL rows 3 rounds of throughput forks and
#          one of latency (sample-mode) forks (about 145 minutes on 2 cores)
#   smoke: one 100 ms iteration each: checks that everything runs; its figures mean nothing
# A round runs every configuration of a thread count once, one fork each, in turn (without the agent,
# with it, ...), and merge_rounds.py joins a configuration's forks afterwards: on a host whose speed
# wanders over minutes, forks run back to back would put the whole drift between a reference and
# what is compared with it. The PostgreSQL rows warm up longer (12 s quick, 20 s full): on a 2-core
# host the JIT was still compiling pgjdbc's paths 12 s into an 8-thread fork (throughput 0.020 then
# 0.040 ops/us), and a fork with the agent has more to compile.
# Every JMH fork runs on a fixed, pre-touched heap (HEAP below): on a heap that grows, the first
# write to each new page of it is a page fault, and a configuration that allocates (the agent's
# record per borrow, a stack, HikariCP's leak task) paid for the heap's growth during the
# measurement (a profile of HikariCP with the agent: 10% of the cycle in page faults under the
# tracker's allocation); a service that has run a while has its heap already touched.
# Needs JDK 17+, Maven and the local PostgreSQL of the integration tests (POOLAGENT_TEST_JDBC_URL,
# _USER, _PASSWORD, else jdbc:postgresql://127.0.0.1:5432/test as postgres). Not part of mvn verify.
set -euo pipefail
MODE="${1:-quick}"
cd "$(dirname "$0")/.."
ROOT="$PWD"
case "$MODE" in
  quick) WARM=(-wi 4 -w 1s); PG_WARM=(-wi 6 -w 2s); MEASURE=(-i 3 -r 1s); ROUNDS=1; AGENT_ROUNDS=1; PG_ROUNDS=1; STARTUP_RUNS=20; CPU_ROUNDS=3 ;;
  full)  WARM=(-wi 5 -w 2s); PG_WARM=(-wi 10 -w 2s); MEASURE=(-i 5 -r 2s); ROUNDS=2; AGENT_ROUNDS=5; PG_ROUNDS=3; STARTUP_RUNS=30; CPU_ROUNDS=8
         AGENT_WARM=(-wi 4 -w 1s); AGENT_MEASURE=(-i 6 -r 1s) ;;
  smoke) WARM=(-wi 0); PG_WARM=(-wi 0); MEASURE=(-i 1 -r 100ms); ROUNDS=1; AGENT_ROUNDS=1; PG_ROUNDS=1; STARTUP_RUNS=1; CPU_ROUNDS=1 ;; # measures nothing
  *) echo "usage: bash benchmarks/run.sh [quick|full|smoke]" >&2; exit 2 ;;
esac
# The agent-cost rows (bars 2 and 3) compare ratios whose forks differ far more between
# themselves (up to a quarter: where the collector puts the objects that threads write on every
# borrow, see NOTES.md) than the iterations within a fork (a few per cent). So full mode gives them
# more, shorter forks: five of 10 s instead of three of 20 s, in about the same time.
if [ -z "${AGENT_WARM+x}" ]; then AGENT_WARM=("${WARM[@]}"); AGENT_MEASURE=("${MEASURE[@]}"); fi
HEAP_FLAGS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
HEAP=(-jvmArgsPrepend "$HEAP_FLAGS")

# Idle cores poll before they halt. The KVM guests we measure on run the haltpoll cpuidle driver with
# guest_halt_poll_ns=0: a core with nothing to run halts at once, and waking it (an interrupt through
# the hypervisor) takes tens of microseconds. A borrow and SELECT 1 wakes PostgreSQL's backend and
# then the client, so on one thread it ran at about 12,000 a second when the two sat on different
# cores and 30,000 when the scheduler put them on one, switching between the two within a fork;
# with 200 us of polling, 35,000-44,000 (hand runs, NOTES.md). Set for the whole run when this user
# may (root), put back on exit, and written to machine.txt either way.
HALT_POLL=/sys/module/haltpoll/parameters/guest_halt_poll_ns
HALT_POLL_NOTE="guest_halt_poll_ns: not present (no haltpoll cpuidle driver)"
if [ -f "$HALT_POLL" ]; then
  HALT_POLL_WAS=$(cat "$HALT_POLL")
  if [ -w "$HALT_POLL" ] && echo 200000 > "$HALT_POLL" 2>/dev/null; then
    trap 'echo "$HALT_POLL_WAS" > "$HALT_POLL"' EXIT
    HALT_POLL_NOTE="guest_halt_poll_ns: 200000 for this run (was $HALT_POLL_WAS)"
  else
    HALT_POLL_NOTE="guest_halt_poll_ns: $HALT_POLL_WAS (not writable by this user: idle cores halt at once)"
  fi
fi

# Build the agent and the benchmark jar from this clone (-am: never a pool jar from ~/.m2).
mvn -B -q -DskipTests -pl agent,benchmarks -am package
JAR="$ROOT/benchmarks/target/benchmarks.jar"
AGENT="$ROOT/agent/target/pool-agent.jar"
OUT="$ROOT/benchmarks/results"
mkdir -p "$OUT"
ROUND_OUT="$OUT/rounds"
rm -rf "$ROUND_OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt "$OUT"/*.jsonl "$OUT"/*.log
mkdir -p "$ROUND_OUT"
LOAD="$OUT/load.txt"

{
  echo "mode: $MODE; JMH options: ${WARM[*]} ${MEASURE[*]} -f 1, $ROUNDS round(s); agent-cost rows: ${AGENT_WARM[*]} ${AGENT_MEASURE[*]}, $AGENT_ROUNDS round(s); PostgreSQL rows: ${PG_WARM[*]}, $PG_ROUNDS round(s) of throughput, 1 of latency; every fork: $HEAP_FLAGS"
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!benchmarks/results' ':!BENCHMARKS.md' || echo ' (with uncommitted changes)')"
  echo "nproc: $(nproc)"
  echo "$HALT_POLL_NOTE"
  lscpu | head -15
  free -g
  java -version 2>&1
  psql --version 2>/dev/null || true
} > "$OUT/machine.txt"

# settle: waits (at most two minutes) until both cores were at least 90% idle over one second, so
# that a suite does not start in the tail of the previous one (PostgreSQL's backends, a JVM exiting).
settle() {
  local waited=0 idle
  while [ "$waited" -lt 120 ]; do
    idle=$(python3 - <<'PY'
import time
def sample():
    f = open("/proc/stat").readline().split()[1:]
    v = list(map(int, f))
    return v[3] + v[4], sum(v)
i0, t0 = sample(); time.sleep(1); i1, t1 = sample()
print(int(100 * (i1 - i0) / max(1, t1 - t0)))
PY
)
    [ "$idle" -ge 90 ] && break
    waited=$((waited + 1))
  done
  SETTLE_NOTE="idle ${idle}% after ${waited}s"
}
note_load() { settle; echo "$1: $SETTLE_NOTE; $(uptime)" >> "$LOAD"; }

# jmh <result name> <threads> <JMH arguments...>: one fork of each configuration JMH finds, into
# results/rounds/<name>-t<threads>-r<round>.json; WARM holds the warm-up options in force
jmh() {
  local name="$1" threads="$2"; shift 2
  local base="$ROUND_OUT/$name-t$threads-r$ROUND"
  note_load "$name-t$threads-r$ROUND"
  echo "== $name, $threads thread(s), round $ROUND"
  java -jar "$JAR" "$@" -t "$threads" "${WARM[@]}" "${MEASURE[@]}" -f 1 -foe true "${HEAP[@]}" \
    -rf json -rff "$base.json" > "$base.log" 2>&1 \
    || { tail -30 "$base.log"; exit 1; }
  grep -E '^(Benchmark|[A-Za-z]+\.[a-zA-Z]+ )' "$base.log" | sed 's/^/   /'
}
# merge_rounds: joins each configuration's rounds into results/<name>-t<threads>.json
merge_rounds() {
  local prefix
  for prefix in $(ls "$ROUND_OUT"/*-r1.json | sed 's/-r1\.json$//'); do
    python3 benchmarks/merge_rounds.py "$OUT/$(basename "$prefix").json" "$prefix"-r*.json
  done
}
# agent_jmh: jmh with the agent-cost rows' warm-up and measurement
agent_jmh() {
  local warm=("${WARM[@]}") measure=("${MEASURE[@]}")
  WARM=("${AGENT_WARM[@]}"); MEASURE=("${AGENT_MEASURE[@]}")
  jmh "$@"
  WARM=("${warm[@]}"); MEASURE=("${measure[@]}")
}
# the JMH arguments that attach the agent with the given options to every fork
TRACK=(-jvmArgsAppend "-Dbench.agent=on -javaagent:$AGENT=stackTrace=false,jmx=false")
TRACK_JMX=(-jvmArgsAppend "-Dbench.agent=on -javaagent:$AGENT=stackTrace=false") # jmx=true: the default
STACKS=(-jvmArgsAppend "-Dbench.agent=on -javaagent:$AGENT=stackTrace=true,jmx=false")
SAMPLED=(-jvmArgsAppend "-Dbench.agent=on -javaagent:$AGENT=stackTrace=sampled,jmx=false")
# Bar 2 once more with every object on its own 128 bytes: no two objects can share a cache line, so
# objects that different threads write on every borrow (HikariCP's pool entries and thread-local
# lists are such) cannot land on one line when the collector copies them. On this class of host a
# fork where they did ran at about half speed with or without the agent, which decided ratios at 2
# and 8 threads; aligned, what is left of a ratio's change with threads is contention within
# objects, the agent's own included.
ALIGN="-XX:ObjectAlignmentInBytes=128"
ALIGNED_OFF=(-jvmArgsAppend "$ALIGN")
ALIGNED_TRACK=(-jvmArgsAppend "$ALIGN -Dbench.agent=on -javaagent:$AGENT=stackTrace=false,jmx=false")

# 1. Pool speed on the stub driver; 2. and 3. agent cost. Agent-on forks follow their reference
# directly, at each thread count and in each round, so both see the same machine load. The agent
# rows get more rounds than the pool rows: their bars compare ratios, and forks of the same
# configuration differ more (at 8 threads) than the margins those bars leave.
for t in 1 2 8; do
  for ROUND in $(seq 1 "$AGENT_ROUNDS"); do
    if [ "$ROUND" -le "$ROUNDS" ]; then
      jmh pool "$t" 'PoolCycle.cycle$'
      jmh statement "$t" 'StatementCycle'
    fi
    agent_jmh agent-off "$t" 'AgentCost.cycle$' -p pool=HIKARI,BUNDLED
    agent_jmh agent-track "$t" 'AgentCost.cycle$' -p pool=HIKARI "${TRACK[@]}"
    agent_jmh agent-jmx "$t" 'AgentCost.cycle$' -p pool=HIKARI "${TRACK_JMX[@]}"
    agent_jmh aligned-off "$t" 'AgentCost.cycle$' -p pool=HIKARI "${ALIGNED_OFF[@]}"
    agent_jmh aligned-track "$t" 'AgentCost.cycle$' -p pool=HIKARI "${ALIGNED_TRACK[@]}"
    agent_jmh agent-stacks "$t" 'AgentCost.cycle$' -p pool=HIKARI,BUNDLED "${STACKS[@]}"
    agent_jmh agent-sampled "$t" 'AgentCost.cycle$' -p pool=HIKARI "${SAMPLED[@]}"
    agent_jmh throwable "$t" 'AgentCost.cycleAndThrowable' -p pool=HIKARI
    agent_jmh hikari-leak "$t" 'AgentCost.cycle$' -p pool=HIKARI -p leak=60000
  done
done

# A cross-check of 1. and 2. that other processes' load does not skew: CPU time per cycle, 1 thread.
note_load cpu
echo "== CPU time per cycle"
for round in 1 2; do
  for pool in HIKARI BUNDLED; do
    java $HEAP_FLAGS -cp "$JAR" io.poolagent.bench.process.CpuPerCycle "$pool" none "$OUT/cpu-$pool-none-$round.json" > /dev/null
  done
  for mode in false true; do
    java $HEAP_FLAGS -javaagent:"$AGENT=stackTrace=$mode,jmx=false" -cp "$JAR" io.poolagent.bench.process.CpuPerCycle \
      HIKARI "stackTrace=$mode" "$OUT/cpu-HIKARI-stack$mode-$round.json" > /dev/null 2>&1
  done
done

# Bar 2's thread rule without the scheduler: the same CPU time per cycle at 1, 2 and 8 threads, summed
# over the borrowing threads, without the agent, with tracking and with the default statistics. Time
# a thread waits for a core is not in it; time lost to memory that other threads write is. So it
# shows whether the agent's own cost per cycle grows with threads (a contention point of its own),
# apart from how the scheduling of 2 cores moves the throughput ratios.
# Processes of one configuration differ by up to half at 2 and 8 threads, each fast or slow from its
# start (also with 128-byte aligned objects), hence eight of each in full mode.
note_load cpu-threads
echo "== CPU time per cycle, 1, 2 and 8 threads"
for round in $(seq 1 "$CPU_ROUNDS"); do
  for t in 1 2 8; do
    java $HEAP_FLAGS -cp "$JAR" io.poolagent.bench.process.CpuPerCycle HIKARI none \
      "$OUT/cputhreads-none-t$t-$round.json" "$t" > /dev/null
    java $HEAP_FLAGS -javaagent:"$AGENT=stackTrace=false,jmx=false" -cp "$JAR" io.poolagent.bench.process.CpuPerCycle \
      HIKARI track "$OUT/cputhreads-track-t$t-$round.json" "$t" > /dev/null 2>&1
    java $HEAP_FLAGS -javaagent:"$AGENT=stackTrace=false" -cp "$JAR" io.poolagent.bench.process.CpuPerCycle \
      HIKARI jmx "$OUT/cputhreads-jmx-t$t-$round.json" "$t" > /dev/null 2>&1
  done
done

# 4. The local PostgreSQL: throughput and latency percentiles, agent off and on (full stacks), and
# on with stackTrace=sampled. The bar compares throughputs, so they get the forks: latency
# (sample mode) is measured in the first round only.
WARM=("${PG_WARM[@]}")
for t in 1 8 32; do
  for ROUND in $(seq 1 "$PG_ROUNDS"); do
    modes=thrpt
    [ "$ROUND" -eq 1 ] && modes=thrpt,sample
    jmh pg-off "$t" 'PostgresCycle' -bm "$modes"
    jmh pg-agent "$t" 'PostgresCycle' -bm "$modes" "${STACKS[@]}"
    jmh pg-sampled "$t" 'PostgresCycle' -bm "$modes" "${SAMPLED[@]}"
  done
done
merge_rounds

# 5. The original team's table.
note_load original-table
echo "== original team's table"
java -cp "$JAR" io.poolagent.bench.process.OriginalTable "$OUT/original-table.json" > "$OUT/original-table.log" 2>&1

# 6. Start-up, whole process, with and without the agent.
note_load startup
echo "== start-up ($STARTUP_RUNS runs each)"
python3 benchmarks/startup.py "$JAR" "$AGENT" "$STARTUP_RUNS" "$OUT/startup.json"

# 7. Memory.
note_load memory
echo "== memory"
java -cp "$JAR" io.poolagent.bench.process.MemoryProbe open "$OUT/memory-open-none.json" > /dev/null
for mode in false true sampled; do
  java -Dbench.agentArgs="stackTrace=$mode" -javaagent:"$AGENT=stackTrace=$mode,jmx=false" -cp "$JAR" \
    io.poolagent.bench.process.MemoryProbe open "$OUT/memory-open-$mode.json" > /dev/null 2>&1
done
java -Dbench.agentArgs="stackTrace=true" -javaagent:"$AGENT=stackTrace=true,jmx=false" -cp "$JAR" \
  io.poolagent.bench.process.MemoryProbe cycles "$OUT/memory-cycles.json" > /dev/null 2>&1

# 8. Detection latency.
note_load detection
echo "== detection latency"
java -javaagent:"$AGENT=leakThreshold=200ms,scanInterval=50ms,report=$OUT/detection-report.jsonl,jmx=false" \
  -cp "$JAR" io.poolagent.bench.process.DetectionLatency "$OUT/detection-report.jsonl" \
  "$OUT/detection.json" > /dev/null 2>&1
rm -f "$OUT/detection-report.jsonl"
note_load end

python3 benchmarks/report.py "$OUT" > BENCHMARKS.md
echo "== wrote BENCHMARKS.md"
