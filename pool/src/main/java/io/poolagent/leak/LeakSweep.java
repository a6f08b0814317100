package io.poolagent.leak;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The reading side of {@link LeakTracker}: everything that walks the open borrows rather than adds
 * or removes one. It flags borrows held past the threshold, reports those whose connection was
 * collected while still open, reports what is left open when the JVM exits, and answers the
 * snapshots that JMX and the pool's health ask for. Only the sweeper thread and readers call it; a
 * borrow or a close never does.
 */
final class LeakSweep {
  private final OpenBorrows open;
  private final ReferenceQueue<Object> collected;
  private final LeakReporter reporter;
  private final LeakEvents events;
  private final LongAdder internalErrors;

  LeakSweep(OpenBorrows open, ReferenceQueue<Object> collected, LeakReporter reporter,
      LeakEvents events, LongAdder internalErrors) {
    this.open = open;
    this.collected = collected;
    this.reporter = reporter;
    this.events = events;
    this.internalErrors = internalErrors;
  }

  /**
   * Flags every open borrow held at least {@code thresholdNanos} (none when it is 0), then reports
   * the collected-but-unclosed ones.
   *
   * @return the number of borrows newly flagged
   */
  int flagPastThreshold(long thresholdNanos, long thresholdMillis) {
    // Decide first, report after: building and writing one report takes time, and every borrow
    // examined after it would be flagged that much later than it crossed the threshold.
    List<LeakReporter.Flagged> leaks = new ArrayList<>(0);
    for (Borrow borrow : open.all()) { // listing the borrows also forgets ended threads
      long now = System.nanoTime(); // read after the record was found, so after its borrow
      // stamped even with threshold 0: a threshold set later then counts from here
      if (!borrow.seenBefore(now) || thresholdNanos <= 0
          || borrow.heldAtLeastNanos(now) < thresholdNanos) {
        continue;
      }
      long held = now - borrow.acquiredNanos();
      if (!borrow.isFlagged() && borrow.get() != null && borrow.flag()) {
        if (!open.containsRecord(borrow)) {
          // closed just now, after this sweep listed it: a close that did not see the flag
          // (the close removes, then reads the flag; this flags, then looks it up)
          borrow.closedAfterFlag(held);
        }
        leaks.add(new LeakReporter.Flagged(borrow, held));
      }
    }
    if (!leaks.isEmpty()) {
      reporter.leaks(leaks, thresholdMillis);
    }
    drainCollected(thresholdMillis);
    return leaks.size();
  }

  private void drainCollected(long thresholdMillis) {
    for (Reference<?> ref; (ref = collected.poll()) != null; ) {
      reportCollected((Borrow) ref, thresholdMillis);
    }
  }

  private void reportCollected(Borrow borrow, long thresholdMillis) {
    if (open.removeRecord(borrow)) {
      reporter.gcUnclosed(borrow, System.nanoTime() - borrow.acquiredNanos(), thresholdMillis);
    }
  }

  /** See {@link LeakTracker#reportOpenAtExit()}. */
  List<LeakEvent> reportOpenAtExit(long thresholdMillis) {
    try {
      drainCollected(thresholdMillis);
      for (Borrow borrow : open.all()) {
        if (borrow.get() == null) {
          reportCollected(borrow, thresholdMillis);
        }
      }
    } catch (Throwable t) {
      internalErrors.increment();
    }
    List<LeakEvent> remaining = snapshotOpen(LeakEvent.Kind.OPEN_AT_EXIT, thresholdMillis);
    if (!remaining.isEmpty()) {
      reporter.openAtExit(remaining);
    }
    return remaining;
  }

  /** Snapshots of every open borrow, of the given kind, oldest first. */
  List<LeakEvent> snapshotOpen(LeakEvent.Kind kind, long thresholdMillis) {
    long now = System.nanoTime();
    List<Borrow> borrows = openBorrows();
    List<LeakEvent> out = new ArrayList<>(borrows.size());
    for (Borrow borrow : borrows) {
      out.add(events.of(borrow, kind, now - borrow.acquiredNanos(), thresholdMillis));
    }
    return out;
  }

  /** The open borrows whose connection is still reachable, oldest first. */
  List<Borrow> openBorrows() {
    List<Borrow> all = open.all();
    List<Borrow> out = new ArrayList<>(all.size());
    for (Borrow borrow : all) {
      if (borrow.get() != null) {
        out.add(borrow);
      }
    }
    out.sort((a, b) -> Long.compare(a.acquiredNanos(), b.acquiredNanos()));
    return out;
  }

  /** Borrows open now and held at least {@code thresholdNanos} as far as the sweeps have seen. */
  int leakedNow(long thresholdNanos) {
    if (thresholdNanos <= 0) {
      return 0;
    }
    long now = System.nanoTime();
    int count = 0;
    for (Borrow borrow : open.all()) {
      if (borrow.heldAtLeastNanos(now) >= thresholdNanos && borrow.get() != null) {
        count++;
      }
    }
    return count;
  }
}
