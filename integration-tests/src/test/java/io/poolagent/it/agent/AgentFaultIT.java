package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.pool.PoolFixtures;
import io.poolagent.it.support.FaultProxy;
import io.poolagent.it.support.FaultProxy.Mode;
import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Network and server faults under every pool with the agent attached: after each fault the agent's
 * open-borrow count is exactly what the test still holds, and a getConnection that threw left no
 * record (Acquired grows only by the calls that returned a connection).
 */
@ExtendWith(PostgresExtension.class)
class AgentFaultIT {
  private LeakDetectorBean agent;
  private long acquiredBefore;
  private long openBefore;
  private int returned;

  @ParameterizedTest
  @EnumSource(PoolKind.class)
  void theAgentsCountsFollowTheAppThroughEveryFault(PoolKind kind, TestDatabase db) throws Exception {
    agent = LeakDetectorBean.inThisJvm();
    String name = PoolFixtures.uniqueName("agent-fault-" + kind.name().toLowerCase());
    ExecutorService calls = Executors.newCachedThreadPool();
    try (FaultProxy proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db));
        Connection admin = db.connect()) {
      TestDatabase viaProxy = new TestDatabase(PoolFixtures.viaPort(db, proxy.port())
          + "?connectTimeout=1&loginTimeout=2&socketTimeout=3&ApplicationName=" + name,
          db.user(), db.password(), "fault proxy");
      try (PoolKind.Opened pool = kind.open(viaProxy, name, new PoolKind.Limits(4, 3_000))) {
        DataSource ds = pool.dataSource();
        try (Connection c = ds.getConnection()) {
          assertEquals(1, PoolFixtures.selectOne(c));
        }
        Thread.sleep(300); // the pool fills itself on its own threads
        acquiredBefore = agent.number("Acquired");
        openBefore = agent.number("OpenConnections");
        returned = 0;

        // reset mid-query on a held connection
        Connection held = borrow(ds);
        proxy.mode(Mode.RESET_MID_QUERY);
        assertThrows(SQLException.class, () -> PoolFixtures.selectOne(held), kind + ": reset");
        proxy.mode(Mode.PASS);
        closeQuietly(held);
        assertCounts(kind, "after reset", 0);

        // the server ends the backend of a held connection
        Connection victim = borrow(ds);
        terminate(admin, name);
        assertThrows(SQLException.class, () -> PoolFixtures.selectOne(victim), kind + ": terminated");
        closeQuietly(victim);
        assertCounts(kind, "after pg_terminate_backend", 0);

        // cut: the held connection dies and borrows fail (or hand out what the pool still has)
        Connection cutHeld = borrow(ds);
        proxy.mode(Mode.CUT);
        Thread.sleep(600); // past the pools' validation bypass windows
        for (int i = 0; i < 2; i++) {
          tryBorrow(calls, ds, kind);
        }
        assertCounts(kind, "during the cut", 1);
        closeQuietly(cutHeld);
        assertCounts(kind, "during the cut, after close", 0);
        proxy.mode(Mode.PASS);

        // blackhole: a held connection's query and a new borrow both end, bounded
        Connection holeHeld = borrow(ds);
        proxy.mode(Mode.BLACKHOLE);
        Future<?> query = calls.submit(() -> {
          try (Statement s = holeHeld.createStatement()) {
            s.execute("SELECT 1");
          }
          return null;
        });
        tryBorrow(calls, ds, kind);
        try {
          query.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException expected) {
          // the socket timeout ended it
        }
        proxy.mode(Mode.PASS);
        closeQuietly(holeHeld);
        assertCounts(kind, "after the blackhole", 0);

        // latency: slow but working. Tomcat JDBC and Agroal, as configured here, do not validate
        // on borrow and may keep handing out connections the faults broke: for them the agent's
        // counts are checked, not the pool's recovery.
        proxy.latencyMillis(50);
        proxy.mode(Mode.LATENCY);
        boolean validates = kind != PoolKind.TOMCAT_JDBC && kind != PoolKind.AGROAL;
        for (int i = 0; i < 5 && !works(ds); i++) {
          Thread.sleep(100);
        }
        proxy.mode(Mode.PASS);
        if (validates) {
          assertTrue(PoolFixtures.within(30, () -> works(ds)), kind + ": serves again after the faults");
        }
        assertCounts(kind, "healed", 0);
      }
    } finally {
      calls.shutdownNow();
    }
  }

  private Connection borrow(DataSource ds) throws SQLException {
    Connection c = ds.getConnection();
    returned++;
    return c;
  }

  /** A borrow that may fail; counted only when it returned a connection, which is closed. */
  private void tryBorrow(ExecutorService calls, DataSource ds, PoolKind kind) throws Exception {
    Callable<Connection> getConnection = ds::getConnection;
    Future<Connection> call = calls.submit(getConnection);
    try {
      Connection c = call.get(60, TimeUnit.SECONDS);
      returned++;
      closeQuietly(c);
    } catch (java.util.concurrent.ExecutionException e) {
      assertTrue(e.getCause() instanceof SQLException, kind + ": a failed borrow throws SQLException: "
          + e.getCause());
      assertTrue(e.getCause().getMessage() != null && !e.getCause().getMessage().isBlank(),
          kind + ": with a message");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(kind + ": getConnection hung for 60 s during a fault", e);
    }
  }

  private void assertCounts(PoolKind kind, String when, int held) throws Exception {
    assertEquals(openBefore + held, agent.number("OpenConnections"),
        kind + " " + when + ": open borrows are exactly the ones the app holds");
    assertEquals(acquiredBefore + returned, agent.number("Acquired"),
        kind + " " + when + ": only getConnection calls that returned a connection are counted");
  }

  /** One borrow and query; a borrow that returned is counted even if its query failed. */
  private boolean works(DataSource ds) {
    Connection c;
    try {
      c = ds.getConnection();
    } catch (SQLException e) {
      return false;
    }
    returned++;
    try (c) {
      return PoolFixtures.selectOne(c) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  private static void terminate(Connection admin, String name) throws SQLException {
    try (PreparedStatement ps = admin.prepareStatement(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, name);
      ps.execute();
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // a broken connection may complain on close; the pool still takes it back
    }
  }
}
