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
  /**
   * With {@code holdTimes=sampled}, the statistics time about one borrow in this many per thread:
   * timing a hold reads the clock twice, 40-60 ns on a virtual machine, more than the rest of the
   * tracking; one in 16 brings that to a few nanoseconds a borrow, and a percentile estimated from
   * one close in 16 settles within a few seconds of a busy pool.
   */
  static final int HOLD_TIME_SAMPLING = 16;

  private static @Nullable AgentRuntime runtime;

  private AgentInstaller() {}

  /**
   * @param defineAsm defines ASM and the weavers built on it in the bootstrap loader, at their first
   *     use ({@link BootstrapInjector#inject})
   */
  static synchronized void install(String args, Instrumentation inst, boolean attached,
      Runnable defineAsm) {
    AgentOptions options = AgentOptions.fromJvm(args);
    for (String problem : options.problems()) {
      System.err.println(problem);
    }
    if (runtime != null) {
      applyTo(runtime, options, args);
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
    LeakNotifier notifier = new LeakNotifier(reportWriter);
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
        LeakListeners.of(listeners), SourceNames.defaults(),
        options.timesEveryHold() ? 1 : HOLD_TIME_SAMPLING);
    tracker.reportOn(reportWriter);
    if (!AgentBridge.install(tracker)) {
      System.err.println("poolagent: another copy of the agent is already running; this one stays idle");
      return;
    }
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
    if (!Instrumentations.install(inst, agentJar == null ? null : agentJar.toPath(),
        new FirstErrorPrinter(instrumentationErrors), instrumented, capture == StackCapture.SAMPLED,
        defineAsm)) {
      // Nothing is woven: not marked active, so the bundled pool keeps its own leak detection and
      // the attach command does not report a working agent.
      sweeper.close();
      return;
    }
    System.setProperty(ACTIVE_PROPERTY, "true");
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
    applyTo(current, options, args);
    return true;
  }

  private static void applyTo(AgentRuntime current, AgentOptions options, @Nullable String args) {
    AgentOptions before = current.options();
    current.apply(options);
    System.err.println("poolagent: already running in this JVM, nothing instrumented twice; now "
        + current.options() + fixedAtStart(before, args == null ? "" : args));
  }

  /**
   * The report file, jmx, metrics, holdEvents and holdTimes are chosen at the first start; a later
   * start cannot change them. Named when the later start asked for another value than the first
   * chose.
   */
  private static String fixedAtStart(AgentOptions before, String args) {
    AgentOptions asked = AgentOptions.parse(args, java.util.Map.of(), java.util.Map.of());
    List<String> kept = new ArrayList<>();
    if (asked.report() != null && !Objects.equals(before.report(), asked.report())) {
      kept.add("report");
    }
    keptIfAsked(kept, args, AgentOptions.Key.JMX, before.jmx(), asked.jmx());
    keptIfAsked(kept, args, AgentOptions.Key.METRICS, before.metrics(), asked.metrics());
    keptIfAsked(kept, args, AgentOptions.Key.HOLD_EVENTS, before.holdEvents(), asked.holdEvents());
    keptIfAsked(kept, args, AgentOptions.Key.HOLD_TIMES, before.holdTimes(), asked.holdTimes());
    return kept.isEmpty() ? ""
        : " (" + String.join(", ", kept) + " keep the values of the first start)";
  }

  private static void keptIfAsked(List<String> kept, String args, AgentOptions.Key key,
      Object first, Object asked) {
    if (!first.equals(asked) && given(args, key)) { // a default this attach did not write asks nothing
      kept.add(key.key());
    }
  }

  private static boolean given(String args, AgentOptions.Key key) {
    for (String pair : args.split(",", -1)) {
      if (key.key().equals(AgentOptions.keyOf(pair))) {
        return true;
      }
    }
    return false;
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
