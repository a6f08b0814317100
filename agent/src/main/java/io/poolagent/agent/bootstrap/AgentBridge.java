package io.poolagent.agent.bootstrap;

import io.poolagent.leak.LeakTracker;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The only class that instrumented code calls. It lives on the bootstrap class path, so code woven
 * into any class, in any loader or module, can reach it; it names only JDK types and the leak engine.
 * JDBC types ({@code java.sql} belongs to the platform loader, which bootstrap classes cannot see)
 * arrive as {@code Class} objects at install time.
 *
 * <p>Every entry point catches its own errors: they are counted, the first one is printed once, and
 * the application's call goes on exactly as it would without the agent.
 */
public final class AgentBridge {
  private static final ThreadLocal<AcquireFrames> FRAMES = ThreadLocal.withInitial(AcquireFrames::new);
  private static final Object INSTALL_LOCK = new Object();
  private static final AtomicInteger CALL_SITES = new AtomicInteger();
  private static volatile @Nullable Installed installed;
  private static volatile boolean errorPrinted;

  /** The tracker and the JDBC types the bridge checks objects against. */
  private static final class Installed {
    final LeakTracker tracker;
    final Class<?> dataSourceType;
    final Class<?> connectionType;

    Installed(LeakTracker tracker, Class<?> dataSourceType, Class<?> connectionType) {
      this.tracker = tracker;
      this.dataSourceType = dataSourceType;
      this.connectionType = connectionType;
    }
  }

  private AgentBridge() {}

  /**
   * Connects the bridge to the tracker; only the first call wins.
   *
   * @param dataSourceType {@code javax.sql.DataSource}
   * @param connectionType {@code java.sql.Connection}
   * @return false when a tracker was already installed (the agent is started twice)
   */
  public static boolean install(LeakTracker leakTracker, Class<?> dataSourceType,
      Class<?> connectionType) {
    synchronized (INSTALL_LOCK) {
      if (installed != null) {
        return false;
      }
      installed = new Installed(leakTracker, dataSourceType, connectionType);
      return true;
    }
  }

  /** The installed tracker, or null before the agent finished starting. */
  public static @Nullable LeakTracker tracker() {
    Installed current = installed;
    return current == null ? null : current.tracker;
  }

  /**
   * Called on entry to every instrumented getConnection, with the object it was called on (null
   * for static factories such as DriverManager). Only the outermost DataSource call of a thread
   * records a borrow, so DataSources that call other DataSources count once.
   */
  public static void enterAcquire(@Nullable Object source) {
    Installed current = installed;
    boolean counts = source == null || current == null || current.dataSourceType.isInstance(source);
    FRAMES.get().push(counts);
  }

  /**
   * Called just before an instrumented getConnection returns normally.
   *
   * @param connection what the method returns
   * @param source the object the method was called on; null for DriverManager
   * @param origin the instrumented type, used to trim the acquisition stack
   * @param physical true for sources that open physical connections (drivers, simple DataSources):
   *     those are not borrows when a known pool opens them for itself, often on its own threads
   */
  public static void exitAcquire(@Nullable Object connection, @Nullable Object source, String origin,
      boolean physical) {
    AcquireFrames frames = FRAMES.get();
    if (!frames.popOutermost()) {
      return;
    }
    Installed current = installed;
    if (current == null || connection == null || !current.connectionType.isInstance(connection)) {
      return;
    }
    try {
      if (physical && PoolFrames.openedByPool()) {
        return;
      }
      current.tracker.track(connection, source == null ? "DriverManager" : source, origin,
          frames.borrowSite());
    } catch (Throwable t) {
      suppressed(current.tracker, t);
    }
  }

  /** Called when an instrumented getConnection throws: the call ends without a borrow. */
  public static void exitAcquireFailed() {
    FRAMES.get().popOutermost();
  }

  /** Called by marked application code just before it calls a getConnection (stackTrace=sampled). */
  public static void callSite(int site) {
    FRAMES.get().announce(site);
  }

  /** A new call-site id, for the transformer; ids start at 1 and never repeat. */
  public static int newCallSite() {
    return CALL_SITES.incrementAndGet();
  }

  /** Called on entry to every instrumented Connection.close(). */
  public static void released(@Nullable Object connection) {
    Installed current = installed;
    if (current == null || !current.connectionType.isInstance(connection)) {
      return;
    }
    try {
      current.tracker.release(connection);
    } catch (Throwable t) {
      suppressed(current.tracker, t);
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
