package io.poolagent.pool;

import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakListener;
import io.poolagent.leak.LeakListeners;
import io.poolagent.config.ScanInterval;
import io.poolagent.leak.LeakSweeper;
import io.poolagent.leak.LeakText;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.LogReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pool's built-in leak detection: the shared {@link LeakTracker} and one {@link LeakSweeper}
 * thread, created only when a leak timeout is set. Reports go to the {@code poolagent} logger and
 * step aside while the agent is attached (system property {@value #AGENT_ACTIVE} is "true", checked
 * at report time), so nothing is reported twice.
 */
final class PoolLeaks {
  static final String AGENT_ACTIVE = "poolagent.agent.active";

  private final String poolName;
  private final String sweeperThreadName;
  private final LeakListener report;
  /** The tracker new borrows are recorded in; null while leak detection is off. */
  private volatile @Nullable LeakTracker current;
  private @Nullable LeakTracker tracker;
  private @Nullable LeakSweeper sweeper;

  PoolLeaks(String poolName, Duration threshold, HealthState health, LeakListener report) {
    this.poolName = poolName;
    this.sweeperThreadName = "poolagent-" + poolName + "-leak-sweeper";
    // Health first, so the pool is DEGRADED by the time the report is out.
    this.report = LeakListeners.of(List.of(new FlagsHealth(health), new StepAsideWhenAgentActive(report)));
    setThreshold(threshold);
  }

  PoolLeaks(String poolName, Duration threshold, HealthState health) {
    this(poolName, threshold, health, LogReport.standard());
  }

  /** The tracker for a new borrow, or null when leak detection is off. */
  @Nullable LeakTracker current() {
    return current;
  }

  synchronized void setThreshold(Duration threshold) {
    if (threshold.isNegative()) {
      throw new IllegalArgumentException("leak detection timeout must be 0 (off) or positive");
    }
    if (threshold.isZero()) {
      current = null;
      if (tracker != null) {
        tracker.setThreshold(Duration.ZERO);
        tracker.setCaptureStacks(false);
      }
      return;
    }
    if (tracker == null) {
      LeakTracker created = new LeakTracker(threshold, true, report, source -> poolName);
      tracker = created;
      sweeper = LeakSweeper.start(created, ScanInterval.forThreshold(threshold), sweeperThreadName);
      current = created;
    } else {
      tracker.setThreshold(threshold);
      tracker.setCaptureStacks(true);
      if (sweeper != null) {
        sweeper.setInterval(ScanInterval.forThreshold(threshold));
      }
      current = tracker;
    }
  }

  synchronized long thresholdMillis() {
    return current == null ? 0 : current.thresholdMillis();
  }

  /** Borrows held past the threshold now. */
  int leakedNow() {
    LeakTracker t = current;
    return t == null ? 0 : t.leakedNow();
  }

  /** Who holds the pool's connections, for messages; empty when unknown. */
  List<LeakEvent> holders() {
    LeakTracker t = tracker;
    return t == null ? List.of() : t.snapshotOpen(LeakEvent.Kind.LEAK);
  }

  /** " held by: ..." grouped by acquisition site, or a hint when leak detection is off. */
  String holdersText() {
    if (current == null) {
      return "; holders unknown (leak detection is off: set a leak detection timeout to see them)";
    }
    List<LeakEvent> open = holders();
    if (open.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("; held by:");
    for (Map.Entry<String, List<LeakEvent>> group : LeakText.bySite(open).entrySet()) {
      out.append(System.lineSeparator()).append("  ").append(group.getValue().size())
          .append(" x at ").append(group.getKey()).append(" by");
      int shown = 0;
      for (LeakEvent e : group.getValue()) {
        if (shown++ == 5) {
          out.append(" ...");
          break;
        }
        out.append(" thread \"").append(e.thread()).append("\" #").append(e.threadId())
            .append(" (").append(e.heldMillis()).append(" ms)");
      }
    }
    return out.toString();
  }

  synchronized void close() {
    current = null;
    if (sweeper != null) {
      sweeper.close();
    }
  }

  /** Keeps the health's count of flagged leaks current as leaks are flagged and returned. */
  private final class FlagsHealth implements LeakListener {
    private final HealthState health;

    FlagsHealth(HealthState health) {
      this.health = health;
    }

    @Override
    public void onLeak(LeakEvent event) {
      health.leaksFlagged(Math.max(1, leakedNow()));
    }

    @Override
    public void onReturned(LeakEvent event) {
      health.leaksFlagged(leakedNow());
    }
  }

  /** Forwards reports unless the agent is attached, which then reports for everyone. */
  static final class StepAsideWhenAgentActive implements LeakListener {
    private final LeakListener target;

    StepAsideWhenAgentActive(LeakListener target) {
      this.target = target;
    }

    private static boolean agentActive() {
      return "true".equals(System.getProperty(AGENT_ACTIVE));
    }

    @Override
    public void onLeak(LeakEvent event) {
      if (!agentActive()) {
        target.onLeak(event);
      }
    }

    @Override
    public void onReturned(LeakEvent event) {
      if (!agentActive()) {
        target.onReturned(event);
      }
    }

    @Override
    public void onGcUnclosed(LeakEvent event) {
      if (!agentActive()) {
        target.onGcUnclosed(event);
      }
    }

    @Override
    public void onOpenAtExit(List<LeakEvent> open) {
      if (!agentActive()) {
        target.onOpenAtExit(open);
      }
    }
  }
}
