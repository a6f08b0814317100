package io.poolagent.agent.bootstrap;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells whether a physical connection is being opened by a connection pool for itself (to fill or
 * refill the pool, often on its own helper threads) rather than by the application. Such connections
 * are the pool's, not borrows, and must never be reported as leaks.
 *
 * <p>Only physical sources pay for this check (a stack walk), and physical connects cost milliseconds
 * anyway; borrows from known pools skip it.
 */
public final class PoolFrames {
  private static final List<String> POOL_PACKAGES = new CopyOnWriteArrayList<>(List.of(
      "com.zaxxer.hikari.",
      "org.apache.commons.dbcp2.",
      "org.apache.commons.pool2.",
      "com.mchange.v2.",
      "org.apache.tomcat.jdbc.pool.",
      "org.vibur.dbcp.",
      "io.agroal.",
      "io.poolagent.pool."));

  private static final StackWalker WALKER = StackWalker.getInstance();

  private PoolFrames() {}

  /** Adds package prefixes (ending in '.') of further pool implementations. */
  public static void addPoolPackages(List<String> prefixes) {
    for (String prefix : prefixes) {
      if (!POOL_PACKAGES.contains(prefix)) {
        POOL_PACKAGES.add(prefix);
      }
    }
  }

  /** The package prefixes currently treated as pool code. */
  public static List<String> poolPackages() {
    return List.copyOf(POOL_PACKAGES);
  }

  /** True when any frame of the current stack belongs to a known pool. */
  static boolean openedByPool() {
    return WALKER.walk(frames -> frames.anyMatch(frame -> isPoolClass(frame.getClassName())));
  }

  /** True when {@code className} belongs to a known pool. */
  public static boolean isPoolClass(String className) {
    for (String prefix : POOL_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
