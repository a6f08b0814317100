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
 * connection without closing it and waits until the agent reports it collected; {@code leak} makes
 * a few short borrows, holds one until the agent flags it (run it with a short leakThreshold), then
 * closes it; {@code clean} borrows and closes a few, waits until the agent counts them, and says
 * whether the agent's bridge classes are in the bootstrap class loader.
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
      case "leak" -> leakThenReturn(url, user, password);
      case "clean" -> borrowAndClose(url, user, password);
      default -> throw new IllegalArgumentException("unknown scenario " + args[3]);
    }
    System.out.println("app finished normally");
  }

  private static HikariDataSource hikari(String name, String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(2);
    return new HikariDataSource(config);
  }

  private static void leaveOpenAtExit(String url, String user, String password) throws Exception {
    HikariDataSource ds = hikari("child-exit-pool", url, user, password);
    for (int i = 0; i < 10; i++) {
      try (Connection c = ds.getConnection()) {
        c.isValid(1);
      }
    }
    Connection forgotten = ds.getConnection();
    System.out.println("holding " + forgotten.getClass().getSimpleName());
  }

  private static void leakThenReturn(String url, String user, String password) throws Exception {
    try (HikariDataSource ds = hikari("child-leak-pool", url, user, password)) {
      for (int i = 0; i < 5; i++) {
        try (Connection c = ds.getConnection()) {
          c.isValid(1);
        }
      }
      Connection held = holdPastThreshold(ds);
      System.out.println(awaitAttribute("LeaksDetected") ? "leak seen" : "leak not seen");
      held.close();
    }
  }

  private static void borrowAndClose(String url, String user, String password) throws Exception {
    try (HikariDataSource ds = hikari("child-clean-pool", url, user, password)) {
      for (int i = 0; i < 10; i++) {
        try (Connection c = ds.getConnection()) {
          c.isValid(1);
        }
      }
    }
    System.out.println(awaitAttribute("Released") ? "borrows counted" : "borrows not counted");
    Class<?> bridge = Class.forName("io.poolagent.agent.bootstrap.AgentBridge", false, null);
    System.out.println("bridge loaded by " + bridge.getClassLoader());
  }

  private static Connection holdPastThreshold(HikariDataSource ds) throws Exception {
    return ds.getConnection();
  }

  /** Waits up to 10 s for a LeakDetector counter to become positive. */
  private static boolean awaitAttribute(String attribute) throws Exception {
    ObjectName name = new ObjectName("poolagent:type=LeakDetector");
    var server = ManagementFactory.getPlatformMBeanServer();
    for (int i = 0; i < 600; i++) { // up to ~30 s: generous for a loaded machine
      if (server.isRegistered(name)
          && ((Number) server.getAttribute(name, attribute)).longValue() > 0) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
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
