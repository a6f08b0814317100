package io.poolagent.pool;

import io.poolagent.config.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Builds a {@link PoolConfig}; {@link #build()} reports every invalid value at once. */
public final class PoolConfigBuilder {
  private static final AtomicInteger UNNAMED = new AtomicInteger();

  @Nullable String jdbcUrl;
  @Nullable String databaseUrl;
  @Nullable String user;
  @Nullable String password;
  @Nullable String poolName;
  int minSize = 2;
  int maxSize = 10;
  Duration acquireTimeout = Duration.ofSeconds(30);
  Duration connectTimeout = Duration.ofSeconds(10);
  Duration statementTimeout = Duration.ofSeconds(30);
  Duration validationTimeout = Duration.ofSeconds(5);
  @Nullable String validationQuery;
  long maxQueries = 50_000;
  Duration maxConnectionLifetime = Duration.ofHours(1);
  Duration maxIdleTime = Duration.ofSeconds(60);
  int retryAttempts = 3;
  Duration retryInitialBackoff = Duration.ofMillis(500);
  Duration retryMaxBackoff = Duration.ofSeconds(30);
  Duration leakDetectionTimeout = Duration.ofSeconds(30);
  Duration shutdownTimeout = Duration.ofSeconds(30);
  @Nullable Object meterRegistry;

  /** The key each setting was given under, for messages; builder method names by default. */
  private final Map<Setting, String> keys = new EnumMap<>(Setting.class);
  /** The text each setting was given as, when it came from properties or the environment. */
  private final Map<Setting, String> texts = new EnumMap<>(Setting.class);
  private final List<String> problems = new ArrayList<>();

  PoolConfigBuilder() {}

  public PoolConfigBuilder jdbcUrl(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
    return this;
  }

  /** A {@code postgresql://user:pass@host:port/db} URL; explicit URL, user and password win. */
  public PoolConfigBuilder databaseUrl(String databaseUrl) {
    this.databaseUrl = databaseUrl;
    return this;
  }

  public PoolConfigBuilder user(String user) {
    this.user = user;
    return this;
  }

  public PoolConfigBuilder password(String password) {
    this.password = password;
    return this;
  }

  public PoolConfigBuilder poolName(String poolName) {
    this.poolName = poolName;
    return this;
  }

  public PoolConfigBuilder minSize(int minSize) {
    this.minSize = minSize;
    return this;
  }

  public PoolConfigBuilder maxSize(int maxSize) {
    this.maxSize = maxSize;
    return this;
  }

  public PoolConfigBuilder acquireTimeout(Duration timeout) {
    this.acquireTimeout = timeout;
    return this;
  }

  public PoolConfigBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  /** Zero turns the statement timeout off. */
  public PoolConfigBuilder statementTimeout(Duration timeout) {
    this.statementTimeout = timeout;
    return this;
  }

  public PoolConfigBuilder validationTimeout(Duration timeout) {
    this.validationTimeout = timeout;
    return this;
  }

  /** A query run after isValid when validating, or null for isValid alone. */
  public PoolConfigBuilder validationQuery(String query) {
    this.validationQuery = query;
    return this;
  }

  /** Zero means no limit. */
  public PoolConfigBuilder maxQueries(long maxQueries) {
    this.maxQueries = maxQueries;
    return this;
  }

  /** Zero means no limit. */
  public PoolConfigBuilder maxConnectionLifetime(Duration lifetime) {
    this.maxConnectionLifetime = lifetime;
    return this;
  }

  /** Zero means idle connections are never closed for idleness. */
  public PoolConfigBuilder maxIdleTime(Duration idle) {
    this.maxIdleTime = idle;
    return this;
  }

  public PoolConfigBuilder retryAttempts(int attempts) {
    this.retryAttempts = attempts;
    return this;
  }

  public PoolConfigBuilder retryInitialBackoff(Duration backoff) {
    this.retryInitialBackoff = backoff;
    return this;
  }

  public PoolConfigBuilder retryMaxBackoff(Duration backoff) {
    this.retryMaxBackoff = backoff;
    return this;
  }

  /** Zero turns the pool's own leak detection off (and with it stack capture). */
  public PoolConfigBuilder leakDetectionTimeout(Duration timeout) {
    this.leakDetectionTimeout = timeout;
    return this;
  }

  public PoolConfigBuilder shutdownTimeout(Duration timeout) {
    this.shutdownTimeout = timeout;
    return this;
  }

  /**
   * A Micrometer {@code MeterRegistry} to publish meters to. Typed as Object so the pool has no
   * link-time dependency on Micrometer. Without one, the global registry is used when Micrometer is
   * present.
   */
  public PoolConfigBuilder meterRegistry(Object registry) {
    this.meterRegistry = registry;
    return this;
  }

  void problem(String text) {
    problems.add(text);
  }

  /** Sets {@code s} from text read under {@code key}; a value that does not parse is a problem. */
  void setText(Setting s, String raw, String key) {
    keys.put(s, key);
    String value = raw == null ? "" : raw.trim();
    if (s != Setting.PASSWORD) {
      texts.put(s, value);
    }
    switch (s) {
      case JDBC_URL -> jdbcUrl = value;
      case DATABASE_URL -> databaseUrl = value;
      case USER -> user = value;
      case PASSWORD -> password = raw;
      case NAME -> poolName = value;
      case VALIDATION_QUERY -> validationQuery = value.isEmpty() ? null : value;
      case MIN_SIZE -> minSize = (int) whole(key, value, minSize);
      case MAX_SIZE -> maxSize = (int) whole(key, value, maxSize);
      case RETRY_ATTEMPTS -> retryAttempts = (int) whole(key, value, retryAttempts);
      case MAX_QUERIES -> maxQueries = whole(key, value, maxQueries);
      case ACQUIRE_TIMEOUT -> acquireTimeout = duration(key, value, acquireTimeout);
      case CONNECT_TIMEOUT -> connectTimeout = duration(key, value, connectTimeout);
      case STATEMENT_TIMEOUT -> statementTimeout = duration(key, value, statementTimeout);
      case VALIDATION_TIMEOUT -> validationTimeout = duration(key, value, validationTimeout);
      case MAX_CONNECTION_LIFETIME ->
          maxConnectionLifetime = duration(key, value, maxConnectionLifetime);
      case MAX_IDLE_TIME -> maxIdleTime = duration(key, value, maxIdleTime);
      case RETRY_INITIAL_BACKOFF -> retryInitialBackoff = duration(key, value, retryInitialBackoff);
      case RETRY_MAX_BACKOFF -> retryMaxBackoff = duration(key, value, retryMaxBackoff);
      case LEAK_DETECTION_TIMEOUT ->
          leakDetectionTimeout = duration(key, value, leakDetectionTimeout);
      case SHUTDOWN_TIMEOUT -> shutdownTimeout = duration(key, value, shutdownTimeout);
    }
  }

  private long whole(String key, String value, long fallback) {
    try {
      long n = Long.parseLong(value);
      if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      problems.add(key + "=" + value + " is not a whole number");
      return fallback;
    }
  }

  private Duration duration(String key, String value, Duration fallback) {
    try {
      return DurationText.parse(value, true);
    } catch (IllegalArgumentException e) {
      problems.add(key + "=" + value + " is not valid: " + e.getMessage());
      return fallback;
    }
  }

  /** {@code key=value} for messages: the text as given, else {@code formatted}. */
  String shown(Setting s, String formatted) {
    return key(s) + "=" + texts.getOrDefault(s, formatted);
  }

  /** The key a setting is known by in this build's source. */
  String key(Setting s) {
    return keys.getOrDefault(s, s.builderMethod);
  }

  /**
   * Checks every value and builds the configuration.
   *
   * @throws PoolConfigException listing every problem, each with its key and what is allowed
   */
  public PoolConfig build() {
    List<String> all = new ArrayList<>(problems);
    ConfigCheck check = new ConfigCheck(this, all);
    check.run();
    if (!all.isEmpty()) {
      throw new PoolConfigException(all);
    }
    String name = poolName == null || poolName.isEmpty()
        ? "pool-" + UNNAMED.incrementAndGet()
        : poolName;
    return new PoolConfig(this, name);
  }
}
