package io.poolagent.leak;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Builds the report view of a borrow ({@link LeakEvent}): its id, its source's name, its thread,
 * when it was acquired and its acquisition stack trimmed to the application's frames.
 */
final class LeakEvents {
  private final Function<Object, String> sourceNames;
  private final LongAdder internalErrors;

  /**
   * @param sourceNames names a borrow's source for reports
   * @param internalErrors counts a naming function that throws (the source is then named by identity)
   */
  LeakEvents(Function<Object, String> sourceNames, LongAdder internalErrors) {
    this.sourceNames = sourceNames;
    this.internalErrors = internalErrors;
  }

  LeakEvent of(Borrow borrow, LeakEvent.Kind kind, long heldNanos, long thresholdMillis) {
    long heldMillis = TimeUnit.NANOSECONDS.toMillis(heldNanos);
    long acquiredEpochMillis = System.currentTimeMillis() - heldMillis;
    return new LeakEvent(
        kind,
        connectionId(borrow),
        sourceName(borrow.source()),
        borrow.threadName(),
        borrow.threadId(),
        Instant.ofEpochMilli(acquiredEpochMillis),
        heldMillis,
        thresholdMillis,
        StackTraces.trimmed(borrow.rawStack(), borrow.origin()));
  }

  /** The borrow's id in reports: {@code <pid>-<n>}, the same for every event of one borrow. */
  String connectionId(Borrow borrow) {
    return ProcessId.PREFIX + borrow.id();
  }

  String sourceName(Object source) {
    try {
      return sourceNames.apply(source);
    } catch (Throwable t) {
      internalErrors.increment();
      return SourceNames.identity(source);
    }
  }

  /**
   * The process id that prefixes connection ids, so that they are unique across processes that
   * append to one report file. Looked up with the first report: {@code ProcessHandle} starts a
   * thread pool of its own when first used, which premain should not pay for.
   */
  private static final class ProcessId {
    static final String PREFIX = ProcessHandle.current().pid() + "-";
  }
}
