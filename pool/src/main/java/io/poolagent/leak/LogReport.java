package io.poolagent.leak;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes findings to a {@link System.Logger} (named {@code poolagent} by default), so no logging
 * framework is forced on the application. Every line starts with {@code poolagent <event>:} to be
 * easy to grep.
 */
public final class LogReport implements LeakListener {
  private final String loggerName;
  private final boolean exitSummary;
  private volatile @Nullable Logger logger;

  /**
   * @param loggerName the System.Logger to write to; it is looked up on first use, so creating a
   *     report never initialises a logging framework (which some app servers forbid during start-up)
   * @param exitSummary whether to log the open-at-exit summary
   */
  public LogReport(String loggerName, boolean exitSummary) {
    this.loggerName = loggerName;
    this.exitSummary = exitSummary;
  }

  /** A report on the {@code poolagent} logger. */
  public static LogReport standard() {
    return new LogReport("poolagent", true);
  }

  /** A report on the {@code poolagent} logger that leaves the exit summary to its owner. */
  public static LogReport withoutExitSummary() {
    return new LogReport("poolagent", false);
  }

  private Logger logger() {
    Logger current = logger;
    if (current == null) {
      current = System.getLogger(loggerName);
      logger = current;
    }
    return current;
  }

  @Override
  public void onLeak(LeakEvent event) {
    if (logger().isLoggable(Level.WARNING)) {
      logger().log(Level.WARNING, LeakText.leak(event));
    }
  }

  @Override
  public void onReturned(LeakEvent event) {
    if (logger().isLoggable(Level.INFO)) {
      logger().log(Level.INFO, LeakText.returned(event));
    }
  }

  @Override
  public void onGcUnclosed(LeakEvent event) {
    if (logger().isLoggable(Level.WARNING)) {
      logger().log(Level.WARNING, LeakText.gcUnclosed(event));
    }
  }

  @Override
  public void onOpenAtExit(List<LeakEvent> open) {
    if (exitSummary && logger().isLoggable(Level.WARNING)) {
      logger().log(Level.WARNING, LeakText.openAtExit(open));
    }
  }
}
