package io.poolagent.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.poolagent.pool.PoolConfig;
import io.poolagent.pool.RetryingDataSource;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A small order service that behaves like a real one: worker threads place and look up orders
 * through a repository layer. One code path leaks a connection on purpose ({@code totalFor} of a
 * missing order) and one returns its connection late (a slow report). Run it with the agent to see
 * the leak flagged at the right line, the "returned after" notice and the exit summary.
 */
public final class OrderServiceApp {
  private static final int WORKERS = 4;

  private OrderServiceApp() {}

  public static void main(String[] args) throws Exception {
    SampleOptions options;
    try {
      options = SampleOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(options, System.out));
  }

  static int run(SampleOptions options, PrintStream out) throws Exception {
    out.println("order service: " + options + ", agent "
        + (Boolean.getBoolean("poolagent.agent.active") ? "attached" : "not attached"
            + " (add -javaagent:agent/target/pool-agent.jar=leakThreshold=2s)"));
    try (HikariDataSource hikari = hikari(options); RetryingDataSource bundled = bundled(options)) {
      // Orders live behind HikariCP; the reporting side uses the bundled pool, side by side.
      OrderRepository orders = new OrderRepository(hikari, "orders");
      OrderRepository reports = new OrderRepository(bundled, "orders");
      orders.createSchema();
      AtomicLong placed = new AtomicLong();
      ExecutorService workers = Executors.newFixedThreadPool(WORKERS + 1, daemonThreads());
      long end = System.nanoTime() + options.runFor().toNanos();
      List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        tasks.add(workers.submit(() -> {
          long id = worker * 1_000_000L;
          while (options.forever() || System.nanoTime() < end) {
            orders.placeOrder(++id, "customer-" + (id % 97), 100 + id % 5000);
            orders.customerOf(id);
            placed.incrementAndGet();
            Thread.sleep(5);
          }
          return null;
        }));
      }
      tasks.add(workers.submit(() -> reports.slowReport(options.hold().toMillis())));
      out.println("looking up a missing order (this path leaks its connection)");
      out.println("total of order -1: " + orders.totalFor(-1).map(String::valueOf).orElse("none"));
      if (options.forever()) {
        out.println("running until stopped (Ctrl-C); connect JConsole to this process to watch"
            + " the poolagent MBeans");
        while (true) {
          Thread.sleep(10_000);
          printAgentStatus(out);
        }
      }
      for (java.util.concurrent.Future<?> task : tasks) {
        task.get();
      }
      workers.shutdown();
      workers.awaitTermination(5, TimeUnit.SECONDS);
      out.println("placed " + placed.get() + " orders; table holds " + reports.count());
      out.println("bundled pool " + bundled.getPoolName() + ": " + bundled.health() + ", "
          + bundled.stats());
      printAgentStatus(out);
    }
    return 0;
  }

  private static RetryingDataSource bundled(SampleOptions options) {
    return new RetryingDataSource(PoolConfig.builder()
        .poolName("orders-bundled")
        .jdbcUrl(options.jdbcUrl())
        .user(options.user())
        .password(options.password())
        .minSize(1)
        .maxSize(4)
        .build());
  }

  private static HikariDataSource hikari(SampleOptions options) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("orders-hikari");
    config.setJdbcUrl(options.jdbcUrl());
    config.setUsername(options.user());
    config.setPassword(options.password());
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    return new HikariDataSource(config);
  }

  /** What an operator would read from JConsole: the agent's LeakDetector MBean. */
  private static void printAgentStatus(PrintStream out) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("poolagent:type=LeakDetector");
    if (!server.isRegistered(name)) {
      return;
    }
    out.println("poolagent:type=LeakDetector: OpenConnections="
        + server.getAttribute(name, "OpenConnections") + ", LeaksDetected="
        + server.getAttribute(name, "LeaksDetected") + ", Acquired="
        + server.getAttribute(name, "Acquired") + ", Released="
        + server.getAttribute(name, "Released"));
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, "order-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
