package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The MXBean, the stats snapshot and the Micrometer meters. */
class ManagementTest {
  private final StubDatabase db = StubDatabase.create();

  @Test
  void theMXBeanIsRegisteredUnderThePoolNameAndWorks() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("poolagent:type=Pool,name=jmx-pool");
    try (RetryingDataSource pool = new RetryingDataSource(db.config().poolName("jmx-pool").build())) {
      assertTrue(server.isRegistered(name));
      Connection c = pool.getConnection();
      assertEquals(1, server.getAttribute(name, "ActiveConnections"));
      assertEquals("HEALTHY", server.getAttribute(name, "Health"));
      server.setAttribute(name, new Attribute("LeakDetectionThresholdMillis", 1234L));
      assertEquals(1234L, server.getAttribute(name, "LeakDetectionThresholdMillis"));
      server.setAttribute(name, new Attribute("MaxSize", 3));
      assertEquals(3, pool.stats().maxSize());
      server.invoke(name, "suspend", null, null);
      assertEquals(true, server.getAttribute(name, "Suspended"));
      server.invoke(name, "resume", null, null);
      c.close();
      server.invoke(name, "softEvict", null, null);
      assertEquals(0, server.getAttribute(name, "TotalConnections"));
      assertEquals(1L, server.getAttribute(name, "Acquisitions"));
      assertNotNull(server.getAttribute(name, "CreatedAt"));
    }
    assertFalse(server.isRegistered(name), "unregistered on close");
  }

  @Test
  void aSecondPoolWithTheSameNameWorksAndSaysWhyItIsNotInJmx() throws Exception {
    try (CapturedLog log = new CapturedLog();
        RetryingDataSource first = new RetryingDataSource(db.config().poolName("twin").build());
        RetryingDataSource second = new RetryingDataSource(db.config().poolName("twin").build())) {
      second.getConnection().close();
      assertTrue(log.text().contains("poolagent pool 'twin': not registered in JMX"), log.text());
      assertTrue(ManagementFactory.getPlatformMBeanServer()
          .isRegistered(new ObjectName("poolagent:type=Pool,name=twin")), "the first keeps its name");
      first.getConnection().close();
    }
  }

  @Test
  void statsCountWhatHappened() throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(db.config().maxSize(2)
        .acquireTimeout(Duration.ofMillis(100)).build())) {
      Connection a = pool.getConnection();
      Connection b = pool.getConnection();
      try {
        pool.getConnection();
      } catch (java.sql.SQLTransientConnectionException expected) {
        // counted below
      }
      PoolStats s = pool.stats();
      assertEquals(2, s.total());
      assertEquals(0, s.idle());
      assertEquals(2, s.active());
      assertEquals(2, s.acquisitions());
      assertEquals(1, s.timeouts());
      assertEquals(2, s.peakActive());
      assertTrue(s.lastError().contains("timed out"), s.lastError());
      a.close();
      b.close();
      s = pool.stats();
      assertEquals(2, s.releases());
      assertEquals(2, s.idle());
      assertTrue(s.maxAcquisitionWait().compareTo(s.averageAcquisitionWait()) >= 0);
      assertTrue(s.createdAt() != null);
    }
  }

  @Test
  void countsOutliveTheConnectionsThatMadeThem() throws Exception {
    // Borrows and returns are counted on each connection; one recycled after every statement must
    // leave its counts behind in the pool's totals.
    try (RetryingDataSource pool = new RetryingDataSource(db.config().maxQueries(1).build())) {
      for (int i = 0; i < 5; i++) {
        try (Connection c = pool.getConnection()) {
          c.createStatement().close();
        }
      }
      Connection open = pool.getConnection();
      PoolStats s = pool.stats();
      assertEquals(6, s.acquisitions());
      assertEquals(5, s.releases());
      assertEquals(1, s.total(), "each used connection was recycled on return");
      open.close();
      assertEquals(6, pool.stats().releases());
      assertEquals(6L, pool.management().getAcquisitions());
    }
  }

  @Test
  void micrometerMetersFollowOpenTelemetryNamesAndAreTaggedWithThePoolName() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (RetryingDataSource pool = new RetryingDataSource(db.config().poolName("metered")
        .password("meter-secret-pw").meterRegistry(registry).build())) {
      Connection c = pool.getConnection();
      for (var meter : registry.getMeters()) {
        assertFalse(meter.getId().toString().contains("meter-secret-pw"), meter.getId().toString());
      }
      String tag = MicrometerPoolMetrics.POOL_TAG;
      assertEquals(1.0, registry.get("db.client.connection.count").tag(tag, "metered")
          .tag(MicrometerPoolMetrics.STATE_TAG, "used").gauge().value());
      assertEquals(0.0, registry.get("db.client.connection.count").tag(tag, "metered")
          .tag(MicrometerPoolMetrics.STATE_TAG, "idle").gauge().value());
      assertEquals(4.0, registry.get("db.client.connection.max").tag(tag, "metered").gauge().value());
      assertEquals(0.0, registry.get("db.client.connection.pending_requests").gauge().value());
      assertEquals(1, registry.get("db.client.connection.create_time").timer().count());
      assertEquals(1, registry.get("db.client.connection.wait_time").timer().count());
      c.close();
      assertEquals(1, registry.get("db.client.connection.use_time").timer().count());
      assertEquals(0.0, registry.get("db.client.connection.timeouts").functionCounter().count());
    }
    assertTrue(registry.find("db.client.connection.count").meters().isEmpty(), "removed on close");
  }
}
