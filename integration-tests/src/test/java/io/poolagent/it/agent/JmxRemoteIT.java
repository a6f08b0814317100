package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.RemoteJmx;
import io.poolagent.it.support.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularType;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The agent's MBeans read through a real RMI connector on loopback, as a remote JConsole reads them:
 * only JDK classes on the client side, every attribute and operation by name.
 */
@ExtendWith(PostgresExtension.class)
class JmxRemoteIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long DEFAULT_THRESHOLD_MILLIS = 30_000;

  private RemoteJmx jmx;
  private MBeanServerConnection remote;
  private ObjectName detector;

  @BeforeEach
  void connect() throws Exception {
    LeakDetectorBean.inThisJvm();
    jmx = RemoteJmx.start();
    remote = jmx.connection();
    detector = new ObjectName("poolagent:type=LeakDetector");
  }

  @AfterEach
  void restoreAndDisconnect() throws Exception {
    try {
      remote.setAttribute(detector, new Attribute("LeakThresholdMillis", DEFAULT_THRESHOLD_MILLIS));
      remote.setAttribute(detector, new Attribute("StackTrace", true));
    } finally {
      jmx.close();
    }
  }

  private static String uniqueName() {
    return "it-jmx-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void everyLeakDetectorAttributeAndOperationReadsRemotelyWithOpenTypesOnly(TestDatabase db)
      throws Exception {
    String pool = uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      DataSource ds = opened.dataSource();
      for (int i = 0; i < 3; i++) {
        ds.getConnection().close();
      }
      Connection held = ds.getConnection();
      int line = new Throwable().getStackTrace()[0].getLineNumber() - 1;

      MBeanInfo info = remote.getMBeanInfo(detector);
      assertEquals("true", String.valueOf(info.getDescriptor().getFieldValue("mxbean")));
      Set<String> attributes = new TreeSet<>();
      for (MBeanAttributeInfo attribute : info.getAttributes()) {
        attributes.add(attribute.getName());
        Object value = remote.getAttribute(detector, attribute.getName());
        assertNotNull(value, attribute.getName());
        assertTrue(value.getClass().getName().startsWith("java.")
            || value instanceof String[], attribute.getName() + " is a JDK type: " + value.getClass());
        boolean writable = attribute.getName().equals("LeakThresholdMillis")
            || attribute.getName().equals("StackTrace");
        assertEquals(writable, attribute.isWritable(), attribute.getName() + " writable");
      }
      assertEquals(new TreeSet<>(List.of("Acquired", "GcUnclosed", "InstrumentationErrors",
          "InstrumentedTypes", "InternalErrors", "LeakThresholdMillis", "LeakedConnections",
          "LeaksDetected", "OpenConnections", "Released", "ScanIntervalMillis", "StackTrace")),
          attributes);
      assertEquals(DEFAULT_THRESHOLD_MILLIS, number(detector, "LeakThresholdMillis"));
      assertEquals(50, number(detector, "ScanIntervalMillis"), "scanInterval=50ms in the pom");
      assertEquals(true, remote.getAttribute(detector, "StackTrace"));
      assertTrue(Arrays.asList((String[]) remote.getAttribute(detector, "InstrumentedTypes"))
          .contains("com.zaxxer.hikari.HikariDataSource"));
      assertTrue(number(detector, "OpenConnections") >= 1);
      assertTrue(number(detector, "Acquired") >= number(detector, "Released") + 1);
      assertEquals(0, number(detector, "InternalErrors"));

      Set<String> operations = new TreeSet<>();
      for (MBeanOperationInfo op : info.getOperations()) {
        operations.add(op.getName());
        if (op.getName().equals("openConnections")) {
          assertTrue(op.getDescriptor().getFieldValue("openType") instanceof TabularType);
        }
      }
      assertEquals(new TreeSet<>(List.of("currentStack", "dump", "openConnections")), operations);

      CompositeData row = rowOf(pool);
      String id = (String) row.get("id");
      assertTrue(id.matches(ProcessHandle.current().pid() + "-\\d+"), id);
      assertEquals(Thread.currentThread().getName(), row.get("thread"));
      assertEquals(Thread.currentThread().getId(), row.get("threadId"));
      assertTrue((Long) row.get("heldMillis") >= 0);
      assertEquals(getClass().getName()
          + ".everyLeakDetectorAttributeAndOperationReadsRemotelyWithOpenTypesOnly(JmxRemoteIT.java:"
          + line + ")", row.get("site"));
      assertEquals(false, row.get("flagged"));
      assertTrue(((String) row.get("acquiredAt")).endsWith("Z"), String.valueOf(row.get("acquiredAt")));

      String dump = (String) remote.invoke(detector, "dump", null, null);
      assertTrue(dump.startsWith("poolagent dump: "), dump);
      assertTrue(dump.contains("connection " + id + " from " + pool), dump);
      assertTrue(dump.contains((String) row.get("site")), dump);

      held.close();
      assertTrue(rowsOf(pool).isEmpty(), "a closed borrow leaves the table");
    }
  }

  @Test
  void loweringTheThresholdThroughJmxFlagsABorrowAlreadyOpenAndNotifies(TestDatabase db)
      throws Exception {
    BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    NotificationListener listener = (n, handback) -> notifications.add(n);
    remote.addNotificationListener(detector, listener, null, null);
    String pool = uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      Connection held = opened.dataSource().getConnection();
      String id = (String) rowOf(pool).get("id");
      ObjectName perSource = dataSourceBean(pool);
      Thread.sleep(300);
      assertEquals(false, rowOf(pool).get("flagged"), "30 s threshold: not flagged yet");
      assertEquals(0, number(perSource, "LeaksDetected"));

      remote.setAttribute(detector, new Attribute("LeakThresholdMillis", 200L));
      assertEquals(200, number(detector, "LeakThresholdMillis"));
      Notification leak = awaitNotification(notifications, "poolagent.leak", id);
      CompositeData data = (CompositeData) leak.getUserData();
      assertEquals("leak", data.get("event"));
      assertEquals(pool, data.get("dataSource"));
      assertEquals(200L, data.get("thresholdMillis"));
      assertTrue((Long) data.get("heldMillis") >= 300, "held since before the change");
      assertTrue(((String) data.get("site")).startsWith(getClass().getName()
          + ".loweringTheThresholdThroughJmxFlagsABorrowAlreadyOpenAndNotifies("), data.toString());
      assertTrue(((String[]) data.get("stack")).length > 1);
      assertTrue(leak.getMessage().startsWith("poolagent leak: connection " + id), leak.getMessage());
      assertEquals(detector, leak.getSource());

      assertEquals(true, rowOf(pool).get("flagged"));
      assertTrue(number(detector, "LeakedConnections") >= 1);
      assertEquals(1, number(perSource, "LeaksDetected"));
      assertEquals(1, number(perSource, "LeakedConnections"));

      held.close();
      Notification returned = awaitNotification(notifications, "poolagent.returned", id);
      assertEquals("returned", ((CompositeData) returned.getUserData()).get("event"));
      assertEquals(1, number(perSource, "ReturnedAfterLeak"));
      assertEquals(0, number(perSource, "LeakedConnections"));
    } finally {
      remote.removeNotificationListener(detector, listener);
    }
  }

  @Test
  void currentStackShowsWhatTheHoldingThreadIsDoingNow(TestDatabase db) throws Exception {
    String pool = uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      CountDownLatch taken = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicReference<Connection> connection = new AtomicReference<>();
      Thread holder = new Thread(() -> {
        try {
          connection.set(opened.dataSource().getConnection());
          taken.countDown();
          parkUntilReleased(release);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "it-holder");
      holder.start();
      assertTrue(taken.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      CompositeData row = rowOf(pool);
      String id = (String) row.get("id");
      assertEquals("it-holder", row.get("thread"));

      String now = currentStack(id);
      assertTrue(now.startsWith("connection " + id + " from " + pool + ", held "), now);
      assertTrue(now.contains("thread \"it-holder\""), now);
      assertTrue(now.contains("WAITING now at:"), now);
      assertTrue(now.contains("at " + getClass().getName() + ".parkUntilReleased("), now);

      release.countDown();
      holder.join(TIMEOUT.toMillis());
      String gone = currentStack(id);
      assertTrue(gone.contains("that thread has finished"), gone);

      connection.get().close();
      String closed = currentStack(id);
      assertTrue(closed.startsWith("poolagent: no open connection with id '" + id + "'"), closed);
      assertTrue(currentStack("nonsense").startsWith("poolagent: no open connection with id"));
    }
  }

  private static void parkUntilReleased(CountDownLatch release) throws InterruptedException {
    release.await(60, TimeUnit.SECONDS);
  }

  @Test
  void stackTraceCaptureSwitchesOffAndOnThroughJmx(TestDatabase db) throws Exception {
    String pool = uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      remote.setAttribute(detector, new Attribute("StackTrace", false));
      assertEquals(false, remote.getAttribute(detector, "StackTrace"));
      Connection first = opened.dataSource().getConnection();
      assertEquals("unknown site (stackTrace=false)", rowOf(pool).get("site"));
      first.close();
      remote.setAttribute(detector, new Attribute("StackTrace", true));
      Connection second = opened.dataSource().getConnection();
      assertTrue(((String) rowOf(pool).get("site")).startsWith(getClass().getName() + "."));
      second.close();
    }
  }

  @Test
  void eachDataSourceHasItsOwnBeanWithCountsAndHoldTimes(TestDatabase db) throws Exception {
    String pool = uniqueName();
    String bundled = uniqueName();
    PoolKind.Opened own = PoolKind.BUNDLED.open(db, bundled);
    try (own; PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      DataSource ds = opened.dataSource();
      for (int i = 0; i < 5; i++) {
        ds.getConnection().close();
      }
      Connection slow = ds.getConnection();
      Thread.sleep(150);
      slow.close();
      Connection held = ds.getConnection();
      ObjectName name = dataSourceBean(pool);
      Set<String> attributes = new TreeSet<>();
      for (MBeanAttributeInfo attribute : remote.getMBeanInfo(name).getAttributes()) {
        attributes.add(attribute.getName());
        assertTrue(remote.getAttribute(name, attribute.getName()).getClass().getName()
            .startsWith("java.lang."), attribute.getName());
      }
      assertEquals(new TreeSet<>(List.of("Acquired", "GcUnclosed", "HoldTimeMaxMillis",
          "HoldTimeMeanMillis", "HoldTimeP50Millis", "HoldTimeP95Millis", "HoldTimeP99Millis",
          "LeakedConnections", "LeaksDetected", "Name", "OpenConnections", "Released",
          "ReturnedAfterLeak")), attributes);
      assertEquals(pool, remote.getAttribute(name, "Name"));
      assertEquals(6, number(name, "Released"));
      assertEquals(1, number(name, "OpenConnections"));
      assertEquals(7, number(name, "Acquired"));
      assertEquals(0, number(name, "LeaksDetected"));
      assertEquals(0, number(name, "GcUnclosed"));
      double max = decimal(name, "HoldTimeMaxMillis");
      assertTrue(max >= 150, "max " + max);
      assertTrue(decimal(name, "HoldTimeP99Millis") >= 150, "the slow borrow is the top 1%");
      assertTrue(decimal(name, "HoldTimeP99Millis") <= max);
      assertTrue(decimal(name, "HoldTimeP50Millis") < 150, "the median is a quick borrow");
      double mean = decimal(name, "HoldTimeMeanMillis");
      assertTrue(mean >= 150.0 / 6 && mean < max, "mean " + mean);
      held.close();
      assertEquals(7, number(name, "Released"));
      assertEquals(0, number(name, "OpenConnections"));

      Set<ObjectName> all = remote.queryNames(new ObjectName("poolagent:*"), null);
      assertTrue(all.contains(detector), all.toString());
      assertTrue(all.contains(new ObjectName("poolagent:type=Pool,name=" + bundled)),
          "the bundled pool's MXBean sits in the same domain: " + all);
    }
  }

  @Test
  void micrometerMetersAppearAsMBeansWithTheRightValues(TestDatabase db) throws Exception {
    String pool = uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      DataSource ds = opened.dataSource();
      for (int i = 0; i < 3; i++) {
        ds.getConnection().close();
      }
      Connection slow = ds.getConnection();
      Thread.sleep(120);
      slow.close();
      Connection held = ds.getConnection();
      ObjectName perSource = dataSourceBean(pool);
      String tag = ",db.client.connection.pool.name=" + pool;
      ObjectName count = await(new ObjectName("poolagent.metrics:type=gauges,"
          + "name=db.client.connection.count" + tag + ",db.client.connection.state=used"));
      assertEquals(1.0, decimal(count, "Value"));
      ObjectName leaked =
          await(new ObjectName("poolagent.metrics:type=gauges,name=poolagent.connection.leaked" + tag));
      assertEquals(0.0, decimal(leaked, "Value"));
      ObjectName timer = await(new ObjectName(
          "poolagent.metrics:type=timers,name=db.client.connection.use_time" + tag));
      assertEquals(4, number(timer, "Count"));
      assertEquals("milliseconds", remote.getAttribute(timer, "DurationUnit"));
      ObjectName max = await(new ObjectName(
          "poolagent.metrics:type=gauges,name=db.client.connection.use_time.max" + tag));
      assertTrue(decimal(max, "Value") >= 120, "max hold in ms: " + decimal(max, "Value"));
      ObjectName p99 = await(new ObjectName("poolagent.metrics:type=gauges,"
          + "name=db.client.connection.use_time.percentile" + tag + ",phi=0.99"));
      assertTrue(decimal(p99, "Value") >= 120, "p99 in ms: " + decimal(p99, "Value"));
      ObjectName p50 = await(new ObjectName("poolagent.metrics:type=gauges,"
          + "name=db.client.connection.use_time.percentile" + tag + ",phi=0.5"));
      assertTrue(decimal(p50, "Value") < 120, "p50 in ms: " + decimal(p50, "Value"));

      remote.setAttribute(detector, new Attribute("LeakThresholdMillis", 200L));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (number(perSource, "LeaksDetected") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1.0, decimal(leaked, "Value"));
      Set<ObjectName> leaks = remote.queryNames(
          new ObjectName("poolagent.metrics:name=poolagent.connection.leaks" + tag + ",*"), null);
      assertEquals(1, leaks.size(), leaks.toString());
      assertEquals(1, number(leaks.iterator().next(), "Count"));
      held.close();
      assertEquals(0.0, decimal(count, "Value"));
      assertEquals(5, number(timer, "Count"));
    }
  }

  private ObjectName dataSourceBean(String pool) throws Exception {
    return await(new ObjectName("poolagent:type=DataSource,name=" + pool));
  }

  private ObjectName await(ObjectName name) throws Exception {
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

  private long number(ObjectName name, String attribute) throws Exception {
    return ((Number) remote.getAttribute(name, attribute)).longValue();
  }

  private double decimal(ObjectName name, String attribute) throws Exception {
    return ((Number) remote.getAttribute(name, attribute)).doubleValue();
  }

  private String currentStack(String id) throws Exception {
    return (String) remote.invoke(detector, "currentStack", new Object[] {id},
        new String[] {String.class.getName()});
  }

  private List<CompositeData> rowsOf(String pool) throws Exception {
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

  private CompositeData rowOf(String pool) throws Exception {
    List<CompositeData> rows = rowsOf(pool);
    assertEquals(1, rows.size(), rows.toString());
    return rows.get(0);
  }

  private static Notification awaitNotification(BlockingQueue<Notification> queue, String type,
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
