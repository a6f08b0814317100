package io.poolagent.bench.stub;

/**
 * An empty result set: next() is false.
 *
 * <p>Written from the JDBC interface by a generator; every method not listed in the class comment is
 * a no-op that returns the type's default.
 */
@SuppressWarnings({"NullAway", "deprecation", "UnusedVariable"}) // JDBC's null returns and deprecated methods, by design
public final class StubResultSet implements java.sql.ResultSet {
  private final java.sql.Statement statement;
  private boolean closed;

  StubResultSet(java.sql.Statement statement) {
    this.statement = statement;
  }

  @Override public boolean next() throws java.sql.SQLException { return false; }
  @Override public void close() throws java.sql.SQLException { closed = true; }
  @Override public boolean wasNull() throws java.sql.SQLException { return false; }
  @Override public String getString(int a0) throws java.sql.SQLException { return null; }
  @Override public boolean getBoolean(int a0) throws java.sql.SQLException { return false; }
  @Override public byte getByte(int a0) throws java.sql.SQLException { return 0; }
  @Override public short getShort(int a0) throws java.sql.SQLException { return 0; }
  @Override public int getInt(int a0) throws java.sql.SQLException { return 0; }
  @Override public long getLong(int a0) throws java.sql.SQLException { return 0; }
  @Override public float getFloat(int a0) throws java.sql.SQLException { return 0; }
  @Override public double getDouble(int a0) throws java.sql.SQLException { return 0; }
  @Override public java.math.BigDecimal getBigDecimal(int a0, int a1) throws java.sql.SQLException { return null; }
  @Override public byte[] getBytes(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Date getDate(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Time getTime(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Timestamp getTimestamp(int a0) throws java.sql.SQLException { return null; }
  @Override public java.io.InputStream getAsciiStream(int a0) throws java.sql.SQLException { return null; }
  @Override public java.io.InputStream getUnicodeStream(int a0) throws java.sql.SQLException { return null; }
  @Override public java.io.InputStream getBinaryStream(int a0) throws java.sql.SQLException { return null; }
  @Override public String getString(String a0) throws java.sql.SQLException { return null; }
  @Override public boolean getBoolean(String a0) throws java.sql.SQLException { return false; }
  @Override public byte getByte(String a0) throws java.sql.SQLException { return 0; }
  @Override public short getShort(String a0) throws java.sql.SQLException { return 0; }
  @Override public int getInt(String a0) throws java.sql.SQLException { return 0; }
  @Override public long getLong(String a0) throws java.sql.SQLException { return 0; }
  @Override public float getFloat(String a0) throws java.sql.SQLException { return 0; }
  @Override public double getDouble(String a0) throws java.sql.SQLException { return 0; }
  @Override public java.math.BigDecimal getBigDecimal(String a0, int a1) throws java.sql.SQLException { return null; }
  @Override public byte[] getBytes(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Date getDate(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Time getTime(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Timestamp getTimestamp(String a0) throws java.sql.SQLException { return null; }
  @Override public java.io.InputStream getAsciiStream(String a0) throws java.sql.SQLException { return null; }
  @Override public java.io.InputStream getUnicodeStream(String a0) throws java.sql.SQLException { return null; }
  @Override public java.io.InputStream getBinaryStream(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.SQLWarning getWarnings() throws java.sql.SQLException { return null; }
  @Override public void clearWarnings() throws java.sql.SQLException {  }
  @Override public String getCursorName() throws java.sql.SQLException { return null; }
  @Override public java.sql.ResultSetMetaData getMetaData() throws java.sql.SQLException { return null; }
  @Override public Object getObject(int a0) throws java.sql.SQLException { return null; }
  @Override public Object getObject(String a0) throws java.sql.SQLException { return null; }
  @Override public int findColumn(String a0) throws java.sql.SQLException { return 0; }
  @Override public java.io.Reader getCharacterStream(int a0) throws java.sql.SQLException { return null; }
  @Override public java.io.Reader getCharacterStream(String a0) throws java.sql.SQLException { return null; }
  @Override public java.math.BigDecimal getBigDecimal(int a0) throws java.sql.SQLException { return null; }
  @Override public java.math.BigDecimal getBigDecimal(String a0) throws java.sql.SQLException { return null; }
  @Override public boolean isBeforeFirst() throws java.sql.SQLException { return false; }
  @Override public boolean isAfterLast() throws java.sql.SQLException { return false; }
  @Override public boolean isFirst() throws java.sql.SQLException { return false; }
  @Override public boolean isLast() throws java.sql.SQLException { return false; }
  @Override public void beforeFirst() throws java.sql.SQLException {  }
  @Override public void afterLast() throws java.sql.SQLException {  }
  @Override public boolean first() throws java.sql.SQLException { return false; }
  @Override public boolean last() throws java.sql.SQLException { return false; }
  @Override public int getRow() throws java.sql.SQLException { return 0; }
  @Override public boolean absolute(int a0) throws java.sql.SQLException { return false; }
  @Override public boolean relative(int a0) throws java.sql.SQLException { return false; }
  @Override public boolean previous() throws java.sql.SQLException { return false; }
  @Override public void setFetchDirection(int a0) throws java.sql.SQLException {  }
  @Override public int getFetchDirection() throws java.sql.SQLException { return 0; }
  @Override public void setFetchSize(int a0) throws java.sql.SQLException {  }
  @Override public int getFetchSize() throws java.sql.SQLException { return 0; }
  @Override public int getType() throws java.sql.SQLException { return 0; }
  @Override public int getConcurrency() throws java.sql.SQLException { return 0; }
  @Override public boolean rowUpdated() throws java.sql.SQLException { return false; }
  @Override public boolean rowInserted() throws java.sql.SQLException { return false; }
  @Override public boolean rowDeleted() throws java.sql.SQLException { return false; }
  @Override public void updateNull(int a0) throws java.sql.SQLException {  }
  @Override public void updateBoolean(int a0, boolean a1) throws java.sql.SQLException {  }
  @Override public void updateByte(int a0, byte a1) throws java.sql.SQLException {  }
  @Override public void updateShort(int a0, short a1) throws java.sql.SQLException {  }
  @Override public void updateInt(int a0, int a1) throws java.sql.SQLException {  }
  @Override public void updateLong(int a0, long a1) throws java.sql.SQLException {  }
  @Override public void updateFloat(int a0, float a1) throws java.sql.SQLException {  }
  @Override public void updateDouble(int a0, double a1) throws java.sql.SQLException {  }
  @Override public void updateBigDecimal(int a0, java.math.BigDecimal a1) throws java.sql.SQLException {  }
  @Override public void updateString(int a0, String a1) throws java.sql.SQLException {  }
  @Override public void updateBytes(int a0, byte[] a1) throws java.sql.SQLException {  }
  @Override public void updateDate(int a0, java.sql.Date a1) throws java.sql.SQLException {  }
  @Override public void updateTime(int a0, java.sql.Time a1) throws java.sql.SQLException {  }
  @Override public void updateTimestamp(int a0, java.sql.Timestamp a1) throws java.sql.SQLException {  }
  @Override public void updateAsciiStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateBinaryStream(int a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateCharacterStream(int a0, java.io.Reader a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateObject(int a0, Object a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateObject(int a0, Object a1) throws java.sql.SQLException {  }
  @Override public void updateNull(String a0) throws java.sql.SQLException {  }
  @Override public void updateBoolean(String a0, boolean a1) throws java.sql.SQLException {  }
  @Override public void updateByte(String a0, byte a1) throws java.sql.SQLException {  }
  @Override public void updateShort(String a0, short a1) throws java.sql.SQLException {  }
  @Override public void updateInt(String a0, int a1) throws java.sql.SQLException {  }
  @Override public void updateLong(String a0, long a1) throws java.sql.SQLException {  }
  @Override public void updateFloat(String a0, float a1) throws java.sql.SQLException {  }
  @Override public void updateDouble(String a0, double a1) throws java.sql.SQLException {  }
  @Override public void updateBigDecimal(String a0, java.math.BigDecimal a1) throws java.sql.SQLException {  }
  @Override public void updateString(String a0, String a1) throws java.sql.SQLException {  }
  @Override public void updateBytes(String a0, byte[] a1) throws java.sql.SQLException {  }
  @Override public void updateDate(String a0, java.sql.Date a1) throws java.sql.SQLException {  }
  @Override public void updateTime(String a0, java.sql.Time a1) throws java.sql.SQLException {  }
  @Override public void updateTimestamp(String a0, java.sql.Timestamp a1) throws java.sql.SQLException {  }
  @Override public void updateAsciiStream(String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateBinaryStream(String a0, java.io.InputStream a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateCharacterStream(String a0, java.io.Reader a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateObject(String a0, Object a1, int a2) throws java.sql.SQLException {  }
  @Override public void updateObject(String a0, Object a1) throws java.sql.SQLException {  }
  @Override public void insertRow() throws java.sql.SQLException {  }
  @Override public void updateRow() throws java.sql.SQLException {  }
  @Override public void deleteRow() throws java.sql.SQLException {  }
  @Override public void refreshRow() throws java.sql.SQLException {  }
  @Override public void cancelRowUpdates() throws java.sql.SQLException {  }
  @Override public void moveToInsertRow() throws java.sql.SQLException {  }
  @Override public void moveToCurrentRow() throws java.sql.SQLException {  }
  @Override public java.sql.Statement getStatement() throws java.sql.SQLException { return statement; }
  @Override public Object getObject(int a0, java.util.Map<String, Class<?>> a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Ref getRef(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Blob getBlob(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Clob getClob(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Array getArray(int a0) throws java.sql.SQLException { return null; }
  @Override public Object getObject(String a0, java.util.Map<String, Class<?>> a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Ref getRef(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Blob getBlob(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Clob getClob(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Array getArray(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.Date getDate(int a0, java.util.Calendar a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Date getDate(String a0, java.util.Calendar a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Time getTime(int a0, java.util.Calendar a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Time getTime(String a0, java.util.Calendar a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Timestamp getTimestamp(int a0, java.util.Calendar a1) throws java.sql.SQLException { return null; }
  @Override public java.sql.Timestamp getTimestamp(String a0, java.util.Calendar a1) throws java.sql.SQLException { return null; }
  @Override public java.net.URL getURL(int a0) throws java.sql.SQLException { return null; }
  @Override public java.net.URL getURL(String a0) throws java.sql.SQLException { return null; }
  @Override public void updateRef(int a0, java.sql.Ref a1) throws java.sql.SQLException {  }
  @Override public void updateRef(String a0, java.sql.Ref a1) throws java.sql.SQLException {  }
  @Override public void updateBlob(int a0, java.sql.Blob a1) throws java.sql.SQLException {  }
  @Override public void updateBlob(String a0, java.sql.Blob a1) throws java.sql.SQLException {  }
  @Override public void updateClob(int a0, java.sql.Clob a1) throws java.sql.SQLException {  }
  @Override public void updateClob(String a0, java.sql.Clob a1) throws java.sql.SQLException {  }
  @Override public void updateArray(int a0, java.sql.Array a1) throws java.sql.SQLException {  }
  @Override public void updateArray(String a0, java.sql.Array a1) throws java.sql.SQLException {  }
  @Override public java.sql.RowId getRowId(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.RowId getRowId(String a0) throws java.sql.SQLException { return null; }
  @Override public void updateRowId(int a0, java.sql.RowId a1) throws java.sql.SQLException {  }
  @Override public void updateRowId(String a0, java.sql.RowId a1) throws java.sql.SQLException {  }
  @Override public int getHoldability() throws java.sql.SQLException { return 0; }
  @Override public boolean isClosed() throws java.sql.SQLException { return closed; }
  @Override public void updateNString(int a0, String a1) throws java.sql.SQLException {  }
  @Override public void updateNString(String a0, String a1) throws java.sql.SQLException {  }
  @Override public void updateNClob(int a0, java.sql.NClob a1) throws java.sql.SQLException {  }
  @Override public void updateNClob(String a0, java.sql.NClob a1) throws java.sql.SQLException {  }
  @Override public java.sql.NClob getNClob(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.NClob getNClob(String a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.SQLXML getSQLXML(int a0) throws java.sql.SQLException { return null; }
  @Override public java.sql.SQLXML getSQLXML(String a0) throws java.sql.SQLException { return null; }
  @Override public void updateSQLXML(int a0, java.sql.SQLXML a1) throws java.sql.SQLException {  }
  @Override public void updateSQLXML(String a0, java.sql.SQLXML a1) throws java.sql.SQLException {  }
  @Override public String getNString(int a0) throws java.sql.SQLException { return null; }
  @Override public String getNString(String a0) throws java.sql.SQLException { return null; }
  @Override public java.io.Reader getNCharacterStream(int a0) throws java.sql.SQLException { return null; }
  @Override public java.io.Reader getNCharacterStream(String a0) throws java.sql.SQLException { return null; }
  @Override public void updateNCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateNCharacterStream(String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateAsciiStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateBinaryStream(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateCharacterStream(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateAsciiStream(String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateBinaryStream(String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateCharacterStream(String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateBlob(int a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateBlob(String a0, java.io.InputStream a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateClob(String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateNClob(int a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateNClob(String a0, java.io.Reader a1, long a2) throws java.sql.SQLException {  }
  @Override public void updateNCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateNCharacterStream(String a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateAsciiStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void updateBinaryStream(int a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void updateCharacterStream(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateAsciiStream(String a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void updateBinaryStream(String a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void updateCharacterStream(String a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateBlob(int a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void updateBlob(String a0, java.io.InputStream a1) throws java.sql.SQLException {  }
  @Override public void updateClob(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateClob(String a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateNClob(int a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public void updateNClob(String a0, java.io.Reader a1) throws java.sql.SQLException {  }
  @Override public <T> T getObject(int a0, Class<T> a1) throws java.sql.SQLException { return null; }
  @Override public <T> T getObject(String a0, Class<T> a1) throws java.sql.SQLException { return null; }
  @Override public <T> T unwrap(Class<T> a0) throws java.sql.SQLException { return a0.cast(this); }
  @Override public boolean isWrapperFor(Class<?> a0) throws java.sql.SQLException { return a0.isInstance(this); }
}
