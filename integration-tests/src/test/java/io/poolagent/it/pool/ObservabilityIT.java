package io.poolagent.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolHealth;
import io.poolagent.pool.PoolStats;
import io.poolagent.pool.RetryingDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leak reports, stats, JMX and health on a real PostgreSQL, with no Micrometer on the class path. */
@ExtendWith(PostgresExtension.class)
class ObservabilityIT {
  private static final String AGENT_ACTIVE = "poolagent.agent.active";
  private final List<String> leakLog = new CopyOnWriteArrayList<>();
  private final Logger leakLogger = Logger.getLogger("poolagent");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      leakLog.add(r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** The property as it was (set when this JVM runs with the agent attached). */
  private String agentActiveBefore;

  @BeforeEach
  void captureLeakReports() {
    agentActiveBefore = System.getProperty(AGENT_ACTIVE);
    leakLogger.addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    leakLogger.removeHandler(capture);
    if (agentActiveBefore == null) {
      System.clearProperty(AGENT_ACTIVE);
    } else {
      System.setProperty(AGENT_ACTIVE, agentActiveBefore);
    }
  }

  @Test
  void aConnectionHeldPastTheLeakTimeoutIsReportedThenReturned(TestDatabase db) throws Exception {
    assumeFalse("true".equals(agentActiveBefore),
        "with the agent attached the pool's own reports step aside (see the next test)");
    String name = PoolFixtures.uniqueName("leak");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name)
        .leakDetectionTimeout(Duration.ofMillis(200)).build())) {
      Connection held = pool.getConnection();
      PoolFixtures.selectOne(held);
      assertTrue(PoolFixtures.within(10, () -> String.join("\n", leakLog).contains("poolagent leak:")));
      assertEquals(PoolHealth.DEGRADED, pool.health());
      held.close();
      // made by whichever comes second: this close, or the sweeper finishing the leak report
      assertTrue(PoolFixtures.within(5, () -> String.join("\n", leakLog).contains("returned after")));
      String all = String.join("\n", leakLog);
      assertTrue(all.contains("from " + name + " held "), all);
      assertTrue(all.contains("\tat " + getClass().getName()
          + ".aConnectionHeldPastTheLeakTimeoutIsReportedThenReturned("), all);
      assertTrue(all.contains("by thread \"" + Thread.currentThread().getName() + "\""), all);
      assertTrue(all.contains("returned after"), all);
      assertTrue(PoolFixtures.within(5, () -> pool.health() == PoolHealth.HEALTHY));
    }
  }

  @Test
  void thePoolStaysQuietWhileTheAgentIsAttached(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("quiet");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name)
        .leakDetectionTimeout(Duration.ofMillis(100)).build())) {
      System.setProperty(AGENT_ACTIVE, "true");
      Connection held = pool.getConnection();
      assertTrue(PoolFixtures.within(5, () -> pool.health() == PoolHealth.DEGRADED), "still tracked");
      Thread.sleep(300);
      held.close();
      assertFalse(String.join("\n", leakLog).contains(name), "nothing reported twice: " + leakLog);
    }
  }

  @Test
  void statsAndTheMXBeanDescribeThePoolWithoutMicrometer(TestDatabase db) throws Exception {
    assertThrows(ClassNotFoundException.class,
        () -> Class.forName("io.micrometer.core.instrument.MeterRegistry"));
    String name = PoolFixtures.uniqueName("jmx");
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName objectName = new ObjectName("poolagent:type=Pool,name=" + name);
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name).build())) {
      try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
        PoolFixtures.selectOne(a);
        PoolFixtures.selectOne(b);
        assertEquals(2, server.getAttribute(objectName, "ActiveConnections"));
      }
      PoolStats s = pool.stats();
      assertEquals(2, s.total());
      assertEquals(2, s.idle());
      assertEquals(2, s.acquisitions());
      assertEquals(2, s.releases());
      assertEquals(2, s.peakActive());
      assertEquals("HEALTHY", server.getAttribute(objectName, "Health"));
      server.invoke(objectName, "softEvict", null, null);
      assertEquals(0, pool.stats().total());
    }
    assertFalse(server.isRegistered(objectName));
  }
}
