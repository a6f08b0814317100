package io.poolagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScanIntervalTest {
  @Test
  void aTenthOfTheThresholdWithinTenMillisecondsAndOneSecond() {
    assertEquals(Duration.ofMillis(200), ScanInterval.forThreshold(Duration.ofSeconds(2)));
    assertEquals(Duration.ofNanos(100_500_000), ScanInterval.forThreshold(Duration.ofMillis(1005)));
    assertEquals(Duration.ofMillis(10), ScanInterval.forThreshold(Duration.ofMillis(50)));
    assertEquals(Duration.ofSeconds(1), ScanInterval.forThreshold(Duration.ofSeconds(30)));
  }

  @Test
  void zeroAndCenturiesGetTheLongestDefault() {
    assertEquals(Duration.ofSeconds(1), ScanInterval.forThreshold(Duration.ZERO));
    assertEquals(Duration.ofSeconds(1), ScanInterval.forThreshold(Duration.ofSeconds(Long.MAX_VALUE)));
  }
}
