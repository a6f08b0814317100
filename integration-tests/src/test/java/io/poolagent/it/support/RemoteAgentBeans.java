package io.poolagent.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * The agent's MBeans as a remote JMX client sees them, by name only: the LeakDetector's table and
 * operations, the per-DataSource beans and the poolagent.metrics meters.
 */
public final class RemoteAgentBeans {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  public static final long DEFAULT_THRESHOLD_MILLIS = 30_000;

  private final MBeanServerConnection remote;
  private final ObjectName detector;

  public RemoteAgentBeans(MBeanServerConnection remote) throws Exception {
    this.remote = remote;
    this.detector = new ObjectName("poolagent:type=LeakDetector");
  }

  public ObjectName detector() {
    return detector;
  }

  /** Puts back what the with-agent run starts with: 30 s threshold, stack capture on. */
  public void restoreDefaults() throws Exception {
    remote.setAttribute(detector, new Attribute("LeakThresholdMillis", DEFAULT_THRESHOLD_MILLIS));
    remote.setAttribute(detector, new Attribute("StackTrace", true));
  }

  /** The DataSource bean of {@code pool}, once registered. */
  public ObjectName dataSourceBean(String pool) throws Exception {
    return await(new ObjectName("poolagent:type=DataSource,name=" + pool));
  }

  /** {@code name}, once registered (at most 10 s). */
  public ObjectName await(ObjectName name) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!remote.isRegistered(name)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " not registered; poolagent.metrics has "
            + remote.queryNames(new ObjectName("poolagent.metrics:*"), null));
      }
      Thread.sleep(20);
    }
    return name;
  }

  public long number(ObjectName name, String attribute) throws Exception {
    return ((Number) remote.getAttribute(name, attribute)).longValue();
  }

  public double decimal(ObjectName name, String attribute) throws Exception {
    return ((Number) remote.getAttribute(name, attribute)).doubleValue();
  }

  public String currentStack(String id) throws Exception {
    return (String) remote.invoke(detector, "currentStack", new Object[] {id},
        new String[] {String.class.getName()});
  }

  /** The rows of openConnections() for {@code pool}. */
  public List<CompositeData> rowsOf(String pool) throws Exception {
    TabularData table = (TabularData) remote.invoke(detector, "openConnections", null, null);
    List<CompositeData> rows = new ArrayList<>();
    for (Object row : table.values()) {
      CompositeData data = (CompositeData) row;
      if (pool.equals(data.get("dataSource"))) {
        rows.add(data);
      }
    }
    return rows;
  }

  /** The one row of openConnections() for {@code pool}. */
  public CompositeData rowOf(String pool) throws Exception {
    List<CompositeData> rows = rowsOf(pool);
    assertEquals(1, rows.size(), rows.toString());
    return rows.get(0);
  }

  /** The first notification of {@code type} about connection {@code id}, within 10 s. */
  public static Notification awaitNotification(BlockingQueue<Notification> queue, String type,
      String id) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Notification n = queue.poll(100, TimeUnit.MILLISECONDS);
      if (n == null) {
        continue;
      }
      seen.add(n.getType());
      if (n.getType().equals(type) && id.equals(((CompositeData) n.getUserData()).get("id"))) {
        return n;
      }
    }
    throw new AssertionError("no " + type + " notification for " + id + "; saw " + seen);
  }
}
