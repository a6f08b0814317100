package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Borrows kept off the clock (see {@link LeakTracker}): they record the time of the latest sweep,
 * and are flagged only once a sweep has seen them and they have certainly been held past the
 * threshold since.
 */
class SweepClockTest {
  private static final Duration THRESHOLD = Duration.ofMillis(100);

  /** Implements no per-borrow call, so borrows may go off the clock. */
  private final LeakTrackerTest.Recorder recorder = new LeakTrackerTest.Recorder();
  private final List<LeakEvent> leaks = recorder.events;

  private final class LeaksAndHoldTimes implements LeakListener {
    final List<Long> held = new CopyOnWriteArrayList<>();

    @Override
    public void onLeak(LeakEvent event) {
      leaks.add(event);
    }

    @Override
    public void onRelease(Borrow borrow, long heldNanos) {
      held.add(heldNanos);
    }
  }

  @Test
  void aBorrowOffTheClockIsNotFlaggedBeforeItIsCertainlyPastTheThreshold() throws Exception {
    LeakTracker tracker = new LeakTracker(THRESHOLD, false, recorder, SourceNames.defaults());
    assertTrue(tracker.keepBorrowsOffTheClock(true));
    Thread.sleep(THRESHOLD.toMillis() + 50); // the sweeps' time is now older than the threshold
    Object connection = new Object();
    tracker.track(connection, "ds", "x");

    assertEquals(0, tracker.sweep(), "just borrowed, though its recorded time is old");
    assertEquals(0, tracker.leakedNow());
    Thread.sleep(THRESHOLD.toMillis() + 20);
    assertEquals(1, tracker.leakedNow(), "held past the threshold since the sweep saw it");
    assertEquals(1, tracker.sweep());
    assertEquals(1, leaks.size());
    assertTrue(leaks.get(0).heldMillis() >= THRESHOLD.toMillis(), leaks.get(0).toString());
    tracker.release(connection);
  }

  @Test
  void aSweepAdvancesTheTimeThatBorrowsOffTheClockRecord() throws Exception {
    LeakTracker tracker = new LeakTracker(THRESHOLD, false, recorder, SourceNames.defaults());
    assertTrue(tracker.keepBorrowsOffTheClock(true));
    Thread.sleep(50);
    long beforeSweep = System.nanoTime();
    tracker.sweep();
    Object connection = new Object();
    tracker.track(connection, "ds", "x");
    long recorded = tracker.openBorrows().get(0).acquiredNanos();
    assertTrue(recorded - beforeSweep >= 0, "recorded the sweep's time, not the one before it");
    assertTrue(System.nanoTime() - recorded >= 0);
  }

  @Test
  void borrowsReadTheClockWhenAListenerNeedsHoldTimesOrNoSweeperKeepsTheTime() throws Exception {
    LeaksAndHoldTimes listener = new LeaksAndHoldTimes();
    LeakTracker withHoldTimes = new LeakTracker(THRESHOLD, false, listener, SourceNames.defaults());
    assertFalse(withHoldTimes.keepBorrowsOffTheClock(true));
    LeakTracker stopped = new LeakTracker(THRESHOLD, false, recorder, SourceNames.defaults());
    assertTrue(stopped.keepBorrowsOffTheClock(true));
    assertFalse(stopped.keepBorrowsOffTheClock(false));

    Object first = new Object();
    Object second = new Object();
    withHoldTimes.track(first, "ds", "x");
    stopped.track(second, "ds", "x");
    Thread.sleep(THRESHOLD.toMillis() + 20);
    // a borrow on the clock needs no earlier sweep to be flagged
    assertEquals(1, withHoldTimes.sweep());
    assertEquals(1, stopped.sweep());
    withHoldTimes.release(first);
    assertEquals(1, listener.held.size());
    assertTrue(listener.held.get(0) >= THRESHOLD.toNanos());
  }

  @Test
  void aRunningSweeperFlagsBorrowsOffTheClock() throws Exception {
    LeakTracker tracker = new LeakTracker(THRESHOLD, false, recorder, SourceNames.defaults());
    Object connection = new Object();
    try (LeakSweeper sweeper = LeakSweeper.start(tracker, Duration.ofMillis(20), "test-sweeper")) {
      assertEquals(Duration.ofMillis(20), sweeper.interval());
      Thread.sleep(50);
      tracker.track(connection, "ds", "x");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (leaks.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    assertEquals(1, leaks.size());
    assertTrue(leaks.get(0).heldMillis() >= THRESHOLD.toMillis(), leaks.get(0).toString());
    tracker.release(connection);
  }

  @Test
  void theSweeperKeepsBorrowsOffTheClockWhileItRunsWithAnIntervalOfAtMostOneSecond()
      throws Exception {
    LeakTracker tracker = new LeakTracker(THRESHOLD, false, recorder, SourceNames.defaults());
    // sweeps about every half second: none comes between reading the clock and the borrow after it
    try (LeakSweeper sweeper = LeakSweeper.start(tracker, Duration.ofSeconds(1), "test-sweeper")) {
      Thread.sleep(2);
      assertTrue(borrowedAt(tracker, new Object()) < 0, "recorded the sweeps' older time");
      sweeper.setInterval(Duration.ofSeconds(2));
      assertTrue(borrowedAt(tracker, new Object()) >= 0, "read the clock");
      sweeper.setInterval(Duration.ofSeconds(1));
      Thread.sleep(2);
      assertTrue(borrowedAt(tracker, new Object()) < 0, "off the clock again");
    }
    assertTrue(borrowedAt(tracker, new Object()) >= 0, "read the clock after the sweeper stopped");
  }

  @Test
  void aShorterIntervalTakesEffectWithoutWaitingForTheOldSchedule() throws Exception {
    LeakTracker tracker = new LeakTracker(THRESHOLD, false, recorder, SourceNames.defaults());
    try (LeakSweeper sweeper = LeakSweeper.start(tracker, Duration.ofSeconds(8), "test-sweeper")) {
      Thread.sleep(200); // the sweeper thread is waiting for its first sweep, 4 s after the start
      sweeper.setInterval(Duration.ofMillis(100));
      long switched = System.nanoTime();
      long deadline = switched + Duration.ofSeconds(2).toNanos();
      long recorded;
      do {
        Thread.sleep(10);
        Object connection = new Object();
        tracker.track(connection, "ds", "x");
        recorded = borrowOf(tracker, connection).acquiredNanos();
        tracker.release(connection);
      } while (recorded - switched < 0 && System.nanoTime() < deadline);
      assertTrue(recorded - switched >= 0, "a sweep came soon after the interval shrank");
    }
  }

  @Test
  void aThresholdSetAfterZeroCountsFromTheFirstSweepThatSawTheBorrow() throws Exception {
    LeakTracker tracker = new LeakTracker(Duration.ZERO, false, recorder, SourceNames.defaults());
    assertTrue(tracker.keepBorrowsOffTheClock(true));
    Object connection = new Object();
    tracker.track(connection, "ds", "x");
    assertEquals(0, tracker.sweep()); // tracks, never flags; sees the borrow
    Thread.sleep(THRESHOLD.toMillis() + 20);
    tracker.setThreshold(THRESHOLD);
    assertEquals(1, tracker.sweep(), "held past the new threshold since the first sweep");
    tracker.release(connection);
  }

  /**
   * Borrows {@code connection} and returns its recorded time less a clock reading taken just before
   * the borrow: negative when it recorded an earlier sweep's time.
   */
  private static long borrowedAt(LeakTracker tracker, Object connection) {
    long before = System.nanoTime();
    tracker.track(connection, "ds", "x");
    long recorded = borrowOf(tracker, connection).acquiredNanos();
    tracker.release(connection);
    return recorded - before;
  }

  private static Borrow borrowOf(LeakTracker tracker, Object connection) {
    for (Borrow borrow : tracker.openBorrows()) {
      if (borrow.get() == connection) {
        return borrow;
      }
    }
    throw new AssertionError("not open: " + connection);
  }
}
