package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.AgentBridge;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Whether the classes of a class loader can resolve what woven code names: the bridge (on the
 * bootstrap class path) and, in a woven getConnection, {@code javax.sql.DataSource}. Most loaders
 * delegate to their parents and see both; an OSGi bundle without boot delegation of the bridge's
 * package, or a JBoss module without it in {@code jboss.modules.system.pkgs}, does not, and a woven
 * method there would throw {@code NoClassDefFoundError} into the application. Such classes are left
 * unwoven. Each loader is asked once; the answer is kept while the loader lives.
 */
final class LoaderVisibility {
  static final String DATA_SOURCE = "javax.sql.DataSource";
  private final Map<ClassLoader, Boolean> bridge = new WeakHashMap<>();
  private final Map<ClassLoader, Boolean> dataSource = new WeakHashMap<>();

  /**
   * Null when classes of {@code loader} can resolve the bridge (and {@code javax.sql.DataSource}
   * when {@code needsDataSource}); otherwise the first name they cannot resolve.
   */
  @Nullable String missing(@Nullable ClassLoader loader, boolean needsDataSource) {
    if (loader == null || delegatesToTheJdk(loader)) {
      return null;
    }
    if (!sees(bridge, loader, AgentBridge.class.getName(), AgentBridge.class)) {
      return AgentBridge.class.getName();
    }
    if (needsDataSource && !sees(dataSource, loader, DATA_SOURCE, null)) {
      return DATA_SOURCE;
    }
    return null;
  }

  /** The bootstrap loader and the JDK's own loaders see the bootstrap class path and java.sql. */
  private static boolean delegatesToTheJdk(ClassLoader loader) {
    return loader == ClassLoader.getSystemClassLoader()
        || loader == ClassLoader.getPlatformClassLoader();
  }

  /**
   * Whether {@code name} resolves from {@code loader}, to {@code expected} when given. The lookup
   * does not initialize the class; whatever it throws means no.
   */
  private static boolean sees(Map<ClassLoader, Boolean> known, ClassLoader loader, String name,
      @Nullable Class<?> expected) {
    synchronized (known) {
      Boolean answer = known.get(loader);
      if (answer != null) {
        return answer;
      }
    }
    boolean visible;
    try {
      Class<?> found = Class.forName(name, false, loader);
      visible = expected == null || found == expected;
    } catch (Throwable t) {
      visible = false;
    }
    synchronized (known) {
      known.put(loader, visible);
    }
    return visible;
  }
}
