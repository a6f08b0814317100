package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ShutdownTest {
  private final StubDatabase db = StubDatabase.create();

  @Test
  void closeRefusesNewBorrowsAndClosesIdleConnections() throws Exception {
    RetryingDataSource pool = new RetryingDataSource(db.config().minSize(2).build());
    Eventually.holds("min idle", () -> pool.stats().idle() == 2);
    pool.close();
    assertTrue(pool.isClosed());
    SQLException e = assertThrows(SQLException.class, pool::getConnection);
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
    assertEquals(0, db.live());
    assertEquals(PoolHealth.UNHEALTHY, pool.health());
  }

  @Test
  void closeWaitsForBorrowedConnectionsThatComeBackInTime() throws Exception {
    RetryingDataSource pool = new RetryingDataSource(db.config()
        .shutdownTimeout(Duration.ofSeconds(10)).build());
    Connection borrowed = pool.getConnection();
    Thread user = new Thread(() -> {
      try {
        Thread.sleep(300);
        borrowed.createStatement();
        borrowed.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    user.start();
    pool.close();
    user.join();
    assertEquals(1, db.closes.get(), "closed normally once returned");
    assertEquals(0, db.aborts.get());
    assertEquals(0, db.live());
  }

  @Test
  void closeAbortsConnectionsStillBorrowedAfterTheTimeoutNamingTheirHolders() throws Exception {
    try (CapturedLog log = new CapturedLog()) {
      RetryingDataSource pool = new RetryingDataSource(db.config()
          .leakDetectionTimeout(Duration.ofMinutes(10))
          .shutdownTimeout(Duration.ofMillis(200)).build());
      Connection kept = pool.getConnection();
      pool.close();
      assertEquals(1, db.aborts.get());
      assertEquals(0, db.live());
      String text = log.text();
      assertTrue(text.contains("closed with 1 connection still borrowed after 200 ms; aborting them"), text);
      assertTrue(text.contains(getClass().getName() + ".closeAbortsConnectionsStillBorrowedAfterTheTimeoutNamingTheirHolders("), text);
      assertTrue(text.contains("thread \"" + Thread.currentThread().getName() + "\""), text);
      kept.close(); // late return after abort: harmless
      assertEquals(0, pool.stats().total());
      assertEquals(1, pool.stats().acquisitions(), "the aborted connection's borrow still counts");
      assertEquals(1, pool.stats().releases(), "and so does its late return");
    }
  }

  @Test
  void closeIsIdempotentAndSafeFromManyThreads() throws Exception {
    RetryingDataSource pool = new RetryingDataSource(db.config().minSize(2).build());
    Eventually.holds("min idle", () -> pool.stats().idle() == 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> closers = new ArrayList<>();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          pool.close();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      t.start();
      closers.add(t);
    }
    start.countDown();
    for (Thread t : closers) {
      t.join();
    }
    pool.close();
    assertTrue(failures.isEmpty(), failures.toString());
    assertEquals(2, db.closes.get(), "each connection closed once");
    assertEquals(0, db.live());
  }

  @Test
  void threadsWaitingForAConnectionFailPromptlyWhenThePoolCloses() throws Exception {
    RetryingDataSource pool = new RetryingDataSource(db.config().maxSize(1)
        .acquireTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofMillis(100)).build());
    Connection held = pool.getConnection();
    List<Throwable> outcome = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread waiter = new Thread(() -> {
      try {
        pool.getConnection();
      } catch (SQLException e) {
        outcome.add(e);
      }
    });
    waiter.start();
    Thread.sleep(100);
    pool.close();
    waiter.join(5_000);
    assertFalse(waiter.isAlive(), "the waiter is released well before its 30 s acquire timeout");
    assertEquals(1, outcome.size());
    held.close();
  }
}
