package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A tracker that samples hold times (see {@link LeakTracker}): it times about one borrow in n per
 * thread, hands the others to the release listener as {@link LeakListener#NOT_TIMED}, and keeps the
 * untimed ones off the clock.
 */
class HoldTimeSamplingTest {
  private static final int ONE_IN = 16;

  /** What the release listener saw: one entry per close. */
  private static final class Closes implements LeakListener {
    final List<Long> held = new CopyOnWriteArrayList<>();
    final List<Integer> weights = new CopyOnWriteArrayList<>();
    final List<LeakEvent> returned = new CopyOnWriteArrayList<>();

    @Override
    public void onRelease(Borrow borrow, long heldNanos) {
      held.add(heldNanos);
      weights.add(borrow.holdWeight());
    }

    @Override
    public void onReturned(LeakEvent event) {
      returned.add(event);
    }

    List<Integer> timedWeights() {
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < held.size(); i++) {
        if (held.get(i) != NOT_TIMED) {
          out.add(weights.get(i));
        }
      }
      return out;
    }
  }

  private static LeakTracker tracker(Duration threshold, LeakListener listener, int oneIn) {
    return new LeakTracker(threshold, StackCapture.OFF, listener, SourceNames.defaults(), oneIn);
  }

  private static void borrowAndClose(LeakTracker tracker, int times) {
    for (int i = 0; i < times; i++) {
      Object connection = new Object();
      tracker.track(connection, "ds", "x");
      tracker.release(connection);
    }
  }

  @Test
  void withoutSamplingEveryCloseIsTimedAndStandsForItself() {
    Closes closes = new Closes();
    borrowAndClose(tracker(Duration.ofHours(1), closes, 1), 200);
    assertEquals(200, closes.held.size());
    for (int i = 0; i < 200; i++) {
      assertTrue(closes.held.get(i) >= 0, "close " + i + ": " + closes.held.get(i));
      assertEquals(1, closes.weights.get(i));
    }
  }

  @Test
  void aboutOneCloseInNIsTimedAndTheWeightsAddUpToTheBorrows() {
    Closes closes = new Closes();
    int borrows = 16_000;
    borrowAndClose(tracker(Duration.ofHours(1), closes, ONE_IN), borrows);

    assertEquals(borrows, closes.held.size(), "every close reaches the listener");
    assertTrue(closes.held.get(0) >= 0, "a thread's first borrow is timed");
    List<Integer> timed = closes.timedWeights();
    // about 1,000 expected; the bounds are more than twenty standard deviations away
    assertTrue(timed.size() > borrows / (2 * ONE_IN) && timed.size() < borrows * 2 / ONE_IN,
        timed.size() + " timed");
    long sum = 0;
    Set<Integer> distinct = new HashSet<>();
    for (int i = 0; i < closes.held.size(); i++) {
      long held = closes.held.get(i);
      int weight = closes.weights.get(i);
      assertTrue(held == LeakListener.NOT_TIMED ? weight == 0 : held >= 0 && weight >= 1,
          "close " + i + ": held " + held + ", weight " + weight);
    }
    for (int weight : timed) {
      assertTrue(weight >= 1 && weight <= 2 * ONE_IN - 1, "weight " + weight);
      sum += weight;
      distinct.add(weight);
    }
    // each timed close stands for itself and the untimed closes up to the next timed one
    assertTrue(sum >= borrows && sum < borrows + 2 * ONE_IN, "weights add up to " + sum);
    assertTrue(distinct.size() > ONE_IN, "gaps drawn at random, not a fixed period: " + distinct);
  }

  @Test
  void eachThreadsFirstBorrowIsTimed() throws Exception {
    Closes closes = new Closes();
    LeakTracker tracker = tracker(Duration.ofHours(1), closes, ONE_IN);
    borrowAndClose(tracker, 5);
    for (int i = 0; i < 4; i++) {
      Thread thread = new Thread(() -> borrowAndClose(tracker, 1));
      thread.start();
      thread.join();
    }
    assertEquals(9, closes.held.size());
    for (int i = 5; i < 9; i++) {
      assertTrue(closes.held.get(i) >= 0, "the first borrow of thread " + (i - 4) + " is timed");
    }
  }

  @Test
  void untimedBorrowsStayOffTheClockUnlessEveryHoldIsTimed() {
    assertTrue(tracker(Duration.ofHours(1), new Closes(), ONE_IN).keepBorrowsOffTheClock(true));
    assertFalse(tracker(Duration.ofHours(1), new Closes(), 1).keepBorrowsOffTheClock(true));
  }

  @Test
  void anUntimedBorrowFlaggedAsALeakStillReportsItsHoldWhenClosed() throws Exception {
    Closes closes = new Closes();
    Duration threshold = Duration.ofMillis(50);
    LeakTracker tracker = tracker(threshold, closes, ONE_IN);
    Object connection;
    Borrow borrow;
    do { // the first borrow on this thread is timed; find one that is not
      connection = new Object();
      tracker.track(connection, "ds", "x");
      borrow = tracker.openBorrows().get(0);
      if (borrow.holdWeight() > 0) {
        tracker.release(connection);
      }
    } while (borrow.holdWeight() > 0);
    int closesBefore = closes.held.size();

    assertEquals(0, tracker.sweep(), "the first sweep stamps it");
    Thread.sleep(threshold.toMillis() + 30);
    assertEquals(1, tracker.sweep());
    tracker.release(connection);

    assertEquals(LeakListener.NOT_TIMED, closes.held.get(closesBefore), "not timed for statistics");
    assertEquals(1, closes.returned.size(), "the late return is reported");
    assertTrue(closes.returned.get(0).heldMillis() >= threshold.toMillis(),
        closes.returned.get(0).toString());
  }

  @Test
  void samplingBelowOneIsRefusedWithWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> tracker(Duration.ofHours(1), new Closes(), 0));
    assertEquals("hold-time sampling must be 1 (every borrow timed) or more, got 0", e.getMessage());
  }
}
