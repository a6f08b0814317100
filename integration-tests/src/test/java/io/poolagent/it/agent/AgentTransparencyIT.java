package io.poolagent.it.agent;

import static io.poolagent.it.support.AgentReport.acquiredIn;
import static io.poolagent.it.support.AgentReport.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * With the agent attached, JDBC behaves exactly as without it: exceptions, nulls, double close,
 * close from another thread and unwrap; and a borrow through nested DataSources counts once.
 */
@ExtendWith(PostgresExtension.class)
class AgentTransparencyIT {
  private final AgentReport report = AgentReport.ofThisJvm();
  private LeakDetectorBean agent;

  @BeforeEach
  void findAgent() throws Exception {
    agent = LeakDetectorBean.inThisJvm();
  }

  @AfterEach
  void restoreThreshold() throws Exception {
    agent.setThreshold(Duration.ofSeconds(30));
  }

  private static HikariDataSource hikari(TestDatabase db, DataSource inner) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("it-transparency-" + UUID.randomUUID().toString().substring(0, 8));
    if (inner != null) {
      config.setDataSource(inner);
    } else {
      config.setJdbcUrl(db.jdbcUrl());
      config.setUsername(db.user());
      config.setPassword(db.password());
    }
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  @Test
  void aDriverManagerConnectionIsTrackedAtTheCallingLine(TestDatabase db) throws Exception {
    agent.setThreshold(Duration.ofMillis(200));
    Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    int line = new Throwable().getStackTrace()[0].getLineNumber() - 1;
    var filter = event("leak").and(acquiredIn(getClass(), "aDriverManagerConnectionIsTrackedAtTheCallingLine"));
    List<Map<String, Object>> leaks = report.await(filter, 1, Duration.ofSeconds(10));
    c.close();
    assertEquals(1, leaks.size());
    assertEquals("DriverManager", leaks.get(0).get("dataSource"));
    assertEquals(getClass().getName() + ".aDriverManagerConnectionIsTrackedAtTheCallingLine"
        + "(AgentTransparencyIT.java:" + line + ")", AgentReport.stack(leaks.get(0)).get(0));
  }

  @Test
  void aGetConnectionThatThrowsPropagatesUnchangedAndLeavesNoRecord(TestDatabase db)
      throws Exception {
    long acquired = agent.number("Acquired");
    String badUrl = db.jdbcUrl().replaceAll("/[^/?]*(\\?.*)?$", "/no_such_database_poolagent$1");
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection(badUrl, db.user(), db.password()));
    assertEquals("org.postgresql.util.PSQLException", e.getClass().getName());
    assertTrue(e.getMessage().contains("no_such_database_poolagent"), e.getMessage());
    assertEquals(acquired, agent.number("Acquired"));
    assertEquals(0, agent.number("InternalErrors"));
  }

  @Test
  void aDataSourceReturningNullReturnsNull() throws Exception {
    long acquired = agent.number("Acquired");
    assertNull(new NullDataSource().getConnection());
    assertNull(new NullDataSource().getConnection("u", "p"));
    assertEquals(acquired, agent.number("Acquired"));
  }

  @Test
  void doubleCloseAndCloseFromAnotherThreadBehaveAsWithoutTheAgent(TestDatabase db)
      throws Exception {
    try (HikariDataSource ds = hikari(db, null)) {
      long open = agent.number("OpenConnections");
      long released = agent.number("Released");
      Connection c = ds.getConnection();
      assertEquals(open + 1, agent.number("OpenConnections"));
      Thread closer = new Thread(() -> {
        try {
          c.close();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      closer.start();
      closer.join();
      c.close();
      assertTrue(c.isClosed());
      assertEquals(open, agent.number("OpenConnections"));
      assertEquals(released + 1, agent.number("Released"), "a double close releases once");
    }
  }

  @Test
  void unwrapReachesTheDriverConnection(TestDatabase db) throws Exception {
    try (HikariDataSource ds = hikari(db, null); Connection c = ds.getConnection()) {
      assertTrue(c.isWrapperFor(PGConnection.class));
      PGConnection pg = c.unwrap(PGConnection.class);
      assertTrue(pg.getBackendPID() > 0);
    }
  }

  @Test
  void aDelegatingWrapperAroundAPoolCountsEachBorrowOnce(TestDatabase db) throws Exception {
    try (HikariDataSource pool = hikari(db, null)) {
      DataSource wrapper = new DelegatingDataSource(pool);
      long acquired = agent.number("Acquired");
      long open = agent.number("OpenConnections");
      for (int i = 0; i < 25; i++) {
        Connection c = wrapper.getConnection();
        assertEquals(open + 1, agent.number("OpenConnections"));
        c.close();
      }
      assertEquals(acquired + 25, agent.number("Acquired"));
      assertEquals(open, agent.number("OpenConnections"));
    }
  }

  @Test
  void aPoolConfiguredWithADataSourceCountsBorrowsNotItsPhysicalConnections(TestDatabase db)
      throws Exception {
    PGSimpleDataSource physical = new PGSimpleDataSource();
    physical.setURL(db.jdbcUrl());
    physical.setUser(db.user());
    physical.setPassword(db.password());
    long acquired = agent.number("Acquired");
    try (HikariDataSource pool = hikari(db, physical)) {
      for (int i = 0; i < 40; i++) {
        try (Connection c = pool.getConnection()) {
          c.isValid(2);
        }
      }
      Thread.sleep(500); // HikariCP fills itself to four connections on its own threads
      assertEquals(acquired + 40, agent.number("Acquired"));
    }
  }

  @Test
  void theMBeanRejectsANegativeThresholdAndKeepsTheOldOne() throws Exception {
    agent.setThreshold(Duration.ofSeconds(7));
    Exception e = assertThrows(Exception.class, () -> agent.set("LeakThresholdMillis", -1L));
    assertTrue(String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
        .contains("LeakThresholdMillis"), e.toString());
    assertEquals(7000L, agent.number("LeakThresholdMillis"));
  }

  /** Like Spring's DelegatingDataSource: hands out whatever the target DataSource returns. */
  static class DelegatingDataSource implements DataSource {
    private final DataSource target;

    DelegatingDataSource(DataSource target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return target.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return target.getConnection(user, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return target.isWrapperFor(iface);
    }
  }

  /** A DataSource that returns null, as some test doubles and broken drivers do. */
  static final class NullDataSource extends DelegatingDataSource {
    NullDataSource() {
      super(new PGSimpleDataSource());
    }

    @Override
    public Connection getConnection() {
      return null;
    }

    @Override
    public Connection getConnection(String user, String password) {
      return null;
    }
  }
}
