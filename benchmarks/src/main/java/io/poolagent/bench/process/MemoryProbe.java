package io.poolagent.bench.process;

import io.poolagent.bench.Pools;
import io.poolagent.bench.Target;
import io.poolagent.bench.stub.StubDataSource;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Bar 7, run by {@code run.sh} once without the agent and once per capture mode with it.
 *
 * <p>{@code open <out.json>}: heap retained by {@value #OPEN} connections held open, each taken
 * from a plain DataSource about 50 frames deep; the agent's share is this figure minus the
 * no-agent run's, per borrow. {@code cycles <out.json>}: the heap after garbage collection, sampled
 * every million borrow/close cycles of a HikariCP pool, over ten million.
 */
public final class MemoryProbe {
  private static final int OPEN = 50_000;
  private static final int DEPTH = 36;

  private MemoryProbe() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("agent", String.valueOf(System.getProperty("bench.agentArgs", "none")));
    if (args[0].equals("open")) {
      open(out);
    } else {
      cycles(out);
    }
    JsonOut.write(Path.of(args[1]), out);
  }

  private static void open(Map<String, Object> out) throws Exception {
    DataSource ds = new StubDataSource();
    Connection[] held = new Connection[OPEN];
    for (int i = 0; i < 1000; i++) { // warm the path so its classes are loaded before measuring
      borrowAt(DEPTH, ds).close();
    }
    long before = usedAfterGc();
    for (int i = 0; i < OPEN; i++) {
      held[i] = borrowAt(DEPTH, ds);
    }
    long after = usedAfterGc();
    out.put("open_connections", OPEN);
    out.put("bytes_per_open_borrow", (double) (after - before) / OPEN);
    for (Connection c : held) {
      c.close();
    }
  }

  private static Connection borrowAt(int depth, DataSource ds) throws Exception {
    return depth == 0 ? ds.getConnection() : borrowAt(depth - 1, ds);
  }

  private static void cycles(Map<String, Object> out) throws Exception {
    try (Pools.Started pool = Pools.HIKARI.start(Target.stub(), 8)) {
      DataSource ds = pool.dataSource();
      long first = 0;
      long max = 0;
      long last = 0;
      for (int million = 0; million <= 10; million++) {
        long used = usedAfterGc();
        out.put("heap_after_" + million + "M_cycles_bytes", used);
        if (million == 1) {
          first = used; // after warm-up: classes loaded, code compiled
        }
        if (million >= 1) {
          max = Math.max(max, used);
        }
        last = used;
        if (million < 10) {
          for (int i = 0; i < 1_000_000; i++) {
            ds.getConnection().close();
          }
        }
      }
      out.put("heap_growth_1M_to_10M_bytes", last - first);
      out.put("heap_max_minus_1M_bytes", max - first);
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }
}
