package io.poolagent.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status table for people, the JSON for machines, and the options check of attach. */
class StatusOutputTest {
  private static AgentStatus status() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("OpenConnections", 1);
    attributes.put("StackTrace", true);
    attributes.put("InstrumentedTypes", List.of("a.B", "c.\"D\""));
    return new AgentStatus(42, "com.example.App", "leakThreshold=1s", attributes,
        new Inventory.Result("dump()", List.of(
            new OpenBorrow("42-1", "orders \\ \"main\"", "main #1", 1500, "a.B.c(B.java:3)", true))));
  }

  @Test
  void theTableHasTheCountersThenOneRowPerBorrow() {
    String text = StatusTable.render(status());
    assertTrue(text.startsWith("pool-agent in JVM 42 (com.example.App)\noptions (as of the last attach"
        + " or start): leakThreshold=1s\n"),
        text);
    assertTrue(text.contains("  InstrumentedTypes  2 (see --json)\n"), text);
    assertTrue(text.contains("1 open connection, 1 past the threshold"), text);
    assertTrue(text.contains("  42-1  orders \\ \"main\"  main #1  1500 ms  yes   a.B.c(B.java:3)\n"),
        text);
  }

  @Test
  void theJsonIsOneEscapedObject() {
    assertEquals("{\"pid\":42,\"jvm\":\"com.example.App\",\"options\":\"leakThreshold=1s\","
        + "\"attributes\":{\"OpenConnections\":1,\"StackTrace\":true,"
        + "\"InstrumentedTypes\":[\"a.B\",\"c.\\\"D\\\"\"]},\"inventorySource\":\"dump()\","
        + "\"openConnections\":[{\"id\":\"42-1\",\"dataSource\":\"orders \\\\ \\\"main\\\"\","
        + "\"thread\":\"main #1\",\"heldMillis\":1500,\"site\":\"a.B.c(B.java:3)\","
        + "\"flagged\":true}]}\n", StatusJson.render(status()));
  }

  @Test
  void attachRefusesBadOptionsAndAnchorsARelativeReportHere() throws Exception {
    CliFailure bad = org.junit.jupiter.api.Assertions.assertThrows(CliFailure.class,
        () -> AttachCommand.checkedOptions("leakThreshold=-1s"));
    assertEquals(ExitCode.USAGE, bad.code());
    assertTrue(bad.getMessage().startsWith("invalid options, nothing attached: invalid agent"
        + " argument leakThreshold='-1s'"), bad.getMessage());
    assertEquals("leakThreshold=1s,report=" + Path.of("leaks.jsonl").toAbsolutePath(),
        AttachCommand.checkedOptions("leakThreshold=1s,report=leaks.jsonl"));
    assertEquals("report=/var/log/a.jsonl", AttachCommand.checkedOptions("report=/var/log/a.jsonl"));
    assertEquals("jmx=true,report=" + Path.of("leaks.jsonl").toAbsolutePath(),
        AttachCommand.checkedOptions("jmx=true, report = leaks.jsonl"), "spaces around the '='");
  }

  @Test
  void exitCodesAreDistinct() {
    assertEquals(ExitCode.values().length,
        java.util.Arrays.stream(ExitCode.values()).mapToInt(ExitCode::number).distinct().count());
  }
}
