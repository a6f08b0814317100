package io.poolagent.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.FaultProxy;
import io.poolagent.it.support.FaultProxy.Mode;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolConfigBuilder;
import io.poolagent.pool.PoolHealth;
import io.poolagent.pool.RetryingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Network faults between the pool and PostgreSQL, injected by a loopback proxy. */
@ExtendWith(PostgresExtension.class)
class OutageIT {
  private FaultProxy proxy;

  @BeforeEach
  void startProxy(TestDatabase db) throws Exception {
    proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db));
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private PoolConfigBuilder config(TestDatabase db, String name) {
    return PoolFixtures.config(db, PoolFixtures.viaPort(db, proxy.port()), name)
        .minSize(2).maxSize(4).retryAttempts(2)
        .acquireTimeout(Duration.ofSeconds(3))
        .connectTimeout(Duration.ofSeconds(1))
        .retryMaxBackoff(Duration.ofMillis(500));
  }

  /** A borrow and a query, true if both worked. */
  private static boolean works(RetryingDataSource pool) {
    try (Connection c = pool.getConnection()) {
      return PoolFixtures.selectOne(c) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  @Test
  void cutThenRestoreRecoversWithoutRestartWithin5Seconds(TestDatabase db) throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(config(db, PoolFixtures.uniqueName("cut")).build())) {
      assertTrue(PoolFixtures.within(10, () -> pool.stats().idle() == 2), "min idle opened");
      assertTrue(works(pool));
      assertEquals(PoolHealth.HEALTHY, pool.health());

      proxy.mode(Mode.CUT);
      Thread.sleep(600); // idle past the validation bypass window, so borrows validate
      assertThrows(SQLException.class, () -> {
        try (Connection c = pool.getConnection()) {
          PoolFixtures.selectOne(c);
        }
      });
      assertTrue(PoolFixtures.within(5, () -> pool.health() == PoolHealth.UNHEALTHY),
          "unhealthy while the database is unreachable: " + pool.health());
      long failures = pool.stats().creationFailures();
      assertTrue(PoolFixtures.within(10, () -> pool.stats().creationFailures() > failures + 1),
          "keeps reconnecting in the background");
      assertTrue(pool.stats().lastError() != null);

      proxy.mode(Mode.PASS);
      long restored = System.nanoTime();
      assertTrue(PoolFixtures.within(5, () -> pool.health() != PoolHealth.UNHEALTHY && works(pool)),
          "recovered within 5 s of restore");
      long tookMillis = (System.nanoTime() - restored) / 1_000_000;
      assertTrue(PoolFixtures.within(5, () -> pool.stats().idle() >= 2), "min idle again");
      assertTrue(pool.stats().total() <= 4);
      System.out.println("pool recovered " + tookMillis + " ms after the database came back");
    }
  }

  @Test
  void blackholeFailsWithinTheTimeoutsAndRecovers(TestDatabase db) throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(config(db, PoolFixtures.uniqueName("hole"))
        .minSize(1).build())) {
      assertTrue(works(pool));
      proxy.mode(Mode.BLACKHOLE);
      Thread.sleep(600);
      long start = System.nanoTime();
      assertThrows(SQLException.class, pool::getConnection);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis < 15_000, "bounded by validation, connect and acquire timeouts: " + tookMillis);
      assertTrue(PoolFixtures.within(5, () -> pool.health() == PoolHealth.UNHEALTHY));
      proxy.mode(Mode.PASS);
      assertTrue(PoolFixtures.within(10, () -> works(pool)), "recovers after the blackhole");
    }
  }

  @Test
  void aResetMidQueryFailsThatQueryAndTheBrokenConnectionIsNotReused(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("reset");
    try (RetryingDataSource pool = new RetryingDataSource(config(db, name).minSize(0).build());
        Connection admin = db.connect()) {
      Connection c = pool.getConnection();
      assertEquals(1, PoolFixtures.selectOne(c));
      proxy.mode(Mode.RESET_MID_QUERY);
      SQLException e = assertThrows(SQLException.class, () -> {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT pg_sleep(0.1)");
        }
      });
      assertTrue(e.getSQLState() == null || e.getSQLState().startsWith("08"), e.getSQLState());
      proxy.mode(Mode.PASS);
      c.close();
      assertEquals(0, pool.stats().total(), "the broken connection was discarded on return");
      assertTrue(works(pool));
      assertTrue(PoolFixtures.within(5, () -> {
        try {
          return PoolFixtures.backends(admin, name) == pool.stats().total();
        } catch (SQLException ex) {
          return false;
        }
      }), "the server sees exactly the pooled connections");
    }
  }

  @Test
  void aLoginTheDatabaseNeverAnswersFailsByTheConnectTimeoutNotTheAcquireTimeout(TestDatabase db)
      throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(config(db, PoolFixtures.uniqueName("login"))
        .minSize(0).retryAttempts(1).acquireTimeout(Duration.ofSeconds(60)).build())) {
      proxy.mode(Mode.BLACKHOLE); // TCP connects, the login is never answered
      // ended by the 1 s connect timeout (an SSL request and a plain login, each unanswered), long
      // before the 60 s acquire timeout; without a bound on the login the call would never return
      SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
          () -> assertThrows(SQLException.class, pool::getConnection));
      assertTrue(e.getMessage().contains("could not open a connection after 1 attempt"), e.getMessage());
      assertEquals(1, pool.stats().creationFailures());
    }
  }

  @Test
  void aStatementMayRunLongerThanTheConnectTimeout(TestDatabase db) throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(config(db, PoolFixtures.uniqueName("long"))
        .minSize(0).build());
        Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      // the socket timeout that bounds the login (1 s here) is lifted once the session is set up
      assertTrue(s.execute("SELECT pg_sleep(2.5)"));
      assertEquals(1, PoolFixtures.selectOne(c));
    }
  }

  @Test
  void queriesStillWorkWithLatency(TestDatabase db) throws Exception {
    try (RetryingDataSource pool = new RetryingDataSource(config(db, PoolFixtures.uniqueName("slow"))
        .minSize(0).build())) {
      proxy.latencyMillis(100);
      proxy.mode(Mode.LATENCY);
      for (int i = 0; i < 3; i++) {
        assertTrue(works(pool));
      }
      assertEquals(0, pool.stats().creationFailures());
    }
  }
}
