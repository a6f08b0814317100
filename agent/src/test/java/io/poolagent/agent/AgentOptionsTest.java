package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.leak.StackCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
  @Test
  void defaults() {
    AgentOptions o = AgentOptions.parse(null, Map.of(), Map.of());
    assertEquals(Duration.ofSeconds(30), o.leakThreshold());
    assertEquals(Duration.ofSeconds(1), o.scanInterval());
    assertTrue(o.stackTrace());
    assertNull(o.report());
    assertTrue(o.jmx());
    assertTrue(o.metrics());
    assertFalse(o.holdEvents());
    assertEquals("sampled", o.holdTimes());
    assertFalse(o.timesEveryHold());
    assertEquals(0, o.problems().size());
  }

  @Test
  void holdTimesTakesSampledOrEveryAndHoldEventsTimeEveryHold() {
    assertEquals("every", AgentOptions.parse("holdTimes=Every", Map.of(), Map.of()).holdTimes());
    assertTrue(AgentOptions.parse("holdTimes=every", Map.of(), Map.of()).timesEveryHold());
    assertTrue(AgentOptions.parse("holdEvents=true", Map.of(), Map.of()).timesEveryHold(),
        "a JFR event for every close needs every hold");
    assertTrue(AgentOptions.parse(null, Map.of("poolagent.holdTimes", "every"), Map.of())
        .toString().endsWith(", holdTimes=every"));
    AgentOptions bad = AgentOptions.parse("holdTimes=all", Map.of(), Map.of());
    assertEquals("sampled", bad.holdTimes());
    assertEquals(List.of("poolagent: invalid agent argument holdTimes='all': expected sampled or"
        + " every; using the default (sampled)"), bad.problems());
  }

  @Test
  void agentArgumentsWinOverPropertiesWhichWinOverEnvironment() {
    AgentOptions o = AgentOptions.parse("leakThreshold=5s",
        Map.of("poolagent.leakThreshold", "7s", "poolagent.stackTrace", "false"),
        Map.of("POOLAGENT_LEAK_THRESHOLD", "9s", "POOLAGENT_STACK_TRACE", "true",
            "POOLAGENT_REPORT", "/tmp/r.jsonl", "POOLAGENT_JMX", "false",
            "POOLAGENT_METRICS", "false", "POOLAGENT_HOLD_EVENTS", "true"));
    assertEquals(Duration.ofSeconds(5), o.leakThreshold());
    assertFalse(o.stackTrace());
    assertEquals(Path.of("/tmp/r.jsonl"), o.report());
    assertFalse(o.jmx());
    assertFalse(o.metrics());
    assertTrue(o.holdEvents());
  }

  @Test
  void stackTraceTakesTrueFalseOrSampled() {
    assertEquals("true", AgentOptions.parse(null, Map.of(), Map.of()).stackTraceMode());
    assertEquals("sampled",
        AgentOptions.parse("stackTrace=sampled", Map.of(), Map.of()).stackTraceMode());
    assertEquals("sampled",
        AgentOptions.parse(null, Map.of(), Map.of("POOLAGENT_STACK_TRACE", "Sampled")).stackTraceMode());
    assertTrue(AgentOptions.parse("stackTrace=sampled", Map.of(), Map.of()).stackTrace());
    assertEquals("false", AgentOptions.parse("stackTrace=false", Map.of(), Map.of()).stackTraceMode());
    AgentOptions bad = AgentOptions.parse("stackTrace=some", Map.of(), Map.of());
    assertEquals("true", bad.stackTraceMode());
    assertEquals(1, bad.problems().size(), bad.problems().toString());
    assertTrue(bad.problems().get(0).contains("expected true, false or sampled"), bad.problems().get(0));
  }

  @Test
  void everyAcceptedStackModeIsOneTheEngineAccepts() {
    for (String mode : new String[] {"true", "false", "sampled", " TRUE ", "Sampled"}) {
      String normalised = AgentOptions.parseStackMode(mode);
      assertEquals(normalised, StackCapture.parse(normalised).text());
    }
  }

  @Test
  void theScanIntervalIsDerivedFromTheThreshold() {
    assertEquals(Duration.ofMillis(200),
        AgentOptions.parse("leakThreshold=2s", Map.of(), Map.of()).scanInterval());
    assertEquals(Duration.ofMillis(10),
        AgentOptions.parse("leakThreshold=50ms", Map.of(), Map.of()).scanInterval());
    assertEquals(Duration.ofSeconds(1),
        AgentOptions.parse("leakThreshold=0", Map.of(), Map.of()).scanInterval());
    assertEquals(Duration.ofMillis(30),
        AgentOptions.parse("leakThreshold=1h,scanInterval=30ms", Map.of(), Map.of()).scanInterval());
  }

  @Test
  void eachInvalidValueGivesOneLineAndTheDefault() {
    AgentOptions o = AgentOptions.parse(
        "leakThreshold=soon,stackTrace=yes,scanInterval=0,report=,jmx=1,metrics=no,holdEvents=2,"
            + "nonsense=3,bare",
        Map.of(), Map.of());
    assertEquals(Duration.ofSeconds(30), o.leakThreshold());
    assertTrue(o.stackTrace());
    assertNull(o.report());
    assertTrue(o.metrics());
    assertFalse(o.holdEvents());
    assertEquals(9, o.problems().size(), o.problems().toString());
    assertTrue(o.problems().contains("poolagent: option 'bare' has no value; write bare=value"));
    assertTrue(o.problems().stream().anyMatch(p -> p.startsWith(
        "poolagent: invalid agent argument scanInterval='0': must be greater than zero")));
    for (String problem : o.problems()) {
      assertTrue(problem.startsWith("poolagent: "), problem);
      assertFalse(problem.contains("\n"), "one line: " + problem);
    }
  }

  @Test
  void aProblemNamesWhereTheValueCameFrom() {
    AgentOptions o = AgentOptions.parse(null, Map.of("poolagent.leakThreshold", "-1s"),
        Map.of("POOLAGENT_JMX", "sure"));
    assertEquals(2, o.problems().size());
    assertTrue(o.problems().get(0).startsWith(
        "poolagent: invalid system property poolagent.leakThreshold='-1s': must not be negative"));
    assertTrue(o.problems().get(1).startsWith(
        "poolagent: invalid environment variable POOLAGENT_JMX='sure': expected true or false"));
  }

  @Test
  void strictProblemsSayWhatIsWrongWithoutTheFallback() {
    AgentOptions o = AgentOptions.parse("leakThreshold=abc,bogus=1,report", Map.of(), Map.of());
    assertEquals(3, o.strictProblems().size(), o.strictProblems().toString());
    assertEquals("unknown option 'bogus'; known options: leakThreshold, scanInterval, stackTrace,"
        + " report, jmx, metrics, holdEvents, holdTimes", o.strictProblems().get(0));
    assertEquals("option 'report' has no value; write report=value", o.strictProblems().get(1));
    assertTrue(o.strictProblems().get(2).startsWith(
        "invalid agent argument leakThreshold='abc': expected a duration"), o.strictProblems().get(2));
    assertFalse(o.strictProblems().get(2).contains("default"), o.strictProblems().get(2));
    assertEquals(3, o.problems().size());
    assertTrue(o.problems().get(2).endsWith("; using the default (30s)"), o.problems().get(2));
  }

  @Test
  void aLaterStartKeepsTheReportAndJmxOfTheFirst() {
    AgentOptions first =
        AgentOptions.parse("report=/tmp/a.jsonl,jmx=false,holdTimes=every", Map.of(), Map.of());
    AgentOptions later = AgentOptions.parse("leakThreshold=2s,report=/tmp/b.jsonl,holdTimes=sampled",
        Map.of(), Map.of()).withStartOnly(first);
    assertEquals(Duration.ofSeconds(2), later.leakThreshold());
    assertEquals(Path.of("/tmp/a.jsonl"), later.report());
    assertFalse(later.jmx());
    assertEquals("every", later.holdTimes());
  }
}
