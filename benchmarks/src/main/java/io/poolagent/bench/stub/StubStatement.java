package io.poolagent.bench.stub;

/**
 * A statement that executes nothing; queries return an empty result set.
 *
 * <p>Written from the JDBC interface by a generator; every method not listed in the class comment is
 * a no-op that returns the type's default.
 */
@SuppressWarnings({"NullAway", "deprecation", "UnusedVariable"}) // JDBC's null returns and deprecated methods, by design
public final class StubStatement implements java.sql.Statement {
  private final java.sql.Connection connection;
  private boolean closed;

  StubStatement(java.sql.Connection connection) {
    this.connection = connection;
  }

  @Override public java.sql.ResultSet executeQuery(String a0) throws java.sql.SQLException { return new StubResultSet(this); }
  @Override public int executeUpdate(String a0) throws java.sql.SQLException { return 0; }
  @Override public void close() throws java.sql.SQLException { closed = true; }
  @Override public int getMaxFieldSize() throws java.sql.SQLException { return 0; }
  @Override public void setMaxFieldSize(int a0) throws java.sql.SQLException {  }
  @Override public int getMaxRows() throws java.sql.SQLException { return 0; }
  @Override public void setMaxRows(int a0) throws java.sql.SQLException {  }
  @Override public void setEscapeProcessing(boolean a0) throws java.sql.SQLException {  }
  @Override public int getQueryTimeout() throws java.sql.SQLException { return 0; }
  @Override public void setQueryTimeout(int a0) throws java.sql.SQLException {  }
  @Override public void cancel() throws java.sql.SQLException {  }
  @Override public java.sql.SQLWarning getWarnings() throws java.sql.SQLException { return null; }
  @Override public void clearWarnings() throws java.sql.SQLException {  }
  @Override public void setCursorName(String a0) throws java.sql.SQLException {  }
  @Override public boolean execute(String a0) throws java.sql.SQLException { return false; }
  @Override public java.sql.ResultSet getResultSet() throws java.sql.SQLException { return new StubResultSet(this); }
  @Override public int getUpdateCount() throws java.sql.SQLException { return -1; }
  @Override public boolean getMoreResults() throws java.sql.SQLException { return false; }
  @Override public void setFetchDirection(int a0) throws java.sql.SQLException {  }
  @Override public int getFetchDirection() throws java.sql.SQLException { return 0; }
  @Override public void setFetchSize(int a0) throws java.sql.SQLException {  }
  @Override public int getFetchSize() throws java.sql.SQLException { return 0; }
  @Override public int getResultSetConcurrency() throws java.sql.SQLException { return java.sql.ResultSet.CONCUR_READ_ONLY; }
  @Override public int getResultSetType() throws java.sql.SQLException { return java.sql.ResultSet.TYPE_FORWARD_ONLY; }
  @Override public void addBatch(String a0) throws java.sql.SQLException {  }
  @Override public void clearBatch() throws java.sql.SQLException {  }
  @Override public int[] executeBatch() throws java.sql.SQLException { return new int[0]; }
  @Override public java.sql.Connection getConnection() throws java.sql.SQLException { return connection; }
  @Override public boolean getMoreResults(int a0) throws java.sql.SQLException { return false; }
  @Override public java.sql.ResultSet getGeneratedKeys() throws java.sql.SQLException { return new StubResultSet(this); }
  @Override public int executeUpdate(String a0, int a1) throws java.sql.SQLException { return 0; }
  @Override public int executeUpdate(String a0, int[] a1) throws java.sql.SQLException { return 0; }
  @Override public int executeUpdate(String a0, String[] a1) throws java.sql.SQLException { return 0; }
  @Override public boolean execute(String a0, int a1) throws java.sql.SQLException { return false; }
  @Override public boolean execute(String a0, int[] a1) throws java.sql.SQLException { return false; }
  @Override public boolean execute(String a0, String[] a1) throws java.sql.SQLException { return false; }
  @Override public int getResultSetHoldability() throws java.sql.SQLException { return java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT; }
  @Override public boolean isClosed() throws java.sql.SQLException { return closed; }
  @Override public void setPoolable(boolean a0) throws java.sql.SQLException {  }
  @Override public boolean isPoolable() throws java.sql.SQLException { return false; }
  @Override public void closeOnCompletion() throws java.sql.SQLException {  }
  @Override public boolean isCloseOnCompletion() throws java.sql.SQLException { return false; }
  @Override public <T> T unwrap(Class<T> a0) throws java.sql.SQLException { return a0.cast(this); }
  @Override public boolean isWrapperFor(Class<?> a0) throws java.sql.SQLException { return a0.isInstance(this); }
}
