package io.poolagent.agent.bootstrap;

import java.util.List;

/**
 * Tells whether a physical connection is being opened by a connection pool for itself (to fill or
 * refill the pool, often on its own helper threads) rather than by the application. Such connections
 * are the pool's, not borrows, and must never be reported as leaks.
 *
 * <p>Only physical sources pay for this check (a stack walk), and physical connects cost milliseconds
 * anyway; borrows from known pools skip it.
 */
public final class PoolFrames {
  private static final List<String> POOL_PACKAGES = List.of(
      "com.zaxxer.hikari.",
      "org.apache.commons.dbcp2.",
      "org.apache.commons.pool2.",
      "com.mchange.v2.",
      "org.apache.tomcat.jdbc.pool.",
      "org.vibur.dbcp.",
      "io.agroal.",
      "io.poolagent.pool.");

  private static final StackWalker WALKER = StackWalker.getInstance();

  private PoolFrames() {}

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
