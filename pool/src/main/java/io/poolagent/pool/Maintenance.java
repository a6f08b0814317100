package io.poolagent.pool;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pool's one background thread, {@code poolagent-<pool>-maintenance} (joined by short-lived
 * {@code poolagent-<pool>-opener} threads while it opens several connections). Each tick recycles
 * idle connections that are too old, too used, idle too long (above min) or beyond a lowered max;
 * validates idle connections nobody used or validated for 30 s (keepalive, so an idle pool notices
 * an outage); tops idle connections up to min, several at once; and, while the database is
 * unreachable, keeps trying to reconnect with backoff so the pool recovers on its own.
 */
final class Maintenance implements AutoCloseable {
  /** Connections a fill opens at once, at most. */
  static final int PARALLEL_OPENS = 4;

  private final PoolEngine engine;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final long periodNanos;
  private final long maxIdleNanos;
  private final int minSize;
  private final String openerName;
  /** Idle connections neither used nor validated for this long are validated by maintenance. */
  private volatile long keepaliveNanos = TimeUnit.SECONDS.toNanos(30);
  private boolean keepaliveFailed;
  private int failures;
  private long nextAttemptNanos;
  private boolean reportedUnreachable;

  Maintenance(PoolEngine engine) {
    this.engine = engine;
    PoolConfig config = engine.config;
    this.minSize = config.minSize();
    this.maxIdleNanos = config.maxIdleTime().isZero() ? Long.MAX_VALUE : config.maxIdleTime().toNanos();
    Duration period = Duration.ofMillis(500);
    if (!config.maxIdleTime().isZero() && config.maxIdleTime().dividedBy(2).compareTo(period) < 0) {
      period = config.maxIdleTime().dividedBy(2);
    }
    this.periodNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), period.toNanos());
    String threadName = "poolagent-" + engine.name() + "-maintenance";
    this.openerName = "poolagent-" + engine.name() + "-opener";
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  void start() {
    // The task catches its own failures (see tick); the Future is only needed to cancel, which
    // closing the executor does.
    var unused = executor.scheduleWithFixedDelay(this::tick, 0, periodNanos, TimeUnit.NANOSECONDS);
  }

  /** Runs a tick soon, for example when a waiter may need a new connection. */
  void wake() {
    if (wakePending.compareAndSet(false, true)) {
      try {
        executor.execute(this::tick);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        wakePending.set(false);
      }
    }
  }

  private void tick() {
    wakePending.set(false);
    if (engine.isClosed()) {
      return;
    }
    try {
      int idle = recycle(System.nanoTime());
      engine.health.leaksFlagged(engine.leaks.leakedNow());
      fill(idle);
    } catch (RuntimeException | Error e) {
      engine.log(Level.ERROR, "maintenance failed: " + e);
    }
  }

  /** Recycles idle connections that are due; returns how many idle remain. */
  private int recycle(long now) {
    PooledConnection[] all = engine.bag.snapshot();
    int idle = 0;
    int active = 0;
    for (PooledConnection e : all) {
      int state = e.state();
      if (state == PooledConnection.IDLE) {
        idle++;
      } else if (state == PooledConnection.IN_USE) {
        active++;
      }
    }
    engine.counters.observeActive(active);
    for (PooledConnection e : all) {
      if (!e.tryReserve()) {
        continue;
      }
      boolean due = e.evict || e.isExpired(now) || e.queries >= engine.maxQueries()
          || engine.slotsInUse() > engine.maxSize()
          || (idle > minSize && now - e.lastReturnedNanos >= maxIdleNanos);
      if (due) {
        engine.discard(e);
        idle--;
      } else if (now - Math.max(e.lastReturnedNanos, e.lastValidatedNanos) >= keepaliveNanos
          && !engine.alive(e, "keepalive validation")) {
        idle--; // discarded: the database may be gone, so fill() tries to open one
        keepaliveFailed = true;
      } else {
        engine.keep(e);
      }
    }
    return idle;
  }

  /**
   * Opens connections up to min idle, or one when waiters or an outage need it; backs off on failure.
   * Up to {@link #PARALLEL_OPENS} open at once (this thread and short-lived helpers), so a pool that
   * starts, or refills after an outage, does not wait for the sum of its opens where the database
   * can start several sessions at once.
   */
  private void fill(int idle) {
    if (System.nanoTime() - nextAttemptNanos < 0) {
      return;
    }
    int need = minSize - idle;
    if (need <= 0 && (keepaliveFailed || engine.health.isUnreachable() || engine.bag.waiting() > 0)) {
      need = 1;
    }
    keepaliveFailed = false;
    if (need <= 0) {
      return;
    }
    Opening opening = new Opening(need);
    Thread[] helpers = new Thread[Math.min(need, PARALLEL_OPENS) - 1];
    for (int i = 0; i < helpers.length; i++) {
      helpers[i] = new Thread(opening, openerName);
      helpers[i].setDaemon(true);
      helpers[i].start();
    }
    opening.run();
    joinUninterruptibly(helpers); // shutdown waits for the maintenance thread, and so for them
    if (opening.opened.get() > 0) {
      if (reportedUnreachable) {
        reportedUnreachable = false;
        engine.log(Level.INFO, "database reachable again after " + failures + " failed attempts");
      }
      failures = 0;
    }
    SQLException failed = opening.failure.get();
    if (failed != null) {
      failures++;
      long delay = engine.opener.backoff().delayNanos(failures);
      nextAttemptNanos = System.nanoTime() + delay;
      if (!reportedUnreachable) {
        reportedUnreachable = true;
        engine.log(Level.WARNING, "cannot reach the database (" + failed.getMessage()
            + "); reconnecting in the background with backoff");
      }
    }
    Throwable crashed = opening.crash.get();
    if (crashed instanceof RuntimeException e) {
      throw e;
    }
    if (crashed instanceof Error e) {
      throw e;
    }
  }

  private static void joinUninterruptibly(Thread[] threads) {
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** One fill's opens, shared by the threads that make them; stops at the first failure. */
  private final class Opening implements Runnable {
    private final AtomicInteger remaining;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicReference<SQLException> failure = new AtomicReference<>();
    /** A driver's RuntimeException or Error, rethrown on the maintenance thread. */
    final AtomicReference<Throwable> crash = new AtomicReference<>();

    Opening(int need) {
      this.remaining = new AtomicInteger(need);
    }

    @Override
    public void run() {
      while (failure.get() == null && crash.get() == null && !engine.isClosed()
          && remaining.getAndDecrement() > 0 && engine.reserveSlot()) {
        PooledConnection e = null;
        try {
          long deadline = System.nanoTime() + engine.config.connectTimeout().toNanos() * 2;
          e = engine.opener.open(1, deadline, PooledConnection.IDLE);
        } catch (SQLException ex) {
          failure.compareAndSet(null, ex);
          return;
        } catch (RuntimeException | Error ex) {
          crash.compareAndSet(null, ex);
          return;
        } finally {
          if (e == null) {
            engine.releaseSlot(); // also when the driver throws an Error
          }
        }
        opened.incrementAndGet();
        engine.bag.add(e);
        if (engine.isClosed()) {
          if (e.tryReserve()) {
            engine.discard(e);
          }
          return;
        }
      }
    }
  }

  /** Marks every connection for eviction: idle ones close now, borrowed ones when returned. */
  void softEvict() {
    for (PooledConnection e : engine.bag.snapshot()) {
      e.evict = true;
      if (e.tryReserve()) {
        engine.discard(e);
      }
    }
    wake();
  }

  /** For tests: how long an idle connection may go without validation. */
  void keepalive(Duration interval) {
    keepaliveNanos = interval.toNanos();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
