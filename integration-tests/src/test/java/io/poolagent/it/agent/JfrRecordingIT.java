package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.agent.apps.LeakingApp;
import io.poolagent.it.support.ChildJvm;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A flight recording of a leaking child JVM with the agent, read back with jdk.jfr.consumer. */
@ExtendWith(PostgresExtension.class)
class JfrRecordingIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String POOL = "child-leak-pool";

  @TempDir
  Path dir;

  private List<RecordedEvent> recordLeakingRun(TestDatabase db, String agentOptions)
      throws Exception {
    Path recording = dir.resolve("leak.jfr");
    ChildJvm.Result result = ChildJvm.run(List.of(
            "-XX:StartFlightRecording=filename=" + recording + ",settings=default,dumponexit=true",
            "-javaagent:" + ChildJvm.agentJar() + "=" + agentOptions),
        LeakingApp.class, List.of(db.jdbcUrl(), db.user(), db.password(), "leak"), TIMEOUT);
    assertEquals(0, result.exitCode(), result.stderr());
    assertTrue(result.stdout().contains("leak seen"), result.stdout() + result.stderr());
    // the agent started its MBeans, meters and events without a word, and its shaded SLF4J (under
    // Micrometer's JMX reporter) stayed silent
    assertFalse(result.stderr().contains("poolagent: "), result.stderr());
    assertFalse(result.stderr().contains("SLF4J"), result.stderr());
    return RecordingFile.readAllEvents(recording);
  }

  private static List<RecordedEvent> ofType(List<RecordedEvent> events, String type) {
    return events.stream().filter(e -> e.getEventType().getName().equals(type))
        .collect(Collectors.toList());
  }

  @Test
  void theRecordingShowsTheLeakItsReturnAndEveryHoldWhenAskedFor(TestDatabase db)
      throws Exception {
    List<RecordedEvent> events = recordLeakingRun(db, "leakThreshold=200ms,holdEvents=true");

    List<RecordedEvent> leaks = ofType(events, "poolagent.Leak");
    assertEquals(1, leaks.size(), leaks.toString());
    RecordedEvent leak = leaks.get(0);
    assertEquals(POOL, leak.getString("dataSource"));
    String id = leak.getString("connectionId");
    assertTrue(id.matches("\\d+-\\d+"), id);
    assertEquals("main", leak.getString("acquiringThread"));
    assertEquals(Duration.ofMillis(200), leak.getDuration("threshold"));
    assertTrue(leak.getDuration("held").toMillis() >= 200, leak.toString());
    assertTrue(leak.getString("site").startsWith(
        LeakingApp.class.getName() + ".holdPastThreshold(LeakingApp.java:"), leak.toString());
    assertTrue(leak.getString("stack").startsWith(leak.getString("site") + "\n"), leak.toString());
    assertEquals("pool-agent", leak.getEventType().getCategoryNames().get(0));

    List<RecordedEvent> returned = ofType(events, "poolagent.Returned");
    assertEquals(1, returned.size(), returned.toString());
    assertEquals(id, returned.get(0).getString("connectionId"));
    assertEquals(returned.get(0).getThread().getJavaThreadId(), leak.getLong("acquiringThreadId"),
        "main took the connection and closed it: the Returned event's thread");
    assertTrue(returned.get(0).getDuration("held").toMillis() >= 200);

    List<RecordedEvent> holds = ofType(events, "poolagent.ConnectionHeld").stream()
        .filter(e -> POOL.equals(e.getString("dataSource"))).collect(Collectors.toList());
    assertEquals(6, holds.size(), "five short borrows and the leaked one: " + holds);
    assertEquals(1, holds.stream().filter(e -> e.getDuration("held").toMillis() >= 200).count(),
        holds.toString());
  }

  @Test
  void withoutHoldEventsOnlyTheFindingsAreRecorded(TestDatabase db) throws Exception {
    List<RecordedEvent> events = recordLeakingRun(db, "leakThreshold=200ms");
    assertEquals(1, ofType(events, "poolagent.Leak").size());
    assertEquals(1, ofType(events, "poolagent.Returned").size());
    assertEquals(0, ofType(events, "poolagent.ConnectionHeld").size());
  }
}
