package io.poolagent.pool;

import java.util.Arrays;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The pool's connections and the lock-free way to borrow them. A borrow first tries the connection
 * this thread returned last, then scans every entry for an idle one, claiming it by one CAS on its
 * state. A thread that finds none waits on a handoff queue, and a thread that returns a connection
 * while others wait offers it to them directly. Adding and removing entries (rare) copy the array
 * under a lock; borrowing and returning never lock and allocate nothing.
 */
final class ConnectionBag {
  /** The last connection a thread returned. One per thread, allocated once. */
  private static final class LastUsed {
    @Nullable PooledConnection entry;
  }

  private final Object writeLock = new Object();
  private volatile PooledConnection[] entries = new PooledConnection[0];
  private final ThreadLocal<LastUsed> lastUsed = ThreadLocal.withInitial(LastUsed::new);
  private final SynchronousQueue<PooledConnection> handoff = new SynchronousQueue<>(true);
  private final AtomicInteger waiting = new AtomicInteger();

  /** An idle connection, now IN_USE by the caller, or null when none is idle. */
  @Nullable PooledConnection takeIdle() {
    PooledConnection last = takeOwnLast();
    return last != null ? last : scan();
  }

  /**
   * The connection this thread returned last, now IN_USE by the caller, or null when it has none or
   * it is not idle. Touches nothing another thread writes to in the common case.
   */
  @Nullable PooledConnection takeOwnLast() {
    PooledConnection last = lastUsed.get().entry;
    return last != null && last.tryBorrow() ? last : null;
  }

  /** Any idle connection, now IN_USE by the caller, or null when none is idle. */
  @Nullable PooledConnection scan() {
    PooledConnection[] all = entries;
    int n = all.length;
    // Start at a thread-dependent offset so borrowers do not all fight over entry 0.
    int start = n == 0 ? 0 : (int) (Thread.currentThread().getId() % n);
    for (int i = 0; i < n; i++) {
      PooledConnection e = all[(start + i) % n];
      if (e.tryBorrow()) {
        return e;
      }
    }
    return null;
  }

  /**
   * Waits up to {@code nanos} for a connection to become idle; null on timeout. The caller counts as
   * waiting for the whole call.
   */
  @Nullable PooledConnection awaitIdle(long nanos) throws InterruptedException {
    waiting.incrementAndGet();
    try {
      PooledConnection e = scan();
      if (e != null) {
        return e;
      }
      long deadline = System.nanoTime() + nanos;
      for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
        e = handoff.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) {
          return null;
        }
        if (e.tryBorrow()) {
          return e;
        }
      }
      return null;
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Makes a connection the caller holds idle again and hands it to a waiter if there is one. */
  void giveBack(PooledConnection e) {
    e.makeIdle();
    offer(e);
    lastUsed.get().entry = e;
  }

  /** Adds a new connection; IDLE ones are offered to waiters. */
  void add(PooledConnection e) {
    synchronized (writeLock) {
      PooledConnection[] now = entries;
      PooledConnection[] next = Arrays.copyOf(now, now.length + 1);
      next[now.length] = e;
      entries = next;
    }
    if (e.state() == PooledConnection.IDLE) {
      offer(e);
    }
  }

  @SuppressWarnings("ThreadPriorityCheck") // a brief yield while handing a connection to a waiter, as lock-free pools do
  void offer(PooledConnection e) {
    for (int i = 1; waiting.get() > 0; i++) {
      if (e.state() != PooledConnection.IDLE || handoff.offer(e)) {
        return;
      }
      if ((i & 0xff) == 0) {
        LockSupport.parkNanos(10_000);
      } else {
        Thread.yield();
      }
    }
  }

  /** Drops a REMOVED connection from the array; false when it was not in it. */
  boolean drop(PooledConnection e) {
    synchronized (writeLock) {
      PooledConnection[] now = entries;
      int at = -1;
      for (int i = 0; i < now.length; i++) {
        if (now[i] == e) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        return false;
      }
      PooledConnection[] next = new PooledConnection[now.length - 1];
      System.arraycopy(now, 0, next, 0, at);
      System.arraycopy(now, at + 1, next, at, now.length - at - 1);
      entries = next;
    }
    LastUsed mine = lastUsed.get();
    if (mine.entry == e) {
      mine.entry = null;
    }
    return true;
  }

  /** A snapshot of every entry, for maintenance and statistics. */
  PooledConnection[] snapshot() {
    return entries;
  }

  /** How many entries are IN_USE now. */
  int inUse() {
    int n = 0;
    for (PooledConnection e : entries) {
      if (e.state() == PooledConnection.IN_USE) {
        n++;
      }
    }
    return n;
  }

  int size() {
    return entries.length;
  }

  int waiting() {
    return waiting.get();
  }
}
