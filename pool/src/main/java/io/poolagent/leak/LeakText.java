package io.poolagent.leak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The human-readable text of each finding; one place, so logs, dumps and JMX read alike. */
public final class LeakText {
  private LeakText() {}

  public static String leak(LeakEvent e) {
    return "poolagent leak: connection " + e.connectionId() + " from " + e.dataSource()
        + " held " + e.heldMillis() + " ms by " + thread(e)
        + " (threshold " + e.thresholdMillis() + " ms), acquired at:" + frames(e.stack());
  }

  public static String returned(LeakEvent e) {
    return "poolagent returned: connection " + e.connectionId() + " from " + e.dataSource()
        + " returned after " + e.heldMillis() + " ms (threshold " + e.thresholdMillis()
        + " ms), taken by " + thread(e) + " at " + e.site();
  }

  public static String gcUnclosed(LeakEvent e) {
    return "poolagent gc-unclosed: connection " + e.connectionId() + " from " + e.dataSource()
        + " was garbage collected without close() after " + e.heldMillis() + " ms, taken by "
        + thread(e) + ", acquired at:" + frames(e.stack());
  }

  /** One summary of the borrows still open, grouped by acquisition site with counts. */
  public static String openAtExit(List<LeakEvent> open) {
    StringBuilder out = new StringBuilder("poolagent open-at-exit: ")
        .append(open.size()).append(open.size() == 1 ? " connection" : " connections")
        .append(" still open at exit");
    for (Map.Entry<String, List<LeakEvent>> group : bySite(open).entrySet()) {
      LeakEvent first = group.getValue().get(0);
      out.append(System.lineSeparator()).append("  ").append(group.getValue().size())
          .append(" x ").append(group.getKey()).append(" [").append(first.dataSource()).append(']');
    }
    return out.toString();
  }

  private static String thread(LeakEvent e) {
    return e.thread().isEmpty()
        ? "virtual thread #" + e.threadId()
        : "thread \"" + e.thread() + "\" #" + e.threadId();
  }

  private static String frames(List<String> stack) {
    if (stack.isEmpty()) {
      return " (stack capture is off: set stackTrace=true to see where)";
    }
    StringBuilder out = new StringBuilder();
    for (String frame : stack) {
      out.append(System.lineSeparator()).append("\tat ").append(frame);
    }
    return out.toString();
  }

  /** Groups events by acquisition site, largest group first, first-seen order on ties. */
  public static Map<String, List<LeakEvent>> bySite(List<LeakEvent> events) {
    Map<String, List<LeakEvent>> groups = new LinkedHashMap<>();
    for (LeakEvent event : events) {
      groups.computeIfAbsent(event.site(), k -> new ArrayList<>()).add(event);
    }
    List<Map.Entry<String, List<LeakEvent>>> entries = new ArrayList<>(groups.entrySet());
    entries.sort((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()));
    Map<String, List<LeakEvent>> sorted = new LinkedHashMap<>();
    for (Map.Entry<String, List<LeakEvent>> entry : entries) {
      sorted.put(entry.getKey(), entry.getValue());
    }
    return sorted;
  }
}
