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

  @Test
  void aConnectionStillOpeningWhenThePoolClosesIsClosedNotHandedOut() throws Exception {
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    db.beforeOpen = () -> {
      opening.countDown();
      await(proceed);
    };
    RetryingDataSource pool = new RetryingDataSource(db.config().build());
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread borrower = new Thread(() -> {
      try (Connection c = pool.getConnection()) {
        failures.add(new AssertionError("handed out by a closed pool: " + c));
      } catch (SQLException expected) {
        failures.add(expected);
      }
    });
    borrower.start();
    assertTrue(opening.await(5, java.util.concurrent.TimeUnit.SECONDS));
    pool.close(); // nothing borrowed yet: returns while the open is still in progress
    proceed.countDown();
    borrower.join(5_000);
    assertEquals(1, failures.size());
    assertTrue(failures.get(0).getMessage().contains("is closed"), failures.get(0).toString());
    assertEquals(1, db.opens.get());
    assertEquals(0, db.live(), "the connection that finished opening after close was closed");
  }

  @Test
  void aKeepaliveValidationThatOutlastsShutdownClosesItsConnection() throws Exception {
    RetryingDataSource pool = new RetryingDataSource(db.config().minSize(1).build());
    Eventually.holds("one idle connection", () -> pool.stats().idle() == 1);
    pool.engine().maintenance.keepalive(Duration.ofMillis(50));
    CountDownLatch validating = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    db.beforeValidation = () -> {
      if (Thread.currentThread().getName().contains("maintenance")) {
        validating.countDown();
        await(proceed);
      }
    };
    assertTrue(validating.await(5, java.util.concurrent.TimeUnit.SECONDS), "keepalive started");
    pool.close(); // gives up waiting for maintenance after 5 s: a driver's isValid ignores interrupts
    assertEquals(1, db.live(), "still held by the keepalive validation");
    proceed.countDown();
    Eventually.holds("closed once validated", () -> db.live() == 0);
  }

  /** Waits as a driver blocked in network I/O does: interrupts do not end the wait. */
  private static void await(CountDownLatch latch) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (latch.getCount() > 0 && deadline - System.nanoTime() > 0) {
      try {
        latch.await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
