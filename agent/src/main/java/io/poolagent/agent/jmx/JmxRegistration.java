package io.poolagent.agent.jmx;

import io.poolagent.agent.AgentRuntime;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers the MBeans lazily, never while premain runs: touching the platform MBeanServer that early
 * breaks application servers that install their own MBeanServer builder or logging manager during
 * start-up. Registration happens on a daemon thread once the application borrows its first
 * connection, or after a short grace period, whichever comes first.
 */
public final class JmxRegistration {
  static final long GRACE_MILLIS = 2000;
  private static final long POLL_MILLIS = 50;

  private JmxRegistration() {}

  public static void registerWhenReady(AgentRuntime runtime) {
    Thread thread = new Thread(() -> waitThenRegister(runtime), "poolagent-jmx-registration");
    thread.setDaemon(true);
    thread.start();
  }

  private static void waitThenRegister(AgentRuntime runtime) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
    try {
      while (runtime.tracker().acquiredCount() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(POLL_MILLIS);
      }
      register(runtime);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception | LinkageError e) {
      System.err.println("poolagent: JMX MBeans not registered, leak detection goes on: " + e);
    }
  }

  static void register(AgentRuntime runtime) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      server.registerMBean(new LeakDetector(runtime), new ObjectName(LeakDetector.OBJECT_NAME));
    } catch (InstanceAlreadyExistsException e) {
      // Registered by an earlier start in this JVM; the existing bean reads the same tracker.
    }
  }
}
