package io.poolagent.agent.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one DataSource (by report name): closed borrows, hold times of those that were
 * timed, and the findings of the sweeper. Open and flagged counts are not kept here;
 * {@link SourceStatsIndex} counts them from the open borrows when asked, so an untimed close costs
 * one striped increment, and a timed one also the histogram's striped adds (see
 * {@link HoldTimeHistogram}), with nothing shared between threads.
 */
public final class SourceStats {
  private final String name;
  private final HoldTimeHistogram holdTimes = new HoldTimeHistogram();
  private final LongAdder released = new LongAdder();
  private final LongAdder leaksDetected = new LongAdder();
  private final LongAdder returnedAfterLeak = new LongAdder();
  private final LongAdder gcUnclosed = new LongAdder();

  SourceStats(String name) {
    this.name = name;
  }

  /** The DataSource's report name: its pool name where it has one, else class name and identity. */
  public String name() {
    return name;
  }

  /** Hold times of the borrows of this DataSource that were closed and timed. */
  public HoldTimeHistogram holdTimes() {
    return holdTimes;
  }

  /** Borrows closed, that is released: every one, timed or not. */
  public long released() {
    return released.sum();
  }

  /**
   * Counts one close; records its hold time when it was timed ({@code heldNanos >= 0}), standing for
   * {@code weight} closes.
   */
  void countRelease(long heldNanos, int weight) {
    released.increment();
    if (heldNanos >= 0) {
      holdTimes.record(heldNanos, weight);
    }
  }

  public long leaksDetected() {
    return leaksDetected.sum();
  }

  public long returnedAfterLeak() {
    return returnedAfterLeak.sum();
  }

  public long gcUnclosed() {
    return gcUnclosed.sum();
  }

  void countLeak() {
    leaksDetected.increment();
  }

  void countReturnedAfterLeak() {
    returnedAfterLeak.increment();
  }

  void countGcUnclosed() {
    gcUnclosed.increment();
  }
}
