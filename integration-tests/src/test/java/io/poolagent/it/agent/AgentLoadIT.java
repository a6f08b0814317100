package io.poolagent.it.agent;

import static io.poolagent.it.support.AgentReport.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.leak.SourceNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 200 threads on each pool (at most 10 connections) with the agent attached: every borrow is
 * counted once, the open count returns to where it was, and no borrow is falsely flagged as a leak.
 * Throughput is printed as information only (never asserted).
 */
@ExtendWith(PostgresExtension.class)
class AgentLoadIT {
  private static final int THREADS = 200;
  private static final int BORROWS_PER_THREAD = 25;
  private static final Duration THRESHOLD = Duration.ofSeconds(5);

  private final AgentReport report = AgentReport.ofThisJvm();

  @AfterEach
  void restoreThreshold() throws Exception {
    LeakDetectorBean.inThisJvm().setThreshold(Duration.ofSeconds(30));
  }

  @Test
  void twoHundredThreadsOnEveryPoolCountExactlyAndNeverFlag(TestDatabase db) throws Exception {
    LeakDetectorBean agent = LeakDetectorBean.inThisJvm();
    agent.setThreshold(THRESHOLD);
    Map<PoolKind, String> sources = new LinkedHashMap<>();
    StringBuilder throughput = new StringBuilder();
    for (PoolKind kind : PoolKind.values()) {
      if (kind == PoolKind.PG_SIMPLE) {
        continue; // not a pool: 200 threads would open 200 physical connections
      }
      String name = "load-" + kind.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
      try (PoolKind.Opened pool = kind.open(db, name, new PoolKind.Limits(10, 120_000))) {
        DataSource ds = pool.dataSource();
        sources.put(kind, SourceNames.nameOf(ds));
        try (Connection c = ds.getConnection()) {
          c.isValid(2);
        }
        Thread.sleep(300);
        long acquired = agent.number("Acquired");
        long released = agent.number("Released");
        long open = agent.number("OpenConnections");
        long millis = hammer(ds);
        long borrows = (long) THREADS * BORROWS_PER_THREAD;
        assertEquals(borrows, agent.number("Acquired") - acquired, kind + ": each borrow counted once");
        assertEquals(borrows, agent.number("Released") - released, kind + ": each close counted once");
        assertEquals(open, agent.number("OpenConnections"), kind + ": open count back where it was");
        throughput.append(kind).append('=').append(borrows * 1000 / Math.max(1, millis)).append("/s ");
      }
    }
    System.out.println("load with the agent, " + THREADS + " threads, max 10 connections: " + throughput);
    Thread.sleep(THRESHOLD.toMillis() + 500); // a missed close would be flagged by now
    for (Map.Entry<PoolKind, String> e : sources.entrySet()) {
      assertEquals(List.of(), report.events(event("leak").and(AgentReport.fromSource(e.getValue()))),
          e.getKey() + ": no false leak under load");
    }
  }

  /** All threads start together and borrow, query and close; returns the time taken. */
  private static long hammer(DataSource ds) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        work.add(executor.submit(() -> {
          go.await();
          for (int i = 0; i < BORROWS_PER_THREAD; i++) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
              rs.next();
            }
          }
          return null;
        }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> f : work) {
        f.get(5, TimeUnit.MINUTES); // liveness bound only
      }
      return (System.nanoTime() - start) / 1_000_000;
    } finally {
      executor.shutdownNow();
    }
  }
}
