package io.poolagent.agent.bootstrap;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

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
  private static final AnyPoolFrame ANY_POOL_FRAME = new AnyPoolFrame();

  private PoolFrames() {}

  /** True when any frame of the current stack belongs to a known pool. */
  static boolean openedByPool() {
    return WALKER.walk(ANY_POOL_FRAME);
  }

  /**
   * A named class, not lambdas: the first physical connect runs this while the application starts,
   * where spinning a lambda class costs about a millisecond.
   */
  private static final class AnyPoolFrame
      implements Function<Stream<StackWalker.StackFrame>, Boolean> {
    @Override
    public Boolean apply(Stream<StackWalker.StackFrame> frames) {
      for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
        if (isPoolClass(it.next().getClassName())) {
          return Boolean.TRUE;
        }
      }
      return Boolean.FALSE;
    }
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
