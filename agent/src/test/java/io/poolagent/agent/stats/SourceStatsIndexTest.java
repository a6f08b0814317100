package io.poolagent.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.SourceNames;
import io.poolagent.leak.StackCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SourceStatsIndexTest {
  /** A DataSource whose equals and hashCode must never be called. */
  public static final class Hostile {
    private final String name;

    public Hostile(String name) {
      this.name = name;
    }

    public String getPoolName() {
      return name;
    }

    @Override
    public boolean equals(Object other) {
      throw new AssertionError("equals called");
    }

    @Override
    public int hashCode() {
      throw new AssertionError("hashCode called");
    }
  }

  @Test
  void sourcesAreFoundByReferenceAndGroupedByName() throws Exception {
    SourceStatsIndex index = new SourceStatsIndex(SourceNames.defaults());
    Hostile a = new Hostile("orders");
    Hostile sameName = new Hostile("orders");
    Hostile b = new Hostile("billing");
    SourceStats orders = index.statsOf(a);
    assertEquals("orders", orders.name());
    assertSame(orders, index.statsOf(a));
    assertSame(orders, index.statsOf(sameName), "one report name, one set of statistics");
    assertNotSame(orders, index.statsOf(b));
    assertEquals(2, index.all().size());
    assertSame(orders, index.nextAdded(0));
    assertEquals("billing", index.nextAdded(0).name());
    assertNull(index.nextAdded(0), "each DataSource is announced once");
  }

  @Test
  void holdTimesAndOpenCountsPerSource() {
    SourceStatsIndex index = new SourceStatsIndex(SourceNames.defaults());
    LeakTracker tracker = new LeakTracker(Duration.ofMillis(1), false, index, SourceNames.defaults());
    Hostile orders = new Hostile("orders");
    Hostile billing = new Hostile("billing");
    Object c1 = new Object();
    Object c2 = new Object();
    Object c3 = new Object();
    tracker.track(c1, orders, "test");
    tracker.track(c2, orders, "test");
    tracker.track(c3, billing, "test");
    tracker.release(c1);
    SourceStats o = index.statsOf(orders);
    assertEquals(1, o.released());
    assertEquals(new SourceStatsIndex.OpenCounts(1, 1), waitFlaggable(index, tracker, o));
    assertEquals(1, index.openNow(tracker, index.statsOf(billing)).open());
    tracker.sweep();
    assertEquals(1, o.leaksDetected());
    tracker.release(c2);
    assertEquals(1, o.returnedAfterLeak());
    assertEquals(2, o.released());
    assertEquals(new SourceStatsIndex.OpenCounts(0, 0), index.openNow(tracker, o));
  }

  @Test
  void everyCloseIsCountedAndOnlyTheTimedOnesRecordAHoldTime() {
    SourceStatsIndex index = new SourceStatsIndex(SourceNames.defaults());
    LeakTracker tracker = new LeakTracker(
        Duration.ofHours(1), StackCapture.OFF, index, SourceNames.defaults(), 16);
    Hostile orders = new Hostile("orders");
    int borrows = 3_200;
    for (int i = 0; i < borrows; i++) {
      Object connection = new Object();
      tracker.track(connection, orders, "test");
      tracker.release(connection);
    }
    SourceStats o = index.statsOf(orders);
    assertEquals(borrows, o.released());
    long timed = o.holdTimes().count();
    assertTrue(timed >= 1 && timed < borrows / 4, timed + " timed of " + borrows);
    assertTrue(o.holdTimes().estimatedTotalNanos() >= o.holdTimes().totalNanos());
  }

  private static SourceStatsIndex.OpenCounts waitFlaggable(SourceStatsIndex index,
      LeakTracker tracker, SourceStats stats) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    SourceStatsIndex.OpenCounts counts = index.openNow(tracker, stats);
    while (counts.leaked() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      counts = index.openNow(tracker, stats);
    }
    return counts;
  }

  @Test
  void pastTheNameLimitDataSourcesShareOneEntry() {
    SourceStatsIndex index = new SourceStatsIndex(SourceNames.defaults());
    for (int i = 0; i < SourceStatsIndex.MAX_NAMES; i++) {
      assertEquals("ds-" + i, index.statsOf(new Hostile("ds-" + i)).name());
    }
    assertEquals(SourceStatsIndex.OTHER, index.statsOf(new Hostile("one-too-many")).name());
    assertEquals(SourceStatsIndex.MAX_NAMES + 1, index.all().size());
  }

  @Test
  void dataSourcesThatWereCollectedMakeRoomForNewOnes() throws Exception {
    SourceStatsIndex index = new SourceStatsIndex(SourceNames.defaults());
    for (int i = 0; i < SourceStatsIndex.MAX_IDENTITIES; i++) {
      index.statsOf(new Hostile("tenant")); // short-lived DataSources, one name
    }
    Hostile kept = new Hostile("long-lived");
    String name = index.statsOf(kept).name();
    for (int i = 0; i < 50 && !name.equals("long-lived"); i++) {
      System.gc();
      Thread.sleep(1100); // a full table of live sources is looked at again after a second
      name = index.statsOf(kept).name();
    }
    assertEquals("long-lived", name);
    assertSame(index.statsOf(kept), index.statsOf(kept));
  }
}
