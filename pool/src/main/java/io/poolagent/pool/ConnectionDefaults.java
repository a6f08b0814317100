package io.poolagent.pool;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The session state a connection had when it was opened, restored on return for whatever the
 * application changed: auto-commit, isolation, read-only, catalog, schema and network timeout.
 */
final class ConnectionDefaults {
  static final int AUTO_COMMIT = 1;
  static final int ISOLATION = 1 << 1;
  static final int READ_ONLY = 1 << 2;
  static final int CATALOG = 1 << 3;
  static final int SCHEMA = 1 << 4;
  static final int NETWORK_TIMEOUT = 1 << 5;

  final boolean autoCommit;
  final int isolation;
  final boolean readOnly;
  final @Nullable String catalog;
  final @Nullable String schema;
  final int networkTimeout;

  private ConnectionDefaults(Connection c) throws SQLException {
    this.autoCommit = c.getAutoCommit();
    this.isolation = c.getTransactionIsolation();
    this.readOnly = c.isReadOnly();
    this.catalog = c.getCatalog();
    this.schema = schemaOf(c);
    this.networkTimeout = networkTimeoutOf(c);
  }

  static ConnectionDefaults of(Connection c) throws SQLException {
    return new ConnectionDefaults(c);
  }

  private static @Nullable String schemaOf(Connection c) {
    try {
      return c.getSchema();
    } catch (SQLException | AbstractMethodError | UnsupportedOperationException e) {
      return null;
    }
  }

  private static int networkTimeoutOf(Connection c) {
    try {
      return c.getNetworkTimeout();
    } catch (SQLException | AbstractMethodError | UnsupportedOperationException e) {
      return -1;
    }
  }

  /**
   * Restores what {@code dirty} says was changed. Rolls back first when the handle left auto-commit
   * off, so no open transaction reaches the next borrower.
   */
  void restore(Connection c, int dirty, boolean handleAutoCommit) throws SQLException {
    if (!handleAutoCommit) {
      c.rollback();
    }
    if ((dirty & AUTO_COMMIT) != 0 && handleAutoCommit != autoCommit) {
      c.setAutoCommit(autoCommit);
    }
    if ((dirty & ISOLATION) != 0) {
      c.setTransactionIsolation(isolation);
    }
    if ((dirty & READ_ONLY) != 0) {
      c.setReadOnly(readOnly);
    }
    if ((dirty & CATALOG) != 0 && catalog != null) {
      c.setCatalog(catalog);
    }
    if ((dirty & SCHEMA) != 0 && schema != null) {
      c.setSchema(schema);
    }
    if ((dirty & NETWORK_TIMEOUT) != 0 && networkTimeout >= 0) {
      c.setNetworkTimeout(Runnable::run, networkTimeout);
    }
  }
}
