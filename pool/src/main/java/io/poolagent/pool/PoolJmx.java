package io.poolagent.pool;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/** The {@link PoolMXBean} of one pool, and its registration with the platform MBean server. */
final class PoolJmx implements PoolMXBean {
  private final PoolEngine engine;
  private @Nullable ObjectName registered;

  PoolJmx(PoolEngine engine) {
    this.engine = engine;
  }

  static String objectName(String poolName) {
    return "poolagent:type=Pool,name=" + poolName;
  }

  /** Registers; a clash with another pool of the same name is logged, not thrown. */
  synchronized void register() {
    try {
      ObjectName name = new ObjectName(objectName(engine.name()));
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      server.registerMBean(this, name);
      registered = name;
    } catch (JMException | RuntimeException e) {
      engine.log(Level.WARNING, "not registered in JMX: " + e.getMessage());
    }
  }

  synchronized void unregister() {
    if (registered != null) {
      try {
        ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
      } catch (JMException | RuntimeException e) {
        engine.log(Level.DEBUG, "JMX unregistration failed: " + e.getMessage());
      }
      registered = null;
    }
  }

  @Override
  public String getPoolName() {
    return engine.name();
  }

  @Override
  public String getHealth() {
    return engine.health.health().name();
  }

  @Override
  public int getTotalConnections() {
    return engine.stats().total();
  }

  @Override
  public int getIdleConnections() {
    return engine.stats().idle();
  }

  @Override
  public int getActiveConnections() {
    return engine.stats().active();
  }

  @Override
  public int getWaitingThreads() {
    return engine.bag.waiting();
  }

  @Override
  public long getAcquisitions() {
    return engine.counters.acquisitions();
  }

  @Override
  public long getReleases() {
    return engine.counters.releases();
  }

  @Override
  public long getCreationFailures() {
    return engine.counters.creationFailures();
  }

  @Override
  public long getAcquireTimeouts() {
    return engine.counters.timeouts();
  }

  @Override
  public double getAverageAcquireWaitMillis() {
    return millis(engine.stats().averageAcquisitionWait());
  }

  @Override
  public double getMaxAcquireWaitMillis() {
    return millis(engine.stats().maxAcquisitionWait());
  }

  private static double millis(Duration d) {
    return d.toNanos() / 1_000_000.0;
  }

  @Override
  public int getPeakActive() {
    return engine.counters.peakActive();
  }

  @Override
  public String getCreatedAt() {
    return engine.counters.createdAt.toString();
  }

  @Override
  public @Nullable String getLastError() {
    return engine.counters.lastError();
  }

  @Override
  public @Nullable String getLastErrorAt() {
    Instant at = engine.counters.lastErrorAt();
    return at == null ? null : at.toString();
  }

  @Override
  public long getLeakDetectionThresholdMillis() {
    return engine.leaks.thresholdMillis();
  }

  @Override
  public void setLeakDetectionThresholdMillis(long millis) {
    engine.leaks.setThreshold(Duration.ofMillis(millis));
  }

  @Override
  public int getMaxSize() {
    return engine.maxSize();
  }

  @Override
  public void setMaxSize(int maxSize) {
    engine.setMaxSize(maxSize);
  }

  @Override
  public void suspend() {
    engine.suspend();
  }

  @Override
  public void resume() {
    engine.resume();
  }

  @Override
  public boolean isSuspended() {
    return engine.isSuspended();
  }

  @Override
  public void softEvict() {
    engine.softEvict();
  }
}
