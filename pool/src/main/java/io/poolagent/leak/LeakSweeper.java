package io.poolagent.leak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The single daemon thread that drives {@link LeakTracker#sweep()}: one periodic scan, never a task
 * per borrow. A borrow is flagged no later than threshold + scan interval.
 */
public final class LeakSweeper implements AutoCloseable {
  private static final long WAKE_UP_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final LeakTracker tracker;
  private final Thread thread;
  private volatile long intervalNanos;
  private volatile boolean stopped;

  private LeakSweeper(LeakTracker tracker, Duration interval, String threadName) {
    this.tracker = tracker;
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(new Runnable() { // not a lambda: created in premain
      @Override
      public void run() {
        sweepUntilStopped();
      }
    }, threadName);
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

  /**
   * The time between sweeps: the interval less a margin (a tenth of it, at most 5 ms) for the thread
   * waking late, so that a borrow is flagged within one interval of its threshold, not just after.
   */
  private long periodNanos() {
    long interval = intervalNanos;
    return interval - Math.min(interval / 10, WAKE_UP_MARGIN_NANOS);
  }

  private void sweepUntilStopped() {
    long next = System.nanoTime() + periodNanos();
    while (!stopped) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, Math.min(wait, periodNanos()));
        if (System.nanoTime() - next < 0 && !stopped) {
          continue;
        }
      }
      tracker.sweep();
      // Fixed rate: a slow sweep (many leaks to report) does not push the next one back, so a
      // borrow is still flagged within one interval of its threshold. Behind schedule, sweep again now.
      next += periodNanos();
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
