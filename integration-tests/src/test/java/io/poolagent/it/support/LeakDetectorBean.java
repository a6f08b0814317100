package io.poolagent.it.support;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * The agent's {@code poolagent:type=LeakDetector} MBean, read by attribute name as any JMX client
 * (JConsole included) would, without the agent's classes.
 */
public final class LeakDetectorBean {
  private final MBeanServerConnection server;
  private final ObjectName name;

  public LeakDetectorBean(MBeanServerConnection server) {
    this.server = server;
    try {
      this.name = new ObjectName("poolagent:type=LeakDetector");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bean in this JVM, waiting for the agent's lazy registration if needed. */
  public static LeakDetectorBean inThisJvm() throws Exception {
    LeakDetectorBean bean = new LeakDetectorBean(ManagementFactory.getPlatformMBeanServer());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!bean.server.isRegistered(bean.name)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("poolagent:type=LeakDetector was not registered within 10 s");
      }
      Thread.sleep(20);
    }
    return bean;
  }

  public long number(String attribute) throws Exception {
    return ((Number) server.getAttribute(name, attribute)).longValue();
  }

  public Object get(String attribute) throws Exception {
    return server.getAttribute(name, attribute);
  }

  public void set(String attribute, Object value) throws Exception {
    server.setAttribute(name, new Attribute(attribute, value));
  }

  public Object invoke(String operation) throws Exception {
    return server.invoke(name, operation, new Object[0], new String[0]);
  }

  public void setThreshold(Duration threshold) throws Exception {
    set("LeakThresholdMillis", threshold.toMillis());
  }
}
