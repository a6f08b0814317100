package io.poolagent.agent.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one DataSource (by report name): hold times of closed borrows and the findings of
 * the sweeper. Open and flagged counts are not kept here; {@link SourceStatsIndex} counts them from
 * the open borrows when asked, so a borrow costs one striped increment set and nothing shared.
 */
public final class SourceStats {
  private final String name;
  private final HoldTimeHistogram holdTimes = new HoldTimeHistogram();
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

  /** Hold times of the borrows of this DataSource that were closed. */
  public HoldTimeHistogram holdTimes() {
    return holdTimes;
  }

  /** Borrows closed, that is released. */
  public long released() {
    return holdTimes.count();
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
