package io.poolagent.leak;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The single daemon thread that drives {@link LeakTracker#sweep()}: one periodic scan, never a task
 * per borrow. A borrow is flagged no later than threshold + scan interval.
 *
 * <p>While it runs, and the interval is at most {@link #MAX_OFF_CLOCK_INTERVAL}, borrows take their
 * time from the latest sweep instead of the clock (see {@link LeakTracker}): a borrow's time is then
 * known to within one sweep period, so the sweeper sweeps twice per interval, and a borrow is still
 * flagged within one interval of its threshold.
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
  /** Whether borrows take their time from the sweeps, so two sweeps per interval are needed. */
  private volatile boolean halfPeriod;
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
    intervalNanos = interval.toNanos();
    if (!stopped) {
      keepOffTheClock(interval);
    }
    LockSupport.unpark(thread);
  }

  private synchronized void keepOffTheClock(Duration interval) {
    if (stopped) {
      return;
    }
    // half periods before borrows go off the clock, back on the clock before full periods: a
    // borrow off the clock is always swept twice per interval
    if (interval.compareTo(MAX_OFF_CLOCK_INTERVAL) <= 0) {
      halfPeriod = true;
      halfPeriod = tracker.keepBorrowsOffTheClock(true); // false: a listener needs exact times
    } else {
      tracker.keepBorrowsOffTheClock(false);
      halfPeriod = false;
    }
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
    long period = interval - Math.min(interval / 10, WAKE_UP_MARGIN_NANOS);
    return halfPeriod ? period / 2 : period;
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
