package io.poolagent.pool;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
  private volatile String lastError;
  private volatile Instant lastErrorAt;

  void acquired(long waitedNanos) {
    acquisitions.increment();
    waitNanos.add(waitedNanos);
    if (waitedNanos > maxWaitNanos.get()) {
      maxWaitNanos.accumulateAndGet(waitedNanos, Math::max);
    }
  }

  /**
   * Records that {@code inUse} connections were borrowed at once. The pool calls this only while the
   * peak is below the number of connections it has, so a warm pool at its peak pays nothing, and
   * borrows share no counter that every borrow and return would have to update.
   */
  void observeInUse(int inUse) {
    if (inUse > peakActive.get()) {
      peakActive.accumulateAndGet(inUse, Math::max);
    }
  }

  void released() {
    releases.increment();
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

  String lastError() {
    return lastError;
  }

  Instant lastErrorAt() {
    return lastErrorAt;
  }
}
