package io.poolagent.bench.process;

import io.poolagent.bench.Pools;
import io.poolagent.bench.Target;
import java.io.File;
import java.sql.Connection;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Bar 6: the app whose start-up {@code startup.py} times. It starts a HikariCP pool on the stub
 * driver, takes its first connection and prints {@code first-borrow} (the script notes the time the
 * line arrives), then exits. With the argument {@code classes} it first loads every class of the
 * pools, drivers and JMH in its jar (a few thousand), as a larger app does at start-up: each class
 * passes the agent's type matcher.
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) throws Exception {
    int loaded = args.length > 0 && args[0].equals("classes") ? loadJarClasses() : 0;
    try (Pools.Started pool = Pools.HIKARI.start(Target.stub(), 2);
        Connection c = pool.dataSource().getConnection()) {
      System.out.println("first-borrow " + loaded + " " + c.isValid(1));
      System.out.flush();
    }
  }

  private static int loadJarClasses() throws Exception {
    File jar = new File(StartupProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ClassLoader loader = StartupProbe.class.getClassLoader();
    int loaded = 0;
    try (JarFile file = new JarFile(jar)) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (!name.endsWith(".class") || name.contains("module-info") || name.startsWith("META-INF")
            || name.startsWith("io/poolagent/bench/jmh_generated")) {
          continue;
        }
        try {
          Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
          loaded++;
        } catch (LinkageError | ClassNotFoundException ignored) {
          // optional dependencies of the pools (Hibernate, JNDI providers) are absent
        }
      }
    }
    return loaded;
  }
}
