package io.poolagent.leak;

import io.poolagent.leak.JsonText;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Appends one JSON object per finding to a file (JSON Lines). Fields: {@code event},
 * {@code connectionId}, {@code dataSource}, {@code thread}, {@code threadId}, {@code acquiredAt},
 * {@code heldMillis}, {@code thresholdMillis}, {@code site}, {@code stack}. The file is opened on the
 * first event and each line is flushed as written, so a crash loses nothing already reported.
 */
public final class JsonLinesReport implements LeakListener, AutoCloseable {
  private final Path path;
  private @Nullable Writer writer;
  private boolean failed;

  public JsonLinesReport(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  @Override
  public void onLeak(LeakEvent event) {
    write(event);
  }

  @Override
  public void onReturned(LeakEvent event) {
    write(event);
  }

  @Override
  public void onGcUnclosed(LeakEvent event) {
    write(event);
  }

  @Override
  public void onOpenAtExit(List<LeakEvent> open) {
    for (LeakEvent event : open) {
      write(event);
    }
  }

  /** The JSON object for one event, without a trailing newline. */
  public static String toJson(LeakEvent e) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"event\":");
    JsonText.appendString(out, e.kind().wireName());
    out.append(",\"connectionId\":");
    JsonText.appendString(out, e.connectionId());
    out.append(",\"dataSource\":");
    JsonText.appendString(out, e.dataSource());
    out.append(",\"thread\":");
    JsonText.appendString(out, e.thread());
    out.append(",\"threadId\":").append(e.threadId());
    out.append(",\"acquiredAt\":");
    JsonText.appendString(out, e.acquiredAt().toString());
    out.append(",\"heldMillis\":").append(e.heldMillis());
    out.append(",\"thresholdMillis\":").append(e.thresholdMillis());
    out.append(",\"site\":");
    JsonText.appendString(out, e.site());
    out.append(",\"stack\":[");
    for (int i = 0; i < e.stack().size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      JsonText.appendString(out, e.stack().get(i));
    }
    return out.append("]}").toString();
  }

  private synchronized void write(LeakEvent event) {
    if (failed) {
      return;
    }
    try {
      if (writer == null) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        writer = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
      }
      writer.write(toJson(event));
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      failed = true;
      System.getLogger("poolagent").log(System.Logger.Level.WARNING,
          "poolagent: cannot write the report file " + path + " (" + e.getMessage()
              + "); further report lines are dropped, logging continues");
    }
  }

  @Override
  public synchronized void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException ignored) {
        // Nothing more can be reported to a file that will not close.
      }
      writer = null;
    }
  }
}
