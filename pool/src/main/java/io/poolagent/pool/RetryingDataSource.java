package io.poolagent.pool;

import io.poolagent.leak.LeakTracker;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The bundled retrying connection pool, as a {@link DataSource}. Every {@link #getConnection()}
 * returns a new handle on a pooled connection; closing the handle returns the connection. Close the
 * pool itself with {@link #close()} (graceful: waits up to the shutdown timeout for borrowed
 * connections).
 *
 * <pre>{@code
 * try (RetryingDataSource pool = new RetryingDataSource(PoolConfig.fromEnvironment(System.getenv()))) {
 *   try (Connection c = pool.getConnection()) { ... }
 * }
 * }</pre>
 */
public final class RetryingDataSource implements DataSource, AutoCloseable {
  private static final String ORIGIN = RetryingDataSource.class.getName();

  private final PoolEngine engine;
  private final PoolJmx jmx;

  /**
   * Starts a pool: checks that a JDBC driver accepts the URL, starts the maintenance thread (which
   * opens the min idle connections in the background) and registers the MXBean.
   *
   * @throws PoolConfigException when no JDBC driver on the class path accepts the URL
   */
  public RetryingDataSource(PoolConfig config) {
    requireDriver(config);
    this.engine = new PoolEngine(config);
    this.jmx = new PoolJmx(engine);
    engine.start();
    jmx.register();
  }

  private static void requireDriver(PoolConfig config) {
    try {
      Driver driver = DriverManager.getDriver(config.jdbcUrl());
      if (driver == null) {
        throw new SQLException("no driver");
      }
    } catch (SQLException e) {
      throw new PoolConfigException(List.of("jdbcUrl=" + Secrets.maskUrl(config.jdbcUrl())
          + " is not accepted by any JDBC driver on the class path; add the driver (for example"
          + " org.postgresql:postgresql) or fix the URL"));
    }
  }

  /**
   * A connection from the pool: an idle one, a new one if the pool is below max, else the next one
   * returned, waiting up to the acquire timeout.
   *
   * @throws java.sql.SQLTransientConnectionException on timeout (the message carries the pool's
   *     state and, with leak detection on, who holds the connections) or when no connection could
   *     be opened after the configured retries
   */
  @Override
  public Connection getConnection() throws SQLException {
    ConnectionHandle handle = engine.borrow();
    LeakTracker tracker = engine.leaks.current();
    if (tracker != null) {
      // Called here, not in a helper, so the reported stack starts at the application's caller.
      handle.leakTracker = tracker;
      tracker.track(handle, this, ORIGIN);
    }
    return handle;
  }

  /** Not supported: every connection of a pool uses the configured user. */
  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException(
        "pool '" + engine.name() + "' opens every connection as its configured user");
  }

  PoolEngine engine() {
    return engine;
  }

  /** The pool's name, as used in thread names, JMX, meters and reports. */
  public String getPoolName() {
    return engine.name();
  }

  /** The pool's health, from cached state. */
  public PoolHealth health() {
    return engine.health.health();
  }

  /** A snapshot of the pool's state and counters. */
  public PoolStats stats() {
    return engine.stats();
  }

  /** The configuration the pool was built with. */
  public PoolConfig config() {
    return engine.config;
  }

  /** The pool's management interface (also registered in JMX). */
  public PoolMXBean management() {
    return jmx;
  }

  public boolean isClosed() {
    return engine.isClosed();
  }

  /**
   * Graceful shutdown: refuses new borrows at once, closes idle connections, waits up to the
   * shutdown timeout for borrowed connections to be returned, then aborts the rest with a warning
   * naming their holders. Idempotent and safe from any thread; a second call returns at once.
   */
  @Override
  public void close() {
    if (engine.isClosed()) {
      return;
    }
    engine.close();
    jmx.unregister();
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return null;
  }

  /** Ignored: the pool logs through {@code System.Logger}. */
  @Override
  public void setLogWriter(PrintWriter out) {}

  /** Ignored: use the connect timeout setting. */
  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return ConnectionFactory.seconds(engine.config.connectTimeout());
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("the pool logs through System.Logger \"poolagent.pool\"");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    Map<Setting, String> c = engine.config.describe();
    return "RetryingDataSource[" + engine.name() + ", " + c.get(Setting.JDBC_URL) + ", "
        + engine.health.health() + ", " + engine.stats().stateText() + "]";
  }
}
