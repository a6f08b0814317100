package io.poolagent.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.FaultProxy;
import io.poolagent.it.support.FaultProxy.Mode;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fault proxy itself does what its modes promise, with plain JDBC and sockets. */
@ExtendWith(PostgresExtension.class)
class FaultProxyIT {

  private static Connection connect(TestDatabase db, FaultProxy proxy, int timeoutSeconds)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", db.user());
    if (!db.password().isEmpty()) {
      p.setProperty("password", db.password());
    }
    p.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
    p.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
    p.setProperty("socketTimeout", Integer.toString(timeoutSeconds));
    return DriverManager.getConnection(PoolFixtures.viaPort(db, proxy.port()), p);
  }

  @Test
  void passForwardsCutClosesAndRefusesAndPassRestoresOnTheSamePort(TestDatabase db) throws Exception {
    try (FaultProxy proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db))) {
      Connection c = connect(db, proxy, 2);
      assertEquals(1, PoolFixtures.selectOne(c));
      assertEquals(1, proxy.openLinks());
      proxy.mode(Mode.CUT);
      assertThrows(SQLException.class, () -> PoolFixtures.selectOne(c), "existing link closed");
      assertThrows(ConnectException.class,
          () -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close(), "new refused");
      proxy.mode(Mode.PASS);
      try (Connection again = connect(db, proxy, 2)) {
        assertEquals(1, PoolFixtures.selectOne(again));
      }
      c.close();
    }
  }

  @Test
  void blackholeAcceptsButNeverAnswers(TestDatabase db) throws Exception {
    try (FaultProxy proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db))) {
      try (Connection c = connect(db, proxy, 1)) {
        proxy.mode(Mode.BLACKHOLE);
        assertThrows(SQLException.class, () -> PoolFixtures.selectOne(c), "no answer: socket timeout");
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
          assertTrue(s.isConnected(), "new connections are accepted");
        }
        assertThrows(SQLException.class, () -> connect(db, proxy, 1), "but never answered");
      }
    }
  }

  @Test
  void resetMidQueryBreaksTheLinkOnTheNextQuery(TestDatabase db) throws Exception {
    try (FaultProxy proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db));
        Connection c = connect(db, proxy, 2)) {
      assertEquals(1, PoolFixtures.selectOne(c));
      proxy.mode(Mode.RESET_MID_QUERY);
      SQLException e = assertThrows(SQLException.class, () -> {
        try (Statement s = c.createStatement()) {
          s.execute("SELECT 1");
        }
      });
      assertTrue(e.getSQLState() == null || e.getSQLState().startsWith("08"), e.getSQLState());
      assertTrue(c.isClosed(), "the driver treats the reset as fatal");
    }
  }

  @Test
  void latencyDelaysButDelivers(TestDatabase db) throws IOException, SQLException, InterruptedException {
    try (FaultProxy proxy = new FaultProxy(PoolFixtures.host(db), PoolFixtures.port(db));
        Connection c = connect(db, proxy, 5)) {
      proxy.latencyMillis(100);
      proxy.mode(Mode.LATENCY);
      long start = System.nanoTime();
      assertEquals(1, PoolFixtures.selectOne(c));
      assertTrue(System.nanoTime() - start >= 100_000_000L, "at least one delayed chunk each way");
    }
  }
}
