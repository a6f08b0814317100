package io.poolagent.bench.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory JDBC driver for {@value #URL}: connect returns a {@link StubConnection} whose every
 * call is a no-op, so a benchmark measures the pool and nothing else. Counts the connections opened.
 */
public final class StubDriver implements Driver {
  public static final String URL = "jdbc:stub:bench";
  public static final StubDriver INSTANCE = new StubDriver();
  private static final LongAdder OPENED = new LongAdder();

  static {
    try {
      DriverManager.registerDriver(INSTANCE);
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Loads the class, which registers the driver with DriverManager. */
  public static void register() {
    // the static initialiser did the work
  }

  /** Physical connections opened so far. */
  public static long opened() {
    return OPENED.sum();
  }

  @Override
  public @Nullable Connection connect(String url, Properties info) {
    if (!acceptsURL(url)) {
      return null;
    }
    OPENED.increment();
    return new StubConnection();
  }

  @Override
  public boolean acceptsURL(@Nullable String url) {
    return url != null && url.startsWith("jdbc:stub:");
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no logger");
  }
}
