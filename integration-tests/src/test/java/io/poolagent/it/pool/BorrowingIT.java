package io.poolagent.it.pool;

import static io.poolagent.it.pool.PoolFixtures.backends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolHealth;
import io.poolagent.pool.RetryingDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Exhaustion, statement timeout, session reset and recycling on a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class BorrowingIT {

  private static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void exhaustionTimesOutWithThePoolStateAndWhoHoldsTheConnections(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("exhaust");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name).maxSize(2)
        .acquireTimeout(Duration.ofMillis(500)).leakDetectionTimeout(Duration.ofMinutes(5)).build())) {
      Connection a = pool.getConnection();
      Connection b = pool.getConnection();
      SQLTransientConnectionException e =
          assertThrows(SQLTransientConnectionException.class, pool::getConnection);
      String m = e.getMessage();
      assertTrue(m.contains("timed out after 500 ms waiting for a connection"), m);
      assertTrue(m.contains("total=2, idle=0, active=2, waiting=0, max=2"), m);
      assertTrue(m.contains("held by:"), m);
      assertTrue(m.contains("at " + getClass().getName()
          + ".exhaustionTimesOutWithThePoolStateAndWhoHoldsTheConnections("), m);
      assertTrue(m.contains("thread \"" + Thread.currentThread().getName() + "\""), m);
      assertEquals(PoolHealth.DEGRADED, pool.health());
      a.close();
      try (Connection c = pool.getConnection()) {
        assertEquals(1, PoolFixtures.selectOne(c), "usable again once one is returned");
      }
      b.close();
    }
  }

  @Test
  void statementTimeoutIsAppliedToEveryConnection(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("stmt");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name)
        .statementTimeout(Duration.ofMillis(500)).build())) {
      try (Connection c = pool.getConnection()) {
        assertEquals("500ms", show(c, "statement_timeout"));
        long start = System.nanoTime();
        SQLException e = assertThrows(SQLException.class, () -> {
          try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_sleep(10)");
          }
        });
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("57014", e.getSQLState(), "query_canceled: " + e.getMessage());
        assertTrue(tookMillis < 8_000, "cancelled by the timeout, not finished: " + tookMillis + " ms");
        assertEquals(1, PoolFixtures.selectOne(c), "the connection is still usable");
      }
      // the setting survives a RESET ALL by the application (it is a connection start-up option)
      try (Connection c = pool.getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("RESET ALL");
        }
        assertEquals("500ms", show(c, "statement_timeout"));
      }
    }
  }

  @Test
  void zeroStatementTimeoutLeavesTheServerDefault(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("nostmt");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name)
        .statementTimeout(Duration.ZERO).build());
        Connection c = pool.getConnection()) {
      assertEquals("0", show(c, "statement_timeout"));
    }
  }

  @Test
  void aStatementKeptPastCloseCannotRunOnTheNextBorrowersSession(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("stale");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name).maxSize(1).build())) {
      Connection c = pool.getConnection();
      int pid = backendPid(c);
      Statement kept = c.createStatement();
      c.close();
      try (Connection next = pool.getConnection()) {
        assertEquals(pid, backendPid(next), "the next borrower has the same backend");
        assertTrue(kept.isClosed());
        assertThrows(SQLException.class, () -> kept.executeQuery("SELECT 1"));
      }
    }
  }

  @Test
  void sessionStateTheAppChangedIsResetOnReturn(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("reset");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name).maxSize(1).build())) {
      try (Connection c = pool.getConnection()) {
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.setAutoCommit(false);
        assertEquals(1, PoolFixtures.selectOne(c));
      }
      try (Connection c = pool.getConnection()) {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TEMP TABLE IF NOT EXISTS it_uncommitted(x int)");
        }
      } // closed with an open transaction: rolled back
      try (Connection c = pool.getConnection()) {
        assertTrue(c.getAutoCommit());
        assertEquals(Connection.TRANSACTION_READ_COMMITTED, c.getTransactionIsolation());
        assertEquals("off", show(c, "transaction_read_only"));
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT to_regclass('pg_temp.it_uncommitted') IS NULL")) {
          rs.next();
          assertTrue(rs.getBoolean(1), "the uncommitted temp table was rolled back");
        }
      }
    }
  }

  @Test
  void recyclesByQueryCountAndByAge(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("recycle");
    try (Connection admin = db.connect();
        RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name).maxSize(1)
            .maxQueries(3).build())) {
      int first;
      try (Connection c = pool.getConnection()) {
        first = backendPid(c); // statement 1
        PoolFixtures.selectOne(c); // statement 2
        PoolFixtures.selectOne(c); // statement 3: recycled on return
      }
      try (Connection c = pool.getConnection()) {
        assertNotEquals(first, backendPid(c), "a fresh backend after max queries");
      }
      assertEquals(1, PoolFixtures.backendsSettlingAt(admin, name, 1),
          "the recycled backend is gone, the fresh one serves");
    }
    String aged = PoolFixtures.uniqueName("aged");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, aged).maxSize(1)
        .maxConnectionLifetime(Duration.ofMillis(300)).build())) {
      int first;
      try (Connection c = pool.getConnection()) {
        first = backendPid(c);
      }
      Thread.sleep(500);
      try (Connection c = pool.getConnection()) {
        assertNotEquals(first, backendPid(c), "a fresh backend after max lifetime");
      }
    }
  }
}
