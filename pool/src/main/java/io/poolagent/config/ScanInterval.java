package io.poolagent.config;

import java.time.Duration;

/**
 * How often the leak sweeper looks when no interval is configured: a tenth of the threshold, within
 * 10 ms and 1 s, so a leak is flagged no later than threshold + interval. Kept out of the leak engine
 * so that option parsing never loads an engine class before the agent has put the engine on the
 * bootstrap class path.
 */
public final class ScanInterval {
  /** The longest interval used when none is configured. */
  public static final Duration MAX_DEFAULT = Duration.ofSeconds(1);

  private static final Duration MIN_DEFAULT = Duration.ofMillis(10);

  private ScanInterval() {}

  /** The default interval for {@code threshold}; 1 s when the threshold is 0 (never flag). */
  public static Duration forThreshold(Duration threshold) {
    if (threshold.isZero()) {
      return MAX_DEFAULT;
    }
    long tenthNanos;
    try {
      // not Duration.dividedBy, which divides BigDecimals: the agent calls this in premain
      tenthNanos = threshold.toNanos() / 10;
    } catch (ArithmeticException longerThanCenturies) {
      return MAX_DEFAULT;
    }
    Duration tenth = Duration.ofNanos(tenthNanos);
    if (tenth.compareTo(MIN_DEFAULT) < 0) {
      return MIN_DEFAULT;
    }
    return tenth.compareTo(MAX_DEFAULT) > 0 ? MAX_DEFAULT : tenth;
  }
}
