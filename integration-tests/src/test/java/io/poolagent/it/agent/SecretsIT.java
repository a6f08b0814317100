package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.agent.apps.SecretsApp;
import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.ChildJvm;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real password (a PostgreSQL role's; trust authentication accepts it on loopback, but it still
 * flows through every configuration path) goes through every pool, URL, properties and failing
 * connect with the agent attached; no output anywhere holds it: standard output and error (logs,
 * exceptions, toString, every MBean attribute and operation result, thread names) and the JSON
 * report.
 */
@ExtendWith(PostgresExtension.class)
class SecretsIT {
  private static final String ROLE = "poolagent_secret";

  @Test
  void thePasswordAppearsNowhere(TestDatabase db) throws Exception {
    String secret = "Sekr1t" + UUID.randomUUID().toString().replace("-", "");
    try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
      s.execute("DO $$ BEGIN CREATE ROLE " + ROLE + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
      s.execute("ALTER ROLE " + ROLE + " PASSWORD '" + secret + "'");
    }
    Path report = Files.createTempFile("secrets-report", ".jsonl");
    try {
      List<String> command = new ArrayList<>(List.of(ChildJvm.java(),
          "-javaagent:" + ChildJvm.agentJar() + "=leakThreshold=200ms,scanInterval=20ms,report=" + report,
          "-cp", System.getProperty("java.class.path"), SecretsApp.class.getName(),
          db.jdbcUrl(), ROLE));
      ChildJvm.Result r = ChildJvm.run(command, Map.of("POOLAGENT_IT_SECRET", secret),
          Duration.ofSeconds(180));
      String reportText = Files.readString(report, StandardCharsets.UTF_8);
      assertEquals(0, r.exitCode(), r.stderr());
      assertTrue(r.stdout().contains("secrets app done"), r.stdout());
      // the paths were really taken: leaks reported, beans dumped, failures printed
      assertTrue(new AgentReport(report).events(AgentReport.event("leak")).size() >= 8, reportText);
      assertTrue(r.stdout().contains("poolagent:type=LeakDetector OpenConnections"), "beans dumped");
      assertTrue(r.stderr().contains("127.0.0.1:1") || r.stderr().contains("Connection refused"),
          "failing connects printed: " + r.stderr());
      assertEquals(0, occurrences(r.stdout(), secret), "password in standard output");
      assertEquals(0, occurrences(r.stderr(), secret), "password in standard error");
      assertEquals(0, occurrences(reportText, secret), "password in the JSON report");
      System.out.println("secrets scan: " + (r.stdout().length() + r.stderr().length()
          + reportText.length()) + " characters of output, 0 occurrences");
    } finally {
      Files.deleteIfExists(report);
    }
  }

  private static int occurrences(String text, String secret) {
    int n = 0;
    for (int i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + 1)) {
      n++;
    }
    return n;
  }
}
