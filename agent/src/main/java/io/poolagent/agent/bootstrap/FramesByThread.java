package io.poolagent.agent.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * Each thread's {@link AcquireFrames}, found by the thread's id in a fixed table of cells. Every
 * borrow and every close asks for them, and a {@code ThreadLocal} lookup (the thread's map, a hash
 * probe that may collide with the application's own thread-locals, a weak key) was about a quarter
 * of the agent's CPU time per cycle. A cell is two reads: the table at {@code id mod size}, and the
 * owner id of what it holds. A thread id is never reused in a JVM, so a cell whose owner id matches
 * is this thread's.
 *
 * <p>A thread whose cell holds a live thread's frames (two live threads whose ids differ by a
 * multiple of the table size) keeps its frames in a {@code ThreadLocal}, as before the table, and
 * looks again whether the other thread has ended every so many calls (see
 * {@link AcquireFrames#shouldTryCell}); a cell whose owner has ended is taken over by the next thread
 * that maps to it. Each thread's frames are created once (in the thread-local) and the cell only
 * caches them, so a thread always gets the same frames whichever way it finds them.
 */
final class FramesByThread {
  /** Cells in the table: a power of two. 4 KiB of references, allocated once. */
  private static final int SIZE = 1024;
  private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(AcquireFrames[].class);

  private final @Nullable AcquireFrames[] cells = new AcquireFrames[SIZE];
  @SuppressWarnings("ThreadLocalUsage") // one per table, and the table is a static of the bridge
  private final ThreadLocal<AcquireFrames> created = new ThreadLocal<>() { // no lambda: premain
    @Override
    protected AcquireFrames initialValue() {
      return new AcquireFrames.Padded(Thread.currentThread());
    }
  };

  /** The calling thread's frames. */
  AcquireFrames get() {
    Thread thread = Thread.currentThread();
    long id = thread.getId();
    // A plain read: a cell is published by a CAS and its owner id is final, so a thread that sees
    // the frames sees their owner; seeing a stale cell only sends this thread the slow way.
    AcquireFrames cell = cells[cellIndex(id)];
    if (cell != null && cell.ownerId() == id) {
      return cell;
    }
    return slowGet(id);
  }

  private AcquireFrames slowGet(long id) {
    AcquireFrames mine = created.get();
    if (mine.shouldTryCell()) {
      int index = cellIndex(id);
      AcquireFrames cell = (AcquireFrames) CELLS.getVolatile(cells, index);
      if (cell == null || !cell.ownerAlive()) {
        CELLS.compareAndSet(cells, index, cell, mine); // lost to another thread: that one is live
      }
    }
    return mine;
  }

  static int cellIndex(long threadId) {
    return (int) threadId & (SIZE - 1);
  }

  /** What the cell of {@code threadId} holds now (for tests). */
  @Nullable AcquireFrames cellOf(long threadId) {
    return (AcquireFrames) CELLS.getVolatile(cells, cellIndex(threadId));
  }
}
