package io.poolagent.pool;

/** The pool's health, answered from cached state. */
public enum PoolHealth {
  /** Connections open and validate; nothing unusual lately. */
  HEALTHY,
  /**
   * Working, but with trouble: a leak is flagged now, or within the last minute an acquire timed out
   * or a connection attempt failed.
   */
  DEGRADED,
  /** The database cannot be reached (the last attempt to open a connection failed), or closed. */
  UNHEALTHY
}
