package io.poolagent.bench.process;

import io.poolagent.bench.Pools;
import io.poolagent.bench.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A cross-check of bars 1 and 2 that other processes' load and the scheduler do not skew: the
 * borrowing threads' own CPU time per borrow/close cycle (stub driver, pool of 8), median of 8
 * rounds of 2 million cycles after 4 rounds of warm-up. With several threads, they borrow at the
 * same time, each its share of a round's cycles, and a round's figure is the CPU time of all of
 * them over all their cycles: time a thread spends waiting for a core is not in it, time it spends
 * spinning or failing compare-and-sets on memory another thread writes is. Arguments: pool name, a
 * label, the output JSON, and optionally the number of threads (default 1).
 */
public final class CpuPerCycle {
  private static final int CYCLES = 2_000_000;
  private static final int WARM_UP_ROUNDS = 4;
  private static final int ROUNDS = 8;

  private CpuPerCycle() {}

  /**
   * Where a thread puts each connection it borrows, as an application (or JMH's blackhole) does
   * with its own: without it, the JIT can see that a connection never leaves the loop and
   * allocate the pool's proxy in registers only, which no application's borrow enjoys and which a
   * tracked borrow (the agent keeps a weak reference to the connection) cannot. One per thread,
   * padded, so threads do not write one cache line.
   */
  @SuppressWarnings("unused") // the padding is never read
  private static final class Sink {
    private long p0, p1, p2, p3, p4, p5, p6, p7;
    @Nullable Object last;
    private long q0, q1, q2, q3, q4, q5, q6, q7;
  }

  public static void main(String[] args) throws Exception {
    int threadCount = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    if (threadCount < 1 || CYCLES % threadCount != 0) {
      throw new IllegalArgumentException("threads must be a divisor of " + CYCLES + ", got " + threadCount);
    }
    double[] rounds;
    try (Pools.Started pool = Pools.valueOf(args[0]).start(Target.stub(), 8)) {
      rounds = measure(pool.dataSource(), threadCount);
    }
    Arrays.sort(rounds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pool", args[0]);
    out.put("label", args[1]);
    out.put("threads", threadCount);
    out.put("cpu_ns_per_cycle_median", (rounds[ROUNDS / 2 - 1] + rounds[ROUNDS / 2]) / 2);
    out.put("cpu_ns_per_cycle_min", rounds[0]);
    out.put("cpu_ns_per_cycle_max", rounds[rounds.length - 1]);
    JsonOut.write(Path.of(args[2]), out);
  }

  /** Each measured round's CPU nanoseconds per cycle, summed over the threads. */
  private static double[] measure(DataSource ds, int threadCount) throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int perThread = CYCLES / threadCount;
    long[][] cpu = new long[WARM_UP_ROUNDS + ROUNDS][threadCount];
    CyclicBarrier start = new CyclicBarrier(threadCount);
    Thread[] threads = new Thread[threadCount];
    Throwable[] failure = new Throwable[1];
    for (int t = 0; t < threadCount; t++) {
      int index = t;
      Sink sink = new Sink();
      threads[t] = new Thread(() -> {
        try {
          for (long[] round : cpu) {
            start.await();
            long before = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < perThread; i++) {
              Connection c = ds.getConnection();
              sink.last = c;
              c.close();
            }
            round[index] = mx.getCurrentThreadCpuTime() - before;
          }
        } catch (Throwable e) {
          synchronized (failure) {
            if (failure[0] == null) {
              failure[0] = e; // the first: the others then fail on the broken barrier
            }
          }
          start.reset();
        }
      }, "cpu-per-cycle-" + t);
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IllegalStateException("a borrowing thread failed", failure[0]);
      }
    }
    double[] rounds = new double[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
      rounds[r] = Arrays.stream(cpu[WARM_UP_ROUNDS + r]).sum() / (double) CYCLES;
    }
    return rounds;
  }
}
