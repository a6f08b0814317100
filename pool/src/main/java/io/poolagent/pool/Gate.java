package io.poolagent.pool;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether borrows may proceed: open (does nothing), suspended (waits for resume) or closed
 * (refuses). A null-object state machine, so the borrow path has no flags to test.
 */
abstract class Gate {
  static final Gate OPEN = new Gate() {
    @Override
    void pass(PoolEngine engine, long deadlineNanos) {}
  };

  /** Returns when a borrow may proceed; throws when the pool is closed or the deadline passed. */
  abstract void pass(PoolEngine engine, long deadlineNanos) throws SQLException;

  boolean isSuspended() {
    return false;
  }

  /** Borrows wait until {@link #resume()} (or their acquire timeout). */
  static final class Suspended extends Gate {
    private final CountDownLatch resumed = new CountDownLatch(1);

    @Override
    void pass(PoolEngine engine, long deadlineNanos) throws SQLException {
      try {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || !resumed.await(left, TimeUnit.NANOSECONDS)) {
          throw engine.timeout(deadlineNanos, " (the pool is suspended)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while the pool was suspended", "08001", e);
      }
      engine.gate().pass(engine, deadlineNanos);
    }

    @Override
    boolean isSuspended() {
      return true;
    }

    void resume() {
      resumed.countDown();
    }
  }

  /** Every borrow fails: the pool is closed. */
  static final class Closed extends Gate {
    @Override
    void pass(PoolEngine engine, long deadlineNanos) throws SQLException {
      throw new SQLException("pool '" + engine.name() + "' is closed", "08003");
    }
  }
}
