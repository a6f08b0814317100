package io.poolagent.bench.stub;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;

/**
 * Database metadata for the stub: a proxy, since pools read it only while setting up a connection
 * (never per borrow). Names the stub database; answers false, zero or null to everything else.
 */
final class StubMetaData {
  private StubMetaData() {}

  static DatabaseMetaData of(Connection connection) {
    return (DatabaseMetaData) Proxy.newProxyInstance(StubMetaData.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "getConnection" -> {
              return connection;
            }
            case "getDatabaseProductName", "getDriverName" -> {
              return "stub";
            }
            case "getDatabaseProductVersion", "getDriverVersion" -> {
              return "1.0";
            }
            case "getURL" -> {
              return StubDriver.URL;
            }
            case "getJDBCMajorVersion", "getDatabaseMajorVersion", "getDriverMajorVersion" -> {
              return 4;
            }
            default -> {
              Class<?> type = method.getReturnType();
              if (type == boolean.class) {
                return false;
              }
              if (type == int.class) {
                return 0;
              }
              if (type == long.class) {
                return 0L;
              }
              return null;
            }
          }
        });
  }
}
