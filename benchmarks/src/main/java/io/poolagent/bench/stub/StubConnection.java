package io.poolagent.bench.stub;

/**
 * An in-memory connection: statements are stubs, state (auto-commit, read-only, isolation, closed) is
 * kept so pools can reset it; nothing else happens.
 *
 * <p>Written from the JDBC interface by a generator; every method not listed in the class comment is
 * a no-op that returns the type's default.
 */
@SuppressWarnings({"NullAway", "deprecation", "UnusedVariable"}) // JDBC's null returns and deprecated methods, by design
public final class StubConnection implements java.sql.Connection {
  private volatile boolean closed;
  private boolean autoCommit = true;
  private boolean readOnly;
  private int isolation = TRANSACTION_READ_COMMITTED;

  @Override public java.sql.Statement createStatement() throws java.sql.SQLException { return new StubStatement(this); }
  @Override public java.sql.PreparedStatement prepareStatement(String a0) throws java.sql.SQLException { return new StubPreparedStatement(this); }
  @Override public java.sql.CallableStatement prepareCall(String a0) throws java.sql.SQLException { return null; }
  @Override public String nativeSQL(String a0) throws java.sql.SQLException { return null; }
  @Override public void setAutoCommit(boolean a0) throws java.sql.SQLException { autoCommit = a0; }
  @Override public boolean getAutoCommit() throws java.sql.SQLException { return autoCommit; }
  @Override public void commit() throws java.sql.SQLException {  }
  @Override public void rollback() throws java.sql.SQLException {  }
  @Override public void close() throws java.sql.SQLException { closed = true; }
  @Override public boolean isClosed() throws java.sql.SQLException { return closed; }
  @Override public java.sql.DatabaseMetaData getMetaData() throws java.sql.SQLException { return StubMetaData.of(this); }
  @Override public void setReadOnly(boolean a0) throws java.sql.SQLException { readOnly = a0; }
  @Override public boolean isReadOnly() throws java.sql.SQLException { return readOnly; }
  @Override public void setCatalog(String a0) throws java.sql.SQLException {  }
  @Override public String getCatalog() throws java.sql.SQLException { return null; }
  @Override public void setTransactionIsolation(int a0) throws java.sql.SQLException { isolation = a0; }
  @Override public int getTransactionIsolation() throws java.sql.SQLException { return isolation; }
  @Override public java.sql.SQLWarning getWarnings() throws java.sql.SQLException { return null; }
  @Override public void clearWarnings() throws java.sql.SQLException {  }
  @Override public java.sql.Statement createStatement(int a0, int a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.PreparedStatement prepareStatement(String a0, int a1, int a2) throws java.sql.SQLException { return null; }
  @Override public java.sql.CallableStatement prepareCall(String a0, int a1, int a2) throws java.sql.SQLException { return null; }
  @Override public java.util.Map<String, Class<?>> getTypeMap() throws java.sql.SQLException { return new java.util.HashMap<>(); }
  @Override public void setTypeMap(java.util.Map<String, Class<?>> a0) throws java.sql.SQLException {  }
  @Override public void setHoldability(int a0) throws java.sql.SQLException {  }
  @Override public int getHoldability() throws java.sql.SQLException { return java.sql.ResultSet.HOLD_CURSORS_OVER_COMMIT; }
  @Override public java.sql.Savepoint setSavepoint() throws java.sql.SQLException { return null; }
  @Override public java.sql.Savepoint setSavepoint(String a0) throws java.sql.SQLException { return null; }
  @Override public void rollback(java.sql.Savepoint a0) throws java.sql.SQLException {  }
  @Override public void releaseSavepoint(java.sql.Savepoint a0) throws java.sql.SQLException {  }
  @Override public java.sql.Statement createStatement(int a0, int a1, int a2) throws java.sql.SQLException { return null; }
  @Override public java.sql.PreparedStatement prepareStatement(String a0, int a1, int a2, int a3) throws java.sql.SQLException { return null; }
  @Override public java.sql.CallableStatement prepareCall(String a0, int a1, int a2, int a3) throws java.sql.SQLException { return null; }
  @Override public java.sql.PreparedStatement prepareStatement(String a0, int a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.PreparedStatement prepareStatement(String a0, int[] a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.PreparedStatement prepareStatement(String a0, String[] a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Clob createClob() throws java.sql.SQLException { return null; }
  @Override public java.sql.Blob createBlob() throws java.sql.SQLException { return null; }
  @Override public java.sql.NClob createNClob() throws java.sql.SQLException { return null; }
  @Override public java.sql.SQLXML createSQLXML() throws java.sql.SQLException { return null; }
  @Override public boolean isValid(int a0) throws java.sql.SQLException { return !closed; }
  @Override public void setClientInfo(String a0, String a1) throws java.sql.SQLClientInfoException {  }
  @Override public void setClientInfo(java.util.Properties a0) throws java.sql.SQLClientInfoException {  }
  @Override public String getClientInfo(String a0) throws java.sql.SQLException { return null; }
  @Override public java.util.Properties getClientInfo() throws java.sql.SQLException { return new java.util.Properties(); }
  @Override public java.sql.Array createArrayOf(String a0, Object[] a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Struct createStruct(String a0, Object[] a1) throws java.sql.SQLException { return null; }
  @Override public void setSchema(String a0) throws java.sql.SQLException {  }
  @Override public String getSchema() throws java.sql.SQLException { return null; }
  @Override public void abort(java.util.concurrent.Executor a0) throws java.sql.SQLException {  }
  @Override public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws java.sql.SQLException {  }
  @Override public int getNetworkTimeout() throws java.sql.SQLException { return 0; }
  @Override public <T> T unwrap(Class<T> a0) throws java.sql.SQLException { return a0.cast(this); }
  @Override public boolean isWrapperFor(Class<?> a0) throws java.sql.SQLException { return a0.isInstance(this); }
}
