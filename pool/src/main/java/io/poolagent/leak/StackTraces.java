package io.poolagent.leak;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a captured acquisition stack into report frames. The capture is a bare {@link Throwable},
 * so frames cost nothing until a report asks for them. Trimming drops the tracker's own frames and
 * the outermost getConnection frames, so the first frame left is the code that asked for the
 * connection.
 */
public final class StackTraces {
  /** The class that captures the stack. */
  private static final String CAPTURING_CLASS = LeakTracker.class.getName();

  /** The class that finds the acquisition site in sampled mode. */
  private static final String SAMPLING_CLASS = AcquisitionSites.class.getName();

  /** The agent's bridge classes, which sit between instrumented code and the tracker. */
  private static final String BRIDGE_PACKAGE = "io.poolagent.agent.bootstrap.";

  private StackTraces() {}

  /** The trimmed frames, in {@link StackTraceElement#toString()} form; empty if nothing was captured. */
  public static List<String> trimmed(@Nullable Throwable capture, String origin) {
    if (capture == null) {
      return List.of();
    }
    StackTraceElement[] frames = capture.getStackTrace();
    int start = firstCallerFrame(frames, origin);
    List<String> out = new ArrayList<>(frames.length - start);
    for (int i = start; i < frames.length; i++) {
      out.add(frames[i].toString());
    }
    return out;
  }

  /**
   * Index of the first frame that is neither ours nor the outermost getConnection. When the origin
   * type does not appear (an unusual capture point), only our own frames are skipped.
   */
  static int firstCallerFrame(StackTraceElement[] frames, String origin) {
    int i = 0;
    while (i < frames.length && isInternal(frames[i].getClassName())) {
      i++;
    }
    int afterOwn = i;
    boolean sawOrigin = false;
    while (i < frames.length && isOriginFrame(frames[i], origin)) {
      sawOrigin = true;
      i++;
    }
    if (!sawOrigin) {
      return afterOwn;
    }
    return i;
  }

  private static boolean isOriginFrame(StackTraceElement frame, String origin) {
    return frame.getClassName().equals(origin) && frame.getMethodName().equals("getConnection");
  }

  static boolean isInternal(String className) {
    return className.equals(CAPTURING_CLASS) || className.startsWith(SAMPLING_CLASS)
        || className.startsWith(BRIDGE_PACKAGE);
  }
}
