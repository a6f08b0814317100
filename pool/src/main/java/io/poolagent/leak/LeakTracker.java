package io.poolagent.leak;

import java.lang.ref.ReferenceQueue;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one leak-tracking implementation, shared by the bundled pool and the agent. It records each
 * borrowed connection by reference, releases the record on close, and, when {@link #sweep} runs,
 * flags borrows held past the threshold and reports connections that were garbage collected while
 * still open.
 *
 * <p>The hot path ({@link #track} and {@link #release}) takes no lock and schedules nothing: a
 * borrow closed on its own thread costs a slot write and one uncontended CAS (see
 * {@link OpenBorrows}), and the acquired/released counts are plain stores into that thread's slot.
 * Listeners are called per borrow only when some listener implements {@link LeakListener#onAcquire}
 * or {@link LeakListener#onRelease} (decided once, here). All detection happens in {@link #sweep},
 * driven by a single {@link LeakSweeper} thread.
 *
 * <p>A hold is timed (the clock read at the borrow and at its close) only for a listener of
 * onRelease, and then for every borrow or, when the tracker samples hold times, for about one borrow
 * in {@code holdTimeSampling} per thread ({@link Borrow#holdWeight()}); the other closes reach the
 * listener as {@link LeakListener#NOT_TIMED}. A clock read costs 20-30 ns on a virtual machine, two
 * of them more than the rest of the tracking. An untimed borrow reads the clock only when no sweeper
 * keeps the time. Otherwise it records the time of the latest sweep (a field read), and the sweep
 * stamps each record with the clock when it first sees it: the borrow happened between the two
 * readings. A borrow is flagged only once it has certainly been held past the threshold, counted
 * from that stamp; the sweeper sweeps twice per scan interval to keep a leak flagged within one
 * interval of its threshold (see {@link LeakSweeper}). Hold times in reports of such borrows are
 * counted from the earlier reading, so they may read up to one sweep period long.
 */
public final class LeakTracker {
  private final OpenBorrows open = new OpenBorrows();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private final LongAdder internalErrors = new LongAdder();
  /** The listeners that implement onAcquire, or null: then a borrow calls no listener. */
  private final @Nullable LeakListener acquireListener;
  /**
   * The listeners that implement onRelease, or null: then a close reads no clock and calls no
   * listener, unless the borrow was flagged.
   */
  private final @Nullable LeakListener releaseListener;
  /** With a release listener: time one borrow in about this many per thread (1: every borrow). */
  private final int holdTimeSampling;
  private final LeakEvents events;
  private final LeakReporter reporter;
  private final LeakSweep sweep;
  private volatile long thresholdNanos;
  /** Whether borrows record {@link #sweepClockNanos} instead of reading the clock. */
  private volatile boolean offTheClock;
  /** The clock as of the latest sweep, while {@link #offTheClock}. */
  private volatile long sweepClockNanos;
  private final AcquisitionSites sites = new AcquisitionSites();
  private volatile StackCapture capture;

  /** A tracker that times every hold; {@code captureStacks}: full capture, else none. */
  public LeakTracker(java.time.Duration threshold, boolean captureStacks, LeakListener listener,
      Function<Object, String> sourceNames) {
    this(threshold, captureStacks ? StackCapture.FULL : StackCapture.OFF, listener, sourceNames);
  }

  /** A tracker that times every hold. */
  public LeakTracker(java.time.Duration threshold, StackCapture capture, LeakListener listener,
      Function<Object, String> sourceNames) {
    this(threshold, capture, listener, sourceNames, 1);
  }

  /**
   * @param threshold how long a borrow may be held before it is flagged; zero tracks but never flags
   * @param capture how much of each borrow's acquisition stack to record
   * @param listener receives the findings (use {@link LeakListeners#of} to combine several)
   * @param sourceNames names a borrow's source for reports
   * @param holdTimeSampling 1 to time the hold of every borrow for {@link LeakListener#onRelease};
   *     n to time about one borrow in n per thread and count the others
   */
  public LeakTracker(java.time.Duration threshold, StackCapture capture, LeakListener listener,
      Function<Object, String> sourceNames, int holdTimeSampling) {
    if (holdTimeSampling < 1) {
      throw new IllegalArgumentException(
          "hold-time sampling must be 1 (every borrow timed) or more, got " + holdTimeSampling);
    }
    this.holdTimeSampling = holdTimeSampling;
    setThreshold(threshold);
    this.capture = capture;
    this.acquireListener = LeakListeners.forAcquire(listener);
    this.releaseListener = LeakListeners.forRelease(listener);
    this.events = new LeakEvents(sourceNames, internalErrors);
    this.reporter = new LeakReporter(listener, events, internalErrors);
    this.sweep = new LeakSweep(open, collected, reporter, events, internalErrors);
  }

  /** Records that {@code connection} was just handed out by {@code source}. Null is ignored. */
  public void track(@Nullable Object connection, Object source, String origin) {
    track(connection, source, origin, 0);
  }

  /**
   * Records that {@code connection} was just handed out by {@code source}. Null is ignored.
   *
   * @param callSite the id of the application's call of getConnection when the agent marked it
   *     (see {@link StackCapture#SAMPLED}), 0 when unknown
   */
  public void track(@Nullable Object connection, Object source, String origin, int callSite) {
    if (connection != null) {
      track(connection, source, origin, callSite, open.slotOfThisThread());
    }
  }

  /**
   * This thread's state in the tracker: a caller that keeps it per thread (the agent's bridge) passes
   * it to {@link #track(Object, Object, String, int, Object)} and spares the tracker a thread-local
   * lookup per borrow. Valid only on the thread that asked for it.
   */
  public Object threadState() {
    return open.slotOfThisThread();
  }

  /**
   * As {@link #track(Object, Object, String, int)}, on the thread whose {@link #threadState()} is
   * given.
   */
  public void track(Object connection, Object source, String origin, int callSite,
      Object threadState) {
    StackCapture mode = capture;
    @Nullable Throwable stack = mode == StackCapture.OFF ? null
        : mode == StackCapture.FULL ? new Throwable("acquired here")
        : sites.stackFor(origin, callSite);
    OpenBorrows.Slot slot = (OpenBorrows.Slot) threadState;
    int holdWeight =
        releaseListener == null ? 0 : OpenBorrows.nextHoldWeight(slot, holdTimeSampling);
    boolean exact = holdWeight > 0 || !offTheClock;
    Borrow borrow = new Borrow(connection, collected, this, source, origin,
        exact ? System.nanoTime() : sweepClockNanos, exact, holdWeight, stack);
    @Nullable Borrow previous = open.add(borrow, connection, slot);
    if (previous != null) {
      // The same object handed out again without a close in between: the new borrow replaces it.
      previous.clear();
    }
    LeakListener onAcquire = acquireListener;
    if (onAcquire != null) {
      try {
        onAcquire.onAcquire(borrow);
      } catch (Throwable t) {
        internalErrors.increment();
      }
    }
  }

  /** Releases the record of {@code connection}, if it is tracked. Safe to call for any object. */
  public void release(@Nullable Object connection) {
    if (connection != null) {
      release(connection, open.slotOfThisThread());
    }
  }

  /**
   * As {@link #release(Object)}, on the thread whose {@link #threadState()} is given (the agent's
   * bridge keeps it per thread, sparing a thread-local lookup per close).
   */
  public void release(Object connection, Object threadState) {
    @Nullable Borrow borrow = open.remove(connection, (OpenBorrows.Slot) threadState);
    if (borrow == null) {
      return;
    }
    // No clear(): nothing refers to the record any more, so the collector never looks at it, and
    // Reference.clear() is a native call on every close.
    LeakListener onRelease = releaseListener;
    boolean flagged = borrow.isFlagged();
    if (onRelease == null && !flagged) {
      return; // the common case: nobody wants the hold time, so the clock is not read
    }
    boolean timed = borrow.holdWeight() > 0;
    long held = timed || flagged ? System.nanoTime() - borrow.acquiredNanos() : 0;
    if (onRelease != null) {
      try {
        onRelease.onRelease(borrow, timed ? held : LeakListener.NOT_TIMED);
      } catch (Throwable t) {
        internalErrors.increment();
      }
    }
    if (flagged && borrow.closedAfterFlag(held)) {
      reporter.returned(borrow, held, thresholdMillis());
    }
  }

  /** True if {@code connection} is currently tracked as borrowed. */
  public boolean isOpen(@Nullable Object connection) {
    return connection != null && open.contains(connection);
  }

  /**
   * Flags every open borrow held past the threshold and reports collected-but-unclosed ones.
   *
   * @return the number of borrows newly flagged as leaks
   */
  public int sweep() {
    try {
      long threshold = thresholdNanos;
      sweepClockNanos = System.nanoTime(); // a borrow that records it comes after this reading
      return sweep.flagPastThreshold(threshold, TimeUnit.NANOSECONDS.toMillis(threshold));
    } catch (Throwable t) {
      internalErrors.increment();
      return 0;
    }
  }

  /**
   * Where the sweep builds and hands out its leak reports: by default on the sweeping thread itself.
   * The agent passes its report-writing thread, so that reports (a stack turned into text, a log
   * line) never delay the next sweep.
   */
  public void reportOn(Executor executor) {
    reporter.reportOn(executor);
  }

  /**
   * Reports every borrow still open, once, as the JVM exits; returns what was reported. Borrows whose
   * connection was collected since the last sweep (queued or only cleared) are reported as
   * gc-unclosed first, so no leak goes unreported at exit.
   */
  public List<LeakEvent> reportOpenAtExit() {
    return sweep.reportOpenAtExit(thresholdMillis());
  }

  /** Snapshots of every open borrow, of the given kind, oldest first. */
  public List<LeakEvent> snapshotOpen(LeakEvent.Kind kind) {
    return sweep.snapshotOpen(kind, thresholdMillis());
  }

  /** The open borrows whose connection is still reachable, oldest first. */
  public List<Borrow> openBorrows() {
    return sweep.openBorrows();
  }

  /** Builds the report view of {@code borrow}. */
  public LeakEvent snapshot(Borrow borrow, LeakEvent.Kind kind, long heldNanos) {
    return events.of(borrow, kind, heldNanos, thresholdMillis());
  }

  /** The borrow's id in reports: {@code <pid>-<n>}, the same for every event of one borrow. */
  public String connectionId(Borrow borrow) {
    return events.connectionId(borrow);
  }

  /** The report name of a borrow's source. */
  public String sourceName(Object source) {
    return events.sourceName(source);
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  public void setThreshold(java.time.Duration threshold) {
    if (threshold.isNegative()) {
      throw new IllegalArgumentException("leak threshold must be zero (off) or positive, got " + threshold);
    }
    this.thresholdNanos = threshold.toNanos();
  }

  public long thresholdMillis() {
    return TimeUnit.NANOSECONDS.toMillis(thresholdNanos);
  }

  /** Full capture for true, none for false. */
  public void setCaptureStacks(boolean captureStacks) {
    this.capture = captureStacks ? StackCapture.FULL : StackCapture.OFF;
  }

  /** True when any stack capture (full or sampled) is on. */
  public boolean capturesStacks() {
    return capture != StackCapture.OFF;
  }

  public void setStackCapture(StackCapture capture) {
    this.capture = capture;
  }

  public StackCapture stackCapture() {
    return capture;
  }

  /**
   * For {@link LeakSweeper}: while {@code on}, borrows record the time of the latest sweep instead of
   * reading the clock, unless a listener needs the exact hold time of every borrow (timed borrows
   * always read it). Returns whether they now do; the caller must then sweep at least twice per
   * scan interval.
   */
  boolean keepBorrowsOffTheClock(boolean on) {
    boolean off = on && (releaseListener == null || holdTimeSampling > 1);
    if (off) {
      sweepClockNanos = System.nanoTime();
    }
    offTheClock = off;
    return off;
  }

  /** Counts an error suppressed somewhere on the tracker's behalf (for example in advice). */
  public void countInternalError() {
    internalErrors.increment();
  }

  public int openCount() {
    return open.size();
  }

  /** Borrows open now and certainly past the threshold (as far as the sweeps have seen them). */
  public int leakedNow() {
    return sweep.leakedNow(thresholdNanos);
  }

  public long acquiredCount() {
    return open.acquired();
  }

  public long releasedCount() {
    return open.released();
  }

  public long leaksDetected() {
    return reporter.leaksDetected();
  }

  public long gcUnclosedCount() {
    return reporter.gcUnclosed();
  }

  public long internalErrors() {
    return internalErrors.sum();
  }
}
