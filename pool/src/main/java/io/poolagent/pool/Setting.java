package io.poolagent.pool;

import org.jspecify.annotations.Nullable;

/**
 * Every configuration setting, with its name in each configuration source. The single list that
 * {@link PoolConfig#fromEnvironment}, {@link PoolConfig#fromProperties} and the documentation table
 * follow.
 */
enum Setting {
  JDBC_URL("POOL_JDBC_URL", "pool.jdbcUrl", "jdbcUrl", "(required)",
      "JDBC URL of the database, for example jdbc:postgresql://host:5432/db"),
  DATABASE_URL("DATABASE_URL", "pool.databaseUrl", "databaseUrl", "(none)",
      "alternative to the JDBC URL: postgresql://user:pass@host:port/db (or host1:port1,host2:port2);"
          + " sets URL, user and password; percent-encode '/', '?', '@' and '#' in user or password"),
  USER("POOL_USER", "pool.user", "user", "(none)", "database user"),
  PASSWORD("POOL_PASSWORD", "pool.password", "password", "(none)",
      "database password; a secret, never shown in text, logs, JMX or metrics"),
  NAME("POOL_NAME", "pool.name", "poolName", "pool-N",
      "name used in thread names, JMX, metrics and logs; letters, digits, '.', '_' and '-'"),
  MIN_SIZE("POOL_MIN_SIZE", "pool.minSize", "minSize", "2",
      "idle connections the maintenance task keeps ready (never more than max)"),
  MAX_SIZE("POOL_MAX_SIZE", "pool.maxSize", "maxSize", "10", "most connections open at once"),
  ACQUIRE_TIMEOUT("POOL_ACQUIRE_TIMEOUT", "pool.acquireTimeout", "acquireTimeout", "30s",
      "how long getConnection() waits before SQLTransientConnectionException"),
  CONNECT_TIMEOUT("POOL_CONNECT_TIMEOUT", "pool.connectTimeout", "connectTimeout", "10s",
      "limit on opening one physical connection (PostgreSQL: the TCP connect and each read of the login, whole seconds)"),
  STATEMENT_TIMEOUT("POOL_STATEMENT_TIMEOUT", "pool.statementTimeout", "statementTimeout", "30s",
      "limit on every statement (PostgreSQL statement_timeout at connection set-up); 0 = off"),
  VALIDATION_TIMEOUT("POOL_VALIDATION_TIMEOUT", "pool.validationTimeout", "validationTimeout", "5s",
      "limit on Connection.isValid (whole seconds, rounded up) and on the validation query"),
  VALIDATION_QUERY("POOL_VALIDATION_QUERY", "pool.validationQuery", "validationQuery", "(none)",
      "optional query run after isValid when a connection is validated, e.g. SELECT 1"),
  MAX_QUERIES("POOL_MAX_QUERIES", "pool.maxQueries", "maxQueries", "50000",
      "statements created on one connection before it is recycled; 0 = no limit"),
  MAX_CONNECTION_LIFETIME("POOL_MAX_CONNECTION_LIFETIME", "pool.maxConnectionLifetime",
      "maxConnectionLifetime", "1h",
      "age after which a connection is recycled (minus up to 2.5% jitter); 0 = no limit"),
  MAX_IDLE_TIME("POOL_MAX_IDLE_TIME", "pool.maxIdleTime", "maxIdleTime", "60s",
      "idle time after which a connection above min is closed; 0 = never"),
  RETRY_ATTEMPTS("POOL_RETRY_ATTEMPTS", "pool.retryAttempts", "retryAttempts", "3",
      "attempts in total to open and validate one connection (1 = no retry), at most 100"),
  RETRY_INITIAL_BACKOFF("POOL_RETRY_INITIAL_BACKOFF", "pool.retryInitialBackoff",
      "retryInitialBackoff", "500ms", "cap of the first retry delay (full jitter, doubling)"),
  RETRY_MAX_BACKOFF("POOL_RETRY_MAX_BACKOFF", "pool.retryMaxBackoff", "retryMaxBackoff", "30s",
      "largest retry delay cap; also caps the background reconnection delay"),
  LEAK_DETECTION_TIMEOUT("POOL_LEAK_DETECTION_TIMEOUT", "pool.leakDetectionTimeout",
      "leakDetectionTimeout", "30s",
      "a borrow held longer is reported with its stack and thread; 0 = off"),
  SHUTDOWN_TIMEOUT("POOL_SHUTDOWN_TIMEOUT", "pool.shutdownTimeout", "shutdownTimeout", "30s",
      "how long close() waits for borrowed connections before aborting them");

  final String envKey;
  final String propertyKey;
  final String builderMethod;
  final String defaultText;
  final String meaning;

  Setting(String envKey, String propertyKey, String builderMethod, String defaultText, String meaning) {
    this.envKey = envKey;
    this.propertyKey = propertyKey;
    this.builderMethod = builderMethod;
    this.defaultText = defaultText;
    this.meaning = meaning;
  }

  static @Nullable Setting byEnvKey(String key) {
    for (Setting s : values()) {
      if (s.envKey.equals(key)) {
        return s;
      }
    }
    return null;
  }

  static @Nullable Setting byPropertyKey(String key) {
    for (Setting s : values()) {
      if (s.propertyKey.equals(key)) {
        return s;
      }
    }
    return null;
  }
}
