package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.ChildJvm;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.RunningJvm;
import io.poolagent.it.support.TestDatabase;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input to {@code java -jar pool-agent.jar}: one line on standard error, nothing on standard
 * output, and a distinct exit code (2 usage, 3 no such JVM, 4 not permitted, 5 agent not running).
 */
@ExtendWith(PostgresExtension.class)
class AttachCommandErrorsIT {

  private static void assertRefused(int code, ChildJvm.Result result, String expectedStart) {
    assertEquals(code, result.exitCode(), result.stdout() + result.stderr());
    assertEquals("", result.stdout());
    List<String> lines = result.stderr().lines().toList();
    assertEquals(1, lines.size(), result.stderr());
    assertTrue(lines.get(0).startsWith("pool-agent: " + expectedStart), lines.get(0));
  }

  @Test
  void anUnknownCommandIsAUsageError() throws Exception {
    assertRefused(2, ChildJvm.agentCommand("frobnicate", "12"),
        "unknown command 'frobnicate'; the commands are attach, status, list and help");
  }

  @Test
  void aPidThatIsNotANumberIsAUsageError() throws Exception {
    assertRefused(2, ChildJvm.agentCommand("attach", "my-app"), "'my-app' is not a process id");
    assertRefused(2, ChildJvm.agentCommand("status"), "usage: java -jar pool-agent.jar status");
  }

  @Test
  void aPidWithNoProcessIsNoSuchJvm() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(30, TimeUnit.SECONDS));
    assertRefused(3, ChildJvm.agentCommand("attach", String.valueOf(gone.pid())),
        "no process with pid " + gone.pid());
    assertRefused(3, ChildJvm.agentCommand("status", String.valueOf(gone.pid())),
        "no process with pid " + gone.pid());
  }

  @Test
  void aProcessThatIsNotJavaIsNoSuchJvmAndIsLeftAlone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "120").start();
    try {
      assertRefused(3, ChildJvm.agentCommand("attach", String.valueOf(sleeper.pid())),
          "process " + sleeper.pid() + " is not a JVM");
      assertTrue(sleeper.isAlive(), "no SIGQUIT was sent to a process that is not a JVM");
    } finally {
      sleeper.destroy();
    }
  }

  @Test
  void invalidOptionsAreRefusedBeforeAttaching(TestDatabase db) throws Exception {
    try (RunningJvm target = AttachIT.startTarget(db, "HIKARI", "errors-hikari", List.of())) {
      String pid = String.valueOf(target.pid());
      ChildJvm.Result refused = ChildJvm.agentCommand("attach", pid, "leakThreshold=abc,bogus=1");
      assertRefused(2, refused, "invalid options, nothing attached: unknown option 'bogus'; known"
          + " options: leakThreshold, scanInterval, stackTrace, report, jmx, metrics, holdEvents,"
          + " holdTimes; invalid agent argument leakThreshold='abc': expected a duration");
      assertRefused(5, ChildJvm.agentCommand("status", pid), "pool-agent does not run in JVM "
          + pid + "; load it with: java -jar pool-agent.jar attach " + pid);
    }
  }

  /**
   * A JVM of another user: the attach mechanism only connects JVMs of one user. When the test runs
   * as root, the command runs as user nobody against the test's own JVM; otherwise it is pointed at a
   * process of another user.
   */
  @Test
  void aJvmOfAnotherUserIsNotPermitted(TestDatabase db) throws Exception {
    String me = System.getProperty("user.name");
    List<String> command = new ArrayList<>();
    String pid;
    RunningJvm target = null;
    try {
      if (me.equals("root")) {
        Assumptions.assumeTrue(Files.isExecutable(java.nio.file.Path.of("/usr/bin/setpriv")),
            "setpriv is needed to run the command as another user");
        target = AttachIT.startTarget(db, "HIKARI", "other-user-hikari", List.of());
        pid = String.valueOf(target.pid());
        command.addAll(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
            "--clear-groups"));
      } else {
        pid = ProcessHandle.allProcesses()
            .filter(p -> p.info().user().filter(u -> !u.equals(me)).isPresent())
            .map(p -> String.valueOf(p.pid())).findFirst().orElse(null);
        Assumptions.assumeTrue(pid != null, "no process of another user to point at");
      }
      command.addAll(List.of(ChildJvm.java(), "-XX:-UsePerfData", "-jar",
          ChildJvm.agentJar().toString(), "attach", pid));
      ChildJvm.Result result = ChildJvm.run(command, java.time.Duration.ofSeconds(90));
      assertRefused(4, result, "process " + pid + " belongs to user ");
    } finally {
      if (target != null) {
        target.close();
      }
    }
  }
}
