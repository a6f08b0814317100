package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code PoolAgent.install(options)} in an application that has pool-agent.jar on its class path and
 * no agent flag: a self-attach (directly with -Djdk.attach.allowAttachSelf=true, else through
 * Byte Buddy's helper JVM), idempotent, strict about options.
 */
@ExtendWith(PostgresExtension.class)
class PoolAgentInstallIT {
  @TempDir
  Path dir;

  private static RunningJvm start(TestDatabase db, List<String> jvmArgs) throws Exception {
    return RunningJvm.start(jvmArgs, List.of(ChildJvm.agentJar()), AttachTargetApp.class,
        List.of(db.jdbcUrl(), db.user(), db.password(), "HIKARI", "install-hikari"));
  }

  @SuppressWarnings("unchecked")
  private static long attribute(RunningJvm target, String name) throws Exception {
    ChildJvm.Result status =
        ChildJvm.agentCommand("status", String.valueOf(target.pid()), "--json");
    assertEquals(0, status.exitCode(), status.stderr());
    Map<String, Object> attributes =
        (Map<String, Object>) JsonLine.parseObject(status.stdout()).get("attributes");
    return ((Number) attributes.get(name)).longValue();
  }

  @ParameterizedTest(name = "allowAttachSelf={0}")
  @ValueSource(booleans = {false, true})
  void installStartsTheAgentOnceThenAppliesOptionsAndRefusesBadOnes(boolean allowAttachSelf,
      TestDatabase db) throws Exception {
    Path reportFile = dir.resolve("install.jsonl");
    AgentReport report = new AgentReport(reportFile);
    List<String> flags = allowAttachSelf ? List.of("-Djdk.attach.allowAttachSelf=true") : List.of();
    try (RunningJvm target = start(db, flags)) {
      assertEquals("ok install STARTED",
          target.send("install leakThreshold=300ms,report=" + reportFile), target.stderr());
      String held = target.send("hold");
      int line = Integer.parseInt(held.substring("ok held ".length()));
      List<Map<String, Object>> leaks = report.await(AttachIT.HELD_LEAK, 1, Duration.ofSeconds(20));
      assertEquals(1, leaks.size(), target.stderr());
      assertEquals(AttachTargetApp.class.getName() + ".hold(AttachTargetApp.java:" + line + ")",
          AgentReport.stack(leaks.get(0)).get(0));
      assertEquals(300, attribute(target, "LeakThresholdMillis"));

      assertEquals("ok install OPTIONS_APPLIED", target.send("install leakThreshold=2s"));
      assertEquals(2000, attribute(target, "LeakThresholdMillis"));
      assertEquals("ok threads 1", target.send("threads poolagent-leak-sweeper"));

      String refused = target.send("install leakThreshold=abc");
      assertTrue(refused.startsWith("ok install-failed IllegalArgumentException: invalid pool-agent"
          + " options, agent not installed: invalid agent argument leakThreshold='abc'"), refused);
      assertEquals(2000, attribute(target, "LeakThresholdMillis"), "a refused call changes nothing");
      assertEquals(1, report.events(AttachIT.HELD_LEAK).size());
    }
  }

  @Test
  void installInAJvmStartedWithTheAgentFlagAppliesTheOptions(TestDatabase db) throws Exception {
    String flag = "-javaagent:" + ChildJvm.agentJar() + "=leakThreshold=30s";
    try (RunningJvm target = start(db, List.of(flag))) {
      assertEquals(30_000, attribute(target, "LeakThresholdMillis"));
      assertEquals("ok install OPTIONS_APPLIED", target.send("install leakThreshold=400ms"));
      assertEquals(400, attribute(target, "LeakThresholdMillis"));
      assertEquals("ok threads 1", target.send("threads poolagent-leak-sweeper"));
    }
  }
}
