package io.poolagent.agent.jmx;

import io.poolagent.leak.LeakEvent;
import java.util.List;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/**
 * The open types in which JMX shows borrows: one row per open borrow for {@code openConnections()},
 * and the user data of every notification. Open types only, so any JMX client reads them without
 * our classes.
 */
final class BorrowData {
  private static final String[] ROW_ITEMS = {
      "id", "dataSource", "thread", "threadId", "heldMillis", "acquiredAt", "site", "flagged"};
  private static final String[] EVENT_ITEMS = {
      "event", "id", "dataSource", "thread", "threadId", "heldMillis", "thresholdMillis",
      "acquiredAt", "site", "stack"};

  static final CompositeType ROW;
  static final TabularType TABLE;
  static final CompositeType EVENT;

  static {
    try {
      ROW = new CompositeType("poolagent.OpenConnection", "one open borrow", ROW_ITEMS,
          new String[] {
              "connection id, <pid>-<n>, as in reports",
              "the DataSource's report name",
              "the acquiring thread's name (empty for a virtual thread)",
              "the acquiring thread's id",
              "how long the connection has been held, in milliseconds",
              "when it was taken (ISO-8601)",
              "the first frame of the acquisition stack",
              "true when held past the leak threshold"},
          new OpenType<?>[] {
              SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG,
              SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.BOOLEAN});
      TABLE = new TabularType("poolagent.OpenConnections", "every open borrow, oldest first", ROW,
          new String[] {"id"});
      EVENT = new CompositeType("poolagent.LeakEvent", "a leak finding", EVENT_ITEMS,
          new String[] {
              "leak, returned or gc-unclosed",
              "connection id, <pid>-<n>, as in reports",
              "the DataSource's report name",
              "the acquiring thread's name (empty for a virtual thread)",
              "the acquiring thread's id",
              "how long the connection had been held, in milliseconds",
              "the leak threshold in force, in milliseconds",
              "when it was taken (ISO-8601)",
              "the first frame of the acquisition stack",
              "the acquisition stack, first frame = the caller of getConnection"},
          new OpenType<?>[] {
              SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
              SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING,
              SimpleType.STRING, ArrayType.getArrayType(SimpleType.STRING)});
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private BorrowData() {}

  /** One row per open borrow; {@code flagged} is held past the threshold. */
  static TabularData table(List<LeakEvent> open) throws OpenDataException {
    TabularDataSupport table = new TabularDataSupport(TABLE);
    for (LeakEvent e : open) {
      boolean flagged = e.thresholdMillis() > 0 && e.heldMillis() >= e.thresholdMillis();
      table.put(new CompositeDataSupport(ROW, ROW_ITEMS, new Object[] {
          e.connectionId(), e.dataSource(), e.thread(), e.threadId(), e.heldMillis(),
          e.acquiredAt().toString(), e.site(), flagged}));
    }
    return table;
  }

  /** The user data of a notification about {@code e}. */
  static CompositeData event(LeakEvent e) throws OpenDataException {
    return new CompositeDataSupport(EVENT, EVENT_ITEMS, new Object[] {
        e.kind().wireName(), e.connectionId(), e.dataSource(), e.thread(), e.threadId(),
        e.heldMillis(), e.thresholdMillis(), e.acquiredAt().toString(), e.site(),
        e.stack().toArray(new String[0])});
  }
}
