package io.poolagent.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * One tracked borrow: a weak reference to the connection the application holds, plus what was known
 * when it was taken. Identity is the connection's reference, never its own equals/hashCode, because
 * pooled connections are often proxies that intercept those methods.
 *
 * <p>Everything here is cheap to create: the thread name is a field read, the acquisition stack is a
 * {@link Throwable} whose frames are only turned into text when a report needs them, and the
 * connection id is assigned lazily the first time anyone asks for it.
 */
public final class Borrow extends WeakReference<Object> {
  private static final AtomicLongFieldUpdater<Borrow> ID =
      AtomicLongFieldUpdater.newUpdater(Borrow.class, "id");
  private static final VarHandle SEEN;

  static {
    try {
      SEEN = MethodHandles.lookup().findVarHandle(Borrow.class, "seenNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The sweep found the borrow past the threshold: a leak report is (or will be) made. */
  private static final int FLAGGED = 1;
  /** The leak report was delivered. */
  private static final int LEAK_REPORTED = 2;
  /** Closed after it was flagged. */
  private static final int CLOSED = 4;

  /** The connection's identity hash, taken only when the record goes into a hash map. */
  private int hash;
  /** How many closes this borrow's hold time stands for; 0 when it is not timed. */
  private final int holdWeight;
  private final Object source;
  private final String origin;
  private final String threadName;
  private final long threadId;
  /** A clock reading taken at or before the borrow: the borrow's own, or the latest sweep's. */
  private final long acquiredNanos;
  /**
   * A clock reading taken at or after the borrow, 0 until known: the borrow's own reading when it
   * read the clock, else the time the sweep first saw the record. Only the sweep writes it later
   * (opaque stores, so no reader sees a torn value); held-past-threshold decisions count from here.
   */
  @SuppressWarnings("UnusedVariable") // read through SEEN
  private long seenNanos;
  private final @Nullable Throwable stack;
  private final LeakTracker tracker;
  private volatile long id;
  /**
   * {@link #FLAGGED}, {@link #LEAK_REPORTED} and {@link #CLOSED} bits. A late-return report needs
   * both the leak report and the close; whichever of the two comes second delivers it, so it is
   * made once and always after the leak report. Read without a lock (a close reads it); changed
   * under the record's monitor, which only flagged borrows and the sweep ever take.
   */
  private volatile int state;
  /** How long the borrow was held when it was closed after being flagged (under the monitor). */
  private long heldAtCloseNanos;

  Borrow(
      Object connection,
      ReferenceQueue<Object> queue,
      LeakTracker tracker,
      Object source,
      String origin,
      long acquiredNanos,
      boolean exact,
      int holdWeight,
      @Nullable Throwable stack) {
    super(connection, queue);
    Thread current = Thread.currentThread();
    this.tracker = tracker;
    this.source = source;
    this.origin = origin;
    this.threadName = current.getName();
    this.threadId = current.getId();
    this.acquiredNanos = acquiredNanos;
    this.holdWeight = holdWeight;
    if (exact) {
      this.seenNanos = acquiredNanos; // a plain store: the record is published by the slot's release
    }
    this.stack = stack;
  }

  /** The borrow's id, stable across every event of this borrow; assigned on first use. */
  public long id() {
    long current = id;
    if (current != 0) {
      return current;
    }
    long fresh = tracker.nextId();
    return ID.compareAndSet(this, 0, fresh) ? fresh : id;
  }

  /** The object the connection came from: a DataSource, or a label such as "DriverManager". */
  public Object source() {
    return source;
  }

  /** The type whose getConnection recorded the borrow; used to trim the stack. */
  public String origin() {
    return origin;
  }

  /** The acquiring thread's name; empty for virtual threads. */
  public String threadName() {
    return threadName;
  }

  public long threadId() {
    return threadId;
  }

  /**
   * A {@link System#nanoTime()} reading taken at or before the borrow. It is the borrow's own unless
   * the tracker was keeping borrows off the clock (see {@link LeakTracker}): then it is the latest
   * sweep's, and a hold time measured from it may read up to one sweep period long.
   */
  public long acquiredNanos() {
    return acquiredNanos;
  }

  /**
   * 0 when the close of this borrow is not timed; else how many closes its hold time stands for in
   * statistics: 1 when the tracker times every borrow, and when it samples (see {@link LeakTracker}),
   * this borrow and the untimed ones its thread makes until the next timed one. A timed borrow's
   * {@link #acquiredNanos()} is its own clock reading.
   */
  public int holdWeight() {
    return holdWeight;
  }

  /**
   * How long the borrow has certainly been held at {@code nowNanos}: measured from a clock reading
   * taken at or after the borrow; 0 while no sweep has seen a borrow recorded without one.
   */
  public long heldAtLeastNanos(long nowNanos) {
    long seen = (long) SEEN.getOpaque(this);
    return seen == 0 ? 0 : Math.max(0, nowNanos - seen);
  }

  /**
   * For the sweep: records {@code nowNanos}, read after the sweep found this record, as the time it
   * was first seen, unless it already has one; true if it had one.
   */
  boolean seenBefore(long nowNanos) {
    if ((long) SEEN.getOpaque(this) != 0) {
      return true;
    }
    SEEN.setOpaque(this, nowNanos);
    return false;
  }

  /** The raw acquisition stack, or null when stack capture was off. */
  @Nullable Throwable rawStack() {
    return stack;
  }

  public boolean isFlagged() {
    return (state & FLAGGED) != 0;
  }

  /** Marks the borrow as a leak to report; true only for the first caller. */
  synchronized boolean flag() {
    if (state != 0) {
      return false;
    }
    state = FLAGGED;
    return true;
  }

  /**
   * Records that a flagged borrow was closed, held {@code heldNanos}; true when the caller must now
   * report the late return (the leak report is already out, and nobody recorded the close before).
   */
  synchronized boolean closedAfterFlag(long heldNanos) {
    int s = state;
    if ((s & CLOSED) != 0) {
      return false;
    }
    heldAtCloseNanos = heldNanos;
    state = s | CLOSED;
    return (s & LEAK_REPORTED) != 0;
  }

  /**
   * Records that the leak report was delivered; true when the borrow was closed meanwhile, and the
   * caller must now report the late return.
   */
  synchronized boolean leakReported() {
    int s = state;
    state = s | LEAK_REPORTED;
    return (s & CLOSED) != 0;
  }

  synchronized long heldAtCloseNanos() {
    return heldAtCloseNanos;
  }

  LeakTracker tracker() {
    return tracker;
  }

  /**
   * The connection's identity hash. Taken the first time it is asked for, which is before the record
   * is published in a map (so every thread that finds it there sees the same value); a record whose
   * connection is already collected and that never was in a map answers 0.
   */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      Object connection = get();
      if (connection != null) {
        h = System.identityHashCode(connection);
        hash = h;
      }
    }
    return h;
  }

  /** Equal to another borrow (or an {@link IdentityProbe}) of the very same connection object. */
  @Override
  public boolean equals(Object other) {
    if (other == this) {
      return true;
    }
    if (other instanceof Borrow borrow) {
      Object mine = get();
      return mine != null && mine == borrow.get();
    }
    return false;
  }

  @Override
  public String toString() {
    return "Borrow[id=" + id() + ", thread=" + threadName + "]";
  }
}
