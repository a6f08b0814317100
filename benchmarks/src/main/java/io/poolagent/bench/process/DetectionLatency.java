package io.poolagent.bench.process;

import io.poolagent.bench.stub.StubDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bar 8, run with the agent ({@code leakThreshold=200ms,scanInterval=50ms,report=<file>}): takes
 * {@value #BORROWS} connections at random moments over two seconds and holds them all; once every
 * one is past threshold + 2 scan intervals, reads the agent's report. For each leak the lateness is
 * {@code heldMillis - thresholdMillis} (how long after the threshold the sweeper flagged it).
 * Arguments: the agent's report file, then the output JSON.
 */
public final class DetectionLatency {
  private static final int BORROWS = 400;
  private static final Pattern HELD = Pattern.compile("\"event\":\"leak\".*\"heldMillis\":(\\d+),"
      + "\"thresholdMillis\":(\\d+)");

  private DetectionLatency() {}

  public static void main(String[] args) throws Exception {
    Path report = Path.of(args[0]);
    StubDataSource ds = new StubDataSource();
    List<Connection> held = new ArrayList<>();
    for (int i = 0; i < BORROWS; i++) {
      held.add(ds.getConnection());
      TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(10_000));
    }
    TimeUnit.MILLISECONDS.sleep(200 + 2 * 50 + 100);
    List<Long> late = new ArrayList<>();
    for (String line : Files.readAllLines(report)) {
      Matcher m = HELD.matcher(line);
      if (m.find()) {
        late.add(Long.parseLong(m.group(1)) - Long.parseLong(m.group(2)));
      }
    }
    for (Connection c : held) {
      c.close();
    }
    long[] samples = late.stream().mapToLong(Long::longValue).toArray();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("borrows", BORROWS);
    out.put("flagged", samples.length);
    out.put("threshold_ms", 200);
    out.put("scan_interval_ms", 50);
    if (samples.length > 0) {
      out.put("late_p50_ms", Percentiles.of(samples, 50));
      out.put("late_p99_ms", Percentiles.of(samples, 99));
      out.put("late_max_ms", Percentiles.of(samples, 100));
      out.put("late_min_ms", Percentiles.of(samples, 0.0001));
    }
    JsonOut.write(Path.of(args[1]), out);
  }
}
