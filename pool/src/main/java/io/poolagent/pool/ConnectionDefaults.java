package io.poolagent.pool;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The session state a connection had when it was opened, restored on return for whatever the
 * application changed: auto-commit, isolation, read-only, catalog, schema and network timeout.
 * Auto-commit is read when the connection opens (every borrow needs it); the others only just before
 * a handle first changes them, so opening a connection costs no round trips for state nobody changes
 * (PostgreSQL's driver asks the server for the isolation level and the schema). Read then, the value
 * is still the one the connection opened with, because every return restores what a borrower changed.
 * Used by one borrower at a time: the pool's hand-over orders the reads and writes.
 */
final class ConnectionDefaults {
  static final int AUTO_COMMIT = 1;
  static final int ISOLATION = 1 << 1;
  static final int READ_ONLY = 1 << 2;
  static final int CATALOG = 1 << 3;
  static final int SCHEMA = 1 << 4;
  static final int NETWORK_TIMEOUT = 1 << 5;

  final boolean autoCommit;
  /** The settings read so far, as bits of the constants above. */
  private int known = AUTO_COMMIT;
  private int isolation;
  private boolean readOnly;
  private @Nullable String catalog;
  private @Nullable String schema;
  private int networkTimeout = -1;

  private ConnectionDefaults(boolean autoCommit) {
    this.autoCommit = autoCommit;
  }

  static ConnectionDefaults of(Connection c) throws SQLException {
    return new ConnectionDefaults(c.getAutoCommit());
  }

  /** Reads the setting {@code bit} from {@code c} unless it was read before: call before changing it. */
  void readBeforeChange(Connection c, int bit) throws SQLException {
    if ((known & bit) != 0) {
      return;
    }
    switch (bit) {
      case ISOLATION -> isolation = c.getTransactionIsolation();
      case READ_ONLY -> readOnly = c.isReadOnly();
      case CATALOG -> catalog = c.getCatalog();
      case SCHEMA -> schema = schemaOf(c);
      case NETWORK_TIMEOUT -> networkTimeout = networkTimeoutOf(c);
      default -> throw new IllegalArgumentException("not one session setting: " + bit);
    }
    known |= bit;
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
