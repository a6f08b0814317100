package io.poolagent.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Gives integration tests a real PostgreSQL, found once per run in this order:
 *
 * <ol>
 *   <li>{@code POOLAGENT_TEST_JDBC_URL} with {@code POOLAGENT_TEST_USER} / {@code POOLAGENT_TEST_PASSWORD};
 *   <li>a Testcontainers {@code PostgreSQLContainer}, if a Docker engine answers;
 *   <li>{@code jdbc:postgresql://127.0.0.1:5432/test} as user {@code postgres}, if it answers.
 * </ol>
 *
 * When none works the test fails with one message naming the three ways; it never skips.
 */
public final class PostgresExtension implements ParameterResolver {
  static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return database(context);
  }

  /** The run's database, found on first use and shared by every test class. */
  public static TestDatabase database(ExtensionContext context) {
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    Found found = store.getOrComputeIfAbsent(Found.class, k -> locate(), Found.class);
    return found.database;
  }

  /** Holds the database and, for a container, stops it when the run ends. */
  static final class Found implements AutoCloseable {
    final TestDatabase database;
    private final Runnable owner;

    Found(TestDatabase database, Runnable owner) {
      this.database = database;
      this.owner = owner;
    }

    @Override
    public void close() {
      if (owner != null) {
        owner.run();
      }
    }
  }

  private static Found locate() {
    StringBuilder tried = new StringBuilder();
    String url = System.getenv("POOLAGENT_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      TestDatabase db = new TestDatabase(url, env("POOLAGENT_TEST_USER", "postgres"),
          env("POOLAGENT_TEST_PASSWORD", ""), "POOLAGENT_TEST_JDBC_URL");
      String problem = probe(db);
      if (problem == null) {
        return new Found(db, null);
      }
      throw new ParameterResolutionException("POOLAGENT_TEST_JDBC_URL is set to " + url
          + " but that database does not answer: " + problem);
    }
    String docker = dockerProblem();
    if (docker == null) {
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
      container.start();
      TestDatabase db = new TestDatabase(container.getJdbcUrl(), container.getUsername(),
          container.getPassword(), "Testcontainers");
      return new Found(db, container::stop);
    }
    tried.append("no Docker engine (").append(docker).append(")");
    TestDatabase local = new TestDatabase(LOCAL_URL, "postgres", "", "local PostgreSQL");
    String problem = probe(local);
    if (problem == null) {
      return new Found(local, null);
    }
    tried.append("; ").append(LOCAL_URL).append(" as postgres: ").append(problem);
    throw new ParameterResolutionException("No PostgreSQL for the integration tests (" + tried
        + "). Provide one of: (1) POOLAGENT_TEST_JDBC_URL with POOLAGENT_TEST_USER and"
        + " POOLAGENT_TEST_PASSWORD; (2) a running Docker engine for Testcontainers; (3) a PostgreSQL"
        + " on 127.0.0.1:5432 with database 'test' that user 'postgres' can reach (bash .ci/run"
        + " starts one).");
  }

  private static String dockerProblem() {
    try {
      return DockerClientFactory.instance().isDockerAvailable() ? null : "none answered";
    } catch (RuntimeException | LinkageError e) {
      return e.getClass().getSimpleName();
    }
  }

  /** Null when the database answers, else a one-line reason. */
  static String probe(TestDatabase db) {
    Properties props = new Properties();
    props.setProperty("user", db.user());
    if (!db.password().isEmpty()) {
      props.setProperty("password", db.password());
    }
    props.setProperty("connectTimeout", "3");
    props.setProperty("loginTimeout", "3");
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), props)) {
      return c.isValid(3) ? null : "connection not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static String env(String key, String fallback) {
    String value = System.getenv(key);
    return value == null ? fallback : value;
  }
}
