package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generated table of invalid values for every {@link AgentOptions.Key} (a new key is covered
 * automatically), given as agent argument, system property and environment variable: each gives
 * exactly one line starting {@code poolagent: } naming the key, and the option keeps its default.
 */
class AgentOptionsBadInputTest {
  private static final AgentOptions DEFAULTS = AgentOptions.parse(null, Map.of(), Map.of());

  /** Bad values: empty, negative, huge, wrong unit, wrong type, by what the key holds. */
  static List<String> badValues(AgentOptions.Key key) {
    return switch (key) {
      case LEAK_THRESHOLD, SCAN_INTERVAL ->
          List.of("", "-1s", "99999999999999999999d", "5 parsecs", "10 hours", "soon", "true");
      case REPORT -> List.of("", "   ");
      default -> List.of("", "yes", "1", "-1", "30s", "treu");
    };
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (AgentOptions.Key k : AgentOptions.Key.values()) {
      for (String v : badValues(k)) {
        rows.add(Arguments.of(k, v));
      }
    }
    return rows.stream();
  }

  @Test
  void everyKeyHasRowsInTheTable() {
    for (AgentOptions.Key k : AgentOptions.Key.values()) {
      assertFalse(badValues(k).isEmpty(), k.key());
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("table")
  void eachBadValueGivesOneLineAndTheDefault(AgentOptions.Key key, String value) {
    check(key, value, AgentOptions.parse(key.key() + "=" + value, Map.of(), Map.of()), "argument");
    check(key, value, AgentOptions.parse(null, Map.of(key.property(), value), Map.of()), "property");
    check(key, value, AgentOptions.parse(null, Map.of(), Map.of(key.environment(), value)), "env");
  }

  @Test
  void anUnknownKeyGivesOneLineNamingTheKnownOnes() {
    AgentOptions o = AgentOptions.parse("leakThreshhold=5s", Map.of(), Map.of());
    assertEquals(1, o.problems().size(), o.problems().toString());
    String line = o.problems().get(0);
    assertTrue(line.startsWith("poolagent: ") && line.contains("leakThreshhold"), line);
    for (AgentOptions.Key k : AgentOptions.Key.values()) {
      assertTrue(line.contains(k.key()), "names the known option " + k.key() + ": " + line);
    }
    assertSameValues(o, "unknown key");
  }

  private static void check(AgentOptions.Key key, String value, AgentOptions o, String source) {
    String what = source + " " + key.key() + "=" + value;
    assertEquals(1, o.problems().size(), what + ": " + o.problems());
    String line = o.problems().get(0);
    assertTrue(line.startsWith("poolagent: "), what + ": " + line);
    assertFalse(line.contains("\n") || line.contains("\r"), what + ": one line: " + line);
    assertTrue(line.contains(key.key()) || line.contains(key.property())
        || line.contains(key.environment()), what + ": names the option: " + line);
    assertSameValues(o, what);
  }

  private static void assertSameValues(AgentOptions o, String what) {
    assertEquals(DEFAULTS.leakThreshold(), o.leakThreshold(), what);
    assertEquals(DEFAULTS.scanInterval(), o.scanInterval(), what);
    assertEquals(DEFAULTS.stackTrace(), o.stackTrace(), what);
    assertEquals(DEFAULTS.report(), o.report(), what);
    assertEquals(DEFAULTS.jmx(), o.jmx(), what);
    assertEquals(DEFAULTS.metrics(), o.metrics(), what);
    assertEquals(DEFAULTS.holdEvents(), o.holdEvents(), what);
  }
}
