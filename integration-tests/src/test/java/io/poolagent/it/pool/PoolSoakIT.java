package io.poolagent.it.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.SoakRun;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.PoolStats;
import io.poolagent.pool.RetryingDataSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bounded soak of the bundled pool alone, its own leak detection on: {@link SoakRun#cycles()}
 * cycles ({@code -Dpoolagent.soak.cycles=10000000} for the long run); nothing borrowed at each
 * sample, no connection beyond max, and the heap after GC does not grow.
 */
@ExtendWith(PostgresExtension.class)
class PoolSoakIT {
  private static final long HEAP_TOLERANCE = 16L * 1024 * 1024;

  @Test
  void thePoolsStructuresDoNotGrow(TestDatabase db) throws Exception {
    String name = PoolFixtures.uniqueName("soak");
    try (RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name)
        .minSize(2).maxSize(4).leakDetectionTimeout(Duration.ofSeconds(30)).build())) {
      SoakRun.run(pool, 20_000, () -> {});
      long acquisitions = pool.stats().acquisitions();
      SoakRun.Result result = SoakRun.run(pool, SoakRun.cycles(), () -> {
        PoolStats s = pool.stats();
        assertEquals(0, s.active(), "nothing borrowed between samples: " + s.stateText());
        assertTrue(s.total() <= 4, s.stateText());
      });
      System.out.println("soak of the bundled pool: " + result);
      assertEquals(result.cycles(), pool.stats().acquisitions() - acquisitions, "every cycle counted");
      assertEquals(0, pool.stats().creationFailures(), "no connection failed to open");
      assertTrue(result.endHeap() - result.startHeap() < HEAP_TOLERANCE,
          "heap after GC grew by less than 16 MiB: " + result);
    }
  }
}
