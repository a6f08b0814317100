package io.poolagent.leak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The single daemon thread that drives {@link LeakTracker#sweep()}: one periodic scan, never a task
 * per borrow. A borrow is flagged no later than threshold + scan interval.
 */
public final class LeakSweeper implements AutoCloseable {
  /** The longest scan interval used when none is configured. */
  public static final Duration MAX_DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private static final Duration MIN_DEFAULT_INTERVAL = Duration.ofMillis(10);

  private final LeakTracker tracker;
  private final Thread thread;
  private volatile long intervalNanos;
  private volatile boolean stopped;

  private LeakSweeper(LeakTracker tracker, Duration interval, String threadName) {
    this.tracker = tracker;
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  /** Starts a sweeper thread named {@code threadName} that sweeps every {@code interval}. */
  public static LeakSweeper start(LeakTracker tracker, Duration interval, String threadName) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("scan interval must be positive, got " + interval);
    }
    LeakSweeper sweeper = new LeakSweeper(tracker, interval, threadName);
    sweeper.thread.start();
    return sweeper;
  }

  /** The interval used when none is configured: a tenth of the threshold, within 10 ms and 1 s. */
  public static Duration defaultInterval(Duration threshold) {
    if (threshold.isZero()) {
      return MAX_DEFAULT_INTERVAL;
    }
    Duration tenth = threshold.dividedBy(10);
    if (tenth.compareTo(MIN_DEFAULT_INTERVAL) < 0) {
      return MIN_DEFAULT_INTERVAL;
    }
    return tenth.compareTo(MAX_DEFAULT_INTERVAL) > 0 ? MAX_DEFAULT_INTERVAL : tenth;
  }

  public void setInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("scan interval must be positive, got " + interval);
    }
    intervalNanos = interval.toNanos();
    LockSupport.unpark(thread);
  }

  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  private void run() {
    long next = System.nanoTime() + intervalNanos;
    while (!stopped) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, Math.min(wait, intervalNanos));
        if (System.nanoTime() - next < 0 && !stopped) {
          continue;
        }
      }
      tracker.sweep();
      // Fixed rate: a slow sweep (many leaks to report) does not push the next one back, so a
      // borrow is still flagged within one interval of its threshold. Behind schedule, sweep again now.
      next += intervalNanos;
      long now = System.nanoTime();
      if (next - now < 0) {
        next = now;
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
