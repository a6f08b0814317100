package io.poolagent.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes a flat map of figures as one JSON object (numbers and strings only). */
final class JsonOut {
  private JsonOut() {}

  static void write(Path file, Map<String, Object> figures) throws IOException {
    StringBuilder out = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, Object> e : figures.entrySet()) {
      out.append("  \"").append(e.getKey()).append("\": ");
      Object v = e.getValue();
      if (v instanceof Double d) {
        out.append(String.format(Locale.ROOT, "%.6f", d));
      } else if (v instanceof Number) {
        out.append(v);
      } else {
        out.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
      out.append(++i < figures.size() ? ",\n" : "\n");
    }
    out.append("}\n");
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, out.toString());
    System.out.print(out);
  }
}
