package io.poolagent.agent.jmx;

/**
 * {@code poolagent:type=LeakDetector}: the agent's status, readable by JConsole or any JMX client
 * without our classes (open types only).
 */
public interface LeakDetectorMXBean {
  /** Borrows open now. */
  int getOpenConnections();

  /** Borrows open now and held past the threshold. */
  int getLeakedConnections();

  /** Borrows flagged as leaks since start. */
  long getLeaksDetected();

  /** Borrowed connections that were garbage collected without close(). */
  long getGcUnclosed();

  long getAcquired();

  long getReleased();

  /** Errors the agent suppressed so the application was not disturbed. */
  long getInternalErrors();

  /** Classes the agent could not instrument (each left as it was). */
  long getInstrumentationErrors();

  long getLeakThresholdMillis();

  /** Changes the threshold; applies to borrows already open, not only to new ones. */
  void setLeakThresholdMillis(long millis);

  boolean isStackTrace();

  void setStackTrace(boolean capture);

  long getScanIntervalMillis();

  String[] getInstrumentedTypes();

  /** Every open borrow as readable text, grouped by acquisition site. */
  String dump();
}
