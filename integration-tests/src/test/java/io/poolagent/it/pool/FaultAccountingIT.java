package io.poolagent.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.CountingDriver;
import io.poolagent.it.support.FaultProxy;
import io.poolagent.it.support.FaultProxy.Mode;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolConfig;
import io.poolagent.pool.RetryingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault, with borrowers running through it: the bundled pool loses no physical connection
 * (opened = closed + pooled, and PostgreSQL's pg_stat_activity shows exactly the pooled ones),
 * callers get SQLExceptions with a message within bounded time, and the pool serves again once the
 * fault is healed.
 */
@ExtendWith(PostgresExtension.class)
class FaultAccountingIT {
  /** A fault and how it is injected. */
  enum Fault { CUT, BLACKHOLE, LATENCY, RESET_MID_QUERY, TERMINATE_BACKEND }

  private static final int WORKERS = 6;
  /** Liveness bound on one borrow-and-query: acquire 2 s + connect 1 s + socket 3 s, with slack. */
  private static final long CALL_BOUND_MILLIS = 20_000;

  @ParameterizedTest
  @EnumSource(Fault.class)
  void noPhysicalConnectionIsLostAndCallersFailCleanly(Fault fault, TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("acct-" + fault.name().toLowerCase());
    try (FaultProxy proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db));
        Connection admin = db.connect()) {
      String url = CountingDriver.countingUrl(PoolFixtures.viaPort(db, proxy.port()))
          + "?connectTimeout=1&loginTimeout=2&socketTimeout=3";
      PoolConfig config = PoolFixtures.config(db, url, name)
          .minSize(2).maxSize(4).retryAttempts(2)
          .acquireTimeout(Duration.ofSeconds(2))
          .statementTimeout(Duration.ofSeconds(2))
          .build();
      CountingDriver.Counts counts = CountingDriver.counts(config.jdbcUrl());
      RetryingDataSource pool = new RetryingDataSource(config);
      try {
        assertTrue(PoolFixtures.within(15, () -> works(pool)), "serves before the fault");
        Workers workers = new Workers(pool);
        workers.start();
        try {
          Thread.sleep(500);
          inject(fault, proxy, pool, admin, name);
          Thread.sleep(2_000);
          proxy.mode(Mode.PASS);
          assertTrue(PoolFixtures.within(30, () -> works(pool)), fault + ": serves again after the heal");
        } finally {
          workers.stop();
        }
        assertTrue(workers.slowest.get() < CALL_BOUND_MILLIS,
            fault + ": every call ended within " + CALL_BOUND_MILLIS + " ms, slowest "
                + workers.slowest.get());
        for (String message : workers.failures) {
          assertFalse(message.isBlank(), fault + ": a failure without a message");
        }
        assertTrue(workers.successes.get() > 0, fault + ": borrows worked around the fault");
        assertTrue(PoolFixtures.within(20, () -> balanced(counts, pool, admin, name)),
            fault + ": opened = closed + pooled and the server agrees: " + counts + ", pooled="
                + pool.stats().total() + ", backends=" + backendsOrMinusOne(admin, name));
        System.out.println(fault + ": " + workers.successes.get() + " borrows worked, "
            + workers.failures.size() + " failed, slowest call " + workers.slowest.get() + " ms, "
            + counts);
      } finally {
        pool.close();
      }
      assertEquals(counts.opened(), counts.closed(), fault + ": every connection closed after close()");
      assertTrue(PoolFixtures.within(10, () -> backendsOrMinusOne(admin, name) == 0),
          fault + ": no backend left on the server");
    }
  }

  private static void inject(Fault fault, FaultProxy proxy, RetryingDataSource pool,
      Connection admin, String name) throws Exception {
    switch (fault) {
      case CUT -> proxy.mode(Mode.CUT);
      case BLACKHOLE -> proxy.mode(Mode.BLACKHOLE);
      case LATENCY -> {
        proxy.latencyMillis(300);
        proxy.mode(Mode.LATENCY);
      }
      case RESET_MID_QUERY -> proxy.mode(Mode.RESET_MID_QUERY);
      case TERMINATE_BACKEND -> {
        try (PreparedStatement ps = admin.prepareStatement(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
          ps.setString(1, name);
          ps.execute();
        }
      }
    }
  }

  private static boolean balanced(CountingDriver.Counts counts, RetryingDataSource pool,
      Connection admin, String name) {
    int pooled = pool.stats().total();
    return counts.opened() == counts.closed() + pooled && backendsOrMinusOne(admin, name) == pooled;
  }

  private static int backendsOrMinusOne(Connection admin, String name) {
    try {
      return PoolFixtures.backends(admin, name);
    } catch (SQLException e) {
      return -1;
    }
  }

  private static boolean works(RetryingDataSource pool) {
    try (Connection c = pool.getConnection()) {
      return PoolFixtures.selectOne(c) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Threads that borrow, query and return until stopped, timing every call. */
  private static final class Workers {
    private final RetryingDataSource pool;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong slowest = new AtomicLong();
    private final List<String> failures = new java.util.ArrayList<>();
    private final ConcurrentLinkedQueue<String> failureQueue = new ConcurrentLinkedQueue<>();
    private final CountDownLatch done = new CountDownLatch(WORKERS);

    Workers(RetryingDataSource pool) {
      this.pool = pool;
    }

    void start() {
      for (int i = 0; i < WORKERS; i++) {
        Thread t = new Thread(this::loop, "fault-worker-" + i);
        t.setDaemon(true);
        t.start();
      }
    }

    private void loop() {
      try {
        while (running.get()) {
          long start = System.nanoTime();
          try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(0.02)");
            successes.incrementAndGet();
          } catch (SQLException e) {
            failureQueue.add(String.valueOf(e.getMessage()));
          }
          slowest.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
        }
      } finally {
        done.countDown();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      assertTrue(done.await(60, TimeUnit.SECONDS), "workers ended");
      failures.addAll(failureQueue);
    }
  }
}
