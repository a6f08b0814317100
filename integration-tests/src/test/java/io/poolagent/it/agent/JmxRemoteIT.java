package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.RemoteAgentBeans;
import io.poolagent.it.support.RemoteJmx;
import io.poolagent.it.support.TestDatabase;
import java.sql.Connection;
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
  private RemoteJmx jmx;
  private MBeanServerConnection remote;
  private RemoteAgentBeans beans;
  private ObjectName detector;

  @BeforeEach
  void connect() throws Exception {
    LeakDetectorBean.inThisJvm();
    jmx = RemoteJmx.start();
    remote = jmx.connection();
    beans = new RemoteAgentBeans(remote);
    detector = beans.detector();
  }

  @AfterEach
  void restoreAndDisconnect() throws Exception {
    try {
      beans.restoreDefaults();
    } finally {
      jmx.close();
    }
  }

  static String uniqueName() {
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
      assertEquals(RemoteAgentBeans.DEFAULT_THRESHOLD_MILLIS, beans.number(detector, "LeakThresholdMillis"));
      assertEquals(50, beans.number(detector, "ScanIntervalMillis"), "scanInterval=50ms in the pom");
      assertEquals(true, remote.getAttribute(detector, "StackTrace"));
      assertTrue(Arrays.asList((String[]) remote.getAttribute(detector, "InstrumentedTypes"))
          .contains("com.zaxxer.hikari.HikariDataSource"));
      assertTrue(beans.number(detector, "OpenConnections") >= 1);
      assertTrue(beans.number(detector, "Acquired") >= beans.number(detector, "Released") + 1);
      assertEquals(0, beans.number(detector, "InternalErrors"));

      Set<String> operations = new TreeSet<>();
      for (MBeanOperationInfo op : info.getOperations()) {
        operations.add(op.getName());
        if (op.getName().equals("openConnections")) {
          assertTrue(op.getDescriptor().getFieldValue("openType") instanceof TabularType);
        }
      }
      assertEquals(new TreeSet<>(List.of("currentStack", "dump", "openConnections")), operations);

      CompositeData row = beans.rowOf(pool);
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
      assertTrue(beans.rowsOf(pool).isEmpty(), "a closed borrow leaves the table");
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
      String id = (String) beans.rowOf(pool).get("id");
      ObjectName perSource = beans.dataSourceBean(pool);
      Thread.sleep(300);
      assertEquals(false, beans.rowOf(pool).get("flagged"), "30 s threshold: not flagged yet");
      assertEquals(0, beans.number(perSource, "LeaksDetected"));

      remote.setAttribute(detector, new Attribute("LeakThresholdMillis", 200L));
      assertEquals(200, beans.number(detector, "LeakThresholdMillis"));
      Notification leak = RemoteAgentBeans.awaitNotification(notifications, "poolagent.leak", id);
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

      assertEquals(true, beans.rowOf(pool).get("flagged"));
      assertTrue(beans.number(detector, "LeakedConnections") >= 1);
      assertEquals(1, beans.number(perSource, "LeaksDetected"));
      assertEquals(1, beans.number(perSource, "LeakedConnections"));

      held.close();
      Notification returned = RemoteAgentBeans.awaitNotification(notifications, "poolagent.returned", id);
      assertEquals("returned", ((CompositeData) returned.getUserData()).get("event"));
      assertEquals(1, beans.number(perSource, "ReturnedAfterLeak"));
      assertEquals(0, beans.number(perSource, "LeakedConnections"));
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
      assertTrue(taken.await(RemoteAgentBeans.TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      CompositeData row = beans.rowOf(pool);
      String id = (String) row.get("id");
      assertEquals("it-holder", row.get("thread"));

      String now = beans.currentStack(id);
      assertTrue(now.startsWith("connection " + id + " from " + pool + ", held "), now);
      assertTrue(now.contains("thread \"it-holder\""), now);
      assertTrue(now.contains("WAITING now at:"), now);
      assertTrue(now.contains("at " + getClass().getName() + ".parkUntilReleased("), now);

      release.countDown();
      holder.join(RemoteAgentBeans.TIMEOUT.toMillis());
      String gone = beans.currentStack(id);
      assertTrue(gone.contains("that thread has finished"), gone);

      connection.get().close();
      String closed = beans.currentStack(id);
      assertTrue(closed.startsWith("poolagent: no open connection with id '" + id + "'"), closed);
      assertTrue(beans.currentStack("nonsense").startsWith("poolagent: no open connection with id"));
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
      assertEquals("unknown site (stackTrace=false)", beans.rowOf(pool).get("site"));
      first.close();
      remote.setAttribute(detector, new Attribute("StackTrace", true));
      Connection second = opened.dataSource().getConnection();
      assertTrue(((String) beans.rowOf(pool).get("site")).startsWith(getClass().getName() + "."));
      second.close();
    }
  }
}
