package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LeakTrackerTest {

  /** A connection stand-in whose equals/hashCode lie, like a proxy that intercepts them. */
  static final class LyingConnection {
    @Override
    public boolean equals(Object o) {
      return true;
    }

    @Override
    public int hashCode() {
      return 42;
    }
  }

  static final class Recorder implements LeakListener {
    final List<LeakEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onLeak(LeakEvent event) {
      events.add(event);
    }

    @Override
    public void onReturned(LeakEvent event) {
      events.add(event);
    }

    @Override
    public void onGcUnclosed(LeakEvent event) {
      events.add(event);
    }

    @Override
    public void onOpenAtExit(List<LeakEvent> open) {
      events.addAll(open);
    }
  }

  private final Recorder recorder = new Recorder();

  private LeakTracker tracker(Duration threshold) {
    return new LeakTracker(threshold, true, recorder, SourceNames.defaults());
  }

  /** Stands in for a DataSource whose getConnection() records the borrow. */
  final class FakeDataSource {
    Object getConnection(LeakTracker tracker, Object connection) {
      tracker.track(connection, this, FakeDataSource.class.getName());
      return connection;
    }
  }

  @Test
  void identityIsByReferenceNotEquals() {
    LeakTracker tracker = tracker(Duration.ofHours(1));
    LyingConnection a = new LyingConnection();
    LyingConnection b = new LyingConnection();
    tracker.track(a, "ds", "x");
    tracker.track(b, "ds", "x");
    assertEquals(2, tracker.openCount());
    tracker.release(b);
    assertTrue(tracker.isOpen(a));
    assertFalse(tracker.isOpen(b));
    tracker.release(b);
    assertEquals(1, tracker.releasedCount(), "a double close releases once");
  }

  @Test
  void heldPastThresholdIsFlaggedOnceThenReturned() throws Exception {
    LeakTracker tracker = tracker(Duration.ofMillis(20));
    Object connection = new FakeDataSource().getConnection(tracker, new Object());
    Thread.sleep(40);
    assertEquals(1, tracker.sweep());
    assertEquals(0, tracker.sweep(), "flagged once");
    assertEquals(1, tracker.leakedNow());
    tracker.release(connection);
    assertEquals(List.of(LeakEvent.Kind.LEAK, LeakEvent.Kind.RETURNED),
        recorder.events.stream().map(LeakEvent::kind).toList());
    LeakEvent leak = recorder.events.get(0);
    assertEquals(leak.connectionId(), recorder.events.get(1).connectionId());
    assertTrue(leak.stack().get(0).startsWith(getClass().getName() + ".heldPastThresholdIsFlaggedOnceThenReturned("),
        "first frame is the caller of getConnection: " + leak.stack().get(0));
    assertEquals(1, tracker.leaksDetected());
  }

  @Test
  void zeroThresholdTracksButNeverFlags() throws Exception {
    LeakTracker tracker = tracker(Duration.ZERO);
    tracker.track(new Object[0], "ds", "x");
    Thread.sleep(5);
    assertEquals(0, tracker.sweep());
    assertEquals(1, tracker.openCount());
  }

  @Test
  void thresholdChangeAppliesToOpenBorrows() throws Exception {
    LeakTracker tracker = tracker(Duration.ofHours(1));
    Object held = new Object();
    tracker.track(held, "ds", "x");
    Thread.sleep(5);
    assertEquals(0, tracker.sweep());
    tracker.setThreshold(Duration.ofMillis(1));
    assertEquals(1, tracker.sweep());
    tracker.release(held);
  }

  @Test
  void collectedWithoutCloseIsReportedAsGcUnclosed() throws Exception {
    LeakTracker tracker = tracker(Duration.ofHours(1));
    tracker.track(new Object(), "ds", "x");
    for (int i = 0; i < 50 && tracker.gcUnclosedCount() == 0; i++) {
      System.gc();
      Thread.sleep(20);
      tracker.sweep();
    }
    assertEquals(1, tracker.gcUnclosedCount());
    assertEquals(0, tracker.openCount());
    assertEquals(LeakEvent.Kind.GC_UNCLOSED, recorder.events.get(0).kind());
  }

  @Test
  void aConnectionCollectedSinceTheLastSweepIsReportedAtExitAsGcUnclosed() throws Exception {
    LeakTracker tracker = tracker(Duration.ofHours(1));
    tracker.track(new Object(), "ds", "x");
    for (int i = 0; i < 50 && !tracker.snapshotOpen(LeakEvent.Kind.LEAK).isEmpty(); i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertEquals(1, tracker.openCount(), "collected, but no sweep has seen it");
    assertEquals(List.of(), tracker.reportOpenAtExit());
    assertEquals(1, tracker.gcUnclosedCount());
    assertEquals(0, tracker.openCount());
    assertEquals(LeakEvent.Kind.GC_UNCLOSED, recorder.events.get(0).kind());
  }

  @Test
  void openAtExitReportsEveryOpenBorrow() {
    LeakTracker tracker = tracker(Duration.ofHours(1));
    Object a = new Object();
    Object b = new Object();
    tracker.track(a, "ds-a", "x");
    tracker.track(b, "ds-b", "x");
    List<LeakEvent> events = tracker.reportOpenAtExit();
    assertEquals(2, events.size());
    assertEquals(List.of("ds-a", "ds-b"), events.stream().map(LeakEvent::dataSource).toList());
    assertTrue(LeakText.openAtExit(events).startsWith("poolagent open-at-exit: 2 connections"));
    tracker.release(a);
    tracker.release(b);
  }

  @Test
  void theSameObjectHandedOutTwiceKeepsOneRecord() {
    LeakTracker tracker = tracker(Duration.ofHours(1));
    Object c = new Object();
    tracker.track(c, "ds", "x");
    tracker.track(c, "ds", "x");
    assertEquals(1, tracker.openCount());
    tracker.release(c);
    assertEquals(0, tracker.openCount());
  }

  @Test
  void aThrowingListenerIsCountedNotPropagated() {
    LeakListener bad = new LeakListener() {
      @Override
      public void onAcquire(Borrow borrow) {
        throw new IllegalStateException("boom");
      }
    };
    LeakTracker tracker = new LeakTracker(Duration.ofHours(1), false,
        LeakListeners.of(List.of(bad, recorder)), SourceNames.defaults());
    Object c = new Object();
    tracker.track(c, "ds", "x");
    assertTrue(tracker.isOpen(c));
    assertEquals(1, tracker.internalErrors());
  }

  @Test
  void findingsAreCountedWhenTheListenerThrowsAndLeaksAreReportedOnTheGivenExecutor()
      throws Exception {
    LeakListener throwing = new LeakListener() {
      @Override
      public void onLeak(LeakEvent event) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void onReturned(LeakEvent event) {
        throw new IllegalStateException("boom");
      }

      @Override
      public void onOpenAtExit(List<LeakEvent> open) {
        throw new IllegalStateException("boom");
      }
    };
    LeakTracker tracker = new LeakTracker(Duration.ofMillis(1), false, throwing,
        SourceNames.defaults());
    List<Runnable> queued = new CopyOnWriteArrayList<>();
    tracker.reportOn(queued::add);
    Object returned = new Object();
    Object kept = new Object();
    tracker.track(returned, "ds", "x");
    tracker.track(kept, "ds", "x");
    Thread.sleep(5);
    assertEquals(2, tracker.sweep());
    assertEquals(1, queued.size(), "one report task per sweep");
    assertEquals(0, tracker.leaksDetected(), "counted once reported");
    runAll(queued);
    assertEquals(2, tracker.leaksDetected());
    assertEquals(2, tracker.internalErrors());
    tracker.release(returned);
    assertEquals(3, tracker.internalErrors());
    assertEquals(1, tracker.reportOpenAtExit().size());
    assertEquals(4, tracker.internalErrors());
    assertTrue(tracker.isOpen(kept));
  }

  @Test
  void aBorrowClosedWhileItsLeakReportWaitsIsReportedReturnedAfterTheLeak() throws Exception {
    LeakTracker tracker = tracker(Duration.ofMillis(1));
    List<Runnable> queued = new CopyOnWriteArrayList<>();
    tracker.reportOn(queued::add);
    Object connection = new Object();
    tracker.track(connection, "ds", "x");
    Thread.sleep(5);
    assertEquals(1, tracker.sweep());
    tracker.release(connection); // the leak report has not been delivered yet
    assertEquals(List.of(), recorder.events, "nothing reported before the leak report runs");
    runAll(queued);
    assertEquals(List.of(LeakEvent.Kind.LEAK, LeakEvent.Kind.RETURNED),
        recorder.events.stream().map(LeakEvent::kind).toList());
    assertEquals(recorder.events.get(0).connectionId(), recorder.events.get(1).connectionId());
  }

  @Test
  void underConcurrentClosesEveryLeakReportIsFollowedByExactlyOneReturn() throws Exception {
    LeakTracker tracker = tracker(Duration.ofNanos(1));
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread sweeper = new Thread(() -> {
      while (running.get()) {
        tracker.sweep();
      }
    });
    sweeper.start();
    Thread[] borrowers = new Thread[3];
    for (int t = 0; t < borrowers.length; t++) {
      borrowers[t] = new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          Object connection = new Object();
          tracker.track(connection, "ds", "x");
          tracker.release(connection);
        }
      });
      borrowers[t].start();
    }
    for (Thread borrower : borrowers) {
      borrower.join();
    }
    running.set(false);
    sweeper.join();
    java.util.Map<String, List<LeakEvent.Kind>> byId = new java.util.HashMap<>();
    for (LeakEvent e : recorder.events) {
      byId.computeIfAbsent(e.connectionId(), k -> new java.util.ArrayList<>()).add(e.kind());
    }
    for (var entry : byId.entrySet()) {
      assertEquals(List.of(LeakEvent.Kind.LEAK, LeakEvent.Kind.RETURNED), entry.getValue(),
          entry.getKey());
    }
    assertEquals(byId.size(), tracker.leaksDetected());
    assertEquals(0, tracker.openCount());
  }

  /** Runs queued report tasks, and the ones they queue, in order. */
  private static void runAll(List<Runnable> queued) {
    while (!queued.isEmpty()) {
      queued.remove(0).run();
    }
  }

  @Test
  void onlyTheListenersThatImplementThePerBorrowCallsReceiveThem() {
    assertNull(LeakListeners.forAcquire(LeakListeners.of(List.of(recorder, LogReport.standard()))));
    assertNull(LeakListeners.forRelease(recorder));
    List<Long> held = new CopyOnWriteArrayList<>();
    List<Borrow> acquired = new CopyOnWriteArrayList<>();
    LeakListener holds = new LeakListener() {
      @Override
      public void onRelease(Borrow borrow, long heldNanos) {
        held.add(heldNanos);
      }
    };
    LeakListener borrows = new LeakListener() {
      @Override
      public void onAcquire(Borrow borrow) {
        acquired.add(borrow);
      }
    };
    LeakTracker tracker = new LeakTracker(Duration.ofHours(1), false,
        LeakListeners.of(List.of(recorder, holds, borrows)), SourceNames.defaults());
    Object c = new Object();
    tracker.track(c, "ds", "x");
    tracker.release(c);
    assertEquals(1, acquired.size());
    assertEquals(1, held.size());
    assertTrue(held.get(0) >= 0);
  }
}
