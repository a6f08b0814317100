package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeakDetectionTest {
  private final StubDatabase db = StubDatabase.create();
  private RetryingDataSource pool;

  @AfterEach
  void cleanUp() {
    System.clearProperty(PoolLeaks.AGENT_ACTIVE);
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void heldPastTheTimeoutIsReportedWithStackAndThreadThenReturned() throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      pool = new RetryingDataSource(db.config().poolName("leaky")
          .leakDetectionTimeout(Duration.ofMillis(50)).build());
      Connection c = pool.getConnection();
      Eventually.holds("leak reported", () -> log.text().contains("poolagent leak:"));
      c.close();
      // made by whichever comes second: this close, or the sweeper finishing the leak report
      Eventually.holds("return reported", () -> log.text().contains("poolagent returned:"));
      String text = log.text();
      assertTrue(text.contains("from leaky held"), text);
      assertTrue(text.contains("by thread \"" + Thread.currentThread().getName() + "\""), text);
      assertTrue(text.contains("acquired at:" + System.lineSeparator() + "\tat " + getClass().getName()
          + ".heldPastTheTimeoutIsReportedWithStackAndThreadThenReturned("), "first frame is the caller: " + text);
      assertTrue(text.contains("poolagent returned: connection"), text);
      assertTrue(text.contains("returned after"), text);
    }
  }

  @Test
  void stepsAsideWhenTheAgentIsAttachedEvenAfterThePoolStarted() throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      pool = new RetryingDataSource(db.config().leakDetectionTimeout(Duration.ofMillis(30)).build());
      System.setProperty(PoolLeaks.AGENT_ACTIVE, "true"); // a dynamic attach after start
      Connection c = pool.getConnection();
      Eventually.holds("flagged", () -> pool.health() == PoolHealth.DEGRADED);
      Thread.sleep(100);
      c.close();
      assertFalse(log.text().contains("poolagent leak:"), log.text());
      assertFalse(log.text().contains("poolagent returned:"), log.text());
    }
  }

  @Test
  void offMeansNoTrackingAndNoSweeperThread() throws Exception {
    pool = new RetryingDataSource(db.config().poolName("noleaks").leakDetectionTimeout(Duration.ZERO).build());
    pool.getConnection().close();
    assertEquals(0, pool.management().getLeakDetectionThresholdMillis());
    assertFalse(Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("poolagent-noleaks-leak-sweeper")));
  }

  @Test
  void theThresholdCanBeTurnedOnAndOffAtRunTime() throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      pool = new RetryingDataSource(db.config().leakDetectionTimeout(Duration.ZERO).build());
      Connection before = pool.getConnection();
      pool.management().setLeakDetectionThresholdMillis(30);
      assertEquals(30, pool.management().getLeakDetectionThresholdMillis());
      Connection after = pool.getConnection();
      Eventually.holds("the new borrow is reported", () -> log.text().contains("poolagent leak:"));
      assertEquals(1, log.text().split("poolagent leak:", -1).length - 1,
          "a borrow made while detection was off is not tracked");
      pool.management().setLeakDetectionThresholdMillis(0);
      before.close();
      after.close();
      assertEquals(0, pool.stats().active());
    }
  }
}
