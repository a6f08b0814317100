package io.poolagent.it.pool;

import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolConfigBuilder;
import io.poolagent.pool.PoolConfig;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Shared set-up for the pool's integration tests. */
public final class PoolFixtures {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private PoolFixtures() {}

  /** A unique name, used as pool name and as application_name to find the pool's backends. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
  }

  /** A config for {@code db} whose connections carry {@code appName} in pg_stat_activity. */
  public static PoolConfigBuilder config(TestDatabase db, String appName) {
    return config(db, db.jdbcUrl(), appName);
  }

  /** The same, but connecting through {@code url} (for example a fault proxy). */
  public static PoolConfigBuilder config(TestDatabase db, String url, String appName) {
    String sep = url.contains("?") ? "&" : "?";
    return PoolConfig.builder()
        .jdbcUrl(url + sep + "ApplicationName=" + appName)
        .user(db.user()).password(db.password().isEmpty() ? null : db.password())
        .poolName(appName)
        .minSize(0).maxSize(4)
        .acquireTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(2))
        .validationTimeout(Duration.ofSeconds(1))
        .retryInitialBackoff(Duration.ofMillis(50))
        .retryMaxBackoff(Duration.ofMillis(500))
        .leakDetectionTimeout(Duration.ZERO)
        .shutdownTimeout(Duration.ofSeconds(5));
  }

  /** The jdbc URL of {@code db} with host and port replaced by loopback:{@code port}. */
  public static String viaPort(TestDatabase db, int port) {
    URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    return "jdbc:postgresql://127.0.0.1:" + port + uri.getRawPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  public static String host(TestDatabase db) {
    return URI.create(db.jdbcUrl().substring("jdbc:".length())).getHost();
  }

  public static int port(TestDatabase db) {
    int p = URI.create(db.jdbcUrl().substring("jdbc:".length())).getPort();
    return p < 0 ? 5432 : p;
  }

  /** Server-side count of backends whose application_name is {@code appName}. */
  public static int backends(Connection admin, String appName) throws SQLException {
    try (PreparedStatement ps = admin.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, appName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * {@link #backends} once it equals {@code expected}, or its last value after five seconds: a closed
   * connection's backend leaves pg_stat_activity only when its process has exited, a moment later.
   */
  public static int backendsSettlingAt(Connection admin, String appName, int expected)
      throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    int count = backends(admin, appName);
    while (count != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
      count = backends(admin, appName);
    }
    return count;
  }

  public static int selectOne(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  public static void execute(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Waits up to {@code seconds} for {@code condition}; false if it never held. */
  public static boolean within(double seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }
}
