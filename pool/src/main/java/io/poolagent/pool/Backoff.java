package io.poolagent.pool;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: before retry n (1-based) wait a uniformly random time in
 * [0, min(max, initial * 2^(n-1))].
 */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;

  Backoff(Duration initial, Duration max) {
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** The cap for retry {@code n} (1-based): initial doubled n-1 times, at most max. */
  long capNanos(int n) {
    int shift = Math.max(0, Math.min(n - 1, 62));
    long cap = initialNanos;
    for (int i = 0; i < shift && cap < maxNanos; i++) {
      cap = cap > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : cap * 2;
    }
    return Math.min(cap, maxNanos);
  }

  /** A random delay in [0, cap(n)]. */
  long delayNanos(int n) {
    long cap = capNanos(n);
    return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
  }
}
