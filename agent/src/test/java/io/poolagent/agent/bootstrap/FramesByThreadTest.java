package io.poolagent.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.StackCapture;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FramesByThreadTest {
  private final FramesByThread table = new FramesByThread();

  @Test
  void aThreadGetsTheSameFramesEveryTimeAndOwnsThem() {
    AcquireFrames first = table.get();
    assertSame(first, table.get());
    assertEquals(Thread.currentThread().getId(), first.ownerId());
    assertTrue(first.ownerAlive());
  }

  @Test
  void threadsGetFramesOfTheirOwn() throws Exception {
    AcquireFrames mine = table.get();
    AcquireFrames[] theirs = new AcquireFrames[2];
    Thread other = new Thread(() -> {
      theirs[0] = table.get();
      theirs[1] = table.get();
    });
    other.start();
    other.join();
    assertNotSame(mine, theirs[0]);
    assertSame(theirs[0], theirs[1]);
    assertEquals(other.getId(), theirs[0].ownerId());
    assertFalse(theirs[0].ownerAlive(), "its thread has ended");
  }

  @Test
  void aThreadWhoseCellALiveThreadHoldsKeepsItsOwnFrames() throws Exception {
    AcquireFrames mine = table.get(); // this thread, alive throughout, holds the cell
    AtomicReference<AcquireFrames> first = new AtomicReference<>();
    AtomicReference<AcquireFrames> second = new AtomicReference<>();
    Thread colliding = sameCellAs(Thread.currentThread(), () -> {
      first.set(table.get());
      second.set(table.get());
    });
    colliding.start();
    colliding.join();
    assertNotSame(mine, first.get());
    assertSame(first.get(), second.get(), "found the same way each time: in its thread-local");
    assertEquals(colliding.getId(), first.get().ownerId());
    assertSame(mine, table.get(), "the cell is still this thread's");
  }

  @Test
  void aCellWhoseOwnerEndedIsTakenOver() throws Exception {
    AtomicReference<AcquireFrames> ended = new AtomicReference<>();
    Thread first = new Thread(() -> ended.set(table.get()));
    first.start();
    first.join();
    AtomicReference<AcquireFrames> taker = new AtomicReference<>();
    AtomicReference<AcquireFrames> again = new AtomicReference<>();
    Thread next = sameCellAs(first, () -> {
      taker.set(table.get());
      again.set(table.get());
    });
    next.start();
    next.join();
    assertNotSame(ended.get(), taker.get());
    assertSame(taker.get(), again.get());
    assertSame(taker.get(), table.cellOf(next.getId()), "the ended thread's cell was taken over");
  }

  @Test
  void framesLeftInTheTableKeepNoEndedThreadReachable() throws Exception {
    LeakTracker tracker =
        new LeakTracker(Duration.ZERO, StackCapture.OFF, LeakListeners.none(), String::valueOf);
    WeakReference<Thread> ended = runOnNewThread(() -> table.get().trackerState(tracker));
    for (int i = 0; i < 100 && ended.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertNull(ended.get(), "the cell, its frames and their tracker slot hold the thread weakly:"
        + " an ended thread still refers to its context class loader");
  }

  /** Runs {@code task} on a new thread and waits for it to end; no strong reference stays here. */
  private static WeakReference<Thread> runOnNewThread(Runnable task) throws InterruptedException {
    Thread thread = new Thread(task);
    thread.start();
    thread.join();
    return new WeakReference<>(thread);
  }

  /** An unstarted thread whose id maps to the same table cell as {@code thread}'s. */
  private static Thread sameCellAs(Thread thread, Runnable task) {
    int cell = FramesByThread.cellIndex(thread.getId());
    while (true) {
      Thread candidate = new Thread(task); // ids are handed out as threads are created
      if (FramesByThread.cellIndex(candidate.getId()) == cell) {
        return candidate;
      }
    }
  }
}
