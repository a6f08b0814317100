package io.poolagent.agent.jmx;

/**
 * {@code poolagent:type=DataSource,name=<name>}: one DataSource's share of the leak detector, by its
 * report name. Counts are since the agent started; hold times are of the borrows closed so far,
 * percentiles within 12.5% (upper edge of a log-linear bucket). Attribute names are a published
 * interface: keep them stable.
 */
public interface DataSourceMXBean {
  /** The DataSource's report name: its pool name where it has one, else class name and identity. */
  String getName();

  /** Borrows open now. */
  int getOpenConnections();

  /** Borrows open now and held past the threshold. */
  int getLeakedConnections();

  /** Borrows taken: released + open now + collected without close. */
  long getAcquired();

  /** Borrows closed. */
  long getReleased();

  /** Borrows flagged as leaks since start. */
  long getLeaksDetected();

  /** Flagged borrows that were closed afterwards. */
  long getReturnedAfterLeak();

  /** Borrowed connections garbage collected without close(). */
  long getGcUnclosed();

  double getHoldTimeMeanMillis();

  double getHoldTimeMaxMillis();

  double getHoldTimeP50Millis();

  double getHoldTimeP95Millis();

  double getHoldTimeP99Millis();
}
