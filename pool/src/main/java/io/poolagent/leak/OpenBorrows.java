package io.poolagent.leak;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The open borrows of one {@link LeakTracker}, found by the connection's reference. Most code takes a
 * connection and closes it on the same thread before taking the next, so each thread has one slot
 * for its latest borrow: recording and releasing it is a field write and one uncontended CAS, with
 * no shared map and no identity hash. A thread's further borrows, held at the same time, go to a
 * shared identity map; a close on another thread than the borrow's finds the borrow by scanning
 * the slots (one field read per thread that ever borrowed).
 *
 * <p>The slot also counts its thread's borrows and closes: only the owner writes those counters, so
 * counting is a plain store where a shared counter would need an atomic add. The totals are summed
 * when asked for; the counts of an ended thread move to {@link #retiredAcquired} and
 * {@link #retiredReleased} when its slot is forgotten.
 */
final class OpenBorrows {
  /**
   * One thread's slot: its latest borrow, or null. Only the owner fills it; anyone may empty it.
   * Only the owner writes the counters (opaque stores, so a reader never sees a torn value). Padded
   * on both sides ({@link CacheLinePadding} before these fields, {@link Slot} after them): threads'
   * slots, written on every borrow, may end up next to each other or to objects that every thread
   * reads after a garbage collection.
   */
  abstract static class SlotFields extends CacheLinePadding {
    /** The owning thread; a slot may outlive it in caches of the tracker's callers. */
    final WeakThread owner;
    volatile @Nullable Borrow borrow;
    /** Borrows recorded by this thread. */
    long acquired;
    /** Borrows released by this thread (whoever borrowed them). */
    long released;
    /** This thread's borrows until the next one whose hold is timed; only the owner uses it. */
    int untilTimed;

    SlotFields(Thread owner) {
      this.owner = new WeakThread(owner);
    }
  }

  /** A slot: its fields, then the trailing padding (see {@link CacheLinePadding}). */
  @SuppressWarnings("unused") // never read: the fields only take space
  static final class Slot extends SlotFields {
    private long t0;
    private long t1;
    private long t2;
    private long t3;
    private long t4;
    private long t5;
    private long t6;
    private long t7;

    Slot(Thread owner) {
      super(owner);
    }
  }

  private static final VarHandle BORROW;
  private static final VarHandle ACQUIRED;
  private static final VarHandle RELEASED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      BORROW = lookup.findVarHandle(SlotFields.class, "borrow", Borrow.class);
      ACQUIRED = lookup.findVarHandle(SlotFields.class, "acquired", long.class);
      RELEASED = lookup.findVarHandle(SlotFields.class, "released", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentHashMap<Object, Borrow> overflow = new ConcurrentHashMap<>();
  private final Set<Slot> slots = ConcurrentHashMap.newKeySet();
  @SuppressWarnings("ThreadLocalUsage") // one per tracker, as before; a subclass, not withInitial's
  // lambda, because the agent creates it in premain, where a lambda costs start-up time
  private final ThreadLocal<Slot> mine = new ThreadLocal<>() {
    @Override
    protected Slot initialValue() {
      return register();
    }
  };
  /** Guards {@link #retiredAcquired}/{@link #retiredReleased} and the forgetting of slots. */
  private final Object counts = new Object();
  private long retiredAcquired;
  private long retiredReleased;

  private Slot register() {
    Slot slot = new Slot(Thread.currentThread());
    slots.add(slot);
    return slot;
  }

  /** This thread's slot, for a caller that records several borrows of this thread. */
  Slot slotOfThisThread() {
    return mine.get();
  }

  /**
   * Records {@code borrow}, made on the thread that owns {@code slot}. A record of the same
   * connection in this thread's slot or in the map (a source that handed the object out again
   * without a close) is replaced and returned.
   */
  @Nullable Borrow add(Borrow borrow, Object connection, Slot slot) {
    ACQUIRED.setOpaque(slot, slot.acquired + 1);
    Borrow current = slot.borrow;
    if (current != null && current.get() == connection) {
      if (BORROW.compareAndSet(slot, current, borrow)) {
        return current;
      }
      current = slot.borrow;
    }
    @Nullable Borrow replaced = overflow.isEmpty() ? null : overflow.remove(new IdentityProbe(connection));
    if (current == null) {
      BORROW.setRelease(slot, borrow);
    } else {
      overflow.put(borrow, borrow);
    }
    return replaced;
  }

  /**
   * The {@link Borrow#holdWeight()} of the next borrow made on {@code slot}'s thread, when one borrow
   * in about {@code oneIn} is timed: 0 for an untimed one. A thread's first borrow is timed; after a
   * timed borrow the gap to the next is drawn at random between 1 and {@code 2 * oneIn - 1} (so
   * {@code oneIn} on average, with no fixed period a workload could fall into step with), and that
   * gap is the timed borrow's weight.
   */
  static int nextHoldWeight(Slot slot, int oneIn) {
    if (oneIn <= 1) {
      return 1;
    }
    int left = slot.untilTimed - 1;
    if (left > 0) {
      slot.untilTimed = left;
      return 0;
    }
    int gap = 1 + ThreadLocalRandom.current().nextInt(2 * oneIn - 1);
    slot.untilTimed = gap;
    return gap;
  }

  /**
   * Removes and returns the record of {@code connection}, or null when it is not open; a removal
   * counts as released, on the thread that owns {@code slot} (the calling thread).
   */
  @Nullable Borrow remove(Object connection, Slot slot) {
    @Nullable Borrow borrow = find(slot, connection);
    if (borrow != null) {
      RELEASED.setOpaque(slot, slot.released + 1);
    }
    return borrow;
  }

  private @Nullable Borrow find(Slot slot, Object connection) {
    Borrow current = slot.borrow;
    if (current != null && current.get() == connection && BORROW.compareAndSet(slot, current, null)) {
      return current;
    }
    @Nullable Borrow borrow = overflow.isEmpty() ? null : overflow.remove(new IdentityProbe(connection));
    if (borrow != null) {
      return borrow;
    }
    for (Slot other : slots) {
      Borrow b = other.borrow;
      if (b != null && b.get() == connection && BORROW.compareAndSet(other, b, null)) {
        return b;
      }
    }
    return null;
  }

  /** Borrows recorded so far, by every thread. */
  long acquired() {
    synchronized (counts) {
      long n = retiredAcquired;
      for (Slot slot : slots) {
        n += (long) ACQUIRED.getOpaque(slot);
      }
      return n;
    }
  }

  /** Borrows released so far, by every thread. */
  long released() {
    synchronized (counts) {
      long n = retiredReleased;
      for (Slot slot : slots) {
        n += (long) RELEASED.getOpaque(slot);
      }
      return n;
    }
  }

  /**
   * Forgets the slot of an ended thread, keeping its counts. The thread has ended, so its counters
   * are final (and visible here: the end of a thread happens-before isAlive() returns false).
   */
  private void retire(Slot slot) {
    synchronized (counts) {
      if (slots.remove(slot)) {
        retiredAcquired += slot.acquired;
        retiredReleased += slot.released;
      }
    }
  }

  /** Removes this very record (its connection was collected); true if it was open. */
  @SuppressWarnings("ReferenceEquality") // this record, by reference: a cleared Borrow equals only itself
  boolean removeRecord(Borrow borrow) {
    if (overflow.remove(borrow, borrow)) {
      return true;
    }
    for (Slot slot : slots) {
      if (slot.borrow == borrow && BORROW.compareAndSet(slot, borrow, null)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this very record is still open (by reference: a record equals only its connection's). */
  @SuppressWarnings("ReferenceEquality")
  boolean containsRecord(Borrow borrow) {
    if (!overflow.isEmpty() && overflow.get(borrow) == borrow) {
      return true;
    }
    for (Slot slot : slots) {
      if (slot.borrow == borrow) {
        return true;
      }
    }
    return false;
  }

  boolean contains(Object connection) {
    if (!overflow.isEmpty() && overflow.containsKey(new IdentityProbe(connection))) {
      return true;
    }
    for (Slot slot : slots) {
      Borrow b = slot.borrow;
      if (b != null && b.get() == connection) {
        return true;
      }
    }
    return false;
  }

  /** Every open record, in no particular order; also forgets the empty slots of ended threads. */
  List<Borrow> all() {
    List<Borrow> out = new ArrayList<>(overflow.values());
    for (Slot slot : slots) {
      Borrow b = slot.borrow;
      if (b != null) {
        out.add(b);
      } else if (!slot.owner.isAlive()) {
        retire(slot); // an ended thread never fills its slot again
      }
    }
    return out;
  }

  int size() {
    int n = overflow.size();
    for (Slot slot : slots) {
      if (slot.borrow != null) {
        n++;
      }
    }
    return n;
  }
}
