package io.poolagent.bench.process;

import java.util.Arrays;

/** Percentiles of a set of samples (nearest rank), and the JSON of a few named figures. */
final class Percentiles {
  private Percentiles() {}

  /** The {@code p}th percentile (0..100) of {@code samples}, nearest rank; sorts the array. */
  static long of(long[] samples, double p) {
    Arrays.sort(samples);
    int rank = (int) Math.ceil(p / 100.0 * samples.length);
    return samples[Math.max(0, Math.min(samples.length - 1, rank - 1))];
  }

  static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
