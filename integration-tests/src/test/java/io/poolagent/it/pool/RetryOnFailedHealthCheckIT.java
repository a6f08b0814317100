package io.poolagent.it.pool;

import static io.poolagent.it.pool.PoolFixtures.backends;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The original bug, on a real PostgreSQL: the health check fails on attempt 1 and passes on attempt
 * 2, and no connection is lost. The health check is a validation query that fails for its first N
 * calls (a sequence counts the calls, outside any transaction, so it also counts physical opens: each
 * new connection is validated exactly once). The server's pg_stat_activity proves what is still
 * open.
 */
@ExtendWith(PostgresExtension.class)
class RetryOnFailedHealthCheckIT {

  @BeforeAll
  static void createFlakyHealthCheck(TestDatabase db) throws SQLException {
    PoolFixtures.execute(db, "CREATE OR REPLACE FUNCTION it_flaky_check(seq text, fail_first int)"
        + " RETURNS int LANGUAGE plpgsql AS $$ BEGIN"
        + " IF nextval(seq::regclass) <= fail_first THEN"
        + " RAISE EXCEPTION 'health check failed (flaky, call %)', currval(seq::regclass); END IF;"
        + " RETURN 1; END $$");
  }

  private static String flakySequence(TestDatabase db, String name) throws SQLException {
    String seq = "it_seq_" + name.replaceAll("[^A-Za-z0-9]", "_");
    PoolFixtures.execute(db, "DROP SEQUENCE IF EXISTS " + seq);
    PoolFixtures.execute(db, "CREATE SEQUENCE " + seq);
    return seq;
  }

  /** Physical connections opened so far: the health check's call count. */
  private static long calls(Connection admin, String seq) throws SQLException {
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT last_value, is_called FROM " + seq)) {
      rs.next();
      return rs.getBoolean(2) ? rs.getLong(1) : 0;
    }
  }

  private static RetryingDataSource pool(TestDatabase db, String name, String seq, int failFirst,
      int attempts) {
    return new RetryingDataSource(PoolFixtures.config(db, name)
        .validationQuery("SELECT it_flaky_check('" + seq + "', " + failFirst + ")")
        .retryAttempts(attempts).build());
  }

  @Test
  void healthCheckFailsOnAttempt1AndPassesOnAttempt2ZeroConnectionsLost(TestDatabase db)
      throws Exception {
    String name = PoolFixtures.uniqueName("bug");
    String seq = flakySequence(db, name);
    try (Connection admin = db.connect()) {
      try (RetryingDataSource pool = pool(db, name, seq, 1, 3)) {
        try (Connection c = pool.getConnection()) {
          assertEquals(1, PoolFixtures.selectOne(c));
        }
        long opens = calls(admin, seq);
        int pooled = pool.stats().total();
        int live = backends(admin, name);
        assertEquals(2, opens, "attempt 1 and attempt 2 each opened a physical connection");
        assertEquals(1, pooled, "attempt 2's connection is pooled");
        assertEquals(pooled, live, "the server sees exactly the pooled connections");
        assertEquals(opens, (opens - live) + pooled, "opens = closes + pooled");
        assertEquals(1, opens - live, "attempt 1's connection was closed, not leaked");
        // and it keeps working: borrow again, same single connection
        try (Connection c = pool.getConnection()) {
          assertEquals(1, PoolFixtures.selectOne(c));
        }
        assertEquals(1, backends(admin, name));
      }
      assertTrue(PoolFixtures.within(5, () -> quietBackends(admin, name) == 0),
          "closed pool leaves nothing on the server");
    }
  }

  @Test
  void validationFailingNTimesInARowThenPassing(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("flaky3");
    String seq = flakySequence(db, name);
    try (Connection admin = db.connect();
        RetryingDataSource pool = pool(db, name, seq, 3, 4)) {
      try (Connection c = pool.getConnection()) {
        assertEquals(1, PoolFixtures.selectOne(c));
      }
      assertEquals(4, calls(admin, seq));
      assertEquals(1, backends(admin, name));
      assertEquals(3, pool.stats().creationFailures());
      assertTrue(pool.stats().lastError().contains("health check failed"), pool.stats().lastError());
    }
  }

  @Test
  void validationFailingOnEveryAttemptGivesUpAndLeavesNothingOpen(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("flakyall");
    String seq = flakySequence(db, name);
    try (Connection admin = db.connect();
        RetryingDataSource pool = pool(db, name, seq, 3, 3)) {
      SQLTransientConnectionException e =
          assertThrows(SQLTransientConnectionException.class, pool::getConnection);
      assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
      assertTrue(e.getMessage().contains("health check failed"), e.getMessage());
      assertEquals(3, calls(admin, seq));
      assertTrue(PoolFixtures.within(5, () -> quietBackends(admin, name) == 0));
      assertEquals(0, pool.stats().total());
      assertEquals(PoolHealth.UNHEALTHY, pool.health());
      // the next borrow's health check passes: the pool was not left short
      try (Connection c = pool.getConnection()) {
        assertEquals(1, PoolFixtures.selectOne(c));
      }
      assertTrue(pool.health() != PoolHealth.UNHEALTHY);
    }
  }

  private static int quietBackends(Connection admin, String name) {
    try {
      return backends(admin, name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
