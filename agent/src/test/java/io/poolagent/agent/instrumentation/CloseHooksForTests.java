package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.CloseHooks;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * For tests that record borrows through the bridge without an Instrumentation to retransform with:
 * every connection's close() counts as woven, and the tests end records themselves; except for
 * connection classes of loaders a test refused, whose close() counts as impossible to weave.
 */
final class CloseHooksForTests {
  private static final Set<ClassLoader> REFUSED = ConcurrentHashMap.newKeySet();

  private CloseHooksForTests() {}

  static void treatEveryCloseAsWoven() {
    CloseHooks.install(type -> !REFUSED.contains(type.getClassLoader()));
  }

  /** Connection classes defined by {@code loader} are answered "cannot be woven". */
  static void refuseClassesOf(ClassLoader loader) {
    REFUSED.add(loader);
  }
}
