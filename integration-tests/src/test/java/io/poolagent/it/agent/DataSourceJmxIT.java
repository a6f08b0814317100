package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.RemoteAgentBeans;
import io.poolagent.it.support.RemoteJmx;
import io.poolagent.it.support.TestDatabase;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.Attribute;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-DataSource beans and the poolagent.metrics meters, read through a real RMI connector on
 * loopback as a remote JConsole or JMX exporter reads them.
 */
@ExtendWith(PostgresExtension.class)
class DataSourceJmxIT {
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

  @Test
  void eachDataSourceHasItsOwnBeanWithCountsAndHoldTimes(TestDatabase db) throws Exception {
    String pool = JmxRemoteIT.uniqueName();
    String bundled = JmxRemoteIT.uniqueName();
    PoolKind.Opened own = PoolKind.BUNDLED.open(db, bundled);
    try (own; PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      DataSource ds = opened.dataSource();
      for (int i = 0; i < 5; i++) {
        borrowOnNewThread(ds, 0);
      }
      borrowOnNewThread(ds, 150);
      Connection held = ds.getConnection();
      ObjectName name = beans.dataSourceBean(pool);
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
      assertEquals(6, beans.number(name, "Released"));
      assertEquals(1, beans.number(name, "OpenConnections"));
      assertEquals(7, beans.number(name, "Acquired"));
      assertEquals(0, beans.number(name, "LeaksDetected"));
      assertEquals(0, beans.number(name, "GcUnclosed"));
      double max = beans.decimal(name, "HoldTimeMaxMillis");
      assertTrue(max >= 150, "max " + max);
      assertTrue(beans.decimal(name, "HoldTimeP99Millis") >= 150, "the slow borrow is the top 1%");
      assertTrue(beans.decimal(name, "HoldTimeP99Millis") <= max);
      assertTrue(beans.decimal(name, "HoldTimeP50Millis") < 150, "the median is a quick borrow");
      double mean = beans.decimal(name, "HoldTimeMeanMillis");
      assertTrue(mean >= 150.0 / 6 && mean < max, "mean " + mean);
      held.close();
      assertEquals(7, beans.number(name, "Released"));
      assertEquals(0, beans.number(name, "OpenConnections"));

      Set<ObjectName> all = remote.queryNames(new ObjectName("poolagent:*"), null);
      assertTrue(all.contains(detector), all.toString());
      assertTrue(all.contains(new ObjectName("poolagent:type=Pool,name=" + bundled)),
          "the bundled pool's MXBean sits in the same domain: " + all);
    }
  }

  @Test
  void micrometerMetersAppearAsMBeansWithTheRightValues(TestDatabase db) throws Exception {
    String pool = JmxRemoteIT.uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      DataSource ds = opened.dataSource();
      for (int i = 0; i < 3; i++) {
        borrowOnNewThread(ds, 0);
      }
      borrowOnNewThread(ds, 120);
      Connection held = ds.getConnection();
      ObjectName perSource = beans.dataSourceBean(pool);
      String tag = ",db.client.connection.pool.name=" + pool;
      ObjectName count = beans.await(new ObjectName("poolagent.metrics:type=gauges,"
          + "name=db.client.connection.count" + tag + ",db.client.connection.state=used"));
      assertEquals(1.0, beans.decimal(count, "Value"));
      ObjectName leaked =
          beans.await(new ObjectName("poolagent.metrics:type=gauges,name=poolagent.connection.leaked" + tag));
      assertEquals(0.0, beans.decimal(leaked, "Value"));
      ObjectName timer = beans.await(new ObjectName(
          "poolagent.metrics:type=timers,name=db.client.connection.use_time" + tag));
      assertEquals(4, beans.number(timer, "Count"));
      assertEquals("milliseconds", remote.getAttribute(timer, "DurationUnit"));
      ObjectName max = beans.await(new ObjectName(
          "poolagent.metrics:type=gauges,name=db.client.connection.use_time.max" + tag));
      assertTrue(beans.decimal(max, "Value") >= 120, "max hold in ms: " + beans.decimal(max, "Value"));
      ObjectName p99 = beans.await(new ObjectName("poolagent.metrics:type=gauges,"
          + "name=db.client.connection.use_time.percentile" + tag + ",phi=0.99"));
      assertTrue(beans.decimal(p99, "Value") >= 120, "p99 in ms: " + beans.decimal(p99, "Value"));
      ObjectName p50 = beans.await(new ObjectName("poolagent.metrics:type=gauges,"
          + "name=db.client.connection.use_time.percentile" + tag + ",phi=0.5"));
      assertTrue(beans.decimal(p50, "Value") < 120, "p50 in ms: " + beans.decimal(p50, "Value"));

      remote.setAttribute(detector, new Attribute("LeakThresholdMillis", 200L));
      long deadline = System.nanoTime() + RemoteAgentBeans.TIMEOUT.toNanos();
      while (beans.number(perSource, "LeaksDetected") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(1.0, beans.decimal(leaked, "Value"));
      Set<ObjectName> leaks = remote.queryNames(
          new ObjectName("poolagent.metrics:name=poolagent.connection.leaks" + tag + ",*"), null);
      assertEquals(1, leaks.size(), leaks.toString());
      assertEquals(1, beans.number(leaks.iterator().next(), "Count"));
      held.close();
      assertEquals(0.0, beans.decimal(count, "Value"));
      assertEquals(5, beans.number(timer, "Count"));
    }
  }

  /**
   * Borrows from {@code ds} on a new thread and closes after {@code holdMillis}. The agent runs with
   * its default holdTimes=sampled, which times about one borrow in 16 per thread and always a
   * thread's first: a borrow made here is timed, so the hold-time figures checked above do not depend
   * on which borrows the sample took.
   */
  private static void borrowOnNewThread(DataSource ds, long holdMillis) throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        Connection connection = ds.getConnection();
        Thread.sleep(holdMillis);
        connection.close();
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("borrow on a new thread failed", failure.get());
    }
  }

  @Test
  void everyCloseIsCountedWhileOnlySomeHoldsAreTimed(TestDatabase db) throws Exception {
    String pool = JmxRemoteIT.uniqueName();
    try (PoolKind.Opened opened = PoolKind.HIKARI.open(db, pool)) {
      DataSource ds = opened.dataSource();
      ds.getConnection().close(); // this thread's DataSource bean appears with the first close
      ObjectName name = beans.dataSourceBean(pool);
      long before = beans.number(name, "Released");
      for (int i = 0; i < 400; i++) {
        ds.getConnection().close();
      }
      assertEquals(before + 400, beans.number(name, "Released"));
      assertEquals(0, beans.number(name, "OpenConnections"));
      double max = beans.decimal(name, "HoldTimeMaxMillis");
      assertTrue(max > 0 && max < 1_000, "quick borrows, some of them timed: max " + max);
    }
  }
}
