package io.poolagent.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolStats;
import io.poolagent.pool.RetryingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 200 threads x 1000 borrows against a pool of 10 on a real PostgreSQL, while a sampler checks the
 * invariants: total = idle + active <= max in the pool's own stats, and the server's
 * pg_stat_activity count for the pool never above max.
 */
@ExtendWith(PostgresExtension.class)
class ConcurrencyIT {
  private static final int THREADS = 200;
  private static final int BORROWS = 1000;
  private static final int MAX = 10;
  /** Every n-th borrow runs a real query; the rest borrow and return. */
  private static final int QUERY_EVERY = 1;

  @Test
  void twoHundredThreadsTimesAThousandBorrowsHoldTheInvariants(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("load");
    List<String> violations = new CopyOnWriteArrayList<>();
    AtomicInteger serverMax = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    try (Connection admin = db.connect();
        RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name)
            .minSize(2).maxSize(MAX).acquireTimeout(Duration.ofSeconds(60)).build())) {
      AtomicBoolean done = new AtomicBoolean();
      Thread sampler = new Thread(() -> {
        while (!done.get()) {
          PoolStats s = pool.stats();
          if (s.total() != s.idle() + s.active() || s.total() > MAX) {
            violations.add("pool stats " + s.stateText());
          }
          try {
            int server = PoolFixtures.backends(admin, name);
            serverMax.accumulateAndGet(server, Math::max);
            if (server > MAX) {
              violations.add("server sees " + server + " connections");
            }
            samples.incrementAndGet();
            Thread.sleep(20);
          } catch (SQLException | InterruptedException e) {
            violations.add(e.toString());
            return;
          }
        }
      }, "sampler");
      sampler.start();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Thread w = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < BORROWS; i++) {
              try (Connection c = pool.getConnection()) {
                if (i % QUERY_EVERY == 0 && PoolFixtures.selectOne(c) != 1) {
                  violations.add("wrong answer");
                }
              }
            }
          } catch (Throwable e) {
            violations.add(e.toString());
          }
        }, "worker-" + t);
        workers.add(w);
        w.start();
      }
      long began = System.nanoTime();
      start.countDown();
      for (Thread w : workers) {
        w.join(300_000);
      }
      long tookMillis = (System.nanoTime() - began) / 1_000_000;
      done.set(true);
      sampler.join();
      assertTrue(violations.isEmpty(), violations.subList(0, Math.min(10, violations.size())).toString());
      PoolStats s = pool.stats();
      assertEquals((long) THREADS * BORROWS, s.acquisitions());
      assertEquals((long) THREADS * BORROWS, s.releases());
      assertEquals(0, s.active());
      assertEquals(0, s.timeouts());
      assertTrue(s.peakActive() <= MAX);
      assertTrue(samples.get() > 0);
      assertEquals(s.total(), PoolFixtures.backends(admin, name), "server agrees with the pool");
      System.out.println(THREADS + " x " + BORROWS + " borrows took " + tookMillis + " ms; peak active "
          + s.peakActive() + ", server max " + serverMax.get() + ", " + samples.get() + " samples");
    }
  }
}
