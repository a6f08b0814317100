package io.poolagent.leak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The single daemon thread that drives {@link LeakTracker#sweep()}: one periodic scan, never a task
 * per borrow. A borrow is flagged no later than threshold + scan interval.
 *
 * <p>It sweeps twice per interval. While it runs with an interval of at most
 * {@link #MAX_OFF_CLOCK_INTERVAL}, borrows take their time from the latest sweep instead of the clock
 * (see {@link LeakTracker}), and a sweep stamps each borrow when it first sees it: the stamp is at
 * most one period late, and the flag at most one more period after the threshold. Sweeping at the
 * same pace with borrows on the clock keeps that true for borrows made before a change of interval.
 */
public final class LeakSweeper implements AutoCloseable {
  private static final long WAKE_UP_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  /**
   * The longest interval with which borrows are kept off the clock: a hold time in a report may read
   * up to half of it long.
   */
  static final Duration MAX_OFF_CLOCK_INTERVAL = Duration.ofSeconds(1);

  private final LeakTracker tracker;
  private final Thread thread;
  private volatile long intervalNanos;
  /** Set when the interval shrank: the next sweep must not wait for the old schedule. */
  private volatile boolean rescheduled;
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
    sweeper.keepOffTheClock(interval);
    sweeper.thread.start();
    return sweeper;
  }

  public void setInterval(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("scan interval must be positive, got " + interval);
    }
    long before = intervalNanos;
    intervalNanos = interval.toNanos();
    keepOffTheClock(interval);
    if (interval.toNanos() < before) {
      rescheduled = true;
    }
    LockSupport.unpark(thread);
  }

  private synchronized void keepOffTheClock(Duration interval) {
    if (!stopped) {
      // false when a listener needs exact hold times
      tracker.keepBorrowsOffTheClock(interval.compareTo(MAX_OFF_CLOCK_INTERVAL) <= 0);
    }
  }

  public Duration interval() {
    return Duration.ofNanos(intervalNanos);
  }

  /**
   * The time between sweeps: half the interval less a margin (a tenth of it, at most 5 ms) for the
   * thread waking late, so that a borrow is flagged within one interval of its threshold, not just
   * after.
   */
  private long periodNanos() {
    long interval = intervalNanos;
    return (interval - Math.min(interval / 10, WAKE_UP_MARGIN_NANOS)) / 2;
  }

  private void sweepUntilStopped() {
    long next = System.nanoTime() + periodNanos();
    while (!stopped) {
      if (rescheduled) {
        rescheduled = false;
        long soonest = System.nanoTime() + periodNanos();
        if (next - soonest > 0) {
          next = soonest;
        }
      }
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
    synchronized (this) {
      stopped = true;
      tracker.keepBorrowsOffTheClock(false); // nothing advances the sweeps' time any more
    }
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
