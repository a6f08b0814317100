package io.poolagent.it.agent;

import static io.poolagent.it.support.AgentReport.event;
import static io.poolagent.it.support.AgentReport.fromSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool loaded by an isolated class loader whose parent is the platform loader, as in a web
 * application or plugin container: the agent still tracks it, and only the bootstrap bridge is
 * visible from there.
 */
@ExtendWith(PostgresExtension.class)
class IsolatedClassLoaderIT {
  private static final List<String> JARS = List.of("HikariCP", "postgresql", "slf4j-api");

  private static URLClassLoader isolatedLoader() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String file = Path.of(entry).getFileName().toString();
      if (JARS.stream().anyMatch(j -> file.startsWith(j + "-"))) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertEquals(JARS.size(), urls.size(), "found the pool's jars: " + urls);
    return new URLClassLoader("isolated-webapp", urls.toArray(new URL[0]),
        ClassLoader.getPlatformClassLoader());
  }

  @Test
  void aPoolInAnIsolatedLoaderIsTrackedAndSeesOnlyTheBridge(TestDatabase db) throws Exception {
    LeakDetectorBean agent = LeakDetectorBean.inThisJvm();
    AgentReport report = AgentReport.ofThisJvm();
    try (URLClassLoader loader = isolatedLoader()) {
      Class<?> configType = loader.loadClass("com.zaxxer.hikari.HikariConfig");
      Object config = configType.getConstructor().newInstance();
      String name = "it-isolated-" + System.nanoTime();
      configType.getMethod("setPoolName", String.class).invoke(config, name);
      configType.getMethod("setJdbcUrl", String.class).invoke(config, db.jdbcUrl());
      configType.getMethod("setUsername", String.class).invoke(config, db.user());
      configType.getMethod("setPassword", String.class).invoke(config, db.password());
      configType.getMethod("setMaximumPoolSize", int.class).invoke(config, 2);
      // as a container would: the driver comes from the application's own loader
      configType.getMethod("setDriverClassName", String.class).invoke(config, "org.postgresql.Driver");
      Class<?> dsType = loader.loadClass("com.zaxxer.hikari.HikariDataSource");
      AutoCloseable ds = (AutoCloseable) dsType.getConstructor(configType).newInstance(config);
      try {
        agent.setThreshold(Duration.ofMillis(200));
        AutoCloseable connection = (AutoCloseable) dsType.getMethod("getConnection").invoke(ds);
        List<Map<String, Object>> leaks =
            report.await(event("leak").and(fromSource(name)), 1, Duration.ofSeconds(10));
        connection.close();
        assertEquals(1, leaks.size(), "leak flagged for the isolated pool");
        assertEquals(1, report.await(event("returned").and(fromSource(name)), 1,
            Duration.ofSeconds(5)).size(), "returned after the leak");
      } finally {
        agent.setThreshold(Duration.ofSeconds(30));
        ds.close();
      }
      assertNull(Class.forName("io.poolagent.agent.bootstrap.AgentBridge", false, loader)
          .getClassLoader(), "the bridge is on the bootstrap path");
      assertThrows(ClassNotFoundException.class,
          () -> Class.forName("io.poolagent.agent.AgentMain", false, loader));
      assertThrows(ClassNotFoundException.class,
          () -> Class.forName("io.poolagent.agent.shaded.bytebuddy.ByteBuddy", false, loader));
    }
  }
}
