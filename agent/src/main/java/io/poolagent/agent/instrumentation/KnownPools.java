package io.poolagent.agent.instrumentation;

import java.util.Set;

/**
 * The getConnection methods that are known to hand out pooled connections to the application. Their
 * borrows are recorded without further checks. Every other getConnection (drivers, simple
 * DataSources, wrappers) is treated as a physical source: recorded unless a known pool is on the
 * stack, because pools open physical connections for themselves, often on helper threads.
 */
final class KnownPools {
  /** Declaring types of pool getConnection methods, by exact name. */
  private static final Set<String> ENTRY_TYPES = Set.of(
      "com.zaxxer.hikari.HikariDataSource",
      "org.apache.commons.dbcp2.BasicDataSource",
      "org.apache.commons.dbcp2.PoolingDataSource",
      "org.apache.commons.dbcp2.datasources.InstanceKeyDataSource",
      "com.mchange.v2.c3p0.impl.AbstractPoolBackedDataSource",
      "org.apache.tomcat.jdbc.pool.DataSourceProxy",
      "org.vibur.dbcp.ViburDBCPDataSource",
      "io.agroal.pool.DataSource",
      "io.poolagent.pool.RetryingDataSource");

  private KnownPools() {}

  static boolean isPoolEntry(String declaringType) {
    return ENTRY_TYPES.contains(declaringType);
  }
}
