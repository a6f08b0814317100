package io.poolagent.it.agent.apps;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolConfig;
import io.poolagent.pool.RetryingDataSource;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A child-JVM application that sends a password (from the environment variable
 * {@code POOLAGENT_IT_SECRET}, never an argument) through every configuration path, leaks and
 * returns a connection on every pool, fails to connect to a dead port with the password in the URL
 * and in properties, and then prints everything an operator could see: exceptions with their stack
 * traces, toString of configs and pools, every MBean attribute and the result of every no-argument
 * poolagent operation, and every thread name. The test searches all of it for the password.
 * Arguments: JDBC URL, user.
 */
public final class SecretsApp {
  private SecretsApp() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    String secret = System.getenv("POOLAGENT_IT_SECRET");
    TestDatabase db = new TestDatabase(url, user, secret, "secrets app");
    for (PoolKind kind : PoolKind.values()) {
      try (PoolKind.Opened pool = kind.open(db, "secret-" + kind.name().toLowerCase())) {
        Connection held = pool.dataSource().getConnection();
        Thread.sleep(400); // past the 200ms threshold: a leak event is reported
        System.out.println(kind + " " + pool.dataSource() + " " + held);
        held.close();
      }
    }
    String sep = url.contains("?") ? "&" : "?";
    // the password inside the URL, through a plain DataSource and HikariCP
    PGSimpleDataSource simple = new PGSimpleDataSource();
    simple.setURL(url + sep + "user=" + user + "&password=" + secret);
    try (Connection c = simple.getConnection()) {
      System.out.println("url with password: " + c.isValid(2));
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("secret-url-hikari");
    hikari.setJdbcUrl(url + sep + "password=" + secret);
    hikari.setUsername(user);
    try (HikariDataSource ds = new HikariDataSource(hikari); Connection c = ds.getConnection()) {
      System.out.println("hikari url with password: " + c.isValid(2) + " " + ds);
    }
    Properties props = new Properties();
    props.setProperty("pool.jdbcUrl", url);
    props.setProperty("pool.user", user);
    props.setProperty("pool.password", secret);
    props.setProperty("pool.name", "secret-props");
    try (RetryingDataSource pool = new RetryingDataSource(PoolConfig.fromProperties(props));
        Connection c = pool.getConnection()) {
      System.out.println(PoolConfig.fromProperties(props) + " " + pool + " " + pool.stats() + " " + c);
      dumpMBeans();
    }
    failToConnect(user, secret);
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      System.out.println("thread: " + t.getName());
    }
    System.out.println("secrets app done");
  }

  private static void failToConnect(String user, String secret) {
    String dead = "jdbc:postgresql://127.0.0.1:1/test";
    try (RetryingDataSource pool = new RetryingDataSource(PoolConfig.builder()
        .jdbcUrl(dead + "?password=" + secret).user(user).password(secret).poolName("secret-dead")
        .minSize(0).retryAttempts(1).acquireTimeout(Duration.ofSeconds(2)).build())) {
      pool.getConnection().close();
    } catch (Exception e) {
      e.printStackTrace();
    }
    try {
      PoolConfig.builder().jdbcUrl(dead + "?password=" + secret).password(secret).minSize(-1).build();
    } catch (Exception e) {
      e.printStackTrace();
    }
    try {
      PoolConfig.fromProperties(props("postgresql://" + user + ":" + secret + "@127.0.0.1:0/test"));
    } catch (Exception e) {
      e.printStackTrace();
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("secret-dead-hikari");
    hikari.setJdbcUrl(dead + "?password=" + secret);
    hikari.setUsername(user);
    hikari.setPassword(secret);
    hikari.setInitializationFailTimeout(1);
    hikari.setConnectionTimeout(1000);
    try (HikariDataSource ds = new HikariDataSource(hikari)) {
      ds.getConnection().close();
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  private static Properties props(String databaseUrl) {
    Properties p = new Properties();
    p.setProperty("pool.databaseUrl", databaseUrl);
    return p;
  }

  /** Every attribute of every MBean, and every no-argument operation of the poolagent beans. */
  private static void dumpMBeans() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (ObjectName name : server.queryNames(null, null)) {
      for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
        try {
          System.out.println(name + " " + a.getName() + " = " + server.getAttribute(name, a.getName()));
        } catch (Exception | LinkageError e) {
          System.out.println(name + " " + a.getName() + " unreadable: " + e);
        }
      }
      if (!name.getDomain().startsWith("poolagent")) {
        continue;
      }
      for (MBeanOperationInfo op : server.getMBeanInfo(name).getOperations()) {
        if (op.getSignature().length == 0 && !op.getName().toLowerCase().contains("close")
            && !op.getName().toLowerCase().contains("shutdown")) {
          try {
            System.out.println(name + " " + op.getName() + "() -> "
                + server.invoke(name, op.getName(), new Object[0], new String[0]));
          } catch (Exception e) {
            System.out.println(name + " " + op.getName() + "() failed: " + e);
          }
        }
      }
    }
  }
}
