package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
  @ParameterizedTest
  @CsvSource({"250ms,250", "30s,30000", "5m,300000", "1h,3600000", "1500,1500", " 2S ,2000", "0,0"})
  void parsesEveryUnit(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), DurationText.parse(text, true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "abc", "-5s", "10x", "1.5s", "s", "99999999999999999999", "9999999999999h"})
  void rejectsWithTheAllowedSyntax(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text, true));
    assertTrue(e.getMessage().contains("250ms, 30s, 5m"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0ms", "0s"})
  void zeroOnlyWhereAllowed(String text) {
    assertThrows(IllegalArgumentException.class, () -> DurationText.parse(text, false));
  }

  @ParameterizedTest
  @CsvSource({"30000,30s", "1500,1500ms", "300000,5m", "0,0ms", "7200000,2h"})
  void formatsShortest(long millis, String text) {
    assertEquals(text, DurationText.format(Duration.ofMillis(millis)));
  }
}
