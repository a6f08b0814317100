package io.poolagent.bench.process;

import io.poolagent.bench.Target;
import io.poolagent.pool.PoolConfig;
import io.poolagent.pool.PoolConfigBuilder;
import io.poolagent.pool.PoolHealth;
import io.poolagent.pool.RetryingDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Bar 5: the original team's table, on the bundled pool and the local PostgreSQL. Writes the
 * figures as JSON to the file named by the first argument.
 *
 * <ul>
 *   <li>initialisation: from the constructor until min (5) connections are open and idle, median
 *       and worst of {@value #INIT_RUNS} pools, each started {@value #SETTLE_MILLIS} ms after the
 *       previous one closed; beside it, the database's floor: five bare driver connects at once,
 *       measured between those runs;
 *   <li>borrow p95, warm pool: getConnection alone, 8 threads on a pool of 10, after warm-up;
 *   <li>health check: {@code health()} latency p99 and calls per second on one thread;
 *   <li>graceful shutdown of an idle pool of 5: the time {@code close()} takes;
 *   <li>recovery after an outage: the database is cut off (a proxy refuses connections) for 2 s
 *       while the pool is in use; from the moment it is back until a borrow and SELECT 1 succeed.
 * </ul>
 */
public final class OriginalTable {
  private static final int INIT_RUNS = 10;
  /** Pause between two initialisation runs, not timed. */
  private static final int SETTLE_MILLIS = 250;
  /** The pool minimum of the initialisation row; the floor between its runs opens as many. */
  private static final int MIN_SIZE = 5;

  private OriginalTable() {}

  public static void main(String[] args) throws Exception {
    Target db = Target.postgres();
    Map<String, Object> out = new LinkedHashMap<>();
    initialisation(db, out);
    borrowLatency(db, out);
    healthChecks(db, out);
    shutdown(db, out);
    recovery(db, out);
    JsonOut.write(Path.of(args[0]), out);
  }

  private static PoolConfigBuilder config(Target db, String url, int min, int max) {
    return PoolConfig.builder().jdbcUrl(url).user(db.user()).password(db.password())
        .minSize(min).maxSize(max);
  }

  private static void initialisation(Target db, Map<String, Object> out) throws Exception {
    long[] took = new long[INIT_RUNS];
    long[] floor = new long[INIT_RUNS];
    for (int i = 0; i < INIT_RUNS; i++) {
      long start = System.nanoTime();
      try (RetryingDataSource pool =
          new RetryingDataSource(config(db, db.url(), MIN_SIZE, 10).build())) {
        while (pool.stats().idle() < MIN_SIZE) {
          TimeUnit.MICROSECONDS.sleep(200);
        }
        took[i] = System.nanoTime() - start;
      }
      // the closed pool's five backends exit on the server's CPU: the next pool starts on a quiet
      // database, as a pool does when its application starts
      TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
      floor[i] = bareConnects(db, MIN_SIZE);
      TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
    }
    out.put("init_min5_median_ms", Percentiles.millis(Percentiles.of(took, 50)));
    out.put("init_min5_max_ms", Percentiles.millis(Percentiles.of(took, 100)));
    out.put("init_floor_bare5_median_ms", Percentiles.millis(Percentiles.of(floor, 50)));
    out.put("init_settle_ms", SETTLE_MILLIS); // what the report says about the runs
    out.put("init_floor_connects", MIN_SIZE);
  }

  /**
   * The database's floor under the pool's initialisation, measured between its runs: {@code n}
   * connections opened at once by the driver alone, one thread each, each checked with isValid;
   * nanoseconds until the last is ready.
   */
  private static long bareConnects(Target db, int n) throws Exception {
    Properties login = new Properties();
    login.setProperty("user", db.user());
    if (!db.password().isEmpty()) {
      login.setProperty("password", db.password());
    }
    Connection[] opened = new Connection[n];
    Thread[] threads = new Thread[n];
    long start = System.nanoTime();
    for (int t = 0; t < n; t++) {
      int slot = t;
      threads[t] = new Thread(() -> {
        try {
          Connection c = DriverManager.getConnection(db.url(), login);
          opened[slot] = c;
          if (!c.isValid(5)) {
            throw new IllegalStateException("a new connection failed isValid");
          }
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    long took = System.nanoTime() - start;
    for (Connection c : opened) {
      if (c == null) {
        throw new IllegalStateException("a bare connect failed (see the thread's exception above)");
      }
      c.close();
    }
    return took;
  }

  private static void borrowLatency(Target db, Map<String, Object> out) throws Exception {
    int threads = 8;
    int perThread = 20_000;
    try (RetryingDataSource pool = new RetryingDataSource(config(db, db.url(), 10, 10).build())) {
      runBorrowers(pool, threads, 5_000, null);
      long[] samples = new long[threads * perThread];
      runBorrowers(pool, threads, perThread, samples);
      out.put("borrow_threads", threads);
      out.put("borrow_p50_ms", Percentiles.millis(Percentiles.of(samples, 50)));
      out.put("borrow_p95_ms", Percentiles.millis(Percentiles.of(samples, 95)));
      out.put("borrow_p99_ms", Percentiles.millis(Percentiles.of(samples, 99)));
    }
  }

  /** Each thread borrows, runs SELECT 1 (outside the timed part) and closes, {@code n} times. */
  private static void runBorrowers(RetryingDataSource pool, int threads, int n, long @Nullable [] samples)
      throws InterruptedException {
    Thread[] all = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int offset = t * n;
      all[t] = new Thread(() -> {
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          try (Connection c = pool.getConnection()) {
            long took = System.nanoTime() - start;
            if (samples != null) {
              samples[offset + i] = took;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
              rs.next();
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
      all[t].start();
    }
    for (Thread t : all) {
      t.join();
    }
  }

  private static void healthChecks(Target db, Map<String, Object> out) throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(config(db, db.url(), 5, 10).build())) {
      int n = 1_000_000;
      long[] samples = new long[n];
      @Nullable PoolHealth last = null;
      for (int round = 0; round < 2; round++) { // the first round warms up
        for (int i = 0; i < n; i++) {
          long start = System.nanoTime();
          last = pool.health();
          samples[i] = System.nanoTime() - start;
        }
      }
      long count = 0;
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      long start = System.nanoTime();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 1000; i++) {
          last = pool.health();
        }
        count += 1000;
      }
      double perSecond = count / ((System.nanoTime() - start) / 1e9);
      out.put("health_p99_ms", Percentiles.millis(Percentiles.of(samples, 99)));
      out.put("health_per_second", perSecond);
      out.put("health_last", String.valueOf(last));
    }
  }

  private static void shutdown(Target db, Map<String, Object> out) throws Exception {
    long[] took = new long[5];
    for (int i = 0; i < took.length; i++) {
      RetryingDataSource pool = new RetryingDataSource(config(db, db.url(), 5, 10).build());
      while (pool.stats().idle() < 5) {
        TimeUnit.MILLISECONDS.sleep(1);
      }
      long start = System.nanoTime();
      pool.close();
      took[i] = System.nanoTime() - start;
    }
    out.put("shutdown_idle_median_ms", Percentiles.millis(Percentiles.of(took, 50)));
    out.put("shutdown_idle_max_ms", Percentiles.millis(Percentiles.of(took, 100)));
  }

  private static void recovery(Target db, Map<String, Object> out) throws Exception {
    java.net.URI uri = java.net.URI.create(db.url().substring("jdbc:".length()));
    try (OutageProxy proxy = new OutageProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort())) {
      String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getPath();
      PoolConfig config = config(db, url, 5, 10)
          .acquireTimeout(Duration.ofSeconds(1))
          .connectTimeout(Duration.ofSeconds(1))
          .retryInitialBackoff(Duration.ofMillis(50))
          .retryMaxBackoff(Duration.ofMillis(500))
          .build();
      try (RetryingDataSource pool = new RetryingDataSource(config)) {
        selectOne(pool);
        proxy.cut();
        long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < outageEnd) {
          trySelectOne(pool);
          TimeUnit.MILLISECONDS.sleep(20);
        }
        proxy.restore();
        long back = System.nanoTime();
        while (!trySelectOne(pool)) {
          Thread.onSpinWait();
        }
        long firstSuccess = System.nanoTime() - back;
        out.put("recovery_first_query_ms", Percentiles.millis(firstSuccess));
        out.put("recovery_config", "acquireTimeout=1s, connectTimeout=1s, retryInitialBackoff=50ms,"
            + " retryMaxBackoff=500ms, outage 2s");
      }
    }
  }

  private static void selectOne(RetryingDataSource pool) throws Exception {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
    }
  }

  private static boolean trySelectOne(RetryingDataSource pool) {
    try {
      selectOne(pool);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
