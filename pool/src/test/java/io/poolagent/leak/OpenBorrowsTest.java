package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The tracker's per-thread slots and shared map together: every borrow counted once, wherever closed. */
class OpenBorrowsTest {
  private final LeakTrackerTest.Recorder recorder = new LeakTrackerTest.Recorder();
  private final LeakTracker tracker =
      new LeakTracker(Duration.ofHours(1), false, recorder, SourceNames.defaults());

  @Test
  void severalHeldAtOnceOnOneThreadAreEachTrackedAndReleasedInAnyOrder() {
    Object a = new Object();
    Object b = new Object();
    Object c = new Object();
    tracker.track(a, "ds", "x");
    tracker.track(b, "ds", "x");
    tracker.track(c, "ds", "x");
    assertEquals(3, tracker.openCount());
    tracker.release(a);
    assertFalse(tracker.isOpen(a));
    assertTrue(tracker.isOpen(b) && tracker.isOpen(c));
    tracker.release(c);
    tracker.release(b);
    tracker.release(b);
    assertEquals(0, tracker.openCount());
    assertEquals(3, tracker.releasedCount(), "a second close releases nothing");
  }

  @Test
  void aConnectionClosedOnAnotherThreadIsReleasedOnce() throws Exception {
    AtomicReference<Object> taken = new AtomicReference<>();
    CountDownLatch tracked = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    Thread borrower = new Thread(() -> {
      Object connection = new Object();
      tracker.track(connection, "ds", "x");
      taken.set(connection);
      tracked.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    borrower.start();
    tracked.await();
    assertTrue(tracker.isOpen(taken.get()));
    tracker.release(taken.get());
    tracker.release(taken.get());
    released.countDown();
    borrower.join();
    assertFalse(tracker.isOpen(taken.get()));
    assertEquals(1, tracker.releasedCount());
    assertEquals(0, tracker.openCount());
  }

  @Test
  void theSameObjectHandedOutAgainReplacesItsRecord() {
    Object connection = new Object();
    tracker.track(connection, "ds", "x");
    tracker.track(connection, "ds", "x");
    assertEquals(1, tracker.openCount());
    Object other = new Object();
    tracker.track(other, "ds", "x");
    tracker.track(other, "ds", "x");
    assertEquals(2, tracker.openCount());
    tracker.release(connection);
    tracker.release(other);
    assertEquals(0, tracker.openCount());
  }

  @Test
  void aBorrowLeftOnAnEndedThreadIsStillSweptAndReportedWhenCollected() throws Exception {
    Thread borrower = new Thread(() -> tracker.track(new Object(), "ds", "x"));
    borrower.start();
    borrower.join();
    assertEquals(1, tracker.openCount());
    for (int i = 0; i < 50 && tracker.gcUnclosedCount() == 0; i++) {
      System.gc();
      Thread.sleep(20);
      tracker.sweep();
    }
    assertEquals(1, tracker.gcUnclosedCount());
    assertEquals(0, tracker.openCount());
    assertEquals(List.of(LeakEvent.Kind.GC_UNCLOSED),
        recorder.events.stream().map(LeakEvent::kind).toList());
  }

  @Test
  void theCountsOfEndedThreadsSurviveTheirSlots() throws Exception {
    for (int t = 0; t < 3; t++) {
      Thread worker = new Thread(() -> {
        for (int i = 0; i < 5; i++) {
          Object connection = new Object();
          tracker.track(connection, "ds", "x");
          tracker.release(connection);
        }
        tracker.track(new Object() /* dropped unclosed */, "ds", "x");
      });
      worker.start();
      worker.join();
    }
    Object mine = new Object();
    tracker.track(mine, "ds", "x");
    tracker.release(mine);
    assertEquals(19, tracker.acquiredCount());
    assertEquals(16, tracker.releasedCount());
    System.gc(); // the unclosed ones become gc-unclosed, their threads' slots empty and are forgotten
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (tracker.gcUnclosedCount() < 3 && System.nanoTime() < deadline) {
      tracker.sweep();
      Thread.sleep(10);
      System.gc();
    }
    tracker.sweep();
    assertEquals(3, tracker.gcUnclosedCount());
    assertEquals(19, tracker.acquiredCount(), "acquired counts stay once the threads are gone");
    assertEquals(16, tracker.releasedCount(), "gc-unclosed borrows are not released");
  }

  @Test
  void withoutAThresholdTheSweepStillForgetsTheSlotsOfEndedThreads() throws Exception {
    LeakTracker untimed = new LeakTracker(Duration.ZERO, false, recorder, SourceNames.defaults());
    List<java.lang.ref.WeakReference<Thread>> ended = new java.util.ArrayList<>();
    for (int t = 0; t < 50; t++) {
      Thread worker = new Thread(() -> {
        Object connection = new Object();
        untimed.track(connection, "ds", "x");
        untimed.release(connection);
      });
      worker.start();
      worker.join();
      ended.add(new java.lang.ref.WeakReference<>(worker));
    }
    untimed.sweep();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ended.stream().anyMatch(ref -> ref.get() != null) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(0, ended.stream().filter(ref -> ref.get() != null).count(),
        "no ended thread is kept reachable by the tracker");
    assertEquals(50, untimed.acquiredCount(), "their counts are kept");
    assertEquals(50, untimed.releasedCount());
  }
}
