package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.agent.jmx.LeakNotifier;
import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakListener;
import io.poolagent.leak.LeakSweeper;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.ReportWriter;
import io.poolagent.leak.SourceNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {

  /** A report that takes its time, like a first log line or a stack formatted to a file. */
  static final class SlowRecorder implements LeakListener {
    final List<LeakEvent.Kind> kinds = new CopyOnWriteArrayList<>();

    @Override
    public void onGcUnclosed(LeakEvent event) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kinds.add(event.kind());
    }
  }

  @Test
  void aConnectionCollectedSinceTheLastSweepIsWrittenBeforeExitReturns() throws Exception {
    SlowRecorder recorder = new SlowRecorder();
    ReportWriter writer = new ReportWriter(recorder, "test-report-writer");
    LeakTracker tracker = new LeakTracker(Duration.ofHours(1), false, writer,
        SourceNames.defaults());
    tracker.reportOn(writer);
    LeakSweeper sweeper = LeakSweeper.start(tracker, Duration.ofHours(1), "test-sweeper");
    AgentRuntime runtime = new AgentRuntime(tracker, sweeper,
        AgentOptions.parse("", Map.of(), Map.of()), Set.of(), new AtomicLong(),
        new SourceStatsIndex(SourceNames.defaults()), new LeakNotifier(Runnable::run));
    try {
      tracker.track(new Object(), "ds", "x"); // leaked: never closed, soon unreachable
      for (int i = 0; i < 100 && !tracker.openBorrows().isEmpty(); i++) {
        System.gc();
        Thread.sleep(10);
      }
      assertTrue(tracker.openBorrows().isEmpty(), "the connection was collected");
      assertEquals(1, tracker.openCount(), "not swept yet");
      runtime.exit(writer, null);
      assertEquals(List.of(LeakEvent.Kind.GC_UNCLOSED), recorder.kinds,
          "written before exit returned, not left to the writer's daemon thread");
    } finally {
      sweeper.close();
    }
  }
}
