package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BorrowAndReturnTest {
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
  void eachBorrowGetsANewHandleOnTheSamePhysicalConnection() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection first = pool.getConnection();
    StubConnectionState physical = physical(first);
    first.close();
    Connection second = pool.getConnection();
    assertNotSame(first, second, "a new wrapper per borrow");
    assertSame(physical, physical(second), "the physical connection is reused");
    second.close();
    assertEquals(1, db.opens.get());
  }

  @Test
  void aClosedHandleRefusesUseAndCannotTouchTheNextBorrowersConnection() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection stale = pool.getConnection();
    stale.close();
    Connection current = pool.getConnection();
    assertTrue(stale.isClosed());
    SQLException e = assertThrows(SQLException.class, stale::createStatement);
    assertEquals("08003", e.getSQLState());
    assertThrows(SQLException.class, () -> stale.setAutoCommit(false));
    assertThrows(SQLException.class, stale::commit);
    stale.close(); // double close: a no-op, must not return the current borrower's connection
    assertEquals(1, pool.stats().active());
    assertFalse(current.isClosed());
    current.createStatement();
    current.close();
    assertEquals(0, pool.stats().active());
    assertEquals(1, pool.stats().idle());
    assertEquals(2, pool.stats().releases(), "each borrow released once");
  }

  @Test
  void aStatementWhoseQueryTimeoutCannotBeSetIsClosedAndTheErrorShown() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(1).statementTimeout(Duration.ofSeconds(5))
        .build());
    db.queryTimeoutFails = true;
    try (Connection c = pool.getConnection()) {
      SQLException e = assertThrows(SQLException.class, c::createStatement);
      assertTrue(e.getMessage().contains("no query timeout"), e.getMessage());
      assertEquals(1, db.statementCloses.get(), "the statement was closed, not left open");
      db.queryTimeoutFails = false;
      c.createStatement().execute("select 1");
    }
    assertEquals(2, db.statementCloses.get());
  }

  @Test
  void statementsLeftOpenAreClosedWithTheHandleSoTheyCannotRunOnTheNextBorrowersSession()
      throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(1).build());
    Connection c = pool.getConnection();
    StubConnectionState first = physical(c);
    java.sql.Statement kept = c.createStatement();
    java.sql.PreparedStatement closedByApp = c.prepareStatement("select 1");
    closedByApp.close();
    c.close();
    assertTrue(kept.isClosed(), "closed with the handle");
    assertThrows(SQLException.class, () -> kept.execute("select 1"));
    assertEquals(2, db.statementCloses.get(), "each statement closed once");
    try (Connection next = pool.getConnection()) {
      assertSame(first, physical(next), "the same physical connection, kept and still usable");
      next.createStatement().execute("select 1");
    }
  }

  @Test
  void aLongBorrowDoesNotHoldOnToStatementsTheApplicationClosed() throws Exception {
    pool = new RetryingDataSource(db.config().maxQueries(0).build());
    try (Connection c = pool.getConnection()) {
      for (int i = 0; i < 10_000; i++) {
        c.prepareStatement("select " + i).close();
      }
      java.sql.Statement open = c.createStatement();
      int tracked = c.unwrap(ConnectionHandle.class).trackedStatements();
      assertTrue(tracked <= 16, "only statements that may be open are remembered: " + tracked);
      assertFalse(open.isClosed());
    }
  }

  @Test
  void resetsOnlyWhatTheApplicationChangedAndRollsBackOpenTransactions() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection c = pool.getConnection();
    StubConnectionState s = physical(c);
    c.close();
    assertEquals(0, s.rollbacks, "untouched connection: no reset round trips");
    assertEquals(0, s.autoCommitSets);

    c = pool.getConnection();
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    c.setReadOnly(true);
    c.setSchema("other");
    c.close();
    assertEquals(1, s.rollbacks, "uncommitted work rolled back");
    assertTrue(s.autoCommit);
    assertEquals(Connection.TRANSACTION_READ_COMMITTED, s.isolation);
    assertFalse(s.readOnly);
    assertEquals("public", s.schema);
  }

  @Test
  void readsADefaultOnlyBeforeTheFirstChangeAndStillRestoresIt() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection c = pool.getConnection();
    StubConnectionState s = physical(c);
    assertEquals(0, s.sessionReads, "opening asks nothing about isolation or schema");
    c.close();

    s.isolation = Connection.TRANSACTION_REPEATABLE_READ; // the database's own default, say
    c = pool.getConnection();
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    c.setSchema("other");
    assertEquals(2, s.sessionReads, "each read once, before its first change");
    c.close();
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, s.isolation, "restored to what it was");
    assertEquals("public", s.schema);

    c = pool.getConnection();
    c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
    c.close();
    assertEquals(2, s.sessionReads, "not read again");
    assertEquals(Connection.TRANSACTION_REPEATABLE_READ, s.isolation);
  }

  @Test
  void validatesOnlyAConnectionThatWasIdleAWhile() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    pool.getConnection().close();
    int afterCreate = db.isValidCalls.get();
    pool.getConnection().close();
    assertEquals(afterCreate, db.isValidCalls.get(), "used within 500 ms: no isValid");
    Thread.sleep(600);
    pool.getConnection().close();
    assertEquals(afterCreate + 1, db.isValidCalls.get(), "idle > 500 ms: validated");
  }

  @Test
  void anIdleConnectionThatFailsValidationIsDiscardedAndReplaced() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection c = pool.getConnection();
    StubConnectionState old = physical(c);
    c.close();
    Thread.sleep(600);
    db.failNextValidations.set(1);
    Connection fresh = pool.getConnection();
    assertNotSame(old, physical(fresh));
    assertTrue(old.closed, "the failed one is closed");
    fresh.close();
    assertEquals(2, db.opens.get());
    assertEquals(1, db.closes.get());
    assertEquals(1, pool.stats().total());
  }

  @Test
  void aBrokenConnectionIsNotReturnedToTheIdleSet() throws Exception {
    pool = new RetryingDataSource(db.config().build());
    Connection c = pool.getConnection();
    StubConnectionState s = physical(c);
    s.broken = true;
    assertThrows(SQLException.class, c::commit);
    c.close();
    assertEquals(0, pool.stats().total());
    assertEquals(1, db.closes.get());
  }

  @Test
  void recyclesAConnectionAfterMaxQueries() throws Exception {
    pool = new RetryingDataSource(db.config().maxQueries(3).build());
    Connection c = pool.getConnection();
    StubConnectionState first = physical(c);
    c.createStatement();
    c.prepareStatement("select 1");
    c.close();
    c = pool.getConnection();
    assertSame(first, physical(c));
    c.prepareCall("call x()");
    c.close();
    assertTrue(first.closed, "3 statements: recycled on return");
    c = pool.getConnection();
    assertNotSame(first, physical(c));
    c.close();
  }

  @Test
  void exhaustionTimesOutWithThePoolStateAndTheHolders() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(2).acquireTimeout(Duration.ofMillis(300))
        .leakDetectionTimeout(Duration.ofMinutes(5)).build());
    Connection a = pool.getConnection();
    Connection b = pool.getConnection();
    SQLTransientConnectionException e =
        assertThrows(SQLTransientConnectionException.class, pool::getConnection);
    String m = e.getMessage();
    assertTrue(m.contains("timed out after 300 ms"), m);
    assertTrue(m.contains("total=2, idle=0, active=2, waiting=0, max=2"), m);
    assertTrue(m.contains("1 x at " + getClass().getName() + ".exhaustionTimesOutWithThePoolStateAndTheHolders("), m);
    assertTrue(m.contains("thread \"" + Thread.currentThread().getName() + "\""), m);
    assertEquals(1, pool.stats().timeouts());
    assertEquals(PoolHealth.DEGRADED, pool.health());
    a.close();
    b.close();
  }

  @Test
  void exhaustionMessageSaysHoldersAreUnknownWithoutLeakDetection() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(1).acquireTimeout(Duration.ofMillis(100)).build());
    Connection held = pool.getConnection();
    SQLException e = assertThrows(SQLTransientConnectionException.class, pool::getConnection);
    assertTrue(e.getMessage().contains("leak detection is off"), e.getMessage());
    held.close();
  }

  @Test
  void aWaiterGetsAConnectionAsSoonAsOneIsReturned() throws Exception {
    pool = new RetryingDataSource(db.config().maxSize(1).acquireTimeout(Duration.ofSeconds(10)).build());
    Connection held = pool.getConnection();
    StubConnectionState only = physical(held);
    Thread returner = new Thread(() -> {
      try {
        Thread.sleep(200);
        held.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    returner.start();
    try (Connection c = pool.getConnection()) {
      assertTrue(held.isClosed(), "got it only after the holder returned it");
      assertSame(only, physical(c));
    }
    returner.join();
    assertEquals(1, db.opens.get(), "never more than max");
  }

  @Test
  void userAndPasswordOverloadIsNotSupported() {
    pool = new RetryingDataSource(db.config().build());
    assertThrows(SQLFeatureNotSupportedException.class, () -> pool.getConnection("u", "p"));
  }
}
