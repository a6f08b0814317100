package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampledStackCaptureTest {
  private final LeakTrackerTest.Recorder recorder = new LeakTrackerTest.Recorder();
  private final LeakTracker tracker = new LeakTracker(Duration.ofMillis(10), StackCapture.SAMPLED,
      recorder, SourceNames.defaults());

  /** Stands in for a DataSource whose getConnection() records the borrow. */
  final class FakeDataSource {
    Object getConnection(Object connection) {
      tracker.track(connection, this, FakeDataSource.class.getName());
      return connection;
    }
  }

  private final FakeDataSource ds = new FakeDataSource();

  private Object borrowAtSiteA() {
    return ds.getConnection(new Object()); // site A
  }

  private Object borrowAtSiteB() {
    return ds.getConnection(new Object()); // site B
  }

  @Test
  void everyFlaggedBorrowNamesItsOwnSiteAndEachSiteIsCapturedOnce() throws Exception {
    Object a1 = borrowAtSiteA();
    Object a2 = borrowAtSiteA();
    Object b1 = borrowAtSiteB();
    Thread.sleep(30);
    assertEquals(3, tracker.sweep());
    List<LeakEvent> leaks = recorder.events;
    assertEquals(3, leaks.size());
    String prefix = getClass().getName() + ".";
    int siteA = 0;
    int siteB = 0;
    for (LeakEvent leak : leaks) {
      String first = leak.stack().get(0);
      assertTrue(first.startsWith(prefix + "borrowAtSite"), "first frame is the caller: " + first);
      siteA += first.startsWith(prefix + "borrowAtSiteA(") ? 1 : 0;
      siteB += first.startsWith(prefix + "borrowAtSiteB(") ? 1 : 0;
      assertTrue(leak.stack().get(1).startsWith(prefix
          + "everyFlaggedBorrowNamesItsOwnSiteAndEachSiteIsCapturedOnce("), leak.stack().get(1));
    }
    assertEquals(2, siteA);
    assertEquals(1, siteB);
    Borrow[] open = tracker.openBorrows().toArray(new Borrow[0]);
    assertSame(open[0].rawStack(), open[1].rawStack(), "one capture per site");
    assertNotEquals(open[0].rawStack(), open[2].rawStack());
    tracker.release(a1);
    tracker.release(a2);
    tracker.release(b1);
    assertEquals(0, tracker.openCount());
  }

  @Test
  void aModeChangeAppliesToTheNextBorrow() {
    tracker.setStackCapture(StackCapture.FULL);
    Object a1 = borrowAtSiteA();
    Object a2 = borrowAtSiteA();
    Borrow[] open = tracker.openBorrows().toArray(new Borrow[0]);
    assertNotEquals(open[0].rawStack(), open[1].rawStack(), "full capture: one stack per borrow");
    assertTrue(tracker.capturesStacks());
    tracker.setStackCapture(StackCapture.OFF);
    assertEquals(false, tracker.capturesStacks());
    tracker.release(a1);
    tracker.release(a2);
  }

  @Test
  void aMarkedCallSiteReusesItsFirstStackAndDistinctSitesStayApart() {
    Object[] connections = {new Object(), new Object(), new Object()};
    tracker.track(connections[0], ds, FakeDataSource.class.getName(), 7);
    tracker.track(connections[1], ds, FakeDataSource.class.getName(), 7);
    tracker.track(connections[2], ds, FakeDataSource.class.getName(), 8);
    Borrow[] open = tracker.openBorrows().toArray(new Borrow[0]);
    assertEquals(3, open.length);
    assertSame(open[0].rawStack(), open[1].rawStack(), "one capture per marked site");
    assertNotEquals(open[0].rawStack(), open[2].rawStack());
    String first = tracker.snapshot(open[0], LeakEvent.Kind.LEAK, 0).site();
    assertTrue(first.startsWith(getClass().getName()
        + ".aMarkedCallSiteReusesItsFirstStackAndDistinctSitesStayApart("), first);
    for (Object connection : connections) {
      tracker.release(connection);
    }
  }
}
