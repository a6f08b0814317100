package io.poolagent.pool;

import io.poolagent.config.DurationText;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of a {@link RetryingDataSource}. Built by {@link #builder()}, or read
 * from {@link #fromProperties(Properties) properties} or {@link #fromEnvironment(Map) environment
 * variables}. Building checks every value and throws one {@link PoolConfigException} that lists each
 * problem. {@link #toString()} never shows the password.
 */
public final class PoolConfig {
  private final String jdbcUrl;
  private final @Nullable String user;
  private final @Nullable String password;
  private final String poolName;
  private final int minSize;
  private final int maxSize;
  private final Duration acquireTimeout;
  private final Duration connectTimeout;
  private final Duration statementTimeout;
  private final Duration validationTimeout;
  private final @Nullable String validationQuery;
  private final long maxQueries;
  private final Duration maxConnectionLifetime;
  private final Duration maxIdleTime;
  private final int retryAttempts;
  private final Duration retryInitialBackoff;
  private final Duration retryMaxBackoff;
  private final Duration leakDetectionTimeout;
  private final Duration shutdownTimeout;
  private final @Nullable Object meterRegistry;

  PoolConfig(PoolConfigBuilder b, String poolName) {
    // build() has checked that a URL was given (directly or through DATABASE_URL)
    this.jdbcUrl = java.util.Objects.requireNonNull(b.jdbcUrl, "jdbcUrl");
    this.user = b.user;
    this.password = b.password;
    this.poolName = poolName;
    this.minSize = b.minSize;
    this.maxSize = b.maxSize;
    this.acquireTimeout = b.acquireTimeout;
    this.connectTimeout = b.connectTimeout;
    this.statementTimeout = b.statementTimeout;
    this.validationTimeout = b.validationTimeout;
    this.validationQuery = b.validationQuery;
    this.maxQueries = b.maxQueries;
    this.maxConnectionLifetime = b.maxConnectionLifetime;
    this.maxIdleTime = b.maxIdleTime;
    this.retryAttempts = b.retryAttempts;
    this.retryInitialBackoff = b.retryInitialBackoff;
    this.retryMaxBackoff = b.retryMaxBackoff;
    this.leakDetectionTimeout = b.leakDetectionTimeout;
    this.shutdownTimeout = b.shutdownTimeout;
    this.meterRegistry = b.meterRegistry;
  }

  /** A builder with every default; only the JDBC URL (or database URL) is required. */
  public static PoolConfigBuilder builder() {
    return new PoolConfigBuilder();
  }

  /**
   * Reads keys starting with {@code pool.} (see the documentation table); other keys are ignored, an
   * unknown {@code pool.} key is an error.
   */
  public static PoolConfig fromProperties(Properties properties) {
    PoolConfigBuilder b = new PoolConfigBuilder();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("pool.")) {
        Setting s = Setting.byPropertyKey(key);
        if (s == null) {
          b.problem("unknown key " + key + "; known keys: " + knownKeys(false));
        } else {
          b.setText(s, properties.getProperty(key), key);
        }
      }
    }
    return b.build();
  }

  /**
   * Reads {@code POOL_*} variables and {@code DATABASE_URL}; other variables are ignored, an unknown
   * {@code POOL_} variable is an error. Pass {@code System.getenv()}.
   */
  public static PoolConfig fromEnvironment(Map<String, String> environment) {
    PoolConfigBuilder b = new PoolConfigBuilder();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(environment).entrySet()) {
      String key = e.getKey();
      if (key.startsWith("POOL_") || key.equals(Setting.DATABASE_URL.envKey)) {
        Setting s = Setting.byEnvKey(key);
        if (s == null) {
          b.problem("unknown key " + key + "; known keys: " + knownKeys(true));
        } else {
          b.setText(s, e.getValue(), key);
        }
      }
    }
    return b.build();
  }

  private static String knownKeys(boolean env) {
    StringBuilder out = new StringBuilder();
    for (Setting s : Setting.values()) {
      out.append(out.length() == 0 ? "" : ", ").append(env ? s.envKey : s.propertyKey);
    }
    return out.toString();
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The user, or null when the URL or driver supplies it. */
  public @Nullable String user() {
    return user;
  }

  /** The password, or null. Handle with care: it is the one secret here. */
  public @Nullable String password() {
    return password;
  }

  public String poolName() {
    return poolName;
  }

  public int minSize() {
    return minSize;
  }

  public int maxSize() {
    return maxSize;
  }

  public Duration acquireTimeout() {
    return acquireTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** Zero when off. */
  public Duration statementTimeout() {
    return statementTimeout;
  }

  public Duration validationTimeout() {
    return validationTimeout;
  }

  public Optional<String> validationQuery() {
    return Optional.ofNullable(validationQuery);
  }

  /** Zero when unlimited. */
  public long maxQueries() {
    return maxQueries;
  }

  /** Zero when unlimited. */
  public Duration maxConnectionLifetime() {
    return maxConnectionLifetime;
  }

  /** Zero when never. */
  public Duration maxIdleTime() {
    return maxIdleTime;
  }

  public int retryAttempts() {
    return retryAttempts;
  }

  public Duration retryInitialBackoff() {
    return retryInitialBackoff;
  }

  public Duration retryMaxBackoff() {
    return retryMaxBackoff;
  }

  /** Zero when off. */
  public Duration leakDetectionTimeout() {
    return leakDetectionTimeout;
  }

  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** The Micrometer MeterRegistry to publish to, if one was given. */
  @Nullable Object meterRegistry() {
    return meterRegistry;
  }

  /** Every setting as text, the password masked. */
  Map<Setting, String> describe() {
    Map<Setting, String> out = new EnumMap<>(Setting.class);
    out.put(Setting.JDBC_URL, Secrets.maskUrl(jdbcUrl));
    out.put(Setting.USER, String.valueOf(user));
    out.put(Setting.PASSWORD, password == null ? "(none)" : "****");
    out.put(Setting.NAME, poolName);
    out.put(Setting.MIN_SIZE, Integer.toString(minSize));
    out.put(Setting.MAX_SIZE, Integer.toString(maxSize));
    out.put(Setting.ACQUIRE_TIMEOUT, DurationText.format(acquireTimeout));
    out.put(Setting.CONNECT_TIMEOUT, DurationText.format(connectTimeout));
    out.put(Setting.STATEMENT_TIMEOUT, DurationText.format(statementTimeout));
    out.put(Setting.VALIDATION_TIMEOUT, DurationText.format(validationTimeout));
    out.put(Setting.VALIDATION_QUERY, String.valueOf(validationQuery));
    out.put(Setting.MAX_QUERIES, Long.toString(maxQueries));
    out.put(Setting.MAX_CONNECTION_LIFETIME, DurationText.format(maxConnectionLifetime));
    out.put(Setting.MAX_IDLE_TIME, DurationText.format(maxIdleTime));
    out.put(Setting.RETRY_ATTEMPTS, Integer.toString(retryAttempts));
    out.put(Setting.RETRY_INITIAL_BACKOFF, DurationText.format(retryInitialBackoff));
    out.put(Setting.RETRY_MAX_BACKOFF, DurationText.format(retryMaxBackoff));
    out.put(Setting.LEAK_DETECTION_TIMEOUT, DurationText.format(leakDetectionTimeout));
    out.put(Setting.SHUTDOWN_TIMEOUT, DurationText.format(shutdownTimeout));
    return out;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("PoolConfig[");
    boolean first = true;
    for (Map.Entry<Setting, String> e : describe().entrySet()) {
      out.append(first ? "" : ", ").append(e.getKey().builderMethod).append('=').append(e.getValue());
      first = false;
    }
    return out.append(']').toString();
  }
}
