package io.poolagent.agent.jmx;

import io.poolagent.agent.AgentRuntime;
import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.TabularData;

/** The implementation behind {@code poolagent:type=LeakDetector}; see {@link LeakDetectorMXBean}. */
public final class LeakDetector implements LeakDetectorMXBean {
  public static final String OBJECT_NAME = "poolagent:type=LeakDetector";
  /** The longest threshold whose nanoseconds fit a long. */
  static final long MAX_THRESHOLD_MILLIS = Long.MAX_VALUE / 1_000_000;

  private final AgentRuntime runtime;

  public LeakDetector(AgentRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public int getOpenConnections() {
    return runtime.tracker().openCount();
  }

  @Override
  public int getLeakedConnections() {
    return runtime.tracker().leakedNow();
  }

  @Override
  public long getLeaksDetected() {
    return runtime.tracker().leaksDetected();
  }

  @Override
  public long getGcUnclosed() {
    return runtime.tracker().gcUnclosedCount();
  }

  @Override
  public long getAcquired() {
    return runtime.tracker().acquiredCount();
  }

  @Override
  public long getReleased() {
    return runtime.tracker().releasedCount();
  }

  @Override
  public long getInternalErrors() {
    return runtime.tracker().internalErrors();
  }

  @Override
  public long getInstrumentationErrors() {
    return runtime.instrumentationErrors();
  }

  @Override
  public long getLeakThresholdMillis() {
    return runtime.tracker().thresholdMillis();
  }

  @Override
  public void setLeakThresholdMillis(long millis) {
    if (millis < 0 || millis > MAX_THRESHOLD_MILLIS) {
      throw new IllegalArgumentException("LeakThresholdMillis must be 0 (track, never flag) or"
          + " positive, at most " + MAX_THRESHOLD_MILLIS + " (about 292 years), got " + millis);
    }
    runtime.changeLeakThreshold(Duration.ofMillis(millis));
  }

  @Override
  public boolean isStackTrace() {
    return runtime.tracker().capturesStacks();
  }

  @Override
  public void setStackTrace(boolean capture) {
    runtime.changeStackTrace(capture);
  }

  @Override
  public long getScanIntervalMillis() {
    return runtime.sweeper().interval().toMillis();
  }

  @Override
  public String[] getInstrumentedTypes() {
    return runtime.instrumentedTypes().toArray(new String[0]);
  }

  @Override
  public String dump() {
    List<LeakEvent> open = runtime.tracker().snapshotOpen(LeakEvent.Kind.OPEN_AT_EXIT);
    StringBuilder out = new StringBuilder("poolagent dump: ").append(open.size())
        .append(" open connection").append(open.size() == 1 ? "" : "s")
        .append(", threshold ").append(runtime.tracker().thresholdMillis()).append(" ms");
    for (Map.Entry<String, List<LeakEvent>> site : LeakText.bySite(open).entrySet()) {
      out.append(System.lineSeparator()).append(site.getValue().size()).append(" x ")
          .append(site.getKey());
      for (LeakEvent e : site.getValue()) {
        out.append(System.lineSeparator()).append("    connection ").append(e.connectionId())
            .append(" from ").append(e.dataSource()).append(", held ").append(e.heldMillis())
            .append(" ms by ").append(e.thread().isEmpty() ? "virtual thread" : e.thread())
            .append(" #").append(e.threadId())
            .append(e.heldMillis() >= e.thresholdMillis() && e.thresholdMillis() > 0
                ? " [LEAK]" : "");
      }
    }
    return out.toString();
  }

  @Override
  public String currentStack(String id) {
    return CurrentStack.of(runtime.tracker(), id);
  }

  /** Every open borrow, oldest first, one row each; published by {@link LeakDetectorEmitter}. */
  public TabularData openConnections() throws OpenDataException {
    return BorrowData.table(runtime.tracker().snapshotOpen(LeakEvent.Kind.OPEN_AT_EXIT));
  }
}
