package io.poolagent.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The one duration syntax of every pool-agent setting: a whole number with a unit, {@code 250ms},
 * {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of milliseconds.
 */
public final class DurationText {
  /** What the syntax allows, for error messages. */
  public static final String ALLOWED = "a duration such as 250ms, 30s, 5m, 1h or bare milliseconds";

  private DurationText() {}

  /**
   * Parses {@code text}.
   *
   * @param zeroAllowed whether 0 is a valid value (for settings where 0 means off)
   * @throws IllegalArgumentException naming what is allowed
   */
  public static Duration parse(String text, boolean zeroAllowed) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    int split = 0;
    while (split < t.length() && (Character.isDigit(t.charAt(split)) || (split == 0 && t.charAt(0) == '-'))) {
      split++;
    }
    String digits = t.substring(0, split);
    String unit = t.substring(split).trim();
    if (digits.isEmpty() || digits.equals("-")) {
      throw new IllegalArgumentException("expected " + ALLOWED);
    }
    long amount;
    try {
      amount = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the number is too large; expected " + ALLOWED);
    }
    if (amount < 0) {
      throw new IllegalArgumentException("must not be negative; expected " + ALLOWED);
    }
    Duration value;
    try {
      value = switch (unit) {
        case "", "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> throw new IllegalArgumentException(
            "unknown unit '" + unit + "'; expected " + ALLOWED);
      };
      long unused = value.toNanos(); // throws ArithmeticException past ~292 years
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the duration is too large; expected " + ALLOWED);
    }
    if (value.isZero() && !zeroAllowed) {
      throw new IllegalArgumentException("must be greater than zero; expected " + ALLOWED);
    }
    return value;
  }

  /** The shortest exact text for {@code d}, for example {@code 30s} or {@code 1500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms != 0 && ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
