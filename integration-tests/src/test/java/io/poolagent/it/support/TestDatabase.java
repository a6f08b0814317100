package io.poolagent.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL that integration tests may use, and where it came from. The password is kept out of
 * {@link #toString()}.
 */
public record TestDatabase(String jdbcUrl, String user, String password, String origin) {

  /** A new physical connection, straight from the driver. */
  public Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (!password.isEmpty()) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection(jdbcUrl, props);
  }

  @Override
  public String toString() {
    return "TestDatabase[" + jdbcUrl + " as " + user + " via " + origin + "]";
  }
}
