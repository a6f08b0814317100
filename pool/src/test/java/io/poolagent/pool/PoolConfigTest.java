package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PoolConfigTest {
  private static final String URL = "jdbc:postgresql://localhost:5432/app";

  @Test
  void defaultsMatchTheIssue() {
    PoolConfig c = PoolConfig.builder().jdbcUrl(URL).build();
    assertEquals(2, c.minSize());
    assertEquals(10, c.maxSize());
    assertEquals(Duration.ofSeconds(30), c.acquireTimeout());
    assertEquals(Duration.ofSeconds(10), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.statementTimeout());
    assertEquals(Duration.ofSeconds(5), c.validationTimeout());
    assertEquals(50_000, c.maxQueries());
    assertEquals(Duration.ofHours(1), c.maxConnectionLifetime());
    assertEquals(Duration.ofSeconds(60), c.maxIdleTime());
    assertEquals(3, c.retryAttempts());
    assertEquals(Duration.ofMillis(500), c.retryInitialBackoff());
    assertEquals(Duration.ofSeconds(30), c.retryMaxBackoff());
    assertEquals(Duration.ofSeconds(30), c.leakDetectionTimeout());
    assertEquals(Duration.ofSeconds(30), c.shutdownTimeout());
    assertTrue(c.validationQuery().isEmpty());
    assertTrue(c.poolName().matches("pool-\\d+"), c.poolName());
  }

  @Test
  void readsEveryEnvironmentVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin");
    env.put("POOL_JDBC_URL", URL);
    env.put("POOL_USER", "app");
    env.put("POOL_PASSWORD", "pw");
    env.put("POOL_NAME", "orders");
    env.put("POOL_MIN_SIZE", "1");
    env.put("POOL_MAX_SIZE", "7");
    env.put("POOL_ACQUIRE_TIMEOUT", "250ms");
    env.put("POOL_CONNECT_TIMEOUT", "3s");
    env.put("POOL_STATEMENT_TIMEOUT", "0");
    env.put("POOL_VALIDATION_TIMEOUT", "2s");
    env.put("POOL_VALIDATION_QUERY", "SELECT 1");
    env.put("POOL_MAX_QUERIES", "100");
    env.put("POOL_MAX_CONNECTION_LIFETIME", "5m");
    env.put("POOL_MAX_IDLE_TIME", "1m");
    env.put("POOL_RETRY_ATTEMPTS", "5");
    env.put("POOL_RETRY_INITIAL_BACKOFF", "100ms");
    env.put("POOL_RETRY_MAX_BACKOFF", "2s");
    env.put("POOL_LEAK_DETECTION_TIMEOUT", "0");
    env.put("POOL_SHUTDOWN_TIMEOUT", "1h");
    PoolConfig c = PoolConfig.fromEnvironment(env);
    assertEquals(URL, c.jdbcUrl());
    assertEquals("app", c.user());
    assertEquals("pw", c.password());
    assertEquals("orders", c.poolName());
    assertEquals(1, c.minSize());
    assertEquals(7, c.maxSize());
    assertEquals(Duration.ofMillis(250), c.acquireTimeout());
    assertEquals(Duration.ofSeconds(3), c.connectTimeout());
    assertEquals(Duration.ZERO, c.statementTimeout());
    assertEquals(Duration.ofSeconds(2), c.validationTimeout());
    assertEquals("SELECT 1", c.validationQuery().orElseThrow());
    assertEquals(100, c.maxQueries());
    assertEquals(Duration.ofMinutes(5), c.maxConnectionLifetime());
    assertEquals(Duration.ofMinutes(1), c.maxIdleTime());
    assertEquals(5, c.retryAttempts());
    assertEquals(Duration.ofMillis(100), c.retryInitialBackoff());
    assertEquals(Duration.ofSeconds(2), c.retryMaxBackoff());
    assertEquals(Duration.ZERO, c.leakDetectionTimeout());
    assertEquals(Duration.ofHours(1), c.shutdownTimeout());
  }

  @Test
  void readsDatabaseUrlInHerokuForm() {
    PoolConfig c = PoolConfig.fromEnvironment(
        Map.of("DATABASE_URL", "postgresql://alice:p%40ss@db.example.com:6543/shop?sslmode=require"));
    assertEquals("jdbc:postgresql://db.example.com:6543/shop?sslmode=require", c.jdbcUrl());
    assertEquals("alice", c.user());
    assertEquals("p@ss", c.password());
  }

  @Test
  void readsDatabaseUrlsWithUnderscoreHostsSeveralHostsAndPlusSignsInThePassword() {
    PoolConfig c = PoolConfig.fromEnvironment(Map.of("DATABASE_URL", "postgresql://app:a+b@my_db/shop"));
    assertEquals("jdbc:postgresql://my_db/shop", c.jdbcUrl());
    assertEquals("a+b", c.password(), "'+' in user info is a plus sign, not a space");
    c = PoolConfig.fromEnvironment(Map.of("DATABASE_URL", "postgresql://app:p@ss@db/shop"));
    assertEquals("p@ss", c.password(), "the host starts after the last '@'");
    c = PoolConfig.fromEnvironment(Map.of("DATABASE_URL", "postgres://app:pw@db1:5432,db2:5433/shop"));
    assertEquals("jdbc:postgresql://db1:5432,db2:5433/shop", c.jdbcUrl());
    assertEquals("jdbc:postgresql://my_db:5432/shop",
        PoolConfig.builder().jdbcUrl("jdbc:postgresql://my_db:5432/shop").build().jdbcUrl());
  }

  @Test
  void aDatabaseUrlWhosePasswordIsNotPercentEncodedIsRejectedWithoutShowingAnyOfIt() {
    for (String url : List.of("postgresql://app:s3cr/et@db:5432/app",
        "postgresql://app:top?secret@db/app", "postgresql://app:pass%zzword@db/app",
        "postgresql://app:pa#ss9@db/app")) {
      PoolConfigException e = assertThrows(PoolConfigException.class,
          () -> PoolConfig.fromEnvironment(Map.of("DATABASE_URL", url)), url);
      String shown = e.getMessage();
      for (String part : List.of("s3cr", "et@", "top", "secret", "zzword", "ss9")) {
        assertFalse(shown.contains(part), "'" + part + "' shown: " + shown);
      }
      assertTrue(shown.contains("DATABASE_URL=postgresql://app:****@"), shown);
    }
  }

  @Test
  void explicitSettingsWinOverDatabaseUrl() {
    PoolConfig c = PoolConfig.fromEnvironment(Map.of(
        "DATABASE_URL", "postgres://alice:secret@db:5432/shop",
        "POOL_USER", "bob", "POOL_JDBC_URL", URL));
    assertEquals(URL, c.jdbcUrl());
    assertEquals("bob", c.user());
    assertEquals("secret", c.password());
  }

  @Test
  void readsProperties() {
    Properties p = new Properties();
    p.setProperty("pool.jdbcUrl", URL);
    p.setProperty("pool.maxSize", "3");
    p.setProperty("pool.minSize", "0");
    p.setProperty("pool.acquireTimeout", "5m");
    p.setProperty("unrelated.key", "ignored");
    PoolConfig c = PoolConfig.fromProperties(p);
    assertEquals(3, c.maxSize());
    assertEquals(0, c.minSize());
    assertEquals(Duration.ofMinutes(5), c.acquireTimeout());
  }

  @Test
  void reportsEveryProblemAtOnceWithItsKey() {
    Map<String, String> env = new HashMap<>();
    env.put("POOL_JDBC_URL", "postgresql:/nohost");
    env.put("POOL_MIN_SIZE", "20");
    env.put("POOL_MAX_SIZE", "10");
    env.put("POOL_MAX_SZE", "10");
    env.put("POOL_ACQUIRE_TIMEOUT", "0");
    env.put("POOL_CONNECT_TIMEOUT", "-5s");
    env.put("POOL_VALIDATION_TIMEOUT", "soon");
    env.put("POOL_RETRY_ATTEMPTS", "0");
    env.put("POOL_RETRY_INITIAL_BACKOFF", "2s");
    env.put("POOL_RETRY_MAX_BACKOFF", "1s");
    env.put("POOL_SHUTDOWN_TIMEOUT", "30x");
    env.put("POOL_NAME", "bad name!");
    PoolConfigException e =
        assertThrows(PoolConfigException.class, () -> PoolConfig.fromEnvironment(env));
    List<String> problems = e.problems();
    String m = e.getMessage();
    assertTrue(problems.contains(
        "POOL_MIN_SIZE=20 is larger than POOL_MAX_SIZE=10; min must be <= max"), m);
    assertTrue(m.contains("unknown key POOL_MAX_SZE"), m);
    assertTrue(m.contains("POOL_JDBC_URL=postgresql:/nohost is not a JDBC URL"), m);
    assertTrue(m.contains("POOL_ACQUIRE_TIMEOUT=0 must be positive"), m);
    assertTrue(m.contains("POOL_CONNECT_TIMEOUT=-5s is not valid: must not be negative"), m);
    assertTrue(m.contains("POOL_VALIDATION_TIMEOUT=soon is not valid: expected a duration such as 250ms"), m);
    assertTrue(m.contains("POOL_RETRY_ATTEMPTS=0 is out of range"), m);
    assertTrue(m.contains("POOL_RETRY_MAX_BACKOFF=1s is smaller than POOL_RETRY_INITIAL_BACKOFF=2s"), m);
    assertTrue(m.contains("POOL_SHUTDOWN_TIMEOUT=30x is not valid: unknown unit 'x'"), m);
    assertTrue(m.contains("POOL_NAME=bad name! is not a valid name"), m);
    assertEquals(10, problems.size(), m);
    assertTrue(m.startsWith("invalid pool configuration (10 problems):"), m);
  }

  @Test
  void builderProblemsUseBuilderNames() {
    PoolConfigException e = assertThrows(PoolConfigException.class, () -> PoolConfig.builder()
        .jdbcUrl(URL).minSize(5).maxSize(0).leakDetectionTimeout(Duration.ofSeconds(-1))
        .maxQueries(-1).build());
    String m = e.getMessage();
    assertTrue(m.contains("maxSize=0 is out of range; max must be between 1 and 10000"), m);
    assertTrue(m.contains("leakDetectionTimeout=-1s is negative"), m);
    assertTrue(m.contains("maxQueries=-1 is negative"), m);
  }

  @Test
  void aMissingUrlIsAProblem() {
    PoolConfigException e = assertThrows(PoolConfigException.class, () -> PoolConfig.builder().build());
    assertTrue(e.getMessage().contains("jdbcUrl is required"), e.getMessage());
  }

  @Test
  void malformedUrlsAreRejectedWithoutShowingThePassword() {
    PoolConfigException e = assertThrows(PoolConfigException.class, () -> PoolConfig.fromEnvironment(
        Map.of("DATABASE_URL", "mysql://u:topsecret@host:3306/db")));
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    assertTrue(e.getMessage().contains("DATABASE_URL=mysql://u:****@host:3306/db has scheme mysql"),
        e.getMessage());
    e = assertThrows(PoolConfigException.class, () -> PoolConfig.builder()
        .jdbcUrl("jdbc:postgresql://host:99999/db?password=topsecret").build());
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
    assertTrue(e.getMessage().contains("port"), e.getMessage());
  }

  @Test
  void toStringNeverShowsThePassword() {
    PoolConfig c = PoolConfig.builder().jdbcUrl(URL + "?password=urlsecret").user("app")
        .password("hunter2").build();
    String text = c.toString();
    assertFalse(text.contains("hunter2"), text);
    assertFalse(text.contains("urlsecret"), text);
    assertTrue(text.contains("password=****"), text);
  }

  @Test
  void durationsUseTheSharedSyntaxAndJdbcSecondsRoundUp() {
    Properties p = new Properties();
    p.setProperty("pool.jdbcUrl", URL);
    p.setProperty("pool.acquireTimeout", "250ms");
    p.setProperty("pool.connectTimeout", "1500");
    p.setProperty("pool.maxConnectionLifetime", "2h");
    PoolConfig c = PoolConfig.fromProperties(p);
    assertEquals(Duration.ofMillis(250), c.acquireTimeout());
    assertEquals(Duration.ofMillis(1500), c.connectTimeout(), "a bare number is milliseconds");
    assertEquals(Duration.ofHours(2), c.maxConnectionLifetime());
    assertEquals(1, ConnectionFactory.seconds(Duration.ofMillis(250)));
    assertEquals(2, ConnectionFactory.seconds(Duration.ofMillis(1001)));
  }
}
