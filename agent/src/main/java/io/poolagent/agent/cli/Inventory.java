package io.poolagent.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.jspecify.annotations.Nullable;

/**
 * The open borrows of a target JVM, read from its {@code poolagent:type=LeakDetector} MBean: from the
 * {@code openConnections()} operation (tabular open data) when the bean has it, else parsed from the
 * text of {@code dump()}, which every version of the agent has.
 */
final class Inventory {
  static final String TABLE_OPERATION = "openConnections";
  static final String DUMP_OPERATION = "dump";

  /** The borrows, longest held first, and the operation they were read from. */
  record Result(String source, List<OpenBorrow> borrows) {}

  // "    connection 123-4 from orders-hikari, held 2180 ms by main #1 [LEAK]"
  private static final Pattern DUMP_BORROW = Pattern.compile(
      "^\\s+connection (\\S+) from (.*), held (\\d+) ms by (.*?)( \\[LEAK])?$");
  // "1 x io.poolagent.sample.OrderRepository.totalFor(OrderRepository.java:57)"
  private static final Pattern DUMP_SITE = Pattern.compile("^(\\d+) x (.*)$");

  private Inventory() {}

  static Result read(MBeanServerConnection server, ObjectName name, MBeanInfo info)
      throws JMException, IOException {
    List<OpenBorrow> borrows;
    String source;
    if (hasOperation(info, TABLE_OPERATION)) {
      source = TABLE_OPERATION + "()";
      borrows = fromTable(server.invoke(name, TABLE_OPERATION, new Object[0], new String[0]));
    } else {
      source = DUMP_OPERATION + "()";
      borrows = fromDump(String.valueOf(
          server.invoke(name, DUMP_OPERATION, new Object[0], new String[0])));
    }
    List<OpenBorrow> sorted = new ArrayList<>(borrows);
    sorted.sort(Comparator.comparingLong(OpenBorrow::heldMillis).reversed());
    return new Result(source, List.copyOf(sorted));
  }

  private static boolean hasOperation(MBeanInfo info, String operation) {
    for (MBeanOperationInfo op : info.getOperations()) {
      if (op.getName().equals(operation) && op.getSignature().length == 0) {
        return true;
      }
    }
    return false;
  }

  /** Rows of a TabularData (or an array of CompositeData), items found by name. */
  static List<OpenBorrow> fromTable(@Nullable Object result) {
    Collection<?> rows;
    if (result instanceof TabularData table) {
      rows = table.values();
    } else if (result instanceof CompositeData[] array) {
      rows = List.of(array);
    } else {
      return List.of();
    }
    List<OpenBorrow> out = new ArrayList<>();
    for (Object row : rows) {
      if (row instanceof CompositeData data) {
        out.add(new OpenBorrow(
            text(data, "id", "connectionId"),
            text(data, "dataSource", "source", "pool"),
            thread(text(data, "thread", "threadName"), text(data, "threadId")),
            number(data, "heldMs", "heldMillis", "held"),
            text(data, "acquisitionSite", "site"),
            Boolean.parseBoolean(text(data, "flagged", "leak", "leaked"))));
      }
    }
    return out;
  }

  /** The borrow lines of {@code dump()}; each takes the site of the group above it. */
  static List<OpenBorrow> fromDump(String dump) {
    List<OpenBorrow> out = new ArrayList<>();
    String site = "";
    for (String line : dump.lines().toList()) {
      Matcher borrow = DUMP_BORROW.matcher(line);
      if (borrow.matches()) {
        out.add(new OpenBorrow(borrow.group(1), borrow.group(2), borrow.group(4),
            Long.parseLong(borrow.group(3)), site, borrow.group(5) != null));
        continue;
      }
      Matcher group = DUMP_SITE.matcher(line);
      if (group.matches()) {
        site = group.group(2);
      }
    }
    return out;
  }

  /** The thread as dump() shows it: name and id, "virtual thread" for a nameless one. */
  private static String thread(String name, String id) {
    String shown = name.isEmpty() ? "virtual thread" : name;
    return id.isEmpty() ? shown : shown + " #" + id;
  }

  /** The item whose name matches one of {@code names}, ignoring case, spaces and punctuation. */
  private static String text(CompositeData data, String... names) {
    for (String wanted : names) {
      for (String key : data.getCompositeType().keySet()) {
        if (normal(key).equals(normal(wanted))) {
          return String.valueOf(data.get(key));
        }
      }
    }
    return "";
  }

  private static long number(CompositeData data, String... names) {
    String value = text(data, names);
    try {
      return value.isEmpty() ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String normal(String name) {
    return name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
  }
}
