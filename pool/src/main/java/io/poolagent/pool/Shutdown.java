package io.poolagent.pool;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a pool that has stopped lending: closes idle connections, waits up to the shutdown timeout
 * for borrowed ones to come back (each is closed as it returns), then aborts the rest with a warning
 * naming their holders.
 */
final class Shutdown implements Runnable {
  private final PoolEngine engine;
  private final long timeoutNanos;

  Shutdown(PoolEngine engine, Duration timeout) {
    this.engine = engine;
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void run() {
    long deadline = System.nanoTime() + timeoutNanos;
    int borrowed = closeIdle();
    while (borrowed > 0 && deadline - System.nanoTime() > 0) {
      try {
        TimeUnit.MILLISECONDS.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      borrowed = closeIdle();
    }
    if (borrowed > 0) {
      engine.log(Level.WARNING, "closed with " + borrowed + " connection"
          + (borrowed == 1 ? "" : "s") + " still borrowed after "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; aborting them"
          + engine.leaks.holdersText());
      abortBorrowed();
    }
    closeIdle();
  }

  /** Closes every idle connection; returns how many are still borrowed. */
  private int closeIdle() {
    int borrowed = 0;
    for (PooledConnection e : engine.bag.snapshot()) {
      if (e.tryReserve()) {
        engine.discard(e);
      } else if (e.state() == PooledConnection.IN_USE) {
        borrowed++;
      }
    }
    return borrowed;
  }

  private void abortBorrowed() {
    for (PooledConnection e : engine.bag.snapshot()) {
      if (e.markRemovedIf(PooledConnection.IN_USE)) {
        engine.counters.retire(e);
        engine.releaseSlot();
        try {
          e.physical.abort(Runnable::run);
        } catch (SQLException | RuntimeException ex) {
          ConnectionFactory.closeQuietly(e.physical);
        }
        engine.counters.closed();
      }
    }
  }
}
