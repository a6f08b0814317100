package io.poolagent.bench;

import io.poolagent.bench.stub.StubDriver;

/** The database a benchmark runs against: the in-memory stub, or the local PostgreSQL. */
public record Target(String url, String user, String password, String driverClass) {
  /** The no-op stub driver: measures the pool alone. */
  public static Target stub() {
    StubDriver.register();
    return new Target(StubDriver.URL, "bench", "bench", StubDriver.class.getName());
  }

  /**
   * The local PostgreSQL, from {@code POOLAGENT_TEST_JDBC_URL}/{@code _USER}/{@code _PASSWORD} as the
   * integration tests read it, else {@code jdbc:postgresql://127.0.0.1:5432/test} as postgres.
   */
  public static Target postgres() {
    String url = System.getenv().getOrDefault("POOLAGENT_TEST_JDBC_URL",
        "jdbc:postgresql://127.0.0.1:5432/test");
    String user = System.getenv().getOrDefault("POOLAGENT_TEST_USER", "postgres");
    String password = System.getenv().getOrDefault("POOLAGENT_TEST_PASSWORD", "");
    return new Target(url, user, password, "org.postgresql.Driver");
  }
}
