package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesReportTest {
  @Test
  void escapesAndOrdersFields() {
    LeakEvent event = new LeakEvent(LeakEvent.Kind.LEAK, "7", "pool \"a\"", "main", 1,
        Instant.EPOCH, 12, 10, List.of("a.B.c(B.java:1)", "tab\there"));
    assertEquals("{\"event\":\"leak\",\"connectionId\":\"7\",\"dataSource\":\"pool \\\"a\\\"\","
        + "\"thread\":\"main\",\"threadId\":1,\"acquiredAt\":\"1970-01-01T00:00:00Z\","
        + "\"heldMillis\":12,\"thresholdMillis\":10,\"site\":\"a.B.c(B.java:1)\","
        + "\"stack\":[\"a.B.c(B.java:1)\",\"tab\\there\"]}", JsonLinesReport.toJson(event));
  }
}
