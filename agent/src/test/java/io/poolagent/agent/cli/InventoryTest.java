package io.poolagent.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.agent.AgentRuntime;
import io.poolagent.agent.RuntimeFixture;
import io.poolagent.agent.jmx.LeakDetector;
import io.poolagent.leak.LeakEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.junit.jupiter.api.Test;

/**
 * The CLI reads open borrows from the real bean's openConnections() table, or from its dump() text
 * (agents before openConnections existed); both give the same rows.
 */
class InventoryTest {
  /** A stand-in for a pool, named by the thread that borrows from it. */
  static final class NamedSource {
    @Override
    public String toString() {
      return "named-source";
    }
  }

  @Test
  void everyBorrowOfTheRealBeanIsReadFromTheTableAndFromTheDump() throws Exception {
    AgentRuntime runtime = RuntimeFixture.runtime(Duration.ofMillis(50));
    try {
      Object leaked = new Object();
      Object fresh = new Object();
      Object source = new NamedSource();
      runtime.tracker().track(leaked, source, "com.example.Pool");
      Thread.sleep(450);
      runtime.tracker().setThreshold(Duration.ofSeconds(30));
      runtime.tracker().track(fresh, source, "com.example.Pool");
      runtime.tracker().setThreshold(Duration.ofMillis(400));
      List<LeakEvent> expected = runtime.tracker().snapshotOpen(LeakEvent.Kind.OPEN_AT_EXIT);

      LeakDetector bean = new LeakDetector(runtime);
      List<OpenBorrow> read = Inventory.fromDump(bean.dump());
      List<OpenBorrow> table = Inventory.fromTable(bean.openConnections());
      assertEquals(2, table.size(), table.toString());

      assertEquals(2, read.size(), read.toString());
      for (LeakEvent e : expected) {
        OpenBorrow b = read.stream().filter(r -> r.id().equals(e.connectionId())).findFirst()
            .orElseThrow(() -> new AssertionError(e.connectionId() + " not in " + read));
        assertEquals(e.dataSource(), b.dataSource());
        assertEquals(e.site(), b.site());
        assertTrue(b.thread().startsWith(Thread.currentThread().getName() + " #"), b.thread());
        assertTrue(b.heldMillis() >= e.heldMillis(), b + " vs " + e);
        assertEquals(b.heldMillis() >= 400, b.flagged(), b.toString());
        OpenBorrow row = table.stream().filter(r -> r.id().equals(e.connectionId())).findFirst()
            .orElseThrow(() -> new AssertionError(e.connectionId() + " not in " + table));
        assertEquals(List.of(b.dataSource(), b.thread(), b.site()),
            List.of(row.dataSource(), row.thread(), row.site()), "openConnections() and dump() agree");
        assertEquals(b.flagged(), row.flagged(), row.toString());
      }
      assertTrue(read.stream().anyMatch(OpenBorrow::flagged), read.toString());
      assertTrue(read.stream().anyMatch(b -> !b.flagged()), read.toString());
      runtime.tracker().release(leaked);
      runtime.tracker().release(fresh);
      assertEquals(List.of(), Inventory.fromDump(new LeakDetector(runtime).dump()));
    } finally {
      runtime.sweeper().close();
    }
  }

  @Test
  void aTableIsReadByItemNamesWhateverTheirSpelling() throws Exception {
    String[] names = {"id", "DataSource", "thread", "held ms", "acquisition site", "flagged"};
    OpenType<?>[] types = {SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
        SimpleType.LONG, SimpleType.STRING, SimpleType.BOOLEAN};
    CompositeType row = new CompositeType("borrow", "an open borrow", names, names, types);
    TabularDataSupport table =
        new TabularDataSupport(new TabularType("borrows", "open borrows", row, new String[] {"id"}));
    table.put(new CompositeDataSupport(row, names,
        new Object[] {"7-1", "orders", "main", 1500L, "a.B.c(B.java:3)", true}));

    List<OpenBorrow> read = Inventory.fromTable(table);

    assertEquals(List.of(new OpenBorrow("7-1", "orders", "main", 1500, "a.B.c(B.java:3)", true)),
        read);
    assertFalse(Inventory.fromTable(null).iterator().hasNext());
    assertEquals(List.of(), Inventory.fromTable(Map.of()));
  }
}
