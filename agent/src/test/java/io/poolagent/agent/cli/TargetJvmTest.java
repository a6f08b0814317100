package io.poolagent.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The checks TargetJvm makes before it attaches, and what it reads from a target. */
class TargetJvmTest {
  @Test
  void aPidMustBeAPositiveNumber() throws Exception {
    assertEquals(42, TargetJvm.parsePid(" 42 "));
    for (String bad : new String[] {"0", "-3", "app", "", "99999999999999999999"}) {
      CliFailure failure = assertThrows(CliFailure.class, () -> TargetJvm.parsePid(bad), bad);
      assertEquals(ExitCode.USAGE, failure.code());
    }
  }

  @Test
  void ownPidIsRefused() {
    CliFailure failure = assertThrows(CliFailure.class,
        () -> TargetJvm.attach(String.valueOf(ProcessHandle.current().pid())));
    assertEquals(ExitCode.USAGE, failure.code());
  }

  @Test
  void theFeatureVersionComesFromTheSpecificationVersion() {
    assertEquals(17, TargetJvm.featureVersion(props("17")));
    assertEquals(25, TargetJvm.featureVersion(props("25")));
    assertEquals(8, TargetJvm.featureVersion(props("1.8")));
    assertEquals(0, TargetJvm.featureVersion(new Properties()));
  }

  @Test
  void onlyTheMainClassOfADisplayNameIsShown() {
    assertEquals("com.example.App", TargetJvm.mainOnly("com.example.App --password=secret"));
    assertEquals("app.jar", TargetJvm.mainOnly("app.jar"));
    assertEquals("", TargetJvm.mainOnly(""));
  }

  private static Properties props(String spec) {
    Properties p = new Properties();
    p.setProperty("java.specification.version", spec);
    return p;
  }
}
