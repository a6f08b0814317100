package io.poolagent.agent.bootstrap;

import io.poolagent.leak.LeakTracker;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The only class that instrumented code calls. It lives on the bootstrap class path, so code woven
 * into any class, in any loader or module, can reach it; it names only JDK types and the leak engine.
 * It cannot name JDBC types ({@code java.sql} belongs to the platform loader, which bootstrap classes
 * cannot see), so the woven code makes the type checks and passes their results.
 *
 * <p>Every entry point catches its own errors: they are counted, the first one is printed once, and
 * the application's call goes on exactly as it would without the agent.
 */
public final class AgentBridge {
  private static final FramesByThread FRAMES = new FramesByThread();
  private static final Object INSTALL_LOCK = new Object();
  private static final AtomicInteger CALL_SITES = new AtomicInteger();
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
   * Called on entry to every instrumented getConnection.
   *
   * @param counts whether the call can be a borrow: made on a {@code javax.sql.DataSource}, or a
   *     static factory such as DriverManager. Only the outermost counting call of a thread records a
   *     borrow, so DataSources that call other DataSources count once.
   * @return the thread's acquisition state, for the exit; null when the call does not count
   */
  public static @Nullable Object enterAcquire(boolean counts) {
    if (!counts) {
      return null;
    }
    AcquireFrames frames = FRAMES.get();
    frames.push();
    return frames;
  }

  /**
   * Called just before an instrumented getConnection returns normally.
   *
   * @param connection what the method returns
   * @param isConnection whether it is a {@code java.sql.Connection}
   * @param frames what {@link #enterAcquire} returned for this call (null: the call does not count)
   * @param source the object the method was called on; null for DriverManager
   * @param origin the instrumented type, used to trim the acquisition stack
   * @param physical true for sources that open physical connections (drivers, simple DataSources):
   *     those are not borrows when a known pool opens them for itself, often on its own threads
   */
  public static void exitAcquire(@Nullable Object connection, boolean isConnection,
      @Nullable Object frames, @Nullable Object source, String origin, boolean physical) {
    if (!(frames instanceof AcquireFrames thread) || !thread.popOutermost() || !isConnection
        || connection == null) {
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
      if (!thread.closeReports(connection.getClass())) {
        return; // its close() could not be woven: a record would never end
      }
      current.track(connection, source == null ? "DriverManager" : source, origin,
          thread.borrowSite(), thread.trackerState(current));
    } catch (Throwable t) {
      suppressed(current, t);
    }
  }

  /**
   * Called when an instrumented getConnection throws: the call ends without a borrow.
   *
   * @param frames what {@link #enterAcquire} returned for this call
   */
  public static void exitAcquireFailed(@Nullable Object frames) {
    if (frames instanceof AcquireFrames thread) {
      thread.popOutermost();
    }
  }

  /**
   * Called by marked application code just before it calls a getConnection, and with 0 just after
   * that call returns (stackTrace=sampled).
   */
  public static void callSite(int site) {
    FRAMES.get().announce(site);
  }

  /** A new call-site id, for the transformer; ids start at 1 and never repeat. */
  public static int newCallSite() {
    return CALL_SITES.incrementAndGet();
  }

  /**
   * Called on entry to every instrumented close().
   *
   * @param isConnection whether the object is a {@code java.sql.Connection}
   */
  public static void released(@Nullable Object connection, boolean isConnection) {
    LeakTracker current = tracker;
    if (current == null || !isConnection || connection == null) {
      return;
    }
    try {
      current.release(connection, FRAMES.get().trackerState(current));
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
