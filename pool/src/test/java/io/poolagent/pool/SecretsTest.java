package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Duration;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The password never shows: toString, logs, exceptions, JMX, stats and thread names. */
class SecretsTest {
  private static final String PASSWORD = "Tr0ub4dor&3-secret";

  private static void assertHidden(String where, String text) {
    assertFalse(text != null && text.contains(PASSWORD), where + " shows the password: " + text);
  }

  private static String chain(Throwable t) {
    StringBuilder out = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.append(c).append(" | ");
    }
    return out.toString();
  }

  @Test
  void thePasswordNeverAppearsAnywhereTheApplicationCanSee() throws Exception {
    StubDatabase db = StubDatabase.create();
    // A driver that puts the password in its error message: the pool must scrub it.
    db.openFailureMessage = "authentication failed for password " + PASSWORD;
    try (CapturedLog log = new CapturedLog()) {
      RetryingDataSource pool = new RetryingDataSource(db.config().poolName("secretive")
          .password(PASSWORD).minSize(0).retryAttempts(2)
          .acquireTimeout(Duration.ofMillis(300))
          .leakDetectionTimeout(Duration.ofMillis(20)).build());
      try {
        assertHidden("config", pool.config().toString());
        assertHidden("data source", pool.toString());
        db.reachable = false;
        SQLException e = assertThrows(SQLException.class, pool::getConnection);
        assertTrue(e.getMessage().contains("authentication failed"), e.getMessage());
        assertHidden("exception chain", chain(e));
        Eventually.holds("background attempts failed", () -> pool.stats().creationFailures() > 3);
        assertHidden("stats", pool.stats().toString());
        db.reachable = true;
        var c = pool.getConnection();
        Eventually.holds("leak logged", () -> log.text().contains("poolagent leak:"));
        c.close();
        assertHidden("logs", log.text());
        assertTrue(log.text().contains("cannot reach the database"), log.text());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("poolagent:type=Pool,name=secretive");
        for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
          assertHidden("JMX " + a.getName(), String.valueOf(server.getAttribute(name, a.getName())));
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
          assertHidden("thread name", t.getName());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("poolagent-secretive-maintenance") && t.isDaemon()));
        assertTrue(Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("poolagent-secretive-leak-sweeper") && t.isDaemon()));
      } finally {
        pool.close();
      }
    }
  }

  @Test
  void aPasswordWrittenIntoTheJdbcUrlIsScrubbedFromDriverErrorsToo() throws Exception {
    StubDatabase db = StubDatabase.create();
    String url = db.url + "-missing?user=app&password=" + PASSWORD; // the stub driver quotes it
    try (CapturedLog log = new CapturedLog()) {
      RetryingDataSource pool = new RetryingDataSource(db.config().jdbcUrl(url).password(null)
          .retryAttempts(1).acquireTimeout(Duration.ofMillis(300)).build());
      try {
        SQLException e = assertThrows(SQLException.class, pool::getConnection);
        assertTrue(chain(e).contains("no stub database"), chain(e));
        assertHidden("exception chain", chain(e));
        Eventually.holds("a background attempt failed", () -> pool.stats().creationFailures() > 1);
        assertHidden("stats", pool.stats().toString());
        assertHidden("config", pool.config().toString());
      } finally {
        pool.close();
      }
      assertHidden("logs", log.text());
    }
  }

  @Test
  void urlPasswordsAreMasked() {
    assertFalse(Secrets.maskUrl("jdbc:postgresql://h/db?user=a&password=xyz&ssl=true").contains("xyz"));
    assertTrue(Secrets.maskUrl("jdbc:postgresql://h/db?password=xyz&ssl=true").endsWith("password=****&ssl=true"));
    assertFalse(Secrets.maskUrl("postgresql://a:xyz@h:1/db").contains("xyz"));
  }
}
