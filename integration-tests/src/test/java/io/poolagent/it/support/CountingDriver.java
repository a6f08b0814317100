package io.poolagent.it.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:counting:postgresql://...} that opens real PostgreSQL connections
 * and counts, per URL, the physical connections opened and closed (close or abort, once each). It
 * lets a test check a pool's books: opened = closed + pooled.
 */
public final class CountingDriver implements Driver {
  public static final String PREFIX = "jdbc:counting:";

  private static final Map<String, Counts> COUNTS = new ConcurrentHashMap<>();
  private static final CountingDriver INSTANCE = new CountingDriver();
  private static final AtomicBoolean REGISTERED = new AtomicBoolean();

  private final Driver postgres = new org.postgresql.Driver();

  /** Physical connections opened and closed through one URL. */
  public static final class Counts {
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();

    public long opened() {
      return opened.get();
    }

    public long closed() {
      return closed.get();
    }

    @Override
    public String toString() {
      return "opened=" + opened + ", closed=" + closed;
    }
  }

  /** Registers the driver once and returns the counting form of a jdbc:postgresql URL. */
  public static String countingUrl(String postgresUrl) {
    if (REGISTERED.compareAndSet(false, true)) {
      try {
        DriverManager.registerDriver(INSTANCE);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    return PREFIX + postgresUrl.substring("jdbc:".length());
  }

  /** The counts of connections opened through {@code countingUrl} (an exact URL given to a pool). */
  public static Counts counts(String countingUrl) {
    return COUNTS.computeIfAbsent(countingUrl, k -> new Counts());
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Connection real = postgres.connect("jdbc:" + url.substring(PREFIX.length()), info);
    if (real == null) {
      return null;
    }
    Counts counts = counts(url);
    counts.opened.incrementAndGet();
    AtomicBoolean done = new AtomicBoolean();
    InvocationHandler handler = (proxy, method, args) -> invoke(real, counts, done, method, args);
    return (Connection) Proxy.newProxyInstance(CountingDriver.class.getClassLoader(),
        new Class<?>[] {Connection.class}, handler);
  }

  private static Object invoke(Connection real, Counts counts, AtomicBoolean done, Method method,
      Object[] args) throws Throwable {
    String name = method.getName();
    boolean ends = (name.equals("close") || name.equals("abort")) && !done.get();
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      if (ends && done.compareAndSet(false, true)) {
        counts.closed.incrementAndGet();
      }
    }
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith(PREFIX);
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
    throw new SQLFeatureNotSupportedException();
  }
}
