package io.poolagent.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** The pool's running counts, cheap to update from many threads at once. */
final class PoolCounters {
  final Instant createdAt = Instant.now();
  private final LongAdder acquisitions = new LongAdder();
  private final LongAdder releases = new LongAdder();
  private final LongAdder creationFailures = new LongAdder();
  private final LongAdder timeouts = new LongAdder();
  private final LongAdder opened = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final LongAdder waitNanos = new LongAdder();
  private final AtomicLong maxWaitNanos = new AtomicLong();
  private final AtomicInteger peakActive = new AtomicInteger();
  private volatile @Nullable String lastError;
  private volatile @Nullable Instant lastErrorAt;

  void acquired(long waitedNanos) {
    acquisitions.increment();
    waitNanos.add(waitedNanos);
    if (waitedNanos > maxWaitNanos.get()) {
      maxWaitNanos.accumulateAndGet(waitedNanos, Math::max);
    }
  }

  void released() {
    releases.increment();
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
    long count = acquisitions.sum();
    long avg = count == 0 ? 0 : waitNanos.sum() / count;
    return new PoolStats(name, idle + active, idle, active, bag.waiting(), maxSize, count,
        releases.sum(), creationFailures.sum(), timeouts.sum(), Duration.ofNanos(avg),
        Duration.ofNanos(maxWaitNanos.get()), peakActive.get(), createdAt, lastError, lastErrorAt);
  }

  long acquisitions() {
    return acquisitions.sum();
  }

  long releases() {
    return releases.sum();
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

  long totalWaitNanos() {
    return waitNanos.sum();
  }

  long maxWaitNanos() {
    return maxWaitNanos.get();
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
