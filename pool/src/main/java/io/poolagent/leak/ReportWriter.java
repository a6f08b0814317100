package io.poolagent.leak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Writes the reports of a slow listener (a log, a file) on a thread of its own, so that the sweep that
 * found a leak goes straight on to the next borrows and the next sweep starts on time: the first
 * report of a JVM alone (logging set-up, formatting a stack) can take longer than a scan interval.
 * The thread starts with the first report, so a JVM without leaks never has it. Open-at-exit reports
 * are written by the calling thread once everything queued before them is written, in order. When the
 * queue is full (a flood of leaks), a report is written by the calling thread rather than lost.
 */
public final class ReportWriter implements LeakListener, Executor {
  private static final int CAPACITY = 10_000;
  /** How long {@link #drain} waits at most for a report the writer thread has taken. */
  private static final long DRAIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final LeakListener target;
  private final String threadName;
  private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final LongAdder failures = new LongAdder();
  /** Reports offered to the queue and not yet written (queued, or taken by the writer thread). */
  private final AtomicInteger unwritten = new AtomicInteger();
  private final Object startLock = new Object();
  /** Held while a report is written: reports never interleave, and exit waits for the one in hand. */
  private final Object writeLock = new Object();
  private @Nullable Thread thread;

  /** Writes {@code target}'s reports on a daemon thread named {@code threadName}. */
  public ReportWriter(LeakListener target, String threadName) {
    this.target = target;
    this.threadName = threadName;
  }

  @Override
  public void onLeak(LeakEvent event) {
    submit(() -> target.onLeak(event));
  }

  @Override
  public void onReturned(LeakEvent event) {
    submit(() -> target.onReturned(event));
  }

  @Override
  public void onGcUnclosed(LeakEvent event) {
    submit(() -> target.onGcUnclosed(event));
  }

  @Override
  public void onOpenAtExit(List<LeakEvent> open) {
    drain();
    synchronized (writeLock) {
      target.onOpenAtExit(open);
    }
  }

  /** Reports whose listener threw. */
  public long failures() {
    return failures.sum();
  }

  /**
   * Runs {@code task} on the writer thread, after everything queued before it; a task that reports
   * through this writer writes at once, so its reports keep their place.
   */
  @Override
  public void execute(Runnable task) {
    submit(task);
  }

  /**
   * Writes everything queued so far on the calling thread, including what that queues in turn, and
   * waits (up to two seconds) for a report the writer thread has already taken.
   */
  public void drain() {
    long deadline = System.nanoTime() + DRAIN_WAIT_NANOS;
    synchronized (writeLock) {
      List<Runnable> pending = new ArrayList<>();
      while (true) {
        if (queue.drainTo(pending) > 0) {
          for (Runnable report : pending) {
            runQueued(report);
          }
          pending.clear();
          continue;
        }
        long left = deadline - System.nanoTime();
        if (unwritten.get() == 0 || left <= 0) {
          return;
        }
        try {
          // releases the lock, so the writer thread can finish the report it took
          writeLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void submit(Runnable report) {
    if (Thread.currentThread() == writerThread()) {
      runCounted(report);
      return;
    }
    startOnce();
    unwritten.incrementAndGet();
    if (!queue.offer(report)) {
      unwritten.decrementAndGet();
      runCounted(report);
    }
  }

  private @Nullable Thread writerThread() {
    synchronized (startLock) {
      return thread;
    }
  }

  private void startOnce() {
    synchronized (startLock) {
      if (thread != null) {
        return;
      }
      Thread writer = new Thread(this::writeForever, threadName);
      writer.setDaemon(true);
      thread = writer;
      writer.start();
    }
  }

  private void writeForever() {
    while (true) {
      try {
        Runnable report = queue.poll(1, TimeUnit.DAYS);
        if (report != null) {
          runQueued(report);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Writes a report taken from the queue, and tells a waiting {@link #drain} when it is done. */
  private void runQueued(Runnable report) {
    synchronized (writeLock) {
      try {
        runCounted(report);
      } finally {
        unwritten.decrementAndGet();
        writeLock.notifyAll();
      }
    }
  }

  private void runCounted(Runnable report) {
    synchronized (writeLock) {
      try {
        report.run();
      } catch (RuntimeException | LinkageError e) {
        failures.increment();
      }
    }
  }
}
