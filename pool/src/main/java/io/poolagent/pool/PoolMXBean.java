package io.poolagent.pool;

import org.jspecify.annotations.Nullable;

/**
 * The pool's management interface, registered as {@code poolagent:type=Pool,name=<poolName>}:
 * statistics, health, a writable leak threshold and max size, suspend/resume and soft eviction.
 */
public interface PoolMXBean {
  String getPoolName();

  /** HEALTHY, DEGRADED or UNHEALTHY. */
  String getHealth();

  int getTotalConnections();

  int getIdleConnections();

  int getActiveConnections();

  int getWaitingThreads();

  long getAcquisitions();

  long getReleases();

  long getCreationFailures();

  long getAcquireTimeouts();

  double getAverageAcquireWaitMillis();

  double getMaxAcquireWaitMillis();

  int getPeakActive();

  /** ISO-8601 instant the pool started. */
  String getCreatedAt();

  /** The last error's message (never the password), or null. */
  @Nullable String getLastError();

  /** ISO-8601 instant of the last error, or null. */
  @Nullable String getLastErrorAt();

  /** Zero when leak detection is off. */
  long getLeakDetectionThresholdMillis();

  /** Zero turns leak detection off; positive turns it on (with stack capture). */
  void setLeakDetectionThresholdMillis(long millis);

  int getMaxSize();

  /** At least 1 and at least min size; extra idle connections are closed by maintenance. */
  void setMaxSize(int maxSize);

  /** New borrows wait (up to their acquire timeout) until {@link #resume()}. */
  void suspend();

  void resume();

  boolean isSuspended();

  /** Closes idle connections now and borrowed ones when they are returned. */
  void softEvict();
}
