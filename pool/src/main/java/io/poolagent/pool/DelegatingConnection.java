package io.poolagent.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;

/**
 * The plain half of a borrowed connection: every method that simply checks the handle is open and
 * forwards to the physical connection. Failures pass through {@link #failed}, which lets the
 * subclass notice a broken connection. Generated-style code; the logic lives in
 * {@link ConnectionHandle}.
 */
abstract class DelegatingConnection implements Connection {
  /** The physical connection; never handed to the application. */
  final Connection delegate;

  DelegatingConnection(Connection delegate) {
    this.delegate = delegate;
  }

  /** Throws if this handle was closed. */
  abstract void checkOpen() throws SQLException;

  /** Notes a failure of the physical connection and returns it, to be thrown. */
  abstract SQLException failed(SQLException e);

  @Override
  public final String nativeSQL(String sql) throws SQLException {
    checkOpen();
    try {
      return delegate.nativeSQL(sql);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final boolean getAutoCommit() throws SQLException {
    checkOpen();
    try {
      return delegate.getAutoCommit();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void commit() throws SQLException {
    checkOpen();
    try {
      delegate.commit();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void rollback() throws SQLException {
    checkOpen();
    try {
      delegate.rollback();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    try {
      return delegate.getMetaData();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final boolean isReadOnly() throws SQLException {
    checkOpen();
    try {
      return delegate.isReadOnly();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final String getCatalog() throws SQLException {
    checkOpen();
    try {
      return delegate.getCatalog();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final int getTransactionIsolation() throws SQLException {
    checkOpen();
    try {
      return delegate.getTransactionIsolation();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final SQLWarning getWarnings() throws SQLException {
    checkOpen();
    try {
      return delegate.getWarnings();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void clearWarnings() throws SQLException {
    checkOpen();
    try {
      delegate.clearWarnings();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    try {
      return delegate.getTypeMap();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void setTypeMap(Map<String, Class<?>> map) throws SQLException {
    checkOpen();
    try {
      delegate.setTypeMap(map);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void setHoldability(int holdability) throws SQLException {
    checkOpen();
    try {
      delegate.setHoldability(holdability);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final int getHoldability() throws SQLException {
    checkOpen();
    try {
      return delegate.getHoldability();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Savepoint setSavepoint() throws SQLException {
    checkOpen();
    try {
      return delegate.setSavepoint();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Savepoint setSavepoint(String name) throws SQLException {
    checkOpen();
    try {
      return delegate.setSavepoint(name);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void rollback(Savepoint savepoint) throws SQLException {
    checkOpen();
    try {
      delegate.rollback(savepoint);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void releaseSavepoint(Savepoint savepoint) throws SQLException {
    checkOpen();
    try {
      delegate.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Clob createClob() throws SQLException {
    checkOpen();
    try {
      return delegate.createClob();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Blob createBlob() throws SQLException {
    checkOpen();
    try {
      return delegate.createBlob();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final NClob createNClob() throws SQLException {
    checkOpen();
    try {
      return delegate.createNClob();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final SQLXML createSQLXML() throws SQLException {
    checkOpen();
    try {
      return delegate.createSQLXML();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final String getClientInfo(String name) throws SQLException {
    checkOpen();
    try {
      return delegate.getClientInfo(name);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Properties getClientInfo() throws SQLException {
    checkOpen();
    try {
      return delegate.getClientInfo();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Array createArrayOf(String typeName, Object[] elements) throws SQLException {
    checkOpen();
    try {
      return delegate.createArrayOf(typeName, elements);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final Struct createStruct(String typeName, Object[] attributes) throws SQLException {
    checkOpen();
    try {
      return delegate.createStruct(typeName, attributes);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final String getSchema() throws SQLException {
    checkOpen();
    try {
      return delegate.getSchema();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final int getNetworkTimeout() throws SQLException {
    checkOpen();
    try {
      return delegate.getNetworkTimeout();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  public final void setClientInfo(String name, String value) throws SQLClientInfoException {
    checkClientInfo();
    delegate.setClientInfo(name, value);
  }

  @Override
  public final void setClientInfo(Properties properties) throws SQLClientInfoException {
    checkClientInfo();
    delegate.setClientInfo(properties);
  }

  private void checkClientInfo() throws SQLClientInfoException {
    try {
      checkOpen();
    } catch (SQLException e) {
      throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), Map.of(), e);
    }
  }
}
