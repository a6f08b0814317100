package io.poolagent.leak;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hands a {@link LeakTracker}'s findings to its listener, and counts them once they are reported
 * (whoever sees a count, in JMX for example, finds the event in the reports too). A listener that
 * throws is counted as an internal error; it never stops the tracker.
 */
final class LeakReporter {
  private final LeakListener listener;
  private final LeakEvents events;
  private final LongAdder internalErrors;
  private final LongAdder leaksDetected = new LongAdder();
  private final LongAdder gcUnclosed = new LongAdder();
  private volatile Executor executor = OnCallingThread.INSTANCE;

  LeakReporter(LeakListener listener, LeakEvents events, LongAdder internalErrors) {
    this.listener = listener;
    this.events = events;
    this.internalErrors = internalErrors;
  }

  /** A borrow the sweep flagged, with its held time at that moment. */
  record Flagged(Borrow borrow, long heldNanos) {}

  /**
   * Reports borrows a sweep just flagged, on the report executor: building and writing a report
   * (a stack turned into text, a log line) must not delay the next sweep.
   */
  void leaks(List<Flagged> leaks, long thresholdMillis) {
    Runnable reporting = () -> {
      for (Flagged leak : leaks) {
        Borrow borrow = leak.borrow();
        deliver(LeakEvent.Kind.LEAK, borrow, leak.heldNanos(), thresholdMillis);
        leaksDetected.increment();
        if (borrow.leakReported()) { // closed while this report waited: its late return follows
          returned(borrow, borrow.heldAtCloseNanos(), thresholdMillis);
        }
      }
    };
    try {
      executor.execute(reporting);
    } catch (RuntimeException e) {
      reporting.run();
    }
  }

  /**
   * Reports that a flagged borrow was closed after {@code heldNanos}, on the calling thread (often
   * the application's, closing its connection: listeners that do slow work, writing or notifying,
   * hand it to a thread of their own).
   */
  void returned(Borrow borrow, long heldNanos, long thresholdMillis) {
    deliver(LeakEvent.Kind.RETURNED, borrow, heldNanos, thresholdMillis);
  }

  /** Reports a borrow whose connection was garbage collected while still open. */
  void gcUnclosed(Borrow borrow, long heldNanos, long thresholdMillis) {
    deliver(LeakEvent.Kind.GC_UNCLOSED, borrow, heldNanos, thresholdMillis);
    gcUnclosed.increment();
  }

  /** Reports the borrows still open as the JVM exits, in one call. */
  void openAtExit(List<LeakEvent> open) {
    try {
      listener.onOpenAtExit(open);
    } catch (Throwable t) {
      internalErrors.increment();
    }
  }

  private void deliver(LeakEvent.Kind kind, Borrow borrow, long heldNanos, long thresholdMillis) {
    try {
      LeakEvent event = events.of(borrow, kind, heldNanos, thresholdMillis);
      switch (kind) {
        case LEAK -> listener.onLeak(event);
        case RETURNED -> listener.onReturned(event);
        case GC_UNCLOSED -> listener.onGcUnclosed(event);
        default -> throw new IllegalArgumentException("not delivered one by one: " + kind);
      }
    } catch (Throwable t) {
      internalErrors.increment();
    }
  }

  /** Where leak reports are built and delivered; by default on the sweeping thread itself. */
  void reportOn(Executor executor) {
    this.executor = executor;
  }

  long leaksDetected() {
    return leaksDetected.sum();
  }

  long gcUnclosed() {
    return gcUnclosed.sum();
  }

  /** Runs reports where they are made (not a lambda: premain). */
  private static final class OnCallingThread implements Executor {
    static final OnCallingThread INSTANCE = new OnCallingThread();

    @Override
    public void execute(Runnable command) {
      command.run();
    }
  }
}
