package io.poolagent.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleOptionsTest {
  @Test
  void defaultsToEmbeddedH2ForEightSeconds() {
    SampleOptions o = SampleOptions.parse(new String[0], Map.of());
    assertEquals(SampleOptions.H2_URL, o.jdbcUrl());
    assertEquals(Duration.ofSeconds(8), o.runFor());
    assertFalse(o.forever());
  }

  @Test
  void flagsWinOverPoolVariables() {
    SampleOptions o = SampleOptions.parse(
        new String[] {"--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test", "--run-for", "3s",
            "--forever", "--hold", "250ms"},
        Map.of("POOL_JDBC_URL", "jdbc:h2:mem:x", "POOL_USER", "postgres", "POOL_PASSWORD", "s3cret"));
    assertEquals("jdbc:postgresql://127.0.0.1:5432/test", o.jdbcUrl());
    assertEquals("postgres", o.user());
    assertEquals(Duration.ofSeconds(3), o.runFor());
    assertEquals(Duration.ofMillis(250), o.hold());
    assertTrue(o.forever());
    assertFalse(o.toString().contains("s3cret"), "the password stays out of toString");
  }

  @Test
  void badArgumentsAreNamedWithTheUsage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SampleOptions.parse(new String[] {"--run-for", "later", "--colour", "red"}, Map.of()));
    assertTrue(e.getMessage().contains("--run-for later"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown option --colour"), e.getMessage());
    assertTrue(e.getMessage().contains("usage:"), e.getMessage());
  }
}
