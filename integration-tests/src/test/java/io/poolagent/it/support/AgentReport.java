package io.poolagent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads the agent's JSON Lines report the way another tool would. */
public final class AgentReport {
  private final Path path;

  public AgentReport(Path path) {
    this.path = path;
  }

  /** The report that the with-agent Failsafe run writes to (set in integration-tests/pom.xml). */
  public static AgentReport ofThisJvm() {
    String file = System.getProperty("poolagent.it.report");
    if (file == null) {
      throw new IllegalStateException("poolagent.it.report is not set: run this test through the"
          + " with-agent Failsafe execution (mvn verify)");
    }
    return new AgentReport(Path.of(file));
  }

  public List<Map<String, Object>> events() {
    if (!Files.exists(path)) {
      return List.of();
    }
    try {
      List<Map<String, Object>> out = new ArrayList<>();
      byte[] bytes = Files.readAllBytes(path);
      // The agent may be writing a line right now: only lines that end in a newline are complete.
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--;
      }
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      for (String line : text.split("\n", -1)) {
        if (!line.isBlank()) {
          out.add(JsonLine.parseObject(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  public List<Map<String, Object>> events(Predicate<Map<String, Object>> filter) {
    return events().stream().filter(filter).toList();
  }

  /** Polls until at least {@code count} events match, or the timeout passes; returns the matches. */
  public List<Map<String, Object>> await(Predicate<Map<String, Object>> filter, int count,
      Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> found = events(filter);
    while (found.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(25);
      found = events(filter);
    }
    return found;
  }

  public static Predicate<Map<String, Object>> event(String kind) {
    return e -> kind.equals(e.get("event"));
  }

  public static Predicate<Map<String, Object>> fromSource(String dataSource) {
    return e -> dataSource.equals(e.get("dataSource"));
  }

  /** Events whose acquisition site is in the given class and method. */
  public static Predicate<Map<String, Object>> acquiredIn(Class<?> type, String method) {
    String prefix = type.getName() + "." + method + "(";
    return e -> String.valueOf(e.get("site")).startsWith(prefix);
  }

  @SuppressWarnings("unchecked")
  public static List<String> stack(Map<String, Object> event) {
    return (List<String>) event.get("stack");
  }
}
