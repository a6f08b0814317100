package io.poolagent.pool;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The statement-creating half of a borrowed connection. Every statement created counts towards the
 * connection's max-queries recycling (a plain counter: only the holding thread writes it), and, for
 * drivers whose sessions do not carry the statement timeout, gets it as its query timeout.
 * Statements are the driver's own, not wrapped, but the handle remembers those still open and closes
 * them when it is closed, so a statement kept past close() cannot run on the next borrower's
 * session. Statements the application closed itself are dropped from that list as it fills, so a
 * long borrow that creates many statements does not hold on to them.
 */
abstract class StatementCreatingConnection extends DelegatingConnection {
  final PooledConnection entry;
  final PoolEngine engine;

  /** Statements created through this handle that may still be open; null until the first. */
  private Statement @Nullable [] statements;
  private int statementCount;

  StatementCreatingConnection(PooledConnection entry, PoolEngine engine) {
    super(entry.physical);
    this.entry = entry;
    this.engine = engine;
  }

  private void counted() {
    entry.queries++;
  }

  private <S extends Statement> S timed(S statement) throws SQLException {
    int seconds = engine.perStatementTimeoutSeconds();
    if (seconds > 0) {
      try {
        statement.setQueryTimeout(seconds);
      } catch (SQLException | RuntimeException e) {
        // not yet tracked: closed here, or it would stay open on the pooled connection
        try {
          statement.close();
        } catch (SQLException | RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
    track(statement);
    return statement;
  }

  private void track(Statement statement) {
    Statement[] all = statements;
    if (all == null) {
      all = new Statement[8];
      statements = all;
    } else if (statementCount == all.length) {
      dropClosed(all);
      if (statementCount > all.length / 2) {
        all = Arrays.copyOf(all, all.length * 2);
        statements = all;
      }
    }
    all[statementCount++] = statement;
  }

  private void dropClosed(Statement[] all) {
    int kept = 0;
    for (int i = 0; i < statementCount; i++) {
      if (!isClosed(all[i])) {
        all[kept++] = all[i];
      }
    }
    Arrays.fill(all, kept, statementCount, null);
    statementCount = kept;
  }

  private static boolean isClosed(Statement s) {
    try {
      return s.isClosed();
    } catch (SQLException | RuntimeException e) {
      return true;
    }
  }

  /** Statements being remembered as possibly open (for tests). */
  int trackedStatements() {
    return statementCount;
  }

  /** Closes every statement the application left open; false if one failed to close. */
  boolean closeStatements() {
    Statement[] all = statements;
    if (all == null) {
      return true;
    }
    boolean clean = true;
    for (int i = 0; i < statementCount; i++) {
      try {
        all[i].close();
      } catch (SQLException | RuntimeException e) {
        clean = false;
      }
    }
    statements = null;
    statementCount = 0;
    return clean;
  }

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.createStatement());
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.createStatement(type, concurrency));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.createStatement(type, concurrency, holdability));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareStatement(sql));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency)
      throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareStatement(sql, type, concurrency));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareStatement(sql, type, concurrency, holdability));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareStatement(sql, autoGeneratedKeys));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareStatement(sql, columnIndexes));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareStatement(sql, columnNames));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public CallableStatement prepareCall(String sql) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareCall(sql));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareCall(sql, type, concurrency));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    checkOpen();
    counted();
    try {
      return timed(delegate.prepareCall(sql, type, concurrency, holdability));
    } catch (SQLException e) {
      throw failed(e);
    }
  }
}
