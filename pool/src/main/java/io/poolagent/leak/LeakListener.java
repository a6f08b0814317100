package io.poolagent.leak;

import java.util.List;

/**
 * Receives what a {@link LeakTracker} finds. Every method has an empty default, so a listener
 * implements only what it cares about. Listeners run on the sweeper thread, except
 * {@link #onReturned} and {@link #onRelease}, which run on the thread that closed the connection:
 * keep them short. The tracker looks once, when it is created, at which listeners implement
 * {@link #onAcquire} and {@link #onRelease}: when none does, a borrow and its close call no listener
 * and the close does not read the clock. A listener that throws is counted as an internal error and never disturbs the
 * application.
 */
public interface LeakListener {
  /**
   * The {@code heldNanos} of {@link #onRelease} for a borrow whose hold was not timed: a tracker that
   * samples hold times (see {@link LeakTracker}) times some borrows and only counts the others.
   */
  long NOT_TIMED = -1;

  /** A borrow has been held past the threshold; called once per borrow. */
  default void onLeak(LeakEvent event) {}

  /** A borrow that was reported as a leak has now been closed. */
  default void onReturned(LeakEvent event) {}

  /** A borrowed connection became unreachable without being closed: a certain leak. */
  default void onGcUnclosed(LeakEvent event) {}

  /** The JVM is exiting with these borrows still open. */
  default void onOpenAtExit(List<LeakEvent> open) {}

  /** A connection was borrowed. Called on the borrowing thread for every borrow: keep it cheap. */
  default void onAcquire(Borrow borrow) {}

  /**
   * A borrow was closed after {@code heldNanos}, or {@link #NOT_TIMED} when the tracker samples hold
   * times and did not time this one ({@link Borrow#holdWeight()} tells how many closes a timed hold
   * stands for). Called on every close: keep it cheap.
   */
  default void onRelease(Borrow borrow, long heldNanos) {}
}
