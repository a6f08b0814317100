package io.poolagent.agent.stats;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongBinaryOperator;

/**
 * Hold times of one DataSource since start, in log-linear buckets of striped counters: eight
 * buckets per power of two, so a percentile read back is at most 12.5% above the true value.
 * Recording is one {@link LongAdder} increment for the bucket and two adds for the totals, plus a
 * max that writes only when it grows: no lock and no shared cache line between threads that record
 * at the same time.
 *
 * <p>When hold times are sampled, each recorded hold also carries a weight, the number of closes it
 * stands for (see {@code Borrow.holdWeight()}; 1 when every hold is timed). Count, mean, max and
 * percentiles describe the recorded holds themselves, which are a random sample of all holds; only
 * {@link #estimatedTotalNanos()} uses the weights, for a total over all closes that never decreases.
 */
public final class HoldTimeHistogram {
  private static final int SUB_BITS = 3;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;
  /** Enough buckets for any non-negative long. */
  private static final int BUCKETS = (64 - SUB_BITS) * SUB_BUCKETS;

  private final LongAdder[] buckets = new LongAdder[BUCKETS];
  private final LongAdder totalNanos = new LongAdder();
  private final LongAdder weightedTotalNanos = new LongAdder();
  private final LongAccumulator maxNanos = new LongAccumulator(new Max(), 0);

  public HoldTimeHistogram() {
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] = new LongAdder();
    }
  }

  /** Records one hold of {@code nanos} that stands for itself alone (negative values count as 0). */
  public void record(long nanos) {
    record(nanos, 1);
  }

  /**
   * Records one hold of {@code nanos} (negative values count as zero) that stands for
   * {@code weight} closes, itself and untimed ones (a weight below 1 counts as 1).
   */
  public void record(long nanos, int weight) {
    long value = Math.max(0, nanos);
    buckets[index(value)].increment();
    totalNanos.add(value);
    weightedTotalNanos.add(value * Math.max(1, weight));
    maxNanos.accumulate(value);
  }

  /** The holds recorded. */
  public long count() {
    long n = 0;
    for (LongAdder bucket : buckets) {
      n += bucket.sum();
    }
    return n;
  }

  /** The sum of the recorded holds. */
  public long totalNanos() {
    return totalNanos.sum();
  }

  /**
   * The sum of each recorded hold times its weight: an estimate of the hold time of all closes,
   * timed or not (exact when every hold is timed). It only grows.
   */
  public long estimatedTotalNanos() {
    return weightedTotalNanos.sum();
  }

  public long maxNanos() {
    return maxNanos.get();
  }

  /** The mean of the recorded holds in nanoseconds; 0 before the first record. */
  public double meanNanos() {
    long n = count();
    return n == 0 ? 0 : (double) totalNanos.sum() / n;
  }

  /**
   * The hold time at or below which {@code quantile} (0..1) of the recorded holds fall, as the upper
   * edge of its bucket (never above the max seen); 0 before the first record.
   */
  public long percentileNanos(double quantile) {
    long[] counts = new long[BUCKETS];
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] = buckets[i].sum();
      n += counts[i];
    }
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(Math.min(1, Math.max(0, quantile)) * n));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(upperEdge(i), maxNanos.get());
      }
    }
    return maxNanos.get();
  }

  static int index(long value) {
    if (value < SUB_BUCKETS) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    int shift = exponent - SUB_BITS;
    return (shift + 1) * SUB_BUCKETS + (int) ((value >>> shift) & (SUB_BUCKETS - 1));
  }

  /** The largest value that falls into bucket {@code index}. */
  static long upperEdge(int index) {
    if (index < SUB_BUCKETS) {
      return index;
    }
    int block = index >>> SUB_BITS;
    long sub = index & (SUB_BUCKETS - 1);
    long width = 1L << (block - 1);
    long lower = (SUB_BUCKETS + sub) << (block - 1);
    return lower + width - 1 < 0 ? Long.MAX_VALUE : lower + width - 1;
  }

  /** Not {@code Math::max}: the first DataSource's histogram is made while the application starts. */
  private static final class Max implements LongBinaryOperator {
    @Override
    public long applyAsLong(long left, long right) {
      return Math.max(left, right);
    }
  }
}
