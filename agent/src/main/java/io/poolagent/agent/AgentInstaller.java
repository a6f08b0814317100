package io.poolagent.agent;

import io.poolagent.agent.bootstrap.AgentBridge;
import io.poolagent.agent.instrumentation.Instrumentations;
import io.poolagent.agent.jmx.JmxRegistration;
import io.poolagent.leak.JsonLinesReport;
import io.poolagent.leak.LeakListener;
import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakSweeper;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.LogReport;
import io.poolagent.leak.SourceNames;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Wires the agent together once per JVM: options, the leak tracker and its one sweeper thread, the
 * reports, the instrumentation, the exit summary and the lazily registered MBeans. A second start (an
 * attach to a JVM that already runs the agent) applies the new options instead of instrumenting twice.
 */
final class AgentInstaller {
  /** System property that tells the bundled pool to leave leak reporting to the agent. */
  static final String ACTIVE_PROPERTY = "poolagent.agent.active";

  private static @Nullable AgentRuntime runtime;

  private AgentInstaller() {}

  static synchronized void install(String args, Instrumentation inst, boolean attached) {
    AgentOptions options = AgentOptions.fromJvm(args);
    options.problems().forEach(System.err::println);
    if (runtime != null) {
      runtime.apply(options);
      System.err.println("poolagent: already running in this JVM; applied " + options);
      return;
    }
    List<LeakListener> listeners = new ArrayList<>();
    listeners.add(LogReport.withoutExitSummary());
    JsonLinesReport report = options.report() == null ? null : new JsonLinesReport(options.report());
    if (report != null) {
      listeners.add(report);
    }
    LeakTracker tracker = new LeakTracker(options.leakThreshold(), options.stackCapture(),
        LeakListeners.of(listeners), SourceNames.defaults());
    if (!AgentBridge.install(tracker)) {
      System.err.println("poolagent: another copy of the agent is already running; this one stays idle");
      return;
    }
    System.setProperty(ACTIVE_PROPERTY, "true");
    LeakSweeper sweeper =
        LeakSweeper.start(tracker, options.scanInterval(), "poolagent-leak-sweeper");
    Set<String> instrumented = ConcurrentHashMap.newKeySet();
    AtomicLong instrumentationErrors = new AtomicLong();
    AgentRuntime started =
        new AgentRuntime(tracker, sweeper, options, instrumented, instrumentationErrors);
    runtime = started;
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> started.exit(report), "poolagent-exit-summary"));
    Instrumentations.install(inst, line -> {
      if (instrumentationErrors.getAndIncrement() == 0) {
        System.err.println(line + " (further failures are only counted)");
      }
    }, instrumented);
    if (options.jmx()) {
      JmxRegistration.registerWhenReady(started);
    }
    if (attached) {
      System.err.println("poolagent: attached with " + options
          + "; connections borrowed before this moment are unknown to the agent");
    }
  }
}
