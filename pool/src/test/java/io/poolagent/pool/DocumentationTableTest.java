package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration table in docs/pool.md matches the settings in the code, row by row. */
class DocumentationTableTest {

  /** The table as the code defines it; the doc must contain exactly these rows. */
  static String expectedTable() {
    StringBuilder out = new StringBuilder();
    out.append("| Environment variable | Builder method | Property key | Default | What it means |\n");
    out.append("|---|---|---|---|---|\n");
    for (Setting s : Setting.values()) {
      out.append("| `").append(s.envKey).append("` | `").append(s.builderMethod).append("` | `")
          .append(s.propertyKey).append("` | ").append(s.defaultText).append(" | ")
          .append(s.meaning).append(" |\n");
    }
    return out.toString();
  }

  @Test
  void docsTableMatchesTheCode() throws Exception {
    String expected = expectedTable();
    Path target = Path.of("target", "pool-config-table.md");
    Files.createDirectories(target.getParent());
    Files.writeString(target, expected);
    Path doc = Path.of("..", "docs", "pool.md");
    assertTrue(Files.exists(doc), "docs/pool.md is missing");
    String text = Files.readString(doc).replace("\r\n", "\n");
    assertTrue(text.contains(expected),
        "docs/pool.md's config table differs from the code; the expected table is in " + target
            + ":\n" + expected);
  }

  @Test
  void readmeTableMatchesTheCode() throws Exception {
    String text = Files.readString(Path.of("..", "README.md")).replace("\r\n", "\n");
    assertTrue(text.contains(expectedTable()),
        "README.md's pool config table differs from the code; expected:\n" + expectedTable());
  }

  @Test
  void everySettingHasABuilderMethodOfThatName() throws Exception {
    for (Setting s : Setting.values()) {
      boolean found = false;
      for (var m : PoolConfigBuilder.class.getMethods()) {
        found |= m.getName().equals(s.builderMethod);
      }
      assertTrue(found, "no builder method " + s.builderMethod);
    }
  }
}
