package io.poolagent.agent.jmx;

import io.poolagent.agent.stats.SourceStats;
import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.agent.stats.SourceStatsIndex.OpenCounts;
import io.poolagent.leak.LeakTracker;

/** The implementation behind {@code poolagent:type=DataSource,name=<name>}. */
final class DataSourceBean implements DataSourceMXBean {
  private static final double NANOS_PER_MILLI = 1_000_000.0;

  private final LeakTracker tracker;
  private final SourceStatsIndex index;
  private final SourceStats stats;

  DataSourceBean(LeakTracker tracker, SourceStatsIndex index, SourceStats stats) {
    this.tracker = tracker;
    this.index = index;
    this.stats = stats;
  }

  @Override
  public String getName() {
    return stats.name();
  }

  @Override
  public int getOpenConnections() {
    return index.openNow(tracker, stats).open();
  }

  @Override
  public int getLeakedConnections() {
    return index.openNow(tracker, stats).leaked();
  }

  @Override
  public long getAcquired() {
    OpenCounts now = index.openNow(tracker, stats);
    return stats.released() + now.open() + stats.gcUnclosed();
  }

  @Override
  public long getReleased() {
    return stats.released();
  }

  @Override
  public long getLeaksDetected() {
    return stats.leaksDetected();
  }

  @Override
  public long getReturnedAfterLeak() {
    return stats.returnedAfterLeak();
  }

  @Override
  public long getGcUnclosed() {
    return stats.gcUnclosed();
  }

  @Override
  public double getHoldTimeMeanMillis() {
    return stats.holdTimes().meanNanos() / NANOS_PER_MILLI;
  }

  @Override
  public double getHoldTimeMaxMillis() {
    return stats.holdTimes().maxNanos() / NANOS_PER_MILLI;
  }

  @Override
  public double getHoldTimeP50Millis() {
    return stats.holdTimes().percentileNanos(0.5) / NANOS_PER_MILLI;
  }

  @Override
  public double getHoldTimeP95Millis() {
    return stats.holdTimes().percentileNanos(0.95) / NANOS_PER_MILLI;
  }

  @Override
  public double getHoldTimeP99Millis() {
    return stats.holdTimes().percentileNanos(0.99) / NANOS_PER_MILLI;
  }
}
