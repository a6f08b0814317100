package io.poolagent.agent;

import io.poolagent.agent.jmx.LeakNotifier;
import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.JsonLinesReport;
import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakSweeper;
import io.poolagent.leak.LeakText;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.ReportWriter;
import io.poolagent.leak.StackCapture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** The running agent's state: what JMX reads and what a second attach changes. */
public final class AgentRuntime {
  private final LeakTracker tracker;
  private final LeakSweeper sweeper;
  private final Set<String> instrumented;
  private final AtomicLong instrumentationErrors;
  private final SourceStatsIndex sourceStats;
  private final LeakNotifier notifier;
  private volatile AgentOptions options;

  AgentRuntime(LeakTracker tracker, LeakSweeper sweeper, AgentOptions options,
      Set<String> instrumented, AtomicLong instrumentationErrors, SourceStatsIndex sourceStats,
      LeakNotifier notifier) {
    this.tracker = tracker;
    this.sourceStats = sourceStats;
    this.notifier = notifier;
    this.sweeper = sweeper;
    this.options = options;
    this.instrumented = instrumented;
    this.instrumentationErrors = instrumentationErrors;
  }

  public LeakTracker tracker() {
    return tracker;
  }

  public LeakSweeper sweeper() {
    return sweeper;
  }

  /** Per-DataSource statistics (fed only while JMX is on). */
  public SourceStatsIndex sourceStats() {
    return sourceStats;
  }

  /** Sends the leak notifications once the LeakDetector bean is registered. */
  public LeakNotifier notifier() {
    return notifier;
  }

  public AgentOptions options() {
    return options;
  }

  /** The instrumented types, sorted. */
  public List<String> instrumentedTypes() {
    return List.copyOf(new TreeSet<>(instrumented));
  }

  public long instrumentationErrors() {
    return instrumentationErrors.get();
  }

  /**
   * Applies options from a later attach: threshold, scan interval and stack capture. The report file
   * and jmx stay as the first start chose them; {@link #options()} keeps telling the truth about them.
   */
  synchronized void apply(AgentOptions next) {
    tracker.setThreshold(next.leakThreshold());
    tracker.setStackCapture(StackCapture.parse(next.stackTraceMode()));
    sweeper.setInterval(next.scanInterval());
    options = next.withStartOnly(options);
    // read by the attach command's list and status, and by the bundled pool
    System.setProperty(AgentProperties.OPTIONS, options.toString());
  }

  /**
   * Changes the threshold, as JMX does: the scan interval follows it unless it was set, and the
   * published options tell the new values.
   */
  public synchronized void changeLeakThreshold(Duration threshold) {
    apply(options.withLeakSettings(threshold, options.stackTraceMode()));
  }

  /** Turns full stack capture on or off, as JMX does; the published options tell the new mode. */
  public synchronized void changeStackTrace(boolean capture) {
    apply(options.withLeakSettings(options.leakThreshold(), capture ? "true" : "false"));
  }

  /**
   * At JVM exit: one summary of the borrows still open, on standard error and in the report. The
   * writer is drained before the report closes: finding the open borrows also reports connections
   * collected since the last sweep, and those reports are queued to its (daemon) thread.
   */
  void exit(ReportWriter writer, @Nullable JsonLinesReport report) {
    try {
      List<LeakEvent> open = tracker.reportOpenAtExit();
      if (!open.isEmpty()) {
        // Standard error, not the logger: logging frameworks shut down in parallel with this hook.
        System.err.println(LeakText.openAtExit(open));
      }
    } catch (Throwable t) {
      tracker.countInternalError();
    } finally {
      writer.drain();
      if (report != null) {
        report.close();
      }
    }
  }
}
