package io.poolagent.pool;

import java.sql.Connection;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One physical connection owned by the pool, and its bookkeeping. Its {@link #state} moves by CAS:
 * IDLE to IN_USE (a borrow), IDLE to RESERVED (maintenance looks at it), IN_USE or RESERVED to
 * REMOVED (discarded; terminal). Only the owner of the IN_USE or RESERVED state may touch the
 * physical connection.
 */
final class PooledConnection {
  static final int IDLE = 0;
  static final int IN_USE = 1;
  static final int RESERVED = 2;
  static final int REMOVED = -1;

  private static final AtomicIntegerFieldUpdater<PooledConnection> STATE =
      AtomicIntegerFieldUpdater.newUpdater(PooledConnection.class, "state");

  final Connection physical;
  final long id;
  final long createdNanos;
  /** Age at which it is recycled, jitter applied; Long.MAX_VALUE for never. */
  final long lifetimeNanos;
  final ConnectionDefaults defaults;

  private volatile int state;

  /** Written by the returning thread before the state is released; read after a CAS acquires it. */
  long lastReturnedNanos;
  /** When it last passed validation (creation counts); written by whoever holds it. */
  long lastValidatedNanos;
  /** Statements created on it; counted by the holding thread only. */
  long queries;
  /** Set when it must not be reused: soft-evict, a fatal error, pool shrink. */
  volatile boolean evict;

  PooledConnection(Connection physical, long id, long createdNanos, long lifetimeNanos,
      ConnectionDefaults defaults, int initialState) {
    this.physical = physical;
    this.id = id;
    this.createdNanos = createdNanos;
    this.lifetimeNanos = lifetimeNanos;
    this.defaults = defaults;
    this.lastReturnedNanos = createdNanos;
    this.lastValidatedNanos = createdNanos;
    this.state = initialState;
  }

  int state() {
    return state;
  }

  /** IDLE to IN_USE; true if this thread now holds it. */
  boolean tryBorrow() {
    return state == IDLE && STATE.compareAndSet(this, IDLE, IN_USE);
  }

  /** IDLE to RESERVED, for maintenance. */
  boolean tryReserve() {
    return state == IDLE && STATE.compareAndSet(this, IDLE, RESERVED);
  }

  /** From IN_USE or RESERVED (held by the caller) back to IDLE. */
  void makeIdle() {
    state = IDLE;
  }

  /** To REMOVED from any state but REMOVED; true for the one caller that removed it. */
  boolean markRemoved() {
    for (;;) {
      int s = state;
      if (s == REMOVED) {
        return false;
      }
      if (STATE.compareAndSet(this, s, REMOVED)) {
        return true;
      }
    }
  }

  /** To REMOVED only if currently {@code expected}. */
  boolean markRemovedIf(int expected) {
    return STATE.compareAndSet(this, expected, REMOVED);
  }

  boolean isExpired(long nowNanos) {
    return nowNanos - createdNanos >= lifetimeNanos;
  }

  @Override
  public String toString() {
    return "PooledConnection#" + id;
  }
}
