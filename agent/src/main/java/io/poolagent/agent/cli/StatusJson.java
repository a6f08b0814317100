package io.poolagent.agent.cli;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code status --json} for machines: one JSON object with {@code pid}, {@code jvm}, {@code options},
 * {@code attributes} (the MBean's, by name), {@code inventorySource} (the MBean operation the borrows
 * were read from) and {@code openConnections} (id, dataSource, thread, heldMillis, site, flagged).
 */
final class StatusJson {
  private StatusJson() {}

  static String render(AgentStatus status) {
    StringBuilder out = new StringBuilder("{");
    out.append("\"pid\":").append(status.pid());
    out.append(",\"jvm\":");
    string(out, status.jvm());
    out.append(",\"options\":");
    string(out, status.options());
    out.append(",\"attributes\":{");
    for (Iterator<Map.Entry<String, Object>> it = status.attributes().entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Object> a = it.next();
      string(out, a.getKey());
      out.append(':');
      value(out, a.getValue());
      if (it.hasNext()) {
        out.append(',');
      }
    }
    out.append("},\"inventorySource\":");
    string(out, status.inventory().source());
    out.append(",\"openConnections\":[");
    List<OpenBorrow> borrows = status.inventory().borrows();
    for (int i = 0; i < borrows.size(); i++) {
      OpenBorrow b = borrows.get(i);
      out.append(i == 0 ? "" : ",").append("{\"id\":");
      string(out, b.id());
      out.append(",\"dataSource\":");
      string(out, b.dataSource());
      out.append(",\"thread\":");
      string(out, b.thread());
      out.append(",\"heldMillis\":").append(b.heldMillis()).append(",\"site\":");
      string(out, b.site());
      out.append(",\"flagged\":").append(b.flagged()).append('}');
    }
    return out.append("]}\n").toString();
  }

  private static void value(StringBuilder out, Object value) {
    if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        string(out, String.valueOf(list.get(i)));
      }
      out.append(']');
    } else {
      string(out, String.valueOf(value));
    }
  }

  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
