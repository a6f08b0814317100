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

  /**
   * The classes that declare the close() of the connections those pools hand out (internal names),
   * as the agent found them at the first borrow from each (Tomcat JDBC's and Vibur's are
   * {@code java.lang.reflect.Proxy} classes, named at run time). Their close() is woven as they load,
   * which spares the first borrow the retransformation of one of them, 4-6 ms on a two-core virtual
   * machine. Any other connection class is still woven at its first borrow.
   */
  private static final Set<String> CONNECTION_TYPES = Set.of(
      "com/zaxxer/hikari/pool/ProxyConnection",
      "org/apache/commons/dbcp2/PoolingDataSource$PoolGuardConnectionWrapper",
      "com/mchange/v2/c3p0/impl/AbstractNewProxyConnection",
      "io/agroal/pool/wrapper/ConnectionWrapper",
      "io/poolagent/pool/ConnectionHandle");

  private KnownPools() {}

  static boolean isPoolEntry(String declaringType) {
    return ENTRY_TYPES.contains(declaringType);
  }

  /** True when {@code internalName} declares the close() of a known pool's connections. */
  static boolean isPoolConnection(String internalName) {
    return CONNECTION_TYPES.contains(internalName);
  }
}
