package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.agent.apps.AttachTargetApp;
import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.ChildJvm;
import io.poolagent.it.support.JsonLine;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.RunningJvm;
import io.poolagent.it.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar pool-agent.jar attach / status / list} against a separate JVM that already holds a
 * pool and borrows from it in a loop when the agent arrives.
 */
@ExtendWith(PostgresExtension.class)
class AttachIT {
  private static final String SITE_PREFIX = AttachTargetApp.class.getName() + ".hold(AttachTargetApp.java:";
  private static final Duration EVENT_WAIT = Duration.ofSeconds(20);
  static final Predicate<Map<String, Object>> HELD_LEAK =
      AgentReport.event("leak").and(AgentReport.acquiredIn(AttachTargetApp.class, "hold"));

  @TempDir
  Path dir;

  static RunningJvm startTarget(TestDatabase db, String poolKind, String poolName,
      List<Path> extraClassPath) throws Exception {
    return RunningJvm.start(List.of(), extraClassPath, AttachTargetApp.class,
        List.of(db.jdbcUrl(), db.user(), db.password(), poolKind, poolName));
  }

  private static Map<String, Object> statusJson(RunningJvm target) throws Exception {
    ChildJvm.Result status = ChildJvm.agentCommand("status", String.valueOf(target.pid()), "--json");
    assertEquals(0, status.exitCode(), status.stderr());
    return JsonLine.parseObject(status.stdout());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> attributes(Map<String, Object> status) {
    return (Map<String, Object>) status.get("attributes");
  }

  private static long number(Map<String, Object> status, String attribute) {
    return ((Number) attributes(status).get(attribute)).longValue();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> openConnections(Map<String, Object> status) {
    return (List<Map<String, Object>>) status.get("openConnections");
  }

  private static int heldLine(String answer) {
    assertTrue(answer.startsWith("ok held "), answer);
    return Integer.parseInt(answer.substring("ok held ".length()));
  }

  @Test
  void aLeakThatStartsAfterTheAttachIsFlaggedAndStatusShowsIt_thenASecondAttachOnlyChangesOptions(
      TestDatabase db) throws Exception {
    Path reportFile = dir.resolve("attach.jsonl");
    AgentReport report = new AgentReport(reportFile);
    try (RunningJvm target = startTarget(db, "HIKARI", "attach-hikari", List.of())) {
      String pid = String.valueOf(target.pid());
      ChildJvm.Result before = ChildJvm.agentCommand("status", pid);
      assertEquals(5, before.exitCode(), "status before the attach: " + before.stderr());
      assertTrue(listLine(pid).contains(" no "), listLine(pid));

      ChildJvm.Result attach =
          ChildJvm.agentCommand("attach", pid, "leakThreshold=300ms,report=" + reportFile);
      assertEquals(0, attach.exitCode(), attach.stdout() + attach.stderr());
      assertTrue(attach.stdout().contains("Connections borrowed before this moment are unknown"),
          attach.stdout());
      assertEquals(Runtime.version().feature() >= 21,
          attach.stderr().contains("without -XX:+EnableDynamicAgentLoading"), attach.stderr());
      String listed = listLine(pid);
      assertTrue(listed.contains(" yes ") && listed.contains(AttachTargetApp.class.getName())
          && listed.endsWith(" leakThreshold=300ms, scanInterval=30ms, stackTrace=true, report="
              + reportFile + ", jmx=true, metrics=true, holdEvents=false, holdTimes=sampled"), listed);

      int line = heldLine(target.send("hold"));
      // the loop's borrows may be flagged too when a query is slow: look at the held one
      List<Map<String, Object>> leaks = report.await(HELD_LEAK, 1, EVENT_WAIT);
      assertEquals(1, leaks.size(), target.stderr());
      Map<String, Object> leak = leaks.get(0);
      assertEquals(SITE_PREFIX + line + ")", AgentReport.stack(leak).get(0));
      assertEquals("attach-hikari", leak.get("dataSource"));
      assertTrue(String.valueOf(leak.get("connectionId")).startsWith(pid + "-"), leak.toString());
      // from here on the held connection is the only borrow: exact counts
      assertEquals("ok paused", target.send("pause"));

      ChildJvm.Result text = ChildJvm.agentCommand("status", pid);
      assertEquals(0, text.exitCode(), text.stderr());
      String row = text.stdout().lines().filter(l -> l.contains((String) leak.get("connectionId")))
          .findFirst().orElseThrow(() -> new AssertionError(text.stdout()));
      assertTrue(row.contains("attach-hikari") && row.contains(" yes ")
          && row.endsWith(SITE_PREFIX + line + ")"), row);

      Map<String, Object> status = statusJson(target);
      assertEquals(300, number(status, "LeakThresholdMillis"));
      assertEquals(1, number(status, "OpenConnections"), status.toString());
      assertEquals(1, number(status, "LeakedConnections"));
      assertEquals(report.events(AgentReport.event("leak")).size(),
          number(status, "LeaksDetected"), "the report and the MBean agree");
      assertEquals(0, number(status, "InternalErrors"));
      assertTrue(number(status, "Acquired") > 1, "the loop's borrows after the attach count");
      List<Map<String, Object>> open = openConnections(status);
      assertEquals(1, open.size(), open.toString());
      assertEquals(leak.get("connectionId"), open.get(0).get("id"));
      assertEquals(Boolean.TRUE, open.get(0).get("flagged"));
      assertEquals(SITE_PREFIX + line + ")", open.get(0).get("site"));
      Object typesBefore = attributes(status).get("InstrumentedTypes");
      assertTrue(String.valueOf(typesBefore).contains("com.zaxxer.hikari.pool.ProxyConnection"),
          String.valueOf(typesBefore));

      ChildJvm.Result second = ChildJvm.agentCommand("attach", pid, "leakThreshold=5s");
      assertEquals(0, second.exitCode(), second.stdout() + second.stderr());
      assertTrue(second.stdout().contains("already runs in JVM " + pid), second.stdout());
      Map<String, Object> after = statusJson(target);
      assertEquals(5000, number(after, "LeakThresholdMillis"));
      assertEquals(typesBefore, attributes(after).get("InstrumentedTypes"));
      assertEquals("ok threads 1", target.send("threads poolagent-leak-sweeper"),
          "one sweeper: the agent was not started twice");

      Map<String, Object> quiet = statusJson(target);
      assertEquals("ok borrowed 25", target.send("borrow 25"));
      Map<String, Object> counted = statusJson(target);
      assertEquals(number(quiet, "Acquired") + 25, number(counted, "Acquired"), "one per borrow");
      assertEquals(number(quiet, "Released") + 25, number(counted, "Released"));

      assertEquals("ok released 1", target.send("release"));
      Predicate<Map<String, Object>> sameBorrow =
          e -> leak.get("connectionId").equals(e.get("connectionId"));
      assertEquals(1, report.await(AgentReport.event("returned").and(sameBorrow), 1, EVENT_WAIT)
          .size(), target.stderr());
      assertEquals(1, report.events(AgentReport.event("leak").and(sameBorrow)).size(),
          "one leak event, not two");
    }
  }

  @Test
  void aProxyBasedPoolInUseIsRetransformedByTheAttach(TestDatabase db) throws Exception {
    Path reportFile = dir.resolve("tomcat.jsonl");
    AgentReport report = new AgentReport(reportFile);
    try (RunningJvm target = startTarget(db, "TOMCAT_JDBC", "attach-tomcat", List.of())) {
      String pid = String.valueOf(target.pid());
      ChildJvm.Result attach =
          ChildJvm.agentCommand("attach", pid, "leakThreshold=300ms,report=" + reportFile);
      assertEquals(0, attach.exitCode(), attach.stdout() + attach.stderr());
      int line = heldLine(target.send("hold"));
      List<Map<String, Object>> leaks = report.await(HELD_LEAK, 1, EVENT_WAIT);
      assertEquals(1, leaks.size(), target.stderr());
      assertEquals("attach-tomcat", leaks.get(0).get("dataSource"));
      assertEquals(SITE_PREFIX + line + ")", AgentReport.stack(leaks.get(0)).get(0));
      assertEquals("ok paused", target.send("pause"));
      assertEquals("ok released 1", target.send("release"));
      assertEquals(1, report.await(AgentReport.event("returned")
              .and(AgentReport.acquiredIn(AttachTargetApp.class, "hold")), 1, EVENT_WAIT).size(),
          "close() of the java.lang.reflect.Proxy connection is seen: " + target.stderr());
      // the background loop may be mid-borrow: stop it so the open count is the app's real one
      assertEquals("ok paused", target.send("pause"));
      Map<String, Object> status = statusJson(target);
      assertEquals(0, number(status, "OpenConnections"), status.toString());
    }
  }

  /** Java 21+: a JVM started with -XX:+EnableDynamicAgentLoading gets no note; with the minus, no agent. */
  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void theDynamicLoadingFlagOfJava21IsRespected(TestDatabase db) throws Exception {
    try (RunningJvm allowed = RunningJvm.start(List.of("-XX:+EnableDynamicAgentLoading"), List.of(),
        AttachTargetApp.class,
        List.of(db.jdbcUrl(), db.user(), db.password(), "HIKARI", "flag-allowed"))) {
      ChildJvm.Result attach = ChildJvm.agentCommand("attach", String.valueOf(allowed.pid()));
      assertEquals(0, attach.exitCode(), attach.stdout() + attach.stderr());
      assertEquals("", attach.stderr(), "no note when dynamic loading is enabled");
    }
    try (RunningJvm forbidden = RunningJvm.start(List.of("-XX:-EnableDynamicAgentLoading"),
        List.of(), AttachTargetApp.class,
        List.of(db.jdbcUrl(), db.user(), db.password(), "HIKARI", "flag-forbidden"))) {
      String pid = String.valueOf(forbidden.pid());
      ChildJvm.Result attach = ChildJvm.agentCommand("attach", pid);
      assertEquals(4, attach.exitCode(), attach.stdout() + attach.stderr());
      assertEquals(1, attach.stderr().lines().count(), attach.stderr());
      assertTrue(attach.stderr().contains("-XX:-EnableDynamicAgentLoading"), attach.stderr());
      assertEquals(5, ChildJvm.agentCommand("status", pid).exitCode(), "nothing was loaded");
    }
  }

  /** The line of {@code list} for {@code pid}. */
  private static String listLine(String pid) throws Exception {
    ChildJvm.Result list = ChildJvm.agentCommand("list");
    assertEquals(0, list.exitCode(), list.stderr());
    assertFalse(list.stdout().isEmpty());
    return list.stdout().lines().filter(l -> l.startsWith(pid + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("pid " + pid + " not listed:\n" + list.stdout()));
  }
}
