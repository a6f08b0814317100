package io.poolagent.leak;

import java.util.Locale;

/** How much of a borrow's acquisition stack the tracker records. */
public enum StackCapture {
  /** Nothing: reports carry no stack and no site. */
  OFF,
  /** A bare {@link Throwable} per borrow: the borrow's own full stack. */
  FULL,
  /**
   * The acquisition site (the caller of the outermost getConnection) found per borrow by walking a
   * few frames; a full stack is captured once per site and shared by every borrow from it. Reports
   * name the right site for every borrow; the frames below it are those of the site's first borrow.
   */
  SAMPLED;

  /** Parses {@code true} (FULL), {@code false} (OFF) or {@code sampled}, ignoring case. */
  public static StackCapture parse(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> FULL;
      case "false" -> OFF;
      case "sampled" -> SAMPLED;
      default -> throw new IllegalArgumentException("expected true, false or sampled");
    };
  }

  /** The option's text form: {@code true}, {@code false} or {@code sampled}. */
  public String text() {
    return this == FULL ? "true" : this == OFF ? "false" : "sampled";
  }
}
