package io.poolagent.agent;

import io.poolagent.agent.bootstrap.AgentBridge;
import io.poolagent.agent.instrumentation.Instrumentations;
import io.poolagent.agent.jfr.HoldEventListener;
import io.poolagent.agent.jfr.JfrListener;
import io.poolagent.agent.jmx.JmxRegistration;
import io.poolagent.agent.jmx.LeakNotifier;
import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.JsonLinesReport;
import io.poolagent.leak.LeakListener;
import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakSweeper;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.LogReport;
import io.poolagent.leak.ReportWriter;
import io.poolagent.leak.SourceNames;
import io.poolagent.leak.StackCapture;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Wires the agent together once per JVM: options, the leak tracker and its one sweeper thread, the
 * reports, the instrumentation, the exit summary and the lazily registered MBeans. A second start (an
 * attach to a JVM that already runs the agent) applies the new options instead of instrumenting twice.
 */
final class AgentInstaller {
  static final String ACTIVE_PROPERTY = AgentProperties.ACTIVE;
  static final String OPTIONS_PROPERTY = AgentProperties.OPTIONS;

  private static @Nullable AgentRuntime runtime;

  private AgentInstaller() {}

  static synchronized void install(String args, Instrumentation inst, boolean attached) {
    AgentOptions options = AgentOptions.fromJvm(args);
    for (String problem : options.problems()) {
      System.err.println(problem);
    }
    if (runtime != null) {
      applyTo(runtime, options);
      return;
    }
    List<LeakListener> writes = new ArrayList<>();
    writes.add(LogReport.withoutExitSummary());
    JsonLinesReport report = options.report() == null ? null : new JsonLinesReport(options.report());
    if (report != null) {
      writes.add(report);
    }
    // log lines and report lines are written off the sweeper thread, which stays on schedule
    ReportWriter reportWriter =
        new ReportWriter(LeakListeners.of(writes), "poolagent-leak-reporter");
    List<LeakListener> listeners = new ArrayList<>();
    listeners.add(reportWriter);
    // Per-DataSource statistics and notifications are for JMX; JFR events go to any recording.
    SourceStatsIndex sourceStats = new SourceStatsIndex(SourceNames.defaults());
    LeakNotifier notifier = new LeakNotifier();
    if (options.jmx()) {
      listeners.add(sourceStats);
      listeners.add(notifier);
    }
    listeners.add(new JfrListener());
    if (options.holdEvents()) {
      listeners.add(new HoldEventListener(sourceStats));
    }
    StackCapture capture = StackCapture.parse(options.stackTraceMode());
    LeakTracker tracker = new LeakTracker(options.leakThreshold(), capture,
        LeakListeners.of(listeners), SourceNames.defaults());
    tracker.reportOn(reportWriter);
    if (!AgentBridge.install(tracker)) {
      System.err.println("poolagent: another copy of the agent is already running; this one stays idle");
      return;
    }
    System.setProperty(ACTIVE_PROPERTY, "true");
    System.setProperty(OPTIONS_PROPERTY, options.toString());
    LeakSweeper sweeper =
        LeakSweeper.start(tracker, options.scanInterval(), "poolagent-leak-sweeper");
    Set<String> instrumented = ConcurrentHashMap.newKeySet();
    AtomicLong instrumentationErrors = new AtomicLong();
    AgentRuntime started =
        new AgentRuntime(tracker, sweeper, options, instrumented, instrumentationErrors,
            sourceStats, notifier);
    runtime = started;
    Runtime.getRuntime().addShutdownHook(
        new Thread(new ExitSummary(reportWriter, started, report), "poolagent-exit-summary"));
    File agentJar = BootstrapInjector.agentJar();
    Instrumentations.install(inst, agentJar == null ? null : agentJar.toPath(),
        new FirstErrorPrinter(instrumentationErrors), instrumented, capture == StackCapture.SAMPLED);
    if (options.jmx()) {
      JmxRegistration.registerWhenReady(started);
    }
    if (attached) {
      System.err.println("poolagent: attached with " + options
          + "; connections borrowed before this moment are unknown to the agent");
    }
  }

  /**
   * Applies {@code args} when the agent already runs in this JVM, started from this class loader.
   *
   * @return false when it does not run here yet (nothing was changed)
   */
  static synchronized boolean applyIfRunning(String args) {
    AgentRuntime current = runtime;
    if (current == null) {
      return false;
    }
    AgentOptions options = AgentOptions.fromJvm(args);
    for (String problem : options.problems()) {
      System.err.println(problem);
    }
    applyTo(current, options);
    return true;
  }

  private static void applyTo(AgentRuntime current, AgentOptions options) {
    AgentOptions before = current.options();
    current.apply(options);
    System.setProperty(OPTIONS_PROPERTY, current.options().toString());
    System.err.println("poolagent: already running in this JVM, nothing instrumented twice; now "
        + current.options() + fixedAtStart(before, options));
  }

  /** The report file and jmx are chosen at the first start; a later start cannot change them. */
  private static String fixedAtStart(AgentOptions before, AgentOptions requested) {
    boolean sameReport = requested.report() == null
        || Objects.equals(before.report(), requested.report());
    if (sameReport && before.jmx() == requested.jmx()) {
      return "";
    }
    return " (report and jmx keep the values of the first start)";
  }

  // Named classes rather than lambdas: a lambda costs about a millisecond of start-up in premain.

  /** At exit: the last reports written, then the summary line. */
  private static final class ExitSummary implements Runnable {
    private final ReportWriter reportWriter;
    private final AgentRuntime runtime;
    private final @Nullable JsonLinesReport report;

    ExitSummary(ReportWriter reportWriter, AgentRuntime runtime, @Nullable JsonLinesReport report) {
      this.reportWriter = reportWriter;
      this.runtime = runtime;
      this.report = report;
    }

    @Override
    public void run() {
      reportWriter.drain();
      runtime.exit(reportWriter, report);
    }
  }

  /** Prints the first instrumentation failure; later ones are only counted. */
  private static final class FirstErrorPrinter implements Consumer<String> {
    private final AtomicLong errors;

    FirstErrorPrinter(AtomicLong errors) {
      this.errors = errors;
    }

    @Override
    public void accept(String line) {
      if (errors.getAndIncrement() == 0) {
        System.err.println(line + " (further failures are only counted)");
      }
    }
  }
}
