package io.poolagent.agent.bootstrap;

import io.poolagent.leak.CacheLinePadding;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.WeakThread;
import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * One thread's open getConnection calls on DataSources (and static factories): how deeply they nest,
 * and the acquisition site of the outermost one. Only the outermost call records a borrow, so
 * DataSources that call other DataSources count once. Padded on both sides (see
 * {@link CacheLinePadding}; instances are {@link Padded}), as it is written on every borrow and
 * threads' instances may end up side by side, or next to objects that every thread reads, after a
 * garbage collection.
 */
abstract class AcquireFrames extends CacheLinePadding {
  /** The owner's thread id; final, so a thread that finds these frames in a table sees it. */
  private final long ownerId;
  /** The owner, to tell whether it has ended (frames left in a table keep no thread). */
  private final WeakThread owner;
  /** Calls that found this thread's table cell held by another thread (see {@link #shouldTryCell}). */
  private int cellMisses;
  /**
   * The connection class of the thread's latest recorded borrow, whose close() reports (see
   * {@link #closeReports}); weak, so a thread of a shared pool never keeps an undeployed
   * application's classes.
   */
  private @Nullable WeakReference<Class<?>> reportingClass;
  private int depth;
  /** The call site an application call just announced, not yet taken by a getConnection. */
  private int announcedSite;
  /** The call site of the thread's outermost open call; 0 when unknown. */
  private int borrowSite;

  /** The tracker whose per-thread state is cached below; null until the first borrow. */
  private @Nullable LeakTracker stateOwner;
  private @Nullable Object trackerState;

  AcquireFrames(Thread owner) {
    this.ownerId = owner.getId();
    this.owner = new WeakThread(owner);
  }

  long ownerId() {
    return ownerId;
  }

  /** Whether the owning thread is still running (a dead owner's table cell may be taken over). */
  boolean ownerAlive() {
    return owner.isAlive();
  }

  /**
   * For a thread whose table cell another thread holds: true on its first such call and then on one
   * call in 1024, when it looks again whether the cell has become free. Thread.isAlive() is a native
   * call on JDK 17, too slow for every borrow.
   */
  boolean shouldTryCell() {
    return (cellMisses++ & 1023) == 0;
  }

  /**
   * Whether close() of {@code type}'s instances reports to the bridge ({@link CloseHooks}), with the
   * answer for the thread's latest class kept here: one reference comparison for a thread that
   * borrows from one kind of pool, instead of a ClassValue lookup per borrow.
   */
  boolean closeReports(Class<?> type) {
    WeakReference<Class<?>> last = reportingClass;
    if (last != null && last.get() == type) {
      return true;
    }
    if (!CloseHooks.reportsClose(type)) {
      return false;
    }
    reportingClass = new WeakReference<>(type);
    return true;
  }

  /** This thread's state in {@code tracker}, looked up once per thread. */
  Object trackerState(LeakTracker tracker) {
    Object state = trackerState;
    if (stateOwner != tracker || state == null) {
      state = tracker.threadState();
      trackerState = state;
      stateOwner = tracker;
    }
    return state;
  }

  /** A marked call site is about to call getConnection. */
  void announce(int site) {
    announcedSite = site;
  }

  /**
   * Starts a call. It takes the announced site; the marked code clears a site nobody took (a
   * getConnection that was no borrow) when its call returns.
   */
  void push() {
    int site = announcedSite;
    announcedSite = 0;
    if (depth == 0) {
      borrowSite = site;
    }
    depth++;
  }

  /**
   * Ends the innermost call.
   *
   * @return true when it was the outermost: the borrow is this call's to record
   */
  boolean popOutermost() {
    if (depth == 0) {
      return false; // entered before the agent was installed: nothing to undo
    }
    return --depth == 0;
  }

  /** The call site of the borrow being recorded (valid until the next outermost call starts). */
  int borrowSite() {
    return borrowSite;
  }

  /** The call state with padding after its fields. */
  @SuppressWarnings("unused") // never read: the fields only take space
  static final class Padded extends AcquireFrames {
    Padded(Thread owner) {
      super(owner);
    }

    private long t0;
    private long t1;
    private long t2;
    private long t3;
    private long t4;
    private long t5;
    private long t6;
    private long t7;
  }
}
