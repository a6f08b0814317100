package io.poolagent.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * Whether a connection's close() reports to the bridge. The agent weaves a close() only once a
 * connection of a class that runs it is borrowed: before {@link AgentBridge#exitAcquire} records a
 * borrow it asks here, and the first borrow of each connection class waits while the agent weaves the
 * class that declares its close(). So start-up never has to find out which of the many classes with a
 * close() are Connections. A class whose close() cannot be woven is answered false, and its borrows
 * are not recorded: a close() that does not report would leave its record open and flag a leak that
 * is none.
 */
public final class CloseHooks {
  /** The agent's side: weaves the close() that connections of a class run. */
  public interface Weaver {
    /**
     * Weaves the close() that {@code connectionClass}'s instances run, unless it already reports.
     *
     * @return true when that close() reports to the bridge from now on
     */
    boolean weaveClose(Class<?> connectionClass);
  }

  private static final int UNKNOWN = 0;
  private static final int WOVEN = 1;
  private static final int CANNOT = 2;
  private static final ClassValue<Hook> HOOKS = new ClassValue<>() { // no lambda: premain
    @Override
    protected Hook computeValue(Class<?> type) {
      return new Hook();
    }
  };
  private static volatile @Nullable Weaver weaver;

  private CloseHooks() {}

  /** Connects the agent's weaver; only the first call wins. */
  public static void install(Weaver agentWeaver) {
    synchronized (CloseHooks.class) {
      if (weaver == null) {
        weaver = agentWeaver;
      }
    }
  }

  /** True when close() of {@code type}'s instances reports to the bridge, woven now if need be. */
  static boolean reportsClose(Class<?> type) {
    Hook hook = HOOKS.get(type);
    int state = hook.state;
    return state == WOVEN || (state == UNKNOWN && weave(type, hook));
  }

  private static boolean weave(Class<?> type, Hook hook) {
    synchronized (CloseHooks.class) { // other classes' first borrows wait: rare, and each is short
      if (hook.state == UNKNOWN) {
        Weaver current = weaver;
        hook.state = current != null && current.weaveClose(type) ? WOVEN : CANNOT;
      }
      return hook.state == WOVEN;
    }
  }

  /** One connection class's answer. */
  private static final class Hook {
    volatile int state;
  }
}
