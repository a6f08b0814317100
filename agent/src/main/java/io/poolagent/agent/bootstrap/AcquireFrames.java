package io.poolagent.agent.bootstrap;

import io.poolagent.leak.CacheLinePadding;
import io.poolagent.leak.LeakTracker;
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
  private int depth;
  /** The call site an application call just announced, not yet taken by a getConnection. */
  private int announcedSite;
  /** The call site of the thread's outermost open call; 0 when unknown. */
  private int borrowSite;

  /** The tracker whose per-thread state is cached below; null until the first borrow. */
  private @Nullable LeakTracker stateOwner;
  private @Nullable Object trackerState;

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
