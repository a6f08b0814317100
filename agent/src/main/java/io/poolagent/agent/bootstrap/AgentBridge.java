package io.poolagent.agent.bootstrap;

import io.poolagent.leak.LeakTracker;
import org.jspecify.annotations.Nullable;

/**
 * The only class that instrumented code calls. It lives on the bootstrap class path, so advice inlined
 * into any class, in any loader or module, can reach it; it names only JDK types and the leak engine.
 *
 * <p>Every entry point catches its own errors: they are counted, the first one is printed once, and
 * the application's call goes on exactly as it would without the agent.
 */
public final class AgentBridge {
  private static final ThreadLocal<int[]> ACQUIRE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  private static final Object INSTALL_LOCK = new Object();
  private static volatile @Nullable LeakTracker tracker;
  private static volatile boolean errorPrinted;

  private AgentBridge() {}

  /**
   * Connects the bridge to the tracker; only the first call wins.
   *
   * @return false when a tracker was already installed (the agent is started twice)
   */
  public static boolean install(LeakTracker leakTracker) {
    synchronized (INSTALL_LOCK) {
      if (tracker != null) {
        return false;
      }
      tracker = leakTracker;
      return true;
    }
  }

  /** The installed tracker, or null before the agent finished starting. */
  public static @Nullable LeakTracker tracker() {
    return tracker;
  }

  /**
   * Called on entry to every instrumented getConnection. Returns the thread's depth counter, already
   * incremented; the matching exit decrements it. Only the outermost call records a borrow, so
   * DataSources that call other DataSources count once.
   */
  public static int[] enterAcquire() {
    int[] depth = ACQUIRE_DEPTH.get();
    depth[0]++;
    return depth;
  }

  /**
   * Called on exit from an instrumented getConnection, normal or exceptional.
   *
   * @param depth what {@link #enterAcquire} returned (null if it failed)
   * @param source the DataSource, or a label for static factories such as DriverManager
   * @param connection what the method returned; null when it threw or returned null
   * @param origin the instrumented type, used to trim the acquisition stack
   * @param physical true for sources that open physical connections (drivers, simple DataSources):
   *     those are not borrows when a known pool opens them for itself, often on its own threads
   */
  public static void exitAcquire(
      int @Nullable [] depth, Object source, @Nullable Object connection, String origin,
      boolean physical) {
    if (depth == null) {
      return;
    }
    if (--depth[0] != 0 || connection == null) {
      return;
    }
    LeakTracker current = tracker;
    if (current == null) {
      return;
    }
    try {
      if (physical && PoolFrames.openedByPool()) {
        return;
      }
      current.track(connection, source, origin);
    } catch (Throwable t) {
      suppressed(current, t);
    }
  }

  /** Called on entry to every instrumented Connection.close(). */
  public static void released(@Nullable Object connection) {
    LeakTracker current = tracker;
    if (current == null) {
      return;
    }
    try {
      current.release(connection);
    } catch (Throwable t) {
      suppressed(current, t);
    }
  }

  private static void suppressed(LeakTracker current, Throwable t) {
    current.countInternalError();
    if (!errorPrinted) {
      errorPrinted = true;
      System.err.println("poolagent: suppressed an internal error; the application is unaffected"
          + " and further errors are only counted (InternalErrors in JMX): " + t);
    }
  }
}
