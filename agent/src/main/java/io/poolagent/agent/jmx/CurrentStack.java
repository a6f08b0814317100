package io.poolagent.agent.jmx;

import io.poolagent.leak.Borrow;
import io.poolagent.leak.LeakTracker;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The text of {@code currentStack(id)}: what the thread holding a connection is doing now. */
final class CurrentStack {
  private CurrentStack() {}

  static String of(LeakTracker tracker, @Nullable String id) {
    String wanted = id == null ? "" : id.trim();
    Borrow borrow = null;
    for (Borrow open : tracker.openBorrows()) {
      if (tracker.connectionId(open).equals(wanted)) {
        borrow = open;
        break;
      }
    }
    if (borrow == null) {
      return "poolagent: no open connection with id '" + wanted + "' (closed already, or never"
          + " borrowed; ids are <pid>-<n> as in openConnections() and the reports)";
    }
    long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - borrow.acquiredNanos());
    String header = "connection " + wanted + " from " + tracker.sourceName(borrow.source())
        + ", held " + heldMillis + " ms by " + threadText(borrow.threadName(), borrow.threadId());
    for (Map.Entry<Thread, StackTraceElement[]> live : Thread.getAllStackTraces().entrySet()) {
      if (live.getKey().getId() == borrow.threadId()) {
        StringBuilder out = new StringBuilder(header).append(", which is ")
            .append(live.getKey().getState()).append(" now at:");
        StackTraceElement[] frames = live.getValue();
        if (frames.length == 0) {
          out.append(System.lineSeparator()).append("\t(no Java frames)");
        }
        for (StackTraceElement frame : frames) {
          // module/class.method(File.java:line), as in the reports: no loader name or version
          out.append(System.lineSeparator()).append("\tat ").append(new StackTraceElement(
              null, frame.getModuleName(), null, frame.getClassName(), frame.getMethodName(),
              frame.getFileName(), frame.getLineNumber()));
        }
        return out.toString();
      }
    }
    return header + ": that thread has finished (the connection outlived the thread that took it),"
        + " or is a virtual thread, whose stack is not listed";
  }

  private static String threadText(String name, long id) {
    return name.isEmpty() ? "virtual thread #" + id : "thread \"" + name + "\" #" + id;
  }
}
