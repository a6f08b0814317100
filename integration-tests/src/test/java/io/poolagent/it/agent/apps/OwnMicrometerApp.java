package io.poolagent.it.agent.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import javax.management.ObjectName;

/**
 * An application that uses its own (unshaded) Micrometer while the agent publishes its meters
 * through its relocated copy: both must work, side by side.
 */
public final class OwnMicrometerApp {
  private OwnMicrometerApp() {}

  public static void main(String[] args) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    Counter orders = registry.counter("app.orders");
    HikariConfig config = new HikariConfig();
    config.setPoolName("child-micrometer-pool");
    config.setJdbcUrl(args[0]);
    config.setUsername(args[1]);
    config.setPassword(args[2]);
    config.setMaximumPoolSize(2);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      for (int i = 0; i < 20; i++) {
        try (Connection c = ds.getConnection()) {
          c.isValid(1);
          orders.increment();
        }
      }
      Connection held = ds.getConnection();
      Thread.sleep(Long.parseLong(args[3]));
      var server = ManagementFactory.getPlatformMBeanServer();
      int agentMeters = 0;
      for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; ) {
        agentMeters = server.queryNames(new ObjectName("poolagent.metrics:*"), null).size();
        if (agentMeters > 0) {
          break;
        }
        Thread.sleep(50);
      }
      held.close();
      System.out.println("app counter " + (long) registry.get("app.orders").counter().count()
          + " via " + MeterRegistry.class.getName());
      System.out.println("agent meters " + agentMeters);
    }
    System.out.println("app finished normally");
  }
}
