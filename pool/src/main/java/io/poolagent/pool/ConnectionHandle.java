package io.poolagent.pool;

import io.poolagent.leak.LeakTracker;
import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * What {@code getConnection()} hands out: a new object per borrow, delegating to the physical
 * connection. Once closed it returns the physical connection to the pool exactly once and refuses
 * every further use, so a stale handle can never touch the next borrower's connection. It remembers
 * which session state the application changed, so the return resets only that.
 */
final class ConnectionHandle extends StatementCreatingConnection {
  private static final AtomicIntegerFieldUpdater<ConnectionHandle> CLOSED =
      AtomicIntegerFieldUpdater.newUpdater(ConnectionHandle.class, "closed");

  final long borrowedNanos;
  /** The tracker this borrow was recorded in, or null when leak detection was off. */
  @Nullable LeakTracker leakTracker;
  private volatile int closed;
  int dirty;
  boolean autoCommit;

  ConnectionHandle(PooledConnection entry, PoolEngine engine, long borrowedNanos) {
    super(entry, engine);
    this.borrowedNanos = borrowedNanos;
    this.autoCommit = entry.defaults.autoCommit;
  }

  @Override
  void checkOpen() throws SQLException {
    if (closed != 0) {
      throw new SQLException("connection handle is closed (it was returned to pool '"
          + engine.name() + "')", "08003");
    }
  }

  @Override
  SQLException failed(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.startsWith("08")) {
      entry.evict = true;
    }
    return e;
  }

  /** Returns the connection to the pool; a second call does nothing. */
  @Override
  public void close() {
    if (closed == 0 && CLOSED.compareAndSet(this, 0, 1)) {
      engine.release(this);
    }
  }

  @Override
  public boolean isClosed() {
    return closed != 0;
  }

  /** Aborts the physical connection; the pool discards it on return. */
  @Override
  public void abort(Executor executor) throws SQLException {
    if (closed == 0) {
      entry.evict = true;
      delegate.abort(executor);
      close();
    }
  }

  @Override
  public void setAutoCommit(boolean value) throws SQLException {
    checkOpen();
    try {
      delegate.setAutoCommit(value);
    } catch (SQLException e) {
      throw failed(e);
    }
    autoCommit = value;
    dirty |= ConnectionDefaults.AUTO_COMMIT;
  }

  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
    try {
      entry.defaults.readBeforeChange(delegate, ConnectionDefaults.ISOLATION);
      delegate.setTransactionIsolation(level);
    } catch (SQLException e) {
      throw failed(e);
    }
    dirty |= ConnectionDefaults.ISOLATION;
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    try {
      entry.defaults.readBeforeChange(delegate, ConnectionDefaults.READ_ONLY);
      delegate.setReadOnly(readOnly);
    } catch (SQLException e) {
      throw failed(e);
    }
    dirty |= ConnectionDefaults.READ_ONLY;
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen();
    try {
      entry.defaults.readBeforeChange(delegate, ConnectionDefaults.CATALOG);
      delegate.setCatalog(catalog);
    } catch (SQLException e) {
      throw failed(e);
    }
    dirty |= ConnectionDefaults.CATALOG;
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
    try {
      entry.defaults.readBeforeChange(delegate, ConnectionDefaults.SCHEMA);
      delegate.setSchema(schema);
    } catch (SQLException e) {
      throw failed(e);
    }
    dirty |= ConnectionDefaults.SCHEMA;
  }

  @Override
  public void setNetworkTimeout(Executor executor, int millis) throws SQLException {
    checkOpen();
    try {
      entry.defaults.readBeforeChange(delegate, ConnectionDefaults.NETWORK_TIMEOUT);
      delegate.setNetworkTimeout(executor, millis);
    } catch (SQLException e) {
      throw failed(e);
    }
    dirty |= ConnectionDefaults.NETWORK_TIMEOUT;
  }

  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    if (closed != 0) {
      return false;
    }
    return delegate.isValid(timeoutSeconds);
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    checkOpen();
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    checkOpen();
    return type.isInstance(this) || delegate.isWrapperFor(type);
  }

  @Override
  public String toString() {
    return "pooled connection #" + entry.id + " of pool '" + engine.name() + "'"
        + (closed != 0 ? " (closed handle)" : "");
  }
}
