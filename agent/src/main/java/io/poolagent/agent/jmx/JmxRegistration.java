package io.poolagent.agent.jmx;

import io.poolagent.agent.AgentRuntime;
import io.poolagent.agent.metrics.AgentMetrics;
import io.poolagent.agent.stats.SourceStats;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * Registers the MBeans lazily, never while premain runs: touching the platform MBeanServer that early
 * breaks application servers that install their own MBeanServer builder or logging manager during
 * start-up. One daemon thread, {@code poolagent-jmx}, registers {@code poolagent:type=LeakDetector}
 * once the application borrows its first connection, or after a short grace period, whichever comes
 * first; starts the Micrometer registry (option {@code metrics}); then waits for DataSources seen for
 * the first time (on a close, or within a second while a borrow of theirs is open) and registers
 * {@code poolagent:type=DataSource,name=<name>} and their meters.
 */
public final class JmxRegistration {
  static final long GRACE_MILLIS = 2000;
  private static final long POLL_MILLIS = 50;
  /** How often DataSources with open borrows but no close yet are looked for. */
  private static final long DISCOVERY_MILLIS = 1000;

  private JmxRegistration() {}

  public static void registerWhenReady(AgentRuntime runtime) {
    Thread thread = new Thread(new Runnable() { // not a lambda: called in premain
      @Override
      public void run() {
        waitThenRegister(runtime);
      }
    }, "poolagent-jmx");
    thread.setDaemon(true);
    thread.start();
  }

  private static void waitThenRegister(AgentRuntime runtime) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
    try {
      while (runtime.tracker().acquiredCount() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      registerLeakDetector(server, runtime);
      AgentMetrics metrics = startMetrics(server, runtime);
      while (true) {
        SourceStats added = runtime.sourceStats().nextAdded(DISCOVERY_MILLIS);
        if (added != null) {
          registerDataSource(server, runtime, added, metrics);
        } else {
          // DataSources are learnt on close; this finds those whose borrows are all still open.
          runtime.sourceStats().openNow(runtime.tracker());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | LinkageError e) {
      System.err.println("poolagent: JMX MBeans not registered, leak detection goes on: " + e);
    }
  }

  static void registerLeakDetector(MBeanServer server, AgentRuntime runtime) throws JMException {
    ObjectName name = new ObjectName(LeakDetector.OBJECT_NAME);
    LeakDetectorEmitter bean = new LeakDetectorEmitter(new LeakDetector(runtime), name);
    try {
      server.registerMBean(bean, name);
      runtime.notifier().publishTo(bean);
    } catch (InstanceAlreadyExistsException e) {
      // Registered by an earlier start in this JVM; the existing bean reads the same tracker.
    }
  }

  private static @Nullable AgentMetrics startMetrics(MBeanServer server, AgentRuntime runtime) {
    if (!runtime.options().metrics()) {
      return null;
    }
    try {
      return AgentMetrics.start(server, runtime.tracker(), runtime.sourceStats());
    } catch (RuntimeException | LinkageError e) {
      System.err.println("poolagent: Micrometer meters not published, the MBeans are: " + e);
      return null;
    }
  }

  private static void registerDataSource(MBeanServer server, AgentRuntime runtime,
      SourceStats stats, @Nullable AgentMetrics metrics) {
    try {
      server.registerMBean(new DataSourceBean(runtime.tracker(), runtime.sourceStats(), stats),
          dataSourceName(stats.name()));
    } catch (InstanceAlreadyExistsException e) {
      // a bean of this name exists already (an earlier start); it reads the same statistics
    } catch (JMException | RuntimeException e) {
      System.err.println("poolagent: no JMX bean for DataSource " + stats.name() + ": " + e);
    }
    if (metrics != null) {
      try {
        metrics.bind(stats);
      } catch (RuntimeException | LinkageError e) {
        System.err.println("poolagent: no meters for DataSource " + stats.name() + ": " + e);
      }
    }
  }

  /** {@code poolagent:type=DataSource,name=<name>}, the name quoted where JMX requires it. */
  public static ObjectName dataSourceName(String name) throws JMException {
    return new ObjectName("poolagent:type=DataSource,name=" + ObjectNameValues.of(name));
  }
}
