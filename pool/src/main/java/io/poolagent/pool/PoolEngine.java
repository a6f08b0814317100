package io.poolagent.pool;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pool itself, behind {@link RetryingDataSource}: borrow, return, discard, statistics and
 * shutdown. Borrowing an idle connection takes no lock (see {@link ConnectionBag}); opening a new
 * one first reserves one of the max-size slots by CAS, so the pool never exceeds max.
 */
final class PoolEngine {
  static final Logger LOG = System.getLogger("poolagent.pool");
  /** A connection returned within this window is handed out again without isValid. */
  static final long VALIDATION_BYPASS_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  /** Waiters wake at least this often to re-check capacity, suspension and shutdown. */
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  final PoolConfig config;
  final ConnectionBag bag = new ConnectionBag();
  final PoolCounters counters = new PoolCounters(bag);
  final HealthState health = new HealthState();
  final ConnectionFactory factory;
  final ConnectionOpener opener;
  final PoolLeaks leaks;
  final Secrets secrets;
  private final String name;
  private final AtomicInteger slots = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final long acquireTimeoutNanos;
  private final long maxQueries;
  private final int perStatementTimeoutSeconds;
  private volatile int maxSize;
  private volatile boolean closed;
  private volatile Gate gate = Gate.OPEN;
  private volatile PoolMetrics metrics = PoolMetrics.NONE;
  final Maintenance maintenance;

  PoolEngine(PoolConfig config) {
    this.config = config;
    this.name = config.poolName();
    this.secrets = new Secrets(config.password(), config.jdbcUrl());
    this.factory = new ConnectionFactory(config);
    this.opener = new ConnectionOpener(factory,
        new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff()), counters, health,
        secrets, name);
    this.leaks = new PoolLeaks(name, config.leakDetectionTimeout(), health);
    this.acquireTimeoutNanos = config.acquireTimeout().toNanos();
    this.maxQueries = config.maxQueries() == 0 ? Long.MAX_VALUE : config.maxQueries();
    this.perStatementTimeoutSeconds = factory.setsStatementTimeoutInSession()
        || config.statementTimeout().isZero() ? 0 : ConnectionFactory.seconds(config.statementTimeout());
    this.maxSize = config.maxSize();
    this.maintenance = new Maintenance(this);
  }

  void start() {
    metrics = PoolMetrics.create(this, config.meterRegistry());
    opener.metrics(metrics);
    maintenance.start();
  }

  String name() {
    return name;
  }

  Gate gate() {
    return gate;
  }

  int perStatementTimeoutSeconds() {
    return perStatementTimeoutSeconds;
  }

  int maxSize() {
    return maxSize;
  }

  long maxQueries() {
    return maxQueries;
  }

  boolean isClosed() {
    return closed;
  }

  /** A connection for the caller: idle if one is, else a new one, else one that is returned. */
  ConnectionHandle borrow() throws SQLException {
    long start = System.nanoTime();
    gate.pass(this, start + acquireTimeoutNanos);
    PooledConnection e = bag.takeOwnLast();
    boolean searched = e == null;
    if (searched) {
      e = bag.scan();
    }
    // A connection taken at once without validation has not waited: it counts as a wait of 0 and
    // needs no second clock read (System.nanoTime() is about a quarter of a borrow/return cycle).
    long now = start;
    if (e == null || !usable(e, start)) {
      try {
        e = borrowSlowly(start + acquireTimeoutNanos);
      } finally {
        // The pool had no idle connection: this is when active can reach a new peak.
        counters.observeActive(bag.inUse());
      }
      now = System.nanoTime();
    } else if (e.lastValidatedNanos - start > 0) {
      now = e.lastValidatedNanos; // validated on the way (it had been idle): that time was a wait
    }
    if (searched && counters.peakActive() < bag.size()) {
      // Counting in-use connections reads every connection's state, which other threads keep
      // writing: a thread that takes back its own last connection skips it, so borrowers on
      // different cores share no cache line. Snapshots (stats(), JMX) count again.
      counters.observeActive(bag.inUse());
    }
    e.countBorrow(now - start);
    metrics.acquired(now - start);
    return new ConnectionHandle(e, this, now);
  }

  private PooledConnection borrowSlowly(long deadline) throws SQLException {
    for (;;) {
      PooledConnection e = bag.takeIdle();
      if (e != null) {
        if (usable(e, System.nanoTime())) {
          return e;
        }
        continue;
      }
      if (reserveSlot()) {
        return openForBorrower(deadline);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw timeout(deadline, "");
      }
      gate.pass(this, deadline);
      try {
        e = bag.awaitIdle(Math.min(left, WAIT_SLICE_NANOS));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a connection from pool '" + name
            + "'", "08001", ie);
      }
      if (e != null && usable(e, System.nanoTime())) {
        return e;
      }
    }
  }

  private PooledConnection openForBorrower(long deadline) throws SQLException {
    PooledConnection e = null;
    try {
      e = opener.open(config.retryAttempts(), deadline, PooledConnection.IN_USE);
    } catch (SQLException ex) {
      throw new SQLTransientConnectionException(ex.getMessage() + " (" + stats().stateText() + ")",
          ex.getSQLState(), ex.getCause());
    } finally {
      if (e == null) {
        slots.decrementAndGet(); // also when the driver throws an Error
      }
    }
    bag.add(e);
    if (closed) {
      // Shutdown started while this connection was opening: it may already have counted the
      // borrowed connections without this one, so the borrower must not get it.
      discard(e);
      throw new SQLException("pool '" + name + "' is closed", "08003");
    }
    return e;
  }

  /** Checks an idle connection just claimed; discards it (and returns false) when unfit. */
  private boolean usable(PooledConnection e, long now) {
    if (e.evict || e.isExpired(now) || e.queries >= maxQueries) {
      discard(e);
      return false;
    }
    if (now - e.lastReturnedNanos > VALIDATION_BYPASS_NANOS) {
      return alive(e, "validation on borrow");
    }
    return true;
  }

  /** Validates a connection the caller holds; discards it and returns false when it fails. */
  boolean alive(PooledConnection e, String what) {
    try {
      factory.validate(e.physical);
      e.lastValidatedNanos = System.nanoTime();
      return true;
    } catch (SQLException | RuntimeException ex) {
      counters.error(what + " failed: " + secrets.redact(ex.getMessage()));
      discard(e);
      return false;
    }
  }

  /** Takes one of the max-size slots for a new connection; false when the pool is full. */
  boolean reserveSlot() {
    for (;;) {
      int n = slots.get();
      if (n >= maxSize || closed) {
        return false;
      }
      if (slots.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void releaseSlot() {
    slots.decrementAndGet();
  }

  int slotsInUse() {
    return slots.get();
  }

  /** The return path of {@link ConnectionHandle#close()}. */
  void release(ConnectionHandle h) {
    if (h.leakTracker != null) {
      h.leakTracker.release(h);
    }
    PooledConnection e = h.entry;
    long now = System.nanoTime();
    metrics.released(now - h.borrowedNanos);
    boolean statementsClosed = h.closeStatements();
    if (e.state() != PooledConnection.IN_USE) {
      counters.returnedAfterRemoval(); // aborted by shutdown
      return;
    }
    e.countReturn();
    boolean keep = statementsClosed && !e.evict && e.queries < maxQueries && !e.isExpired(now)
        && !closed;
    if (keep) {
      try {
        if (h.dirty != 0 || !h.autoCommit) {
          e.defaults.restore(e.physical, h.dirty, h.autoCommit);
        }
        keep = !e.physical.isClosed();
      } catch (SQLException | RuntimeException ex) {
        keep = false;
      }
    }
    if (keep) {
      e.lastReturnedNanos = now;
      bag.giveBack(e);
    } else {
      discard(e);
    }
  }

  /** Removes a connection the caller holds (IN_USE or RESERVED) and closes it. */
  void discard(PooledConnection e) {
    if (!e.markRemoved()) {
      return;
    }
    counters.retire(e);
    slots.decrementAndGet();
    ConnectionFactory.closeQuietly(e.physical);
    counters.closed();
    if (bag.waiting() > 0 && !closed) {
      maintenance.wake();
    }
  }

  /**
   * A RESERVED connection maintenance kept: idle again, offered to waiters. Made idle first, then
   * {@code closed} is read: either shutdown's last pass over the idle connections sees it idle, or
   * this sees the pool closed and closes it (maintenance may outlive shutdown's wait for it, in a
   * slow keepalive validation).
   */
  void keep(PooledConnection e) {
    e.makeIdle();
    if (closed) {
      if (e.tryReserve()) {
        discard(e);
      }
      return;
    }
    bag.offer(e);
  }

  SQLTransientConnectionException timeout(long deadline, String why) {
    health.timedOut();
    String text = "pool '" + name + "' timed out after "
        + TimeUnit.NANOSECONDS.toMillis(acquireTimeoutNanos) + " ms waiting for a connection ("
        + stats().stateText() + ")" + why;
    counters.timedOut(text);
    return new SQLTransientConnectionException(secrets.redact(text + leaks.holdersText()), "08001");
  }

  PoolStats stats() {
    return counters.snapshot(name, bag, maxSize);
  }

  synchronized void suspend() {
    if (gate == Gate.OPEN) {
      gate = new Gate.Suspended();
    }
  }

  synchronized void resume() {
    Gate g = gate;
    if (g instanceof Gate.Suspended suspended) {
      gate = Gate.OPEN;
      suspended.resume();
    }
  }

  boolean isSuspended() {
    return gate.isSuspended();
  }

  /** Marks every connection for eviction: idle ones close now, borrowed ones when returned. */
  void softEvict() {
    maintenance.softEvict();
  }

  synchronized void setMaxSize(int max) {
    if (max < 1 || max < config.minSize()) {
      throw new IllegalArgumentException("max size must be >= 1 and >= min size "
          + config.minSize() + ", got " + max);
    }
    maxSize = max;
    maintenance.wake();
  }

  /** Graceful shutdown; see {@link RetryingDataSource#close()}. */
  void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    Gate before;
    synchronized (this) {
      before = gate;
      closed = true;
      gate = new Gate.Closed();
    }
    if (before instanceof Gate.Suspended suspended) {
      suspended.resume();
    }
    health.closed();
    maintenance.close();
    new Shutdown(this, config.shutdownTimeout()).run();
    leaks.close();
    metrics.close();
  }

  void log(Level level, String text) {
    LOG.log(level, secrets.redact("poolagent pool '" + name + "': " + text));
  }
}
