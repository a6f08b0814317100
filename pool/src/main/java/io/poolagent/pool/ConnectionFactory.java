package io.poolagent.pool;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Opens and validates physical connections: one attempt each, no retry (see
 * {@link ConnectionOpener}). For PostgreSQL it applies the connect timeout to the TCP connect and to
 * each read of the login, and the statement timeout at connection set-up; other drivers get the
 * statement timeout as each statement's query timeout.
 */
final class ConnectionFactory {
  private final String url;
  private final Properties properties = new Properties();
  private final int validationSeconds;
  private final @Nullable String validationQuery;
  private final boolean postgres;
  /** PostgreSQL without a socketTimeout of the URL's own: the connect timeout bounds the login's reads. */
  private final boolean socketTimeoutForLogin;
  private final @Nullable String statementTimeoutSql;
  private final long lifetimeNanos;
  private final AtomicLong ids = new AtomicLong();
  private volatile @Nullable Driver driver;

  ConnectionFactory(PoolConfig config) {
    this.url = config.jdbcUrl();
    this.postgres = url.startsWith("jdbc:postgresql:");
    if (config.user() != null) {
      properties.setProperty("user", config.user());
    }
    if (config.password() != null) {
      properties.setProperty("password", config.password());
    }
    int connectSeconds = ConnectionFactory.seconds(config.connectTimeout());
    long statementMillis = config.statementTimeout().toMillis();
    String setUp = null;
    // PostgreSQL's loginTimeout would run every connect on a thread of its own (about 1.5 ms each
    // here); a socket timeout bounds each read of the login as well and is lifted once it is done.
    this.socketTimeoutForLogin = postgres && !url.contains("socketTimeout=");
    if (postgres) {
      properties.setProperty("connectTimeout", Integer.toString(connectSeconds));
      if (socketTimeoutForLogin) {
        properties.setProperty("socketTimeout", Integer.toString(connectSeconds));
      }
      if (statementMillis > 0) {
        if (url.contains("options=")) {
          // The URL's own options would override ours: set the timeout by SQL instead.
          setUp = "SET statement_timeout = " + statementMillis;
        } else {
          properties.setProperty("options", "-c statement_timeout=" + statementMillis);
        }
      }
    }
    this.statementTimeoutSql = setUp;
    this.validationSeconds = ConnectionFactory.seconds(config.validationTimeout());
    this.validationQuery = config.validationQuery().orElse(null);
    Duration lifetime = config.maxConnectionLifetime();
    this.lifetimeNanos = lifetime.isZero() ? Long.MAX_VALUE : lifetime.toNanos();
  }

  /** True when the statement timeout is applied by the database session, not per statement. */
  boolean setsStatementTimeoutInSession() {
    return postgres;
  }

  /**
   * Opens one connection in the given state, or throws. A connection opened here that then fails
   * its set-up is closed before this method throws.
   */
  PooledConnection open(int initialState) throws SQLException {
    Connection c = driver().connect(url, properties);
    if (c == null) {
      throw new SQLException("the JDBC driver does not accept the URL " + Secrets.maskUrl(url),
          "08001");
    }
    boolean ok = false;
    try {
      if (statementTimeoutSql != null) {
        try (Statement s = c.createStatement()) {
          s.execute(statementTimeoutSql);
        }
      }
      if (socketTimeoutForLogin) {
        c.setNetworkTimeout(Runnable::run, 0); // logged in: statements are bounded by their own timeout
      }
      ConnectionDefaults defaults = ConnectionDefaults.of(c);
      long now = System.nanoTime();
      PooledConnection e = new PooledConnection.Padded(c, ids.incrementAndGet(), now, jittered(),
          defaults, initialState);
      ok = true;
      return e;
    } finally {
      if (!ok) {
        closeQuietly(c);
      }
    }
  }

  /** Lifetime minus up to 2.5% jitter, so connections opened together do not expire together. */
  private long jittered() {
    if (lifetimeNanos == Long.MAX_VALUE) {
      return lifetimeNanos;
    }
    long spread = lifetimeNanos / 40;
    return lifetimeNanos - (spread <= 0 ? 0 : ThreadLocalRandom.current().nextLong(spread + 1));
  }

  /** Throws unless the connection answers isValid (and the validation query, if set). */
  void validate(Connection c) throws SQLException {
    if (!c.isValid(validationSeconds)) {
      throw new SQLException("connection failed validation (isValid returned false within "
          + validationSeconds + " s)", "08006");
    }
    if (validationQuery != null) {
      try (Statement s = c.createStatement()) {
        s.setQueryTimeout(validationSeconds);
        s.execute(validationQuery);
      }
    }
  }

  private Driver driver() throws SQLException {
    Driver d = driver;
    if (d == null) {
      d = DriverManager.getDriver(url);
      driver = d;
    }
    return d;
  }

  /** Whole seconds, rounded up, at least 1: for JDBC APIs that take seconds. */
  static int seconds(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
  }

  static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      // discarded either way
    }
  }
}
