package io.poolagent.it.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.LeakDetectorBean;
import io.poolagent.it.support.PoolKind;
import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.SoakRun;
import io.poolagent.it.support.TestDatabase;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bounded soak with the agent: {@link SoakRun#cycles()} borrow/close cycles (200,000 in CI;
 * {@code -Dpoolagent.soak.cycles=10000000} for the long run) through a pool; the agent's open count
 * is back to its start at every sample and the heap after GC does not grow.
 */
@ExtendWith(PostgresExtension.class)
class AgentSoakIT {
  /** Heap after full GC may differ by this much between start and end (class loading, JIT, JMX). */
  private static final long HEAP_TOLERANCE = 16L * 1024 * 1024;

  @ParameterizedTest
  @EnumSource(value = PoolKind.class, names = {"BUNDLED", "HIKARI"})
  void theAgentsStructuresDoNotGrow(PoolKind kind, TestDatabase db) throws Exception {
    LeakDetectorBean agent = LeakDetectorBean.inThisJvm();
    String name = "soak-" + kind.name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (PoolKind.Opened pool = kind.open(db, name)) {
      try (Connection c = pool.dataSource().getConnection()) {
        c.isValid(2);
      }
      // a short warm-up so class loading and JIT are done before the first heap sample
      SoakRun.run(pool.dataSource(), 20_000, () -> {});
      long open = agent.number("OpenConnections");
      long acquired = agent.number("Acquired");
      SoakRun.Result result = SoakRun.run(pool.dataSource(), SoakRun.cycles(), () -> {
        try {
          assertEquals(open, agent.number("OpenConnections"), kind + ": open borrows at a sample");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      System.out.println("soak with the agent, " + kind + ": " + result);
      assertEquals(result.cycles(), agent.number("Acquired") - acquired, kind + ": every cycle counted");
      assertTrue(result.endHeap() - result.startHeap() < HEAP_TOLERANCE,
          kind + ": heap after GC grew by less than 16 MiB: " + result);
    }
  }
}
