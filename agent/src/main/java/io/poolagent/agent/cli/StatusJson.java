package io.poolagent.agent.cli;

import io.poolagent.leak.JsonText;
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
    JsonText.appendString(out, status.jvm());
    out.append(",\"options\":");
    JsonText.appendString(out, status.options());
    out.append(",\"attributes\":{");
    for (Iterator<Map.Entry<String, Object>> it = status.attributes().entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Object> a = it.next();
      JsonText.appendString(out, a.getKey());
      out.append(':');
      value(out, a.getValue());
      if (it.hasNext()) {
        out.append(',');
      }
    }
    out.append("},\"inventorySource\":");
    JsonText.appendString(out, status.inventory().source());
    out.append(",\"openConnections\":[");
    List<OpenBorrow> borrows = status.inventory().borrows();
    for (int i = 0; i < borrows.size(); i++) {
      OpenBorrow b = borrows.get(i);
      out.append(i == 0 ? "" : ",").append("{\"id\":");
      JsonText.appendString(out, b.id());
      out.append(",\"dataSource\":");
      JsonText.appendString(out, b.dataSource());
      out.append(",\"thread\":");
      JsonText.appendString(out, b.thread());
      out.append(",\"heldMillis\":").append(b.heldMillis()).append(",\"site\":");
      JsonText.appendString(out, b.site());
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
        JsonText.appendString(out, String.valueOf(list.get(i)));
      }
      out.append(']');
    } else {
      JsonText.appendString(out, String.valueOf(value));
    }
  }
}
