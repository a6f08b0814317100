package io.poolagent.pool;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A fake database behind a stub JDBC driver ({@code jdbc:stub:<name>}), counting physical opens and
 * closes and failing on demand. Each test makes its own with {@link #create()}.
 */
final class StubDatabase {
  private static final Map<String, StubDatabase> BY_NAME = new ConcurrentHashMap<>();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final StubDriver DRIVER = new StubDriver();

  static {
    try {
      DriverManager.registerDriver(DRIVER);
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What a test can see of a physical connection: unwrap a pooled handle to this. */
  interface Physical {
    StubConnectionState state();
  }

  final String url;
  final AtomicInteger opens = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  final AtomicInteger aborts = new AtomicInteger();
  final AtomicInteger isValidCalls = new AtomicInteger();
  final AtomicInteger statementCloses = new AtomicInteger();
  /** Opens fail while this is false. */
  volatile boolean reachable = true;
  /** The next N opens fail. */
  final AtomicInteger failNextOpens = new AtomicInteger();
  /** The next N isValid calls return false. */
  final AtomicInteger failNextValidations = new AtomicInteger();
  /** Text of the error an open fails with. */
  volatile String openFailureMessage = "connection refused";
  /** Thrown by the next open when set (a driver failing with an Error, not an SQLException). */
  final java.util.concurrent.atomic.AtomicReference<Error> nextOpenError =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** Runs at the start of every open, on the opening thread (a test blocks it to hold an open). */
  volatile Runnable beforeOpen = () -> { };
  /** Runs at the start of every isValid, on the validating thread. */
  volatile Runnable beforeValidation = () -> { };
  /** Statements' setQueryTimeout fails while this is true. */
  volatile boolean queryTimeoutFails;
  final List<StubConnectionState> connections = new CopyOnWriteArrayList<>();
  volatile Properties lastProperties;

  private StubDatabase(String name) {
    this.url = "jdbc:stub:" + name;
  }

  static StubDatabase create() {
    String name = "db" + NAMES.incrementAndGet();
    StubDatabase db = new StubDatabase(name);
    BY_NAME.put(name, db);
    return db;
  }

  /** Physical connections open now. */
  int live() {
    return opens.get() - closes.get() - aborts.get();
  }

  PoolConfigBuilder config() {
    return PoolConfig.builder().jdbcUrl(url).user("app").password("s3cret-Pa55")
        .minSize(0).maxSize(4).acquireTimeout(java.time.Duration.ofSeconds(2))
        .retryInitialBackoff(java.time.Duration.ofMillis(1))
        .retryMaxBackoff(java.time.Duration.ofMillis(5))
        .leakDetectionTimeout(java.time.Duration.ZERO)
        .shutdownTimeout(java.time.Duration.ofSeconds(2));
  }

  private Connection open(Properties info) throws SQLException {
    lastProperties = info;
    beforeOpen.run();
    Error error = nextOpenError.getAndSet(null);
    if (error != null) {
      throw error;
    }
    if (!reachable) {
      throw new SQLException(openFailureMessage, "08001");
    }
    if (failNextOpens.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw new SQLException(openFailureMessage, "08001");
    }
    opens.incrementAndGet();
    StubConnectionState state = new StubConnectionState();
    connections.add(state);
    return (Connection) Proxy.newProxyInstance(StubDatabase.class.getClassLoader(),
        new Class<?>[] {Connection.class, Physical.class}, new ConnectionHandler(state));
  }

  private final class ConnectionHandler implements InvocationHandler {
    private final StubConnectionState s;

    ConnectionHandler(StubConnectionState s) {
      this.s = s;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
      String name = m.getName();
      switch (name) {
        case "state":
          return s;
        case "close":
          if (!s.closed) {
            s.closed = true;
            closes.incrementAndGet();
          }
          return null;
        case "abort":
          if (!s.closed) {
            s.closed = true;
            aborts.incrementAndGet();
          }
          return null;
        case "isClosed":
          return s.closed || s.broken;
        case "isValid":
          beforeValidation.run();
          isValidCalls.incrementAndGet();
          if (failNextValidations.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return false;
          }
          return !s.closed && !s.broken && reachable;
        case "unwrap":
          return proxy;
        case "isWrapperFor":
          return true;
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "toString":
          return "stub connection " + s.id;
        default:
          break;
      }
      if (s.closed) {
        throw new SQLException("stub connection is closed", "08003");
      }
      if (s.broken) {
        throw new SQLException("stub connection is broken", "08006");
      }
      switch (name) {
        case "getAutoCommit":
          return s.autoCommit;
        case "setAutoCommit":
          s.autoCommit = (Boolean) args[0];
          s.autoCommitSets++;
          return null;
        case "getTransactionIsolation":
          s.sessionReads++;
          return s.isolation;
        case "setTransactionIsolation":
          s.isolation = (Integer) args[0];
          s.isolationSets++;
          return null;
        case "isReadOnly":
          return s.readOnly;
        case "setReadOnly":
          s.readOnly = (Boolean) args[0];
          return null;
        case "getCatalog":
          return "cat";
        case "getSchema":
          s.sessionReads++;
          return s.schema;
        case "setSchema":
          s.schema = (String) args[0];
          return null;
        case "setCatalog":
        case "setNetworkTimeout":
        case "clearWarnings":
        case "commit":
          return null;
        case "getNetworkTimeout":
          return 0;
        case "rollback":
          s.rollbacks++;
          return null;
        case "createStatement":
        case "prepareStatement":
        case "prepareCall":
          s.statements++;
          return statement(m.getReturnType());
        default:
          throw new SQLFeatureNotSupportedException("stub does not do " + name);
      }
    }
  }

  private Object statement(Class<?> type) {
    boolean[] closed = {false};
    return Proxy.newProxyInstance(StubDatabase.class.getClassLoader(), new Class<?>[] {type},
        (proxy, m, args) -> {
          switch (m.getName()) {
            case "close":
              if (!closed[0]) {
                closed[0] = true;
                statementCloses.incrementAndGet();
              }
              return null;
            case "isClosed":
              return closed[0];
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              break;
          }
          if (closed[0]) {
            throw new SQLException("stub statement is closed", "HY010");
          }
          switch (m.getName()) {
            case "execute":
              return false;
            case "getQueryTimeout":
              return 0;
            case "setQueryTimeout":
              if (queryTimeoutFails) {
                throw new SQLFeatureNotSupportedException("stub has no query timeout");
              }
              return null;
            default:
              return m.getReturnType() == boolean.class ? false
                  : m.getReturnType() == int.class ? 0 : null;
          }
        });
  }

  /** Routes jdbc:stub:name URLs to their StubDatabase. */
  static final class StubDriver implements Driver {
    @Override
    public Connection connect(String url, Properties info) throws SQLException {
      if (!acceptsURL(url)) {
        return null;
      }
      StubDatabase db = BY_NAME.get(url.substring("jdbc:stub:".length()));
      if (db == null) {
        throw new SQLException("no stub database " + url, "08001");
      }
      return db.open(info);
    }

    @Override
    public boolean acceptsURL(String url) {
      return url != null && url.startsWith("jdbc:stub:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
      return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
      return 1;
    }

    @Override
    public int getMinorVersion() {
      return 0;
    }

    @Override
    public boolean jdbcCompliant() {
      return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }
  }

}
