package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's options table lists exactly the options the agent reads, with their real defaults. */
class DocumentedOptionsTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([^|]+) \\|");

  @Test
  void readmeOptionsTableMatchesTheCode() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("### 3. Options");
    int end = readme.indexOf("\n#", start + 1);
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : readme.substring(start, end).split("\n", -1)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        documented.put(m.group(1), m.group(2).trim().replace("`", ""));
      }
    }
    Map<String, String> inCode = new LinkedHashMap<>();
    for (AgentOptions.Key key : AgentOptions.Key.values()) {
      inCode.put(key.key(), key.defaultText());
    }
    assertEquals(inCode, documented,
        "README's '### 3. Options' table (key and default columns) must match AgentOptions.Key");
  }
}
