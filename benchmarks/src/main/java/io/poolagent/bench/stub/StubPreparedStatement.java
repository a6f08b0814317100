package io.poolagent.bench.stub;

/**
 * A prepared statement that executes nothing; queries return an empty result set.
 *
 * <p>Written from the JDBC interface by a generator; every method not listed in the class comment is
 * a no-op that returns the type's default.
 */
@SuppressWarnings({"NullAway", "deprecation", "UnusedVariable"}) // JDBC's null returns and deprecated methods, by design
public final class StubPreparedStatement implements java.sql.PreparedStatement {
  private final java.sql.Connection connection;
  private boolean closed;

  StubPreparedStatement(java.sql.Connection connection) {
    this.connection = connection;
  }

  @Override public java.sql.ResultSet executeQuery() throws java.sql.SQLException { return new StubResultSet(this); }
  @Override public int executeUpdate() throws java.sql.SQLException { return 0; }
  @Override public void setNull(int a0, int a1) throws java.sql.SQLException {  }
  @Override public void setBoolean(int a0, boolean a1) throws java.sql.SQLException {  }
  @Override public void setByte(int a0, byte a1) throws java.sql.SQLException {  }
  @Override public void setShort(int a0, short a1) throws java.sql.SQLException {  }
  @Override public void setInt(int a0, int a1) throws java.sql.SQLException {  }
  @Override public void setLong(int a0, long a1) throws java.sql.SQLException {  }
  @Override public void setFloat(int a0, float a1) throws java.sql.SQLException {  }
  @Override public void setDouble(int a0, double a1) throws java.sql.SQLException {  }
  @Override public void setBigDecimal(int a0, java.math.BigDecimal a1) throws java.sql.SQLException {  }
  @Override public void setString(int a0, String a1) throws java.sql.SQLException {  }
  @Override public void setBytes(int a0, byte[] a1) throws java.sql.SQLException {  }
  @Override public void setDate(int a0, java.sql.Date a1) throws java.sql.SQLException {  }
  @Override public void setTime(int a0, java.sql.Time a1) throws java.sql.SQLException {  }
  @Override public void setTimestamp(int a0, java.sql.Timestamp a1) throws java.sql.SQLException {  }
  @Override public void setAsciiStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void setUnicodeStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void setBinaryStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void clearParameters() throws java.sql.SQLException {  }
  @Override public void setObject(int a0, Object a1, int a2) throws java.sql.SQLException {  }
  @Override public void setObject(int a0, Object a1) throws java.sql.SQLException {  }
  @Override public boolean execute() throws java.sql.SQLException { return false; }
  @Override public void addBatch() throws java.sql.SQLException {  }
  @Override public void setCharacterStream(int a0, java.io.Reader a1, int a2) throws java.sql.SQLException {  }
  @Override public void setRef(int a0, java.sql.Ref a1) throws java.sql.SQLException {  }
  @Override public void setBlob(int a0, java.sql.Blob a1) throws java.sql.SQLException {  }
  @Override public void setClob(int a0, java.sql.Clob a1) throws java.sql.SQLException {  }
  @Override public void setArray(int a0, java.sql.Array a1) throws java.sql.SQLException {  }
  @Override public java.sql.ResultSetMetaData getMetaData() throws java.sql.SQLException { return null; }
  @Override public void setDate(int a0, java.sql.Date a1, java.util.Calendar a2) throws java.sql.SQLException {  }
  @Override public void setTime(int a0, java.sql.Time a1, java.util.Calendar a2) throws java.sql.SQLException {  }
  @Override public void setTimestamp(int a0, java.sql.Timestamp a1, java.util.Calendar a2) throws java.sql.SQLException {  }
  @Override public void setNull(int a0, int a1, String a2) throws java.sql.SQLException {  }
  @Override public void setURL(int a0, java.net.URL a1) throws java.sql.SQLException {  }
  @Override public java.sql.ParameterMetaData getParameterMetaData() throws java.sql.SQLException { return null; }
  @Override public void setRowId(int a0, java.sql.RowId a1) throws java.sql.SQLException {  }
  @Override public void setNString(int a0, String a1) throws java.sql.SQLException {  }
  @Override public void setNCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void setNClob(int a0, java.sql.NClob a1) throws java.sql.SQLException {  }
  @Override public void setClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void setBlob(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void setNClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void setSQLXML(int a0, java.sql.SQLXML a1) throws java.sql.SQLException {  }
  @Override public void setObject(int a0, Object a1, int a2, int a3) throws java.sql.SQLException {  }
  @Override public void setAsciiStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void setBinaryStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void setCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void setAsciiStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void setBinaryStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void setCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void setNCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void setClob(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void setBlob(int a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void setNClob(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
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
