package io.poolagent.leak;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>The hot path ({@link #track} and {@link #release}) takes no lock and schedules nothing: one
 * concurrent-map insert and one removal per borrow. All detection happens in {@link #sweep}, driven by
 * a single {@link LeakSweeper} thread.
 */
public final class LeakTracker {
  private final ConcurrentHashMap<Object, Borrow> open = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final AtomicLong ids = new AtomicLong();
  /** Makes connection ids unique across processes that append to one report file. */
  private final String idPrefix = ProcessHandle.current().pid() + "-";
  private final LongAdder acquired = new LongAdder();
  private final LongAdder released = new LongAdder();
  private final LongAdder leaksDetected = new LongAdder();
  private final LongAdder gcUnclosed = new LongAdder();
  private final LongAdder internalErrors = new LongAdder();
  private final LeakListener listener;
  private final Function<Object, String> sourceNames;
  private volatile long thresholdNanos;
  private volatile boolean captureStacks;

  /**
   * @param threshold how long a borrow may be held before it is flagged; zero tracks but never flags
   * @param captureStacks whether to record the acquisition stack of every borrow
   * @param listener receives the findings (use {@link LeakListeners#of} to combine several)
   * @param sourceNames names a borrow's source for reports
   */
  public LeakTracker(
      java.time.Duration threshold,
      boolean captureStacks,
      LeakListener listener,
      Function<Object, String> sourceNames) {
    setThreshold(threshold);
    this.captureStacks = captureStacks;
    this.listener = listener;
    this.sourceNames = sourceNames;
  }

  /** Records that {@code connection} was just handed out by {@code source}. Null is ignored. */
  public void track(@Nullable Object connection, Object source, String origin) {
    if (connection == null) {
      return;
    }
    @Nullable Throwable stack = captureStacks ? new Throwable("acquired here") : null;
    Borrow borrow = new Borrow(connection, collected, this, source, origin, System.nanoTime(), stack);
    Borrow previous = open.putIfAbsent(borrow, borrow);
    if (previous != null) {
      // The same object handed out again without a close in between: the new borrow replaces the
      // old record (the map keeps an old key on put, so remove it first).
      open.remove(previous, previous);
      previous.clear();
      open.put(borrow, borrow);
    }
    acquired.increment();
    try {
      listener.onAcquire(borrow);
    } catch (Throwable t) {
      internalErrors.increment();
    }
  }

  /** Releases the record of {@code connection}, if it is tracked. Safe to call for any object. */
  public void release(@Nullable Object connection) {
    if (connection == null) {
      return;
    }
    Borrow borrow = open.remove(new IdentityProbe(connection));
    if (borrow == null) {
      return;
    }
    borrow.clear();
    released.increment();
    long held = System.nanoTime() - borrow.acquiredNanos();
    try {
      listener.onRelease(borrow, held);
      if (borrow.isFlagged()) {
        listener.onReturned(snapshot(borrow, LeakEvent.Kind.RETURNED, held));
      }
    } catch (Throwable t) {
      internalErrors.increment();
    }
  }

  /** True if {@code connection} is currently tracked as borrowed. */
  public boolean isOpen(@Nullable Object connection) {
    return connection != null && open.containsKey(new IdentityProbe(connection));
  }

  /**
   * Flags every open borrow held past the threshold and reports collected-but-unclosed ones.
   *
   * @return the number of borrows newly flagged as leaks
   */
  public int sweep() {
    int flagged = 0;
    try {
      drainCollected();
      long threshold = thresholdNanos;
      if (threshold <= 0) {
        return 0;
      }
      long now = System.nanoTime();
      for (Borrow borrow : open.values()) {
        long held = now - borrow.acquiredNanos();
        if (held >= threshold && !borrow.isFlagged() && borrow.get() != null && borrow.flag()) {
          flagged++;
          // counted after the listeners ran: whoever sees the count can find the reports written
          notifyLeak(snapshot(borrow, LeakEvent.Kind.LEAK, held));
          leaksDetected.increment();
        }
      }
    } catch (Throwable t) {
      internalErrors.increment();
    }
    return flagged;
  }

  private void notifyLeak(LeakEvent event) {
    try {
      listener.onLeak(event);
    } catch (Throwable t) {
      internalErrors.increment();
    }
  }

  private void drainCollected() {
    for (Reference<?> ref; (ref = collected.poll()) != null; ) {
      reportCollected((Borrow) ref);
    }
  }

  private void reportCollected(Borrow borrow) {
    // remove(key, value) matches by reference here: a cleared Borrow equals only itself.
    if (open.remove(borrow, borrow)) {
      long held = System.nanoTime() - borrow.acquiredNanos();
      try {
        listener.onGcUnclosed(snapshot(borrow, LeakEvent.Kind.GC_UNCLOSED, held));
      } catch (Throwable t) {
        internalErrors.increment();
      }
      gcUnclosed.increment(); // after the listeners, as for leaks
    }
  }

  /**
   * Reports every borrow still open, once, as the JVM exits; returns what was reported. Borrows whose
   * connection was collected since the last sweep (queued or only cleared) are reported as
   * gc-unclosed first, so no leak goes unreported at exit.
   */
  public List<LeakEvent> reportOpenAtExit() {
    try {
      drainCollected();
      for (Borrow borrow : open.values()) {
        if (borrow.get() == null) {
          reportCollected(borrow);
        }
      }
    } catch (Throwable t) {
      internalErrors.increment();
    }
    List<LeakEvent> events = snapshotOpen(LeakEvent.Kind.OPEN_AT_EXIT);
    if (!events.isEmpty()) {
      try {
        listener.onOpenAtExit(events);
      } catch (Throwable t) {
        internalErrors.increment();
      }
    }
    return events;
  }

  /** Snapshots of every open borrow, of the given kind, oldest first. */
  public List<LeakEvent> snapshotOpen(LeakEvent.Kind kind) {
    long now = System.nanoTime();
    List<Borrow> borrows = openBorrows();
    List<LeakEvent> out = new ArrayList<>(borrows.size());
    for (Borrow borrow : borrows) {
      out.add(snapshot(borrow, kind, now - borrow.acquiredNanos()));
    }
    return out;
  }

  /** The open borrows whose connection is still reachable, oldest first. */
  public List<Borrow> openBorrows() {
    List<Borrow> out = new ArrayList<>(open.size());
    for (Borrow borrow : open.values()) {
      if (borrow.get() != null) {
        out.add(borrow);
      }
    }
    out.sort((a, b) -> Long.compare(a.acquiredNanos(), b.acquiredNanos()));
    return out;
  }

  /** Builds the report view of {@code borrow}. */
  public LeakEvent snapshot(Borrow borrow, LeakEvent.Kind kind, long heldNanos) {
    long heldMillis = TimeUnit.NANOSECONDS.toMillis(heldNanos);
    long acquiredEpochMillis = System.currentTimeMillis() - heldMillis;
    return new LeakEvent(
        kind,
        connectionId(borrow),
        sourceName(borrow.source()),
        borrow.threadName(),
        borrow.threadId(),
        java.time.Instant.ofEpochMilli(acquiredEpochMillis),
        heldMillis,
        thresholdMillis(),
        StackTraces.trimmed(borrow.rawStack(), borrow.origin()));
  }

  /** The borrow's id in reports: {@code <pid>-<n>}, the same for every event of one borrow. */
  public String connectionId(Borrow borrow) {
    return idPrefix + borrow.id();
  }

  /** The report name of a borrow's source. */
  public String sourceName(Object source) {
    try {
      return sourceNames.apply(source);
    } catch (Throwable t) {
      internalErrors.increment();
      return SourceNames.identity(source);
    }
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

  public void setCaptureStacks(boolean captureStacks) {
    this.captureStacks = captureStacks;
  }

  public boolean capturesStacks() {
    return captureStacks;
  }

  /** Counts an error suppressed somewhere on the tracker's behalf (for example in advice). */
  public void countInternalError() {
    internalErrors.increment();
  }

  public int openCount() {
    return open.size();
  }

  /** Borrows open now and past the threshold. */
  public int leakedNow() {
    long threshold = thresholdNanos;
    if (threshold <= 0) {
      return 0;
    }
    long now = System.nanoTime();
    int count = 0;
    for (Borrow borrow : open.values()) {
      if (now - borrow.acquiredNanos() >= threshold && borrow.get() != null) {
        count++;
      }
    }
    return count;
  }

  public long acquiredCount() {
    return acquired.sum();
  }

  public long releasedCount() {
    return released.sum();
  }

  public long leaksDetected() {
    return leaksDetected.sum();
  }

  public long gcUnclosedCount() {
    return gcUnclosed.sum();
  }

  public long internalErrors() {
    return internalErrors.sum();
  }
}
