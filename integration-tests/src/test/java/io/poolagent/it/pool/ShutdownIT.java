package io.poolagent.it.pool;

import static io.poolagent.it.pool.PoolFixtures.backends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import io.poolagent.pool.RetryingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Graceful shutdown with borrowed connections, on a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class ShutdownIT {

  @Test
  void closeWaitsForBorrowedConnectionsThenAbortsTheRestNamingTheirHolders(TestDatabase db)
      throws Exception {
    String name = PoolFixtures.uniqueName("shutdown");
    List<String> warnings = new CopyOnWriteArrayList<>();
    Logger poolLogger = Logger.getLogger("poolagent.pool");
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    poolLogger.addHandler(capture);
    try (Connection admin = db.connect()) {
      RetryingDataSource pool = new RetryingDataSource(PoolFixtures.config(db, name).minSize(2)
          .leakDetectionTimeout(Duration.ofMinutes(5))
          .shutdownTimeout(Duration.ofSeconds(1)).build());
      Connection returnedInTime = pool.getConnection();
      Connection neverReturned = pool.getConnection();
      assertTrue(PoolFixtures.within(5, () -> pool.stats().total() >= 3));
      Thread user = new Thread(() -> {
        try {
          Thread.sleep(300);
          PoolFixtures.selectOne(returnedInTime); // still usable while the pool drains
          returnedInTime.close();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, "finishing-user");
      user.start();
      pool.close();
      user.join();
      assertTrue(pool.isClosed());
      assertThrows(SQLException.class, pool::getConnection, "new borrows are refused");
      String all = String.join("\n", warnings);
      assertTrue(all.contains("closed with 1 connection still borrowed after 1000 ms; aborting them"), all);
      assertTrue(all.contains(getClass().getName()
          + ".closeWaitsForBorrowedConnectionsThenAbortsTheRestNamingTheirHolders("), all);
      assertFalse(all.contains("finishing-user"), "the connection returned in time is not named: " + all);
      assertThrows(SQLException.class, () -> PoolFixtures.selectOne(neverReturned),
          "the aborted connection is dead");
      neverReturned.close(); // a late close is harmless
      assertTrue(PoolFixtures.within(5, () -> {
        try {
          return backends(admin, name) == 0;
        } catch (SQLException e) {
          return false;
        }
      }), "nothing left open on the server");
      pool.close(); // idempotent
      assertEquals(0, pool.stats().total());
    } finally {
      poolLogger.removeHandler(capture);
    }
  }
}
