package io.poolagent.pool;

import java.util.concurrent.TimeUnit;

/**
 * The pool's health, kept up to date by the events that change it, so {@link #health()} is a few
 * field reads. UNHEALTHY: closed, or the last attempt to open a connection failed (the database is
 * unreachable). DEGRADED: a leak is flagged now, or an acquire timed out or a connection failed to
 * open within the last minute.
 */
final class HealthState {
  static final long RECENT_NANOS = TimeUnit.MINUTES.toNanos(1);

  private volatile boolean unreachable;
  private volatile boolean closed;
  private volatile int leaksFlagged;
  private volatile long lastTimeoutNanos;
  private volatile long lastCreationFailureNanos;
  private volatile boolean hadTimeout;
  private volatile boolean hadCreationFailure;

  PoolHealth health() {
    if (closed || unreachable) {
      return PoolHealth.UNHEALTHY;
    }
    long now = System.nanoTime();
    if (leaksFlagged > 0
        || (hadTimeout && now - lastTimeoutNanos < RECENT_NANOS)
        || (hadCreationFailure && now - lastCreationFailureNanos < RECENT_NANOS)) {
      return PoolHealth.DEGRADED;
    }
    return PoolHealth.HEALTHY;
  }

  /** One attempt to open a connection failed. */
  void attemptFailed() {
    lastCreationFailureNanos = System.nanoTime();
    hadCreationFailure = true;
  }

  /** Every attempt to open a connection failed: the database is treated as unreachable. */
  void unreachable() {
    unreachable = true;
  }

  void opened() {
    if (unreachable) {
      unreachable = false;
    }
  }

  boolean isUnreachable() {
    return unreachable;
  }

  void timedOut() {
    lastTimeoutNanos = System.nanoTime();
    hadTimeout = true;
  }

  void leaksFlagged(int count) {
    leaksFlagged = count;
  }

  void closed() {
    closed = true;
  }
}
