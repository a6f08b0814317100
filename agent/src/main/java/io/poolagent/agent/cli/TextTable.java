package io.poolagent.agent.cli;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by two spaces, for the commands' readable output. */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();

  /** A table whose first row is {@code header}; none for a table of name-value pairs. */
  TextTable(String... header) {
    if (header.length > 0) {
      rows.add(header);
    }
  }

  TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  /** The table, each line prefixed by {@code indent}, lines ended by '\n'; the last column unpadded. */
  String render(String indent) {
    int columns = 0;
    for (String[] row : rows) {
      columns = Math.max(columns, row.length);
    }
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
