package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.agent.apps.LeakingApp;
import io.poolagent.it.agent.apps.OldClassFileApp;
import io.poolagent.it.agent.apps.OwnByteBuddyApp;
import io.poolagent.it.agent.apps.OwnMicrometerApp;
import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.ChildJvm;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The agent in a fresh JVM per scenario: exit summary, collected connections, options, failures. */
@ExtendWith(PostgresExtension.class)
class ChildJvmAgentIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private List<String> args(TestDatabase db, String... more) {
    List<String> out = new java.util.ArrayList<>(List.of(db.jdbcUrl(), db.user(), db.password()));
    out.addAll(List.of(more));
    return out;
  }

  private static String agentFlag(Path jar, String options) {
    return "-javaagent:" + jar + (options.isEmpty() ? "" : "=" + options);
  }

  @Test
  void borrowsStillOpenAtExitAreSummarisedBySite(TestDatabase db) throws Exception {
    Path report = dir.resolve("exit.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), "report=" + report)), LeakingApp.class,
        args(db, "exit"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("app finished normally"), result.stdout());
    assertTrue(result.stderr().contains("poolagent open-at-exit: 1 connection still open at exit"),
        result.stderr());
    Map<String, Object> event = onlyEvent(report, "open-at-exit",
        LeakingApp.class.getName() + ".leaveOpenAtExit(LeakingApp.java:");
    assertEquals("child-exit-pool", event.get("dataSource"));
  }

  @Test
  void withSampledStacksFromTheStartCallSitesAreMarkedAndNameTheSite(TestDatabase db)
      throws Exception {
    // marks are woven by ASM, which the agent then defines in premain, before the app's classes load
    Path report = dir.resolve("sampled.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), "stackTrace=sampled,report=" + report)),
        LeakingApp.class, args(db, "exit"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("app finished normally"), result.stdout());
    assertNothingFailedToInstrument(result);
    onlyEvent(report, "open-at-exit", LeakingApp.class.getName() + ".leaveOpenAtExit(LeakingApp.java:");
  }

  @Test
  void asmIsDefinedOnlyWhenAClassNeedsItAndThenWeavesThatClass(TestDatabase db) throws Exception {
    Path report = dir.resolve("old.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), "report=" + report)), OldClassFileApp.class,
        args(db), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(List.of("asm on the bootstrap path before: false",
        "asm on the bootstrap path after: true", "borrowed: true", "app finished normally"),
        result.stdout().lines().toList());
    onlyEvent(report, "open-at-exit", OldClassFileApp.class.getName() + ".borrow(OldClassFileApp.java:");
    assertNothingFailedToInstrument(result);
  }

  /** The report's one event of {@code kind}, checked to name a site that starts with {@code site}. */
  private static Map<String, Object> onlyEvent(Path report, String kind, String site) {
    List<Map<String, Object>> events = new AgentReport(report).events(AgentReport.event(kind));
    assertEquals(1, events.size(), events.toString());
    assertTrue(String.valueOf(events.get(0).get("site")).startsWith(site), events.toString());
    return events.get(0);
  }

  private static void assertNothingFailedToInstrument(ChildJvm.Result result) {
    assertTrue(result.stderr().lines().noneMatch(l -> l.startsWith("poolagent: could not")),
        result.stderr());
  }

  @Test
  void aConnectionCollectedWithoutCloseIsReportedAsGcUnclosed(TestDatabase db) throws Exception {
    Path report = dir.resolve("gc.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), "scanInterval=20ms,report=" + report)),
        LeakingApp.class, args(db, "gc"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("gc-unclosed seen"), result.stdout() + result.stderr());
    Map<String, Object> event = onlyEvent(report, "gc-unclosed",
        LeakingApp.class.getName() + ".openAndForget(LeakingApp.java:");
    assertEquals("DriverManager", event.get("dataSource"));
  }

  @Test
  void anApplicationWithItsOwnByteBuddyRunsUnharmed(TestDatabase db) throws Exception {
    Path report = dir.resolve("bb.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), "leakThreshold=200ms,report=" + report)),
        OwnByteBuddyApp.class, args(db, "800"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("made by the app's own Byte Buddy net.bytebuddy.ByteBuddy"),
        result.stdout());
    assertTrue(result.stdout().contains("app finished normally"), result.stdout());
    AgentReport events = new AgentReport(report);
    assertEquals(1, events.events(AgentReport.event("leak")).size(), result.stderr());
    assertEquals(1, events.events(AgentReport.event("returned")).size(), result.stderr());
  }

  @Test
  void anApplicationWithItsOwnMicrometerRunsUnharmed(TestDatabase db) throws Exception {
    Path report = dir.resolve("micrometer.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), "leakThreshold=200ms,metrics=true,report=" + report)),
        OwnMicrometerApp.class, args(db, "800"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("app counter 20 via io.micrometer.core.instrument.MeterRegistry"),
        result.stdout());
    assertTrue(result.stdout().lines().anyMatch(l -> l.startsWith("agent meters ")
        && Integer.parseInt(l.substring("agent meters ".length())) > 0), result.stdout());
    assertTrue(result.stdout().contains("app finished normally"), result.stdout());
    AgentReport events = new AgentReport(report);
    assertEquals(1, events.events(AgentReport.event("leak")
        .and(AgentReport.fromSource("child-micrometer-pool"))).size(), result.stderr());
  }

  @Test
  void invalidOptionsPrintOneLineEachAndTheAppRunsOnWithDefaults(TestDatabase db)
      throws Exception {
    Path report = dir.resolve("bad.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(),
            "leakThreshold=abc,bogus=1,stackTrace=maybe,scanInterval=-5s,report=" + report)),
        LeakingApp.class, args(db, "exit"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("app finished normally"), result.stdout());
    List<String> agentLines = result.stderr().lines().filter(l -> l.startsWith("poolagent: ")).toList();
    assertEquals(4, agentLines.size(), result.stderr());
    assertTrue(agentLines.contains("poolagent: unknown option 'bogus' (ignored); known options:"
        + " leakThreshold, scanInterval, stackTrace, report, jmx, metrics, holdEvents, holdTimes"),
        agentLines.toString());
    assertTrue(agentLines.stream().anyMatch(l -> l.startsWith(
        "poolagent: invalid agent argument leakThreshold='abc': expected a duration")), agentLines.toString());
    assertTrue(agentLines.stream().anyMatch(l -> l.startsWith(
        "poolagent: invalid agent argument stackTrace='maybe': expected true, false or sampled")), agentLines.toString());
    assertTrue(agentLines.stream().anyMatch(l -> l.startsWith(
        "poolagent: invalid agent argument scanInterval='-5s': must not be negative")), agentLines.toString());
    assertEquals(1, new AgentReport(report).events(AgentReport.event("open-at-exit")).size(),
        "the agent still runs, on defaults");
  }

  @Test
  void aRunWithoutLeaksPrintsNothingAndLeavesNoFile(TestDatabase db) throws Exception {
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    Path quietLogging = Files.writeString(dir.resolve("logging.properties"), ".level=OFF\n");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(ChildJvm.agentJar(), ""), "-Djava.io.tmpdir=" + tmp,
            "-Djava.util.logging.config.file=" + quietLogging), // HikariCP's own log lines
        LeakingApp.class, args(db, "clean"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertEquals(List.of("borrows counted", "bridge loaded by null", "app finished normally"),
        result.stdout().lines().toList());
    // not even the JVM's "Sharing is only supported for boot loader classes" warning
    assertEquals("", result.stderr());
    try (var left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void whenItsClassesCannotBeDefinedTheAgentAppendsThemToTheBootstrapPath(TestDatabase db)
      throws Exception {
    Path withoutDefiner = copyOfAgentJarWithout(
        name -> name.equals("io/poolagent/agent/BootClassDefiner.class"));
    Path report = dir.resolve("appended.jsonl");
    ChildJvm.Result result = ChildJvm.run(
        List.of(agentFlag(withoutDefiner, "report=" + report)), LeakingApp.class,
        args(db, "exit"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    List<String> agentLines = result.stderr().lines()
        .filter(l -> l.startsWith("poolagent: ")).toList();
    assertEquals(1, agentLines.size(), result.stderr());
    assertTrue(agentLines.get(0).startsWith("poolagent: could not define the agent's bridge classes"
        + " in the bootstrap class loader (java.lang.IllegalStateException:"
        + " io/poolagent/agent/BootClassDefiner.class is missing from the agent jar)"), agentLines.get(0));
    assertTrue(result.stderr().contains("Sharing is only supported for boot loader classes"),
        result.stderr());
    assertEquals(1, new AgentReport(report).events(AgentReport.event("open-at-exit")).size(),
        "the agent runs from the appended jar: " + result.stderr());
  }

  /** The agent jar without the entries {@code leftOut} names, its manifest kept. */
  private Path copyOfAgentJarWithout(java.util.function.Predicate<String> leftOut)
      throws Exception {
    Path copy = Files.createTempFile(dir, "agent", ".jar");
    try (JarFile source = new JarFile(ChildJvm.agentJar().toFile());
        OutputStream file = Files.newOutputStream(copy);
        JarOutputStream out = new JarOutputStream(file, source.getManifest())) {
      for (Enumeration<JarEntry> e = source.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (leftOut.test(entry.getName()) || entry.getName().equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        out.putNextEntry(new JarEntry(entry.getName()));
        try (InputStream in = source.getInputStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return copy;
  }

  @Test
  void anAgentThatCannotStartPrintsOneLineAndTheAppRunsOn(TestDatabase db) throws Exception {
    // the bootstrap classes, loose and as the nested jar the agent defines them from at start-up
    Path broken = copyOfAgentJarWithout(name -> name.startsWith("io/poolagent/agent/bootstrap/")
        || name.startsWith("META-INF/poolagent/"));
    ChildJvm.Result result = ChildJvm.run(List.of(agentFlag(broken, "")), LeakingApp.class,
        args(db, "exit"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("app finished normally"), result.stdout());
    List<String> agentLines = result.stderr().lines().filter(l -> l.contains("poolagent")).toList();
    assertEquals(1, agentLines.size(), result.stderr());
    assertTrue(agentLines.get(0).startsWith("poolagent: not started, the application runs on"),
        agentLines.get(0));
  }
}
