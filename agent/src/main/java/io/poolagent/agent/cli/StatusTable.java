package io.poolagent.agent.cli;

import java.util.List;
import java.util.Map;

/** {@code status} as text for people: the counters, then one row per open connection. */
final class StatusTable {
  private StatusTable() {}

  static String render(AgentStatus status) {
    StringBuilder out = new StringBuilder();
    out.append("pool-agent in JVM ").append(status.pid())
        .append(status.jvm().isEmpty() ? "" : " (" + status.jvm() + ")").append('\n');
    out.append("options (as of the last attach or start): ").append(status.options()).append('\n');
    TextTable counters = new TextTable();
    for (Map.Entry<String, Object> a : status.attributes().entrySet()) {
      counters.row(a.getKey(), value(a.getValue()));
    }
    out.append(counters.render("  "));
    List<OpenBorrow> borrows = status.inventory().borrows();
    long flagged = borrows.stream().filter(OpenBorrow::flagged).count();
    out.append('\n').append(borrows.size()).append(" open connection")
        .append(borrows.size() == 1 ? "" : "s").append(", ").append(flagged)
        .append(" past the threshold, longest held first:").append('\n');
    if (borrows.isEmpty()) {
      return out.toString();
    }
    TextTable rows = new TextTable("ID", "DATASOURCE", "THREAD", "HELD", "LEAK", "ACQUIRED AT");
    for (OpenBorrow b : borrows) {
      rows.row(b.id(), b.dataSource(), b.thread(), b.heldMillis() + " ms", b.flagged() ? "yes" : "",
          b.site().isEmpty() ? "unknown" : b.site());
    }
    return out.append(rows.render("  ")).toString();
  }

  /** Lists (the instrumented types) show their size here; --json has them in full. */
  private static String value(Object value) {
    if (value instanceof List<?> list) {
      return list.size() + " (see --json)";
    }
    return String.valueOf(value);
  }
}
