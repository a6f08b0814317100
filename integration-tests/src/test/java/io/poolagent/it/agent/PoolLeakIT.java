package io.poolagent.it.agent;

import static io.poolagent.it.support.AgentReport.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.AgentReport;
import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.leak.SourceNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The agent, in this JVM through -javaagent, on every supported pool and the real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PoolLeakIT {
  private static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(30);

  private final AgentReport report = AgentReport.ofThisJvm();
  private LeakDetectorBean agent;

  @BeforeEach
  void findAgent() throws Exception {
    agent = LeakDetectorBean.inThisJvm();
  }

  @AfterEach
  void restoreThreshold() throws Exception {
    agent.setThreshold(DEFAULT_THRESHOLD);
  }

  private static String uniqueName(PoolKind kind) {
    return "it-" + kind.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @ParameterizedTest
  @EnumSource(PoolKind.class)
  void aHeldConnectionIsFlaggedAtTheCallingLineThenReturned(PoolKind kind, TestDatabase db)
      throws Exception {
    try (PoolKind.Opened pool = kind.open(db, uniqueName(kind))) {
      DataSource ds = pool.dataSource();
      String source = SourceNames.nameOf(ds);
      agent.setThreshold(Duration.ofMillis(300));
      Connection held = ds.getConnection();
      int line = new Throwable().getStackTrace()[0].getLineNumber() - 1;

      List<Map<String, Object>> leaks =
          report.await(event("leak").and(AgentReport.fromSource(source)), 1, Duration.ofSeconds(10));
      assertEquals(1, leaks.size(), kind + ": one leak event for " + source);
      Map<String, Object> leak = leaks.get(0);
      assertEquals(getClass().getName() + ".aHeldConnectionIsFlaggedAtTheCallingLineThenReturned"
          + "(PoolLeakIT.java:" + line + ")", AgentReport.stack(leak).get(0), kind + ": first frame");
      assertTrue(((Number) leak.get("heldMillis")).longValue() >= 300, kind + ": held time");
      assertEquals(Thread.currentThread().getName(), leak.get("thread"));
      assertTrue(agent.number("LeakedConnections") >= 1);

      held.close();
      Predicate<Map<String, Object>> sameBorrow =
          e -> leak.get("connectionId").equals(e.get("connectionId"));
      List<Map<String, Object>> returned =
          report.await(event("returned").and(sameBorrow), 1, Duration.ofSeconds(5));
      assertEquals(1, returned.size(), kind + ": returned after the leak");
      assertEquals(1, report.events(event("leak").and(sameBorrow)).size(), "flagged once");
    }
  }

  @ParameterizedTest
  @EnumSource(PoolKind.class)
  void manyGoodBorrowsOnEightThreadsCountOnceAndNeverFlag(PoolKind kind, TestDatabase db)
      throws Exception {
    try (PoolKind.Opened pool = kind.open(db, uniqueName(kind))) {
      DataSource ds = pool.dataSource();
      String source = SourceNames.nameOf(ds);
      for (int i = 0; i < 8; i++) {
        try (Connection c = ds.getConnection()) {
          c.isValid(2);
        }
      }
      Thread.sleep(300); // let the pool finish filling itself on its own threads
      agent.setThreshold(Duration.ofSeconds(2));
      long acquired = agent.number("Acquired");
      long released = agent.number("Released");
      long open = agent.number("OpenConnections");
      int threads = 8;
      int perThread = kind == PoolKind.PG_SIMPLE ? 10 : 250;
      ExecutorService executor = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          work.add(executor.submit(() -> {
            for (int i = 0; i < perThread; i++) {
              try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                  ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : work) {
          f.get();
        }
      } finally {
        executor.shutdownNow();
      }
      assertEquals(threads * perThread, agent.number("Acquired") - acquired,
          kind + ": each borrow counted exactly once");
      assertEquals(threads * perThread, agent.number("Released") - released, kind + ": released");
      assertEquals(open, agent.number("OpenConnections"), kind + ": open count back where it was");
      Thread.sleep(2200);
      assertEquals(List.of(), report.events(event("leak").and(AgentReport.fromSource(source))),
          kind + ": no false positive");
    }
  }
}
