package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Maintenance, recycling, outage and recovery, health, suspend/resume and max-size changes. */
class LifecycleTest {
  private final StubDatabase db = StubDatabase.create();
  private RetryingDataSource pool;

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  private static StubConnectionState physical(Connection c) throws SQLException {
    return c.unwrap(StubDatabase.Physical.class).state();
  }

  @Test
  void maintenanceOpensMinIdleAndShrinksBackAfterIdleTime() throws Exception {
    pool = new RetryingDataSource(db.config().minSize(2).maxSize(5)
        .maxIdleTime(Duration.ofMillis(200)).build());
    Eventually.holds("min idle opened", () -> pool.stats().idle() == 2);
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      held.add(pool.getConnection());
    }
    assertEquals(5, pool.stats().total());
    for (Connection c : held) {
      c.close();
    }
    Eventually.holds("shrunk back to min", () -> pool.stats().total() == 2, () -> pool.stats().toString());
    Thread.sleep(400);
    assertEquals(2, pool.stats().total(), "never below min");
    assertEquals(db.opens.get(), db.closes.get() + 2);
  }

  @Test
  void minIdleConnectionsOpenSeveralAtOnce() throws Exception {
    // Each open waits until three opens are in progress together: one at a time, none would finish
    // (each would give up after 10 s and fail).
    CountDownLatch together = new CountDownLatch(3);
    Set<String> openers = ConcurrentHashMap.newKeySet();
    db.beforeOpen = () -> {
      openers.add(Thread.currentThread().getName());
      together.countDown();
      try {
        if (!together.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("opens did not overlap");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    pool = new RetryingDataSource(db.config().minSize(3).maxSize(5).build());
    Eventually.holds("min idle opened", () -> pool.stats().idle() == 3, () -> pool.stats().toString());
    assertEquals(3, db.opens.get());
    assertTrue(openers.stream().anyMatch(name -> name.endsWith("-opener")), openers.toString());
    assertEquals(3, pool.stats().total());
  }

  @Test
  void opensThatFailTogetherGiveTheirSlotsBackAndTheFillRecoversWhenTheDatabaseReturns()
      throws Exception {
    db.reachable = false;
    pool = new RetryingDataSource(db.config().minSize(4).maxSize(4).build());
    Eventually.holds("unreachable", () -> pool.health() == PoolHealth.UNHEALTHY);
    assertEquals(0, pool.stats().total());
    db.reachable = true;
    Eventually.holds("min idle opened", () -> pool.stats().idle() == 4, () -> pool.stats().toString());
    assertEquals(4, db.opens.get(), "no slot was lost to the failed opens: max is 4");
    assertEquals(PoolHealth.DEGRADED, pool.health(), "recent failures are still visible");
  }

  @Test
  void recyclesByAgeWithJitter() throws Exception {
    pool = new RetryingDataSource(db.config().maxConnectionLifetime(Duration.ofMillis(300)).build());
    Connection c = pool.getConnection();
    StubConnectionState first = physical(c);
    c.close();
    Eventually.holds("old connection closed by maintenance", () -> first.closed);
    c = pool.getConnection();
    assertNotSame(first, physical(c));
    c.close();
  }

  @Test
  void aConnectionPastItsLifetimeIsNotReturnedToTheIdleSet() throws Exception {
    pool = new RetryingDataSource(db.config().maxConnectionLifetime(Duration.ofMillis(100)).build());
    Connection c = pool.getConnection();
    StubConnectionState s = physical(c);
    Thread.sleep(150);
    c.close();
    assertTrue(s.closed);
  }

  @Test
  void outageTurnsUnhealthyAndRecoversInTheBackgroundWithoutRestart() throws Exception {
    pool = new RetryingDataSource(db.config().minSize(1).retryAttempts(2)
        .retryMaxBackoff(Duration.ofMillis(200)).build());
    Eventually.holds("min idle", () -> pool.stats().idle() == 1);
    assertEquals(PoolHealth.HEALTHY, pool.health());
    db.reachable = false;
    for (StubConnectionState s : db.connections) {
      s.broken = true;
    }
    Thread.sleep(600); // idle past the validation bypass window
    assertThrows(SQLTransientConnectionException.class, pool::getConnection);
    assertEquals(PoolHealth.UNHEALTHY, pool.health());
    int failuresBefore = (int) pool.stats().creationFailures();
    Eventually.holds("background reconnection attempts",
        () -> pool.stats().creationFailures() > failuresBefore + 2);
    db.reachable = true;
    Eventually.holds("recovered", () -> pool.health() != PoolHealth.UNHEALTHY
        && pool.stats().idle() == 1);
    try (Connection c = pool.getConnection()) {
      assertTrue(c.isValid(1));
    }
    assertEquals(PoolHealth.DEGRADED, pool.health(), "recent failures are still visible");
  }

  @Test
  void anIdlePoolNoticesAnOutageThroughKeepaliveAndRecovers() throws Exception {
    pool = new RetryingDataSource(db.config().minSize(1)
        .retryMaxBackoff(Duration.ofMillis(200)).build());
    pool.engine().maintenance.keepalive(Duration.ofMillis(100));
    Eventually.holds("min idle", () -> pool.stats().idle() == 1);
    assertEquals(PoolHealth.HEALTHY, pool.health());
    db.reachable = false;
    for (StubConnectionState s : db.connections) {
      s.broken = true;
    }
    Eventually.holds("unhealthy without any borrow", () -> pool.health() == PoolHealth.UNHEALTHY);
    assertEquals(0, pool.stats().total(), "the dead idle connection was discarded");
    db.reachable = true;
    Eventually.holds("recovered", () -> pool.health() != PoolHealth.UNHEALTHY
        && pool.stats().idle() == 1);
    assertEquals(pool.stats().total(), db.live());
  }

  @Test
  void healthIsAnsweredFromCachedStateWithoutTouchingTheDatabase() throws Exception {
    pool = new RetryingDataSource(db.config().minSize(1).build());
    Eventually.holds("min idle", () -> pool.stats().idle() == 1);
    int validations = db.isValidCalls.get();
    int opens = db.opens.get();
    for (int i = 0; i < 100_000; i++) {
      pool.health();
    }
    assertEquals(validations, db.isValidCalls.get(), "no validation");
    assertEquals(opens, db.opens.get(), "no connection opened");
  }

  @Test
  void suspendMakesBorrowersWaitUntilResume() throws Exception {
    pool = new RetryingDataSource(db.config().acquireTimeout(Duration.ofSeconds(10)).build());
    pool.management().suspend();
    assertTrue(pool.management().isSuspended());
    CompletableFuture<Connection> borrow = CompletableFuture.supplyAsync(() -> {
      try {
        return pool.getConnection();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertFalse(borrow.isDone(), "waits while suspended");
    pool.management().resume();
    borrow.get().close();
  }

  @Test
  void suspendedBorrowsTimeOut() {
    pool = new RetryingDataSource(db.config().acquireTimeout(Duration.ofMillis(100)).build());
    pool.management().suspend();
    SQLException e = assertThrows(SQLTransientConnectionException.class, pool::getConnection);
    assertTrue(e.getMessage().contains("suspended"), e.getMessage());
  }

  @Test
  void loweringMaxSizeClosesExtraIdleConnections() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(4).build());
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      held.add(pool.getConnection());
    }
    for (Connection c : held) {
      c.close();
    }
    pool.management().setMaxSize(2);
    Eventually.holds("shrunk to 2", () -> pool.stats().total() == 2);
    assertEquals(2, pool.management().getMaxSize());
    assertThrows(IllegalArgumentException.class, () -> pool.management().setMaxSize(0));
  }

  @Test
  void softEvictClosesIdleNowAndBorrowedOnReturn() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection idle = pool.getConnection();
    Connection borrowed = pool.getConnection();
    StubConnectionState idleState = physical(idle);
    StubConnectionState borrowedState = physical(borrowed);
    idle.close();
    pool.management().softEvict();
    assertTrue(idleState.closed);
    assertFalse(borrowedState.closed, "never pulled from under its user");
    borrowed.close();
    assertTrue(borrowedState.closed);
    assertEquals(0, pool.stats().total());
  }

  @Test
  void healthIsDegradedWhileALeakIsFlagged() throws Exception {
    pool = new RetryingDataSource(db.config().leakDetectionTimeout(Duration.ofMillis(50)).build());
    Connection held = pool.getConnection();
    Eventually.holds("degraded by the leak", () -> pool.health() == PoolHealth.DEGRADED);
    held.close();
    Eventually.holds("healthy again", () -> pool.health() == PoolHealth.HEALTHY);
  }
}
