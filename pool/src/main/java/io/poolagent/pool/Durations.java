package io.poolagent.pool;

import java.time.Duration;

/** Parses and prints the duration syntax of the configuration: 250ms, 30s, 5m, 1h, or 0. */
final class Durations {
  private Durations() {}

  /** The duration, or null when {@code text} is not in the syntax. */
  static Duration parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    int unitStart = 0;
    if (t.startsWith("-")) {
      unitStart = 1;
    }
    while (unitStart < t.length() && Character.isDigit(t.charAt(unitStart))) {
      unitStart++;
    }
    String digits = t.substring(0, unitStart);
    String unit = t.substring(unitStart).trim();
    if (digits.isEmpty() || digits.equals("-") || digits.length() > 15) {
      return null;
    }
    long n = Long.parseLong(digits);
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return null;
    }
  }

  /** Short text in the same syntax: 1h, 5m, 30s, 250ms. */
  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /** Whole seconds, rounded up, at least 1: for JDBC APIs that take seconds. */
  static int ceilSeconds(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
  }
}
