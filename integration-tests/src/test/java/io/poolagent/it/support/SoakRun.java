package io.poolagent.it.support;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Millions (or, by default, a few hundred thousand) of borrow/close cycles on a few threads, with
 * the used heap sampled after a full GC at each tenth of the run. {@code -Dpoolagent.soak.cycles=N}
 * sets the number of cycles for the long soak.
 */
public final class SoakRun {
  /** Cycles in CI; the long soak passes -Dpoolagent.soak.cycles=10000000. */
  public static final long DEFAULT_CYCLES = 200_000;
  private static final int THREADS = 4;
  private static final int SAMPLES = 10;

  /** What happened: cycles done, heap after GC at the start and at each tenth, time taken. */
  public record Result(long cycles, List<Long> heapAfterGc, long millis) {
    public long startHeap() {
      return heapAfterGc.get(0);
    }

    public long endHeap() {
      return heapAfterGc.get(heapAfterGc.size() - 1);
    }

    @Override
    public String toString() {
      return cycles + " cycles in " + millis + " ms (" + (millis == 0 ? 0 : cycles * 1000 / millis)
          + "/s); heap after GC (KiB) " + heapAfterGc.stream().map(b -> b / 1024).toList();
    }
  }

  private SoakRun() {}

  public static long cycles() {
    return Long.getLong("poolagent.soak.cycles", DEFAULT_CYCLES);
  }

  /** Runs {@code cycles} borrow/close cycles on {@code ds}; {@code check} runs at each sample. */
  public static Result run(DataSource ds, long cycles, Runnable check) throws Exception {
    List<Long> heap = new ArrayList<>();
    heap.add(usedAfterGc());
    long perSample = Math.max(1, cycles / SAMPLES / THREADS);
    long start = System.nanoTime();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      for (int s = 0; s < SAMPLES; s++) {
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          work.add(pool.submit(() -> {
            for (long i = 0; i < perSample; i++) {
              try (Connection c = ds.getConnection()) {
                c.getAutoCommit();
              }
              done.incrementAndGet();
            }
            return null;
          }));
        }
        for (Future<?> f : work) {
          f.get(30, TimeUnit.MINUTES);
        }
        check.run();
        heap.add(usedAfterGc());
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(done.get(), heap, (System.nanoTime() - start) / 1_000_000);
  }

  /** Used heap after full collections, settled. */
  public static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
