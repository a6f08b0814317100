package io.poolagent.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The pool's running counts, cheap to update from many threads at once. Borrows, returns and wait
 * times are counted on each connection by the thread holding it (see {@link PooledConnection}), so a
 * borrow/return cycle updates no shared atomic; the totals are the sum over the pool's connections
 * plus what connections already removed had counted, folded in here as they leave the pool.
 */
final class PoolCounters {
  final Instant createdAt = Instant.now();
  private final ConnectionBag bag;
  // Counts of removed connections; guarded by this, like the removal itself, so a sum never
  // counts a connection twice or misses it while it moves from the bag to here.
  private long retiredBorrows;
  private long retiredReturns;
  private long retiredWaitNanos;
  private long retiredMaxWaitNanos;
  private final LongAdder creationFailures = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder opened = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final AtomicInteger peakActive = new AtomicInteger();
  private volatile @Nullable String lastError;
  private volatile @Nullable Instant lastErrorAt;

  PoolCounters(ConnectionBag bag) {
    this.bag = bag;
  }

  /**
   * Drops a REMOVED connection from the bag and keeps its counts. Anyone may still be counting a
   * return on it (an aborted borrow); that return is counted by {@link #returnedAfterRemoval}.
   */
  synchronized void retire(PooledConnection e) {
    if (!bag.drop(e)) {
      return;
    }
    retiredBorrows += e.borrows();
    retiredReturns += e.returns();
    retiredWaitNanos += e.waitNanos();
    retiredMaxWaitNanos = Math.max(retiredMaxWaitNanos, e.maxWaitNanos());
  }

  /** A return of a connection the pool had already removed (aborted by shutdown). */
  synchronized void returnedAfterRemoval() {
    retiredReturns++;
  }

  /**
   * Records {@code active} borrowed connections if it is a new peak. Not called per borrow (a shared
   * counter would be contended): the pool calls it when the active count can have grown to a peak,
   * that is whenever a borrow found no idle connection, and on every statistics snapshot.
   */
  void observeActive(int active) {
    if (active > peakActive.get()) {
      peakActive.accumulateAndGet(active, Math::max);
    }
  }

  void opened() {
    opened.increment();
  }

  void closed() {
    closed.increment();
  }

  void creationFailed(String redactedMessage) {
    creationFailures.increment();
    error(redactedMessage);
  }

  void timedOut(String message) {
    timeouts.increment();
    error(message);
  }

  void error(String redactedMessage) {
    lastErrorAt = Instant.now();
    lastError = redactedMessage;
  }

  /** Counts plus one pass over the connections, so total == idle + active within the snapshot. */
  PoolStats snapshot(String name, ConnectionBag bag, int maxSize) {
    int idle = 0;
    int active = 0;
    for (PooledConnection e : bag.snapshot()) {
      int s = e.state();
      if (s == PooledConnection.IN_USE) {
        active++;
      } else if (s != PooledConnection.REMOVED) {
        idle++;
      }
    }
    observeActive(active);
    Totals totals = totals();
    long count = totals.borrows();
    long avg = count == 0 ? 0 : totals.waitNanos() / count;
    return new PoolStats(name, idle + active, idle, active, bag.waiting(), maxSize, count,
        totals.returns(), creationFailures.sum(), timeouts.sum(), Duration.ofNanos(avg),
        Duration.ofNanos(totals.maxWaitNanos()), peakActive.get(), createdAt, lastError,
        lastErrorAt);
  }

  /** Borrows, returns and waits of the connections in the pool and of those already removed. */
  private record Totals(long borrows, long returns, long waitNanos, long maxWaitNanos) {}

  /** One pass over the connections, under the lock that moves a removed one's counts here. */
  private synchronized Totals totals() {
    long borrows = retiredBorrows;
    long returns = retiredReturns;
    long waited = retiredWaitNanos;
    long maxWait = retiredMaxWaitNanos;
    for (PooledConnection e : bag.snapshot()) {
      borrows += e.borrows();
      returns += e.returns();
      waited += e.waitNanos();
      maxWait = Math.max(maxWait, e.maxWaitNanos());
    }
    return new Totals(borrows, returns, waited, maxWait);
  }

  long acquisitions() {
    return totals().borrows();
  }

  long releases() {
    return totals().returns();
  }

  long creationFailures() {
    return creationFailures.sum();
  }

  long timeouts() {
    return timeouts.sum();
  }

  long openedCount() {
    return opened.sum();
  }

  long closedCount() {
    return closed.sum();
  }

  int peakActive() {
    return peakActive.get();
  }

  @Nullable String lastError() {
    return lastError;
  }

  @Nullable Instant lastErrorAt() {
    return lastErrorAt;
  }
}
