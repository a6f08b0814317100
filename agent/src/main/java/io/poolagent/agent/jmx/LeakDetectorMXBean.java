package io.poolagent.agent.jmx;

/**
 * {@code poolagent:type=LeakDetector}: the agent's status, readable by JConsole or any JMX client
 * without our classes (open types only). The registered bean ({@link LeakDetectorEmitter}) adds the
 * operation {@code openConnections()}, which returns {@code TabularData} (one row per open borrow:
 * id, dataSource, thread, threadId, heldMillis, acquiredAt, site, flagged), and emits the
 * notifications {@code poolagent.leak}, {@code poolagent.returned} and {@code poolagent.gc-unclosed}.
 * Attribute and operation names are a published interface: keep them stable.
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

  /**
   * What the thread holding connection {@code id} (a report's connectionId, {@code <pid>-<n>}) is
   * doing now: its current stack, or a message saying why there is none.
   */
  String currentStack(String id);
}
