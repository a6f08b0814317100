package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Many threads borrowing at once: never two users on one connection, never above max, none lost. */
class ConcurrencyTest {

  @Test
  void manyThreadsKeepTheInvariants() throws Exception {
    StubDatabase db = StubDatabase.create();
    int threads = 16;
    int borrows = 3000;
    int max = 4;
    List<String> violations = new CopyOnWriteArrayList<>();
    try (RetryingDataSource pool = new RetryingDataSource(db.config().maxSize(max).minSize(1)
        .maxQueries(500) // recycling under load too
        .acquireTimeout(Duration.ofSeconds(30)).build())) {
      AtomicBoolean done = new AtomicBoolean();
      Thread sampler = new Thread(() -> {
        while (!done.get()) {
          PoolStats s = pool.stats();
          if (s.total() != s.idle() + s.active() || s.total() > max) {
            violations.add("stats " + s.stateText());
          }
          if (db.live() > max) {
            violations.add("live physical connections " + db.live());
          }
          Thread.onSpinWait();
        }
      });
      sampler.start();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> workers = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread w = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < borrows; i++) {
              Connection c = pool.getConnection();
              StubConnectionState s = c.unwrap(StubDatabase.Physical.class).state();
              if (s.users.incrementAndGet() != 1) {
                violations.add("two users on connection " + s.id);
              }
              c.createStatement();
              if (i % 100 == 0) {
                c.setAutoCommit(false);
                Thread.yield();
              }
              s.users.decrementAndGet();
              c.close();
            }
          } catch (Throwable e) {
            violations.add(e.toString());
          }
        });
        w.start();
        workers.add(w);
      }
      start.countDown();
      for (Thread w : workers) {
        w.join(60_000);
      }
      done.set(true);
      sampler.join();
      assertTrue(violations.isEmpty(), violations.subList(0, Math.min(10, violations.size())).toString());
      PoolStats s = pool.stats();
      assertEquals((long) threads * borrows, s.acquisitions());
      assertEquals((long) threads * borrows, s.releases());
      assertEquals(0, s.active());
      assertEquals(db.opens.get(), db.closes.get() + s.total(), "none lost");
      assertTrue(db.opens.get() > max, "max-queries recycling happened: " + db.opens.get());
    }
    assertEquals(0, db.live());
  }
}
