package io.poolagent.bench.process;

import io.poolagent.bench.Pools;
import io.poolagent.bench.Target;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A cross-check of bars 1 and 2 that other processes' load does not skew: the borrowing thread's own
 * CPU time per borrow/close cycle (stub driver, pool of 8, one thread), median of 8 rounds of 2
 * million cycles after 4 rounds of warm-up. Arguments: pool name, a label, the output JSON.
 */
public final class CpuPerCycle {
  private static final int CYCLES = 2_000_000;

  private CpuPerCycle() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] rounds = new double[8];
    try (Pools.Started pool = Pools.valueOf(args[0]).start(Target.stub(), 8)) {
      DataSource ds = pool.dataSource();
      for (int r = -4; r < rounds.length; r++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < CYCLES; i++) {
          ds.getConnection().close();
        }
        if (r >= 0) {
          rounds[r] = (threads.getCurrentThreadCpuTime() - start) / (double) CYCLES;
        }
      }
    }
    Arrays.sort(rounds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pool", args[0]);
    out.put("label", args[1]);
    out.put("cpu_ns_per_cycle_median", (rounds[3] + rounds[4]) / 2);
    out.put("cpu_ns_per_cycle_min", rounds[0]);
    out.put("cpu_ns_per_cycle_max", rounds[rounds.length - 1]);
    JsonOut.write(Path.of(args[2]), out);
  }
}
