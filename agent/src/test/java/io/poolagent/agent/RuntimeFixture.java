package io.poolagent.agent;

import io.poolagent.agent.jmx.LeakNotifier;
import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakSweeper;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.SourceNames;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** A real {@link AgentRuntime} for tests outside this package (the JMX bean, the CLI's readers). */
public final class RuntimeFixture {
  private RuntimeFixture() {}

  /** A runtime on a fresh tracker; close the sweeper when done. */
  public static AgentRuntime runtime(Duration threshold) {
    LeakTracker tracker = new LeakTracker(threshold, true, LeakListeners.none(),
        SourceNames.defaults());
    LeakSweeper sweeper = LeakSweeper.start(tracker, Duration.ofMillis(10), "test-sweeper");
    return new AgentRuntime(tracker, sweeper, AgentOptions.parse("", Map.of(), Map.of()),
        Set.of("com.example.Pool"), new AtomicLong(), new SourceStatsIndex(SourceNames.defaults()),
        new LeakNotifier(Runnable::run));
  }
}
