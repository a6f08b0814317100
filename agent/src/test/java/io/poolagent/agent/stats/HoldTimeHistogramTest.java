package io.poolagent.agent.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HoldTimeHistogramTest {
  @Test
  void everyValueFallsIntoABucketWhoseUpperEdgeIsWithinAnEighthAboveIt() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      long value = (random.nextLong() >>> 1) >>> random.nextInt(63);
      int index = HoldTimeHistogram.index(value);
      long upper = HoldTimeHistogram.upperEdge(index);
      assertTrue(upper >= value, value + " <= " + upper);
      assertTrue(index == 0 || HoldTimeHistogram.upperEdge(index - 1) < value, "lowest bucket");
      assertTrue(upper - value <= value / 8 + 1, value + " vs " + upper);
    }
    assertEquals(Long.MAX_VALUE, HoldTimeHistogram.upperEdge(HoldTimeHistogram.index(Long.MAX_VALUE)));
  }

  @Test
  void percentilesMeanAndMax() {
    HoldTimeHistogram h = new HoldTimeHistogram();
    assertEquals(0, h.percentileNanos(0.99));
    assertEquals(0, h.meanNanos());
    for (int i = 1; i <= 100; i++) {
      h.record(i * 1_000_000L);
    }
    h.record(-5);
    assertEquals(101, h.count());
    assertEquals(100_000_000L, h.maxNanos());
    assertEquals(5050 * 1_000_000.0 / 101, h.meanNanos(), 1);
    long p50 = h.percentileNanos(0.5);
    assertTrue(p50 >= 50_000_000L && p50 <= 50_000_000L * 9 / 8, "p50 " + p50);
    long p99 = h.percentileNanos(0.99);
    assertTrue(p99 >= 99_000_000L && p99 <= 100_000_000L, "p99 " + p99);
    assertEquals(100_000_000L, h.percentileNanos(1.0), "never above the max");
    assertEquals(0, h.percentileNanos(0), "the zero recorded for a negative hold");
  }

  @Test
  void weightsMakeOnlyTheEstimatedTotal() {
    HoldTimeHistogram h = new HoldTimeHistogram();
    h.record(1_000, 3);
    h.record(9_000, 1);
    h.record(2_000, 0);
    assertEquals(3, h.count(), "the recorded holds, not the closes they stand for");
    assertEquals(12_000, h.totalNanos());
    assertEquals(4_000.0, h.meanNanos(), 0.001);
    assertEquals(1_000 * 3 + 9_000 + 2_000, h.estimatedTotalNanos(), "a weight below 1 counts as 1");
    assertEquals(9_000, h.maxNanos());
    long p50 = h.percentileNanos(0.5);
    assertTrue(p50 >= 2_000 && p50 <= 2_000 * 9 / 8, "the middle recorded hold, unweighted: " + p50);
  }
}
