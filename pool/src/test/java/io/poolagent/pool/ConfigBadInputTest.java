package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A generated table of invalid values for every {@link Setting} (so a new setting is covered
 * automatically), tried through properties and the environment: the pool fails fast, naming the
 * key of each problem, and lists every problem at once.
 */
class ConfigBadInputTest {
  private static final String URL = "jdbc:postgresql://localhost:5432/app";
  /** Settings that take any text, so no value of theirs is invalid on its own. */
  private static final Set<Setting> FREE_TEXT =
      EnumSet.of(Setting.USER, Setting.PASSWORD, Setting.VALIDATION_QUERY);

  /**
   * Bad values: empty, negative, huge, wrong unit, wrong type. (A bare number is a valid duration in
   * milliseconds, and an empty name means the default name.)
   */
  static List<String> badValues(Setting s) {
    return switch (s) {
      case JDBC_URL -> List.of("", "postgresql://h/db", "jdbc:postgresql://h:99999/db", "jdbc:");
      case DATABASE_URL -> List.of("", "mysql://u:p@h/db", "postgresql://h:0/db", "not a url");
      case NAME -> List.of("has space", "x".repeat(65), "semi;colon");
      case MIN_SIZE, MAX_SIZE, RETRY_ATTEMPTS, MAX_QUERIES ->
          List.of("", "-1", "99999999999999999999", "10s", "ten", "1.5");
      case USER, PASSWORD, VALIDATION_QUERY -> List.of();
      default -> List.of("", "-1s", "9999999999999999999d", "5 parsecs", "10 hours", "soon");
    };
  }

  static Stream<Arguments> table() {
    List<Arguments> rows = new ArrayList<>();
    for (Setting s : Setting.values()) {
      for (String v : badValues(s)) {
        rows.add(Arguments.of(s, v));
      }
    }
    return rows.stream();
  }

  @Test
  void everySettingThatCanBeWrongHasRowsInTheTable() {
    for (Setting s : Setting.values()) {
      assertEquals(FREE_TEXT.contains(s), badValues(s).isEmpty(), s + ": rows in the bad-input table");
    }
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("table")
  void eachBadValueFailsFastNamingItsKey(Setting s, String value) {
    Properties p = new Properties();
    if (s != Setting.JDBC_URL && s != Setting.DATABASE_URL) {
      p.setProperty(Setting.JDBC_URL.propertyKey, URL);
    }
    p.setProperty(s.propertyKey, value);
    PoolConfigException e = assertThrows(PoolConfigException.class, () -> PoolConfig.fromProperties(p),
        s.propertyKey + "=" + value);
    assertTrue(e.problems().stream().anyMatch(x -> x.contains(s.propertyKey)),
        s.propertyKey + "=" + value + ": named in " + e.problems());

    Map<String, String> env = new LinkedHashMap<>();
    if (s != Setting.JDBC_URL && s != Setting.DATABASE_URL) {
      env.put(Setting.JDBC_URL.envKey, URL);
    }
    env.put(s.envKey, value);
    PoolConfigException fromEnv = assertThrows(PoolConfigException.class,
        () -> PoolConfig.fromEnvironment(env), s.envKey + "=" + value);
    assertTrue(fromEnv.problems().stream().anyMatch(x -> x.contains(s.envKey)),
        s.envKey + "=" + value + ": named in " + fromEnv.problems());
    for (String problem : fromEnv.problems()) {
      assertFalse(problem.contains("\n"), "one line per problem: " + problem);
    }
  }

  @Test
  void everyProblemIsListedAtOnceIncludingAnUnknownKey() {
    Properties p = new Properties();
    p.setProperty(Setting.JDBC_URL.propertyKey, URL);
    int expected = 0;
    for (Setting s : Setting.values()) {
      if (s != Setting.JDBC_URL && s != Setting.DATABASE_URL && !FREE_TEXT.contains(s)) {
        p.setProperty(s.propertyKey, s == Setting.NAME ? "no spaces allowed" : "-1x");
        expected++;
      }
    }
    p.setProperty("pool.maxSizee", "4");
    expected++;
    PoolConfigException e = assertThrows(PoolConfigException.class, () -> PoolConfig.fromProperties(p));
    for (Setting s : Setting.values()) {
      if (p.containsKey(s.propertyKey) && s != Setting.JDBC_URL) {
        assertTrue(e.getMessage().contains(s.propertyKey), s.propertyKey + " listed in " + e.getMessage());
      }
    }
    assertTrue(e.getMessage().contains("pool.maxSizee"), e.getMessage());
    assertTrue(e.problems().size() >= expected, expected + " problems at least: " + e.problems());
  }
}
