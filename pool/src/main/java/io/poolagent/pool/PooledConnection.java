package io.poolagent.pool;

import io.poolagent.leak.CacheLinePadding;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One physical connection owned by the pool, and its bookkeeping. Its {@link #state} moves by CAS:
 * IDLE to IN_USE (a borrow), IDLE to RESERVED (maintenance looks at it), IN_USE or RESERVED to
 * REMOVED (discarded; terminal). Only the owner of the IN_USE or RESERVED state may touch the
 * physical connection. Padded on both sides (see {@link CacheLinePadding}; instances are
 * {@link Padded}): borrowing threads write it, and every thread reads its neighbours in the bag.
 */
abstract class PooledConnection extends CacheLinePadding {
  static final int IDLE = 0;
  static final int IN_USE = 1;
  static final int RESERVED = 2;
  static final int REMOVED = -1;

  private static final AtomicIntegerFieldUpdater<PooledConnection> STATE =
      AtomicIntegerFieldUpdater.newUpdater(PooledConnection.class, "state");
  private static final VarHandle BORROWS;
  private static final VarHandle RETURNS;
  private static final VarHandle WAIT_NANOS;
  private static final VarHandle MAX_WAIT_NANOS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      BORROWS = lookup.findVarHandle(PooledConnection.class, "borrows", long.class);
      RETURNS = lookup.findVarHandle(PooledConnection.class, "returns", long.class);
      WAIT_NANOS = lookup.findVarHandle(PooledConnection.class, "waitNanos", long.class);
      MAX_WAIT_NANOS = lookup.findVarHandle(PooledConnection.class, "maxWaitNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

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

  // The pool's borrow statistics, counted per connection rather than in shared atomics: only the
  // thread holding the connection writes them (plain stores, no atomic instruction on the hot path);
  // statistics read them opaquely, so a 64-bit value is never seen half-written.
  private long borrows;
  private long returns;
  private long waitNanos;
  private long maxWaitNanos;

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

  /** Counts a borrow of this connection and how long the borrower waited; holder only. */
  void countBorrow(long waitedNanos) {
    BORROWS.setOpaque(this, borrows + 1);
    WAIT_NANOS.setOpaque(this, waitNanos + waitedNanos);
    if (waitedNanos > maxWaitNanos) {
      MAX_WAIT_NANOS.setOpaque(this, waitedNanos);
    }
  }

  /** Counts a return of this connection; holder only. */
  void countReturn() {
    RETURNS.setOpaque(this, returns + 1);
  }

  long borrows() {
    return (long) BORROWS.getOpaque(this);
  }

  long returns() {
    return (long) RETURNS.getOpaque(this);
  }

  long waitNanos() {
    return (long) WAIT_NANOS.getOpaque(this);
  }

  long maxWaitNanos() {
    return (long) MAX_WAIT_NANOS.getOpaque(this);
  }

  boolean isExpired(long nowNanos) {
    return nowNanos - createdNanos >= lifetimeNanos;
  }

  @Override
  public String toString() {
    return "PooledConnection#" + id;
  }

  /** A pooled connection with padding after its fields. */
  @SuppressWarnings("unused") // never read: the fields only take space
  static final class Padded extends PooledConnection {
    private long t0;
    private long t1;
    private long t2;
    private long t3;
    private long t4;
    private long t5;
    private long t6;
    private long t7;

    Padded(Connection physical, long id, long createdNanos, long lifetimeNanos,
        ConnectionDefaults defaults, int initialState) {
      super(physical, id, createdNanos, lifetimeNanos, defaults, initialState);
    }
  }
}
