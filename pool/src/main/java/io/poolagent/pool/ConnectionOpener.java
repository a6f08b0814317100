package io.poolagent.pool;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Opens a validated connection, retrying with {@link Backoff}. Every attempt that fails, at opening,
 * set-up or validation, closes the connection it obtained before the next attempt: a failed
 * attempt's connection is never pooled and never lost.
 */
final class ConnectionOpener {
  private static final Logger LOG = System.getLogger("poolagent.pool");

  private final ConnectionFactory factory;
  private final Backoff backoff;
  private final PoolCounters counters;
  private final HealthState health;
  private final Secrets secrets;
  private final String poolName;
  private volatile PoolMetrics metrics = PoolMetrics.NONE;

  ConnectionOpener(ConnectionFactory factory, Backoff backoff, PoolCounters counters,
      HealthState health, Secrets secrets, String poolName) {
    this.factory = factory;
    this.backoff = backoff;
    this.counters = counters;
    this.health = health;
    this.secrets = secrets;
    this.poolName = poolName;
  }

  void metrics(PoolMetrics metrics) {
    this.metrics = metrics;
  }

  Backoff backoff() {
    return backoff;
  }

  /**
   * Up to {@code attempts} tries, backing off between them, never sleeping past
   * {@code deadlineNanos}. Marks the database unreachable when every attempt failed.
   */
  PooledConnection open(int attempts, long deadlineNanos, int initialState) throws SQLException {
    Throwable last = null;
    int made = 0;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      made = attempt;
      long start = System.nanoTime();
      PooledConnection e = null;
      boolean ok = false;
      try {
        e = factory.open(initialState);
        factory.validate(e.physical);
        ok = true;
      } catch (SQLException | RuntimeException ex) {
        last = ex;
        String text = secrets.redact(String.valueOf(ex.getMessage()));
        counters.creationFailed("opening a connection failed: " + text);
        health.attemptFailed();
        LOG.log(Level.DEBUG, () -> "poolagent pool '" + poolName + "': attempt to open a connection"
            + " failed: " + text);
      } finally {
        if (!ok && e != null) {
          ConnectionFactory.closeQuietly(e.physical);
        }
      }
      if (ok) {
        counters.opened();
        health.opened();
        metrics.connectionCreated(System.nanoTime() - start);
        return java.util.Objects.requireNonNull(e, "ok implies a connection");
      }
      if (attempt == attempts) {
        break;
      }
      long delay = backoff.delayNanos(attempt);
      if (System.nanoTime() + delay - deadlineNanos >= 0) {
        break;
      }
      sleep(delay);
    }
    health.unreachable();
    String reason = last == null ? "unknown" : secrets.redact(String.valueOf(last.getMessage()));
    throw new SQLTransientConnectionException("pool '" + poolName + "' could not open a connection"
        + " after " + made + (made == 1 ? " attempt" : " attempts") + ": " + reason, "08001",
        secrets.scrub(last));
  }

  private static void sleep(long nanos) throws SQLException {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLTransientConnectionException("interrupted while retrying a connection", "08001", e);
    }
  }
}
