package io.poolagent.agent.jfr;

import io.poolagent.agent.stats.SourceStatsIndex;
import io.poolagent.leak.LeakEvent;

/**
 * Commits the poolagent JFR events. Kept apart from the listeners so that the {@code jdk.jfr} classes
 * load only when the first event is emitted, never during premain.
 */
final class JfrEvents {
  private JfrEvents() {}

  static void emit(LeakEvent event) {
    BorrowJfrEvent jfr;
    switch (event.kind()) {
      case LEAK -> {
        LeakJfrEvent leak = new LeakJfrEvent();
        leak.threshold = event.thresholdMillis();
        jfr = leak;
      }
      case RETURNED -> jfr = new ReturnedJfrEvent();
      case GC_UNCLOSED -> jfr = new GcUnclosedJfrEvent();
      default -> {
        return;
      }
    }
    if (!jfr.shouldCommit()) {
      return;
    }
    jfr.connectionId = event.connectionId();
    jfr.dataSource = event.dataSource();
    jfr.acquiringThread = event.thread();
    jfr.acquiringThreadId = event.threadId();
    jfr.held = event.heldMillis();
    jfr.site = event.site();
    jfr.stack = String.join("\n", event.stack());
    jfr.commit();
  }

  /** The DataSource is looked up only when a recording wants the event. */
  static void held(SourceStatsIndex names, Object source, long heldNanos) {
    ConnectionHeldJfrEvent jfr = new ConnectionHeldJfrEvent();
    if (jfr.shouldCommit()) {
      jfr.dataSource = names.statsOf(source).name();
      jfr.held = heldNanos;
      jfr.commit();
    }
  }
}
