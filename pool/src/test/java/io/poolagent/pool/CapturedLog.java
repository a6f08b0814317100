package io.poolagent.pool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the pool logs through System.Logger (backed by java.util.logging in tests) on the
 * "poolagent" and "poolagent.pool" loggers.
 */
final class CapturedLog extends Handler implements AutoCloseable {
  private static final String[] NAMES = {"poolagent", "poolagent.pool"};
  // Strong references: java.util.logging holds loggers weakly.
  private final Logger[] loggers = new Logger[NAMES.length];
  final List<LogRecord> records = new CopyOnWriteArrayList<>();

  CapturedLog() {
    setLevel(Level.ALL);
    for (int i = 0; i < NAMES.length; i++) {
      loggers[i] = Logger.getLogger(NAMES[i]);
      loggers[i].addHandler(this);
    }
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  /** Every captured message, formatted. */
  String text() {
    StringBuilder out = new StringBuilder();
    for (LogRecord r : records) {
      out.append(r.getLevel()).append(' ').append(r.getMessage()).append('\n');
    }
    return out.toString();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    for (Logger l : loggers) {
      l.removeHandler(this);
    }
  }
}
