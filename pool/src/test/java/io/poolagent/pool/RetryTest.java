package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retrying creation and validation, and the original bug: no connection lost on a retry. */
class RetryTest {
  private final StubDatabase db = StubDatabase.create();
  private RetryingDataSource pool;

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  /** Every physical connection ever opened is either closed or in the pool. */
  private void assertNoneLost() {
    assertEquals(db.opens.get(), db.closes.get() + db.aborts.get() + pool.stats().total(),
        "opens = closes + pooled");
  }

  @Test
  void healthCheckFailsOnAttempt1AndPassesOnAttempt2WithoutLosingAConnection() throws Exception {
    pool = new RetryingDataSource(db.config().retryAttempts(3).build());
    db.failNextValidations.set(1);
    try (Connection c = pool.getConnection()) {
      assertTrue(c.isValid(1));
    }
    assertEquals(2, db.opens.get(), "attempt 1 and attempt 2 each opened one");
    assertEquals(1, db.closes.get(), "attempt 1's connection was closed, not dropped");
    assertEquals(1, pool.stats().total(), "attempt 2's connection is pooled");
    assertEquals(1, pool.stats().idle());
    assertEquals(1, db.live());
    assertNoneLost();
    assertEquals(1, pool.stats().creationFailures());
  }

  @Test
  void theOriginalBugScenarioRepeatedUnderLoadNeverRunsThePoolDry() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(2).retryAttempts(2).build());
    for (int i = 0; i < 200; i++) {
      db.failNextValidations.set(1);
      try (Connection c = pool.getConnection()) {
        c.createStatement();
      }
      pool.management().softEvict(); // force a fresh creation (and a failed first attempt) each time
    }
    assertNoneLost();
    assertTrue(db.live() <= 2, "live " + db.live());
  }

  @Test
  void validationFailingFewerTimesThanTheAttemptsStillSucceeds() throws Exception {
    pool = new RetryingDataSource(db.config().retryAttempts(4).build());
    db.failNextValidations.set(3);
    pool.getConnection().close();
    assertEquals(4, db.opens.get());
    assertEquals(3, db.closes.get());
    assertNoneLost();
  }

  @Test
  void validationFailingOnEveryAttemptFailsAndClosesEveryConnection() throws Exception {
    pool = new RetryingDataSource(db.config().retryAttempts(3).build());
    db.failNextValidations.set(3);
    SQLTransientConnectionException e =
        assertThrows(SQLTransientConnectionException.class, pool::getConnection);
    assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
    assertEquals(3, db.opens.get());
    assertEquals(3, db.closes.get());
    assertEquals(0, pool.stats().total());
    assertEquals(PoolHealth.UNHEALTHY, pool.health());
    // the slot was given back: the pool can still reach max
    Connection a = pool.getConnection();
    Connection b = pool.getConnection();
    assertEquals(2, pool.stats().active());
    a.close();
    b.close();
    assertNoneLost();
    assertEquals(PoolHealth.DEGRADED, pool.health(), "recent creation failures");
  }

  @Test
  void openFailuresAreRetried() throws Exception {
    pool = new RetryingDataSource(db.config().retryAttempts(3).build());
    db.failNextOpens.set(2);
    pool.getConnection().close();
    assertEquals(1, db.opens.get());
    assertEquals(2, pool.stats().creationFailures());
    assertTrue(pool.stats().lastError().contains("connection refused"), pool.stats().lastError());
    assertTrue(pool.stats().lastErrorAt() != null);
  }

  @Test
  void aDriverThatThrowsAnErrorWhileOpeningGivesItsSlotBack() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(2).build());
    for (int i = 0; i < 3; i++) {
      db.nextOpenError.set(new AbstractMethodError("old driver"));
      assertThrows(AbstractMethodError.class, pool::getConnection);
    }
    try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
      assertTrue(a.isValid(1) && b.isValid(1));
      assertEquals(2, pool.stats().active(), "both slots are usable again");
    }
    assertNoneLost();
  }

  @Test
  void retriesNeverWaitPastTheAcquireTimeout() throws Exception {
    pool = new RetryingDataSource(db.config().retryAttempts(100)
        .retryInitialBackoff(Duration.ofMillis(200)).retryMaxBackoff(Duration.ofSeconds(10))
        .acquireTimeout(Duration.ofMillis(500)).build());
    db.reachable = false;
    long start = System.nanoTime();
    assertThrows(SQLTransientConnectionException.class, pool::getConnection);
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMillis < 5_000, "bounded by the acquire timeout, took " + tookMillis + " ms");
    assertTrue(pool.stats().creationFailures() < 100);
  }

  @Test
  void backoffDoublesFromTheInitialDelayUpToTheCapWithFullJitter() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    assertEquals(Duration.ofMillis(100).toNanos(), b.capNanos(1));
    assertEquals(Duration.ofMillis(200).toNanos(), b.capNanos(2));
    assertEquals(Duration.ofMillis(400).toNanos(), b.capNanos(3));
    assertEquals(Duration.ofMillis(800).toNanos(), b.capNanos(4));
    assertEquals(Duration.ofMillis(1000).toNanos(), b.capNanos(5));
    assertEquals(Duration.ofMillis(1000).toNanos(), b.capNanos(500));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      long d = b.delayNanos(3);
      assertTrue(d >= 0 && d <= b.capNanos(3), "within [0, cap]: " + d);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertTrue(min < b.capNanos(3) / 4 && max > b.capNanos(3) * 3 / 4, "spread over the range");
  }
}
