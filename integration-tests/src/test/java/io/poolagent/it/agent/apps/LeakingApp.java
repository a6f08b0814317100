package io.poolagent.it.agent.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import javax.management.ObjectName;

/**
 * A child-JVM application for the agent tests. Arguments: JDBC URL, user, password, then a scenario:
 * {@code exit} leaves one HikariCP connection open at exit; {@code gc} drops a DriverManager
 * connection without closing it and waits until the agent reports it collected.
 */
public final class LeakingApp {
  private LeakingApp() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    switch (args[3]) {
      case "exit" -> leaveOpenAtExit(url, user, password);
      case "gc" -> dropWithoutClose(url, user, password);
      default -> throw new IllegalArgumentException("unknown scenario " + args[3]);
    }
    System.out.println("app finished normally");
  }

  private static void leaveOpenAtExit(String url, String user, String password) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setPoolName("child-exit-pool");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(2);
    HikariDataSource ds = new HikariDataSource(config);
    for (int i = 0; i < 10; i++) {
      try (Connection c = ds.getConnection()) {
        c.isValid(1);
      }
    }
    Connection forgotten = ds.getConnection();
    System.out.println("holding " + forgotten.getClass().getSimpleName());
  }

  private static void dropWithoutClose(String url, String user, String password) throws Exception {
    openAndForget(url, user, password);
    ObjectName name = new ObjectName("poolagent:type=LeakDetector");
    var server = ManagementFactory.getPlatformMBeanServer();
    for (int i = 0; i < 200; i++) {
      System.gc();
      Thread.sleep(50);
      if (server.isRegistered(name)
          && ((Number) server.getAttribute(name, "GcUnclosed")).longValue() > 0) {
        System.out.println("gc-unclosed seen");
        return;
      }
    }
    System.out.println("gc-unclosed not seen");
  }

  private static void openAndForget(String url, String user, String password) throws Exception {
    Connection c = DriverManager.getConnection(url, user, password);
    c.isValid(1);
  }
}
