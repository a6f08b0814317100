package io.poolagent.bench.stub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StubDriverTest {
  @Test
  void driverManagerFindsTheStubAndEachConnectIsANewConnection() throws Exception {
    StubDriver.register();
    long before = StubDriver.opened();
    try (Connection a = DriverManager.getConnection(StubDriver.URL);
        Connection b = DriverManager.getConnection(StubDriver.URL)) {
      assertTrue(a instanceof StubConnection);
      assertTrue(a != b);
      assertEquals(before + 2, StubDriver.opened());
    }
    assertNull(StubDriver.INSTANCE.connect("jdbc:postgresql://x/y", new Properties()));
  }

  @Test
  void connectionKeepsTheStatePoolsResetAndStatementsDoNothing() throws Exception {
    Connection c = new StubConnection();
    assertTrue(c.getAutoCommit());
    c.setAutoCommit(false);
    c.setReadOnly(true);
    c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
    assertFalse(c.getAutoCommit());
    assertTrue(c.isReadOnly());
    assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
    assertEquals("stub", c.getMetaData().getDatabaseProductName());
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      assertSame(c, s.getConnection());
      assertFalse(rs.next());
      assertFalse(s.execute("SELECT 1"));
    }
    assertTrue(c.isValid(1));
    c.close();
    assertTrue(c.isClosed());
    assertFalse(c.isValid(1));
  }
}
