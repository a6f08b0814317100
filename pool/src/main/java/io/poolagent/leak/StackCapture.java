package io.poolagent.leak;

import java.util.Locale;

/** How much of a borrow's acquisition stack the tracker records. */
public enum StackCapture {
  /** Nothing: reports carry no stack and no site. */
  OFF,
  /** A bare {@link Throwable} per borrow: the borrow's own full stack. */
  FULL,
  /**
   * One full stack per acquisition site (the call of the outermost getConnection), captured on the
   * site's first borrow and shared by every later borrow from it. The site comes from a call-site id
   * when the agent marked the calling code (see {@link LeakTracker#track(Object, Object, String,
   * int)}), otherwise from a walk of the first few frames. Reports name the right site for every
   * borrow; the frames below it are those of the site's first borrow.
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
