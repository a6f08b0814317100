package io.poolagent.leak;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Combines listeners, and offers the do-nothing listener used when nothing listens. */
public final class LeakListeners {
  private static final LeakListener NONE = new LeakListener() {};

  private LeakListeners() {}

  /** A listener that ignores everything. */
  public static LeakListener none() {
    return NONE;
  }

  /** One listener that forwards to each of {@code listeners} in order. */
  public static LeakListener of(List<? extends LeakListener> listeners) {
    List<LeakListener> copy = new ArrayList<>();
    for (LeakListener listener : listeners) {
      if (listener != NONE) {
        copy.add(listener);
      }
    }
    if (copy.isEmpty()) {
      return NONE;
    }
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return new Composite(copy.toArray(new LeakListener[0]));
  }

  /**
   * Forwards to every listener; one that throws does not stop the others. The first failure is
   * rethrown at the end so the tracker counts it.
   */
  private static final class Composite implements LeakListener {
    private final LeakListener[] listeners;

    Composite(LeakListener[] listeners) {
      this.listeners = listeners;
    }

    @Override
    public void onLeak(LeakEvent event) {
      @Nullable RuntimeException failure = null;
      for (LeakListener listener : listeners) {
        try {
          listener.onLeak(event);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      rethrow(failure);
    }

    @Override
    public void onReturned(LeakEvent event) {
      @Nullable RuntimeException failure = null;
      for (LeakListener listener : listeners) {
        try {
          listener.onReturned(event);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      rethrow(failure);
    }

    @Override
    public void onGcUnclosed(LeakEvent event) {
      @Nullable RuntimeException failure = null;
      for (LeakListener listener : listeners) {
        try {
          listener.onGcUnclosed(event);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      rethrow(failure);
    }

    @Override
    public void onOpenAtExit(List<LeakEvent> open) {
      @Nullable RuntimeException failure = null;
      for (LeakListener listener : listeners) {
        try {
          listener.onOpenAtExit(open);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      rethrow(failure);
    }

    @Override
    public void onAcquire(Borrow borrow) {
      @Nullable RuntimeException failure = null;
      for (LeakListener listener : listeners) {
        try {
          listener.onAcquire(borrow);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      rethrow(failure);
    }

    @Override
    public void onRelease(Borrow borrow, long heldNanos) {
      @Nullable RuntimeException failure = null;
      for (LeakListener listener : listeners) {
        try {
          listener.onRelease(borrow, heldNanos);
        } catch (RuntimeException e) {
          failure = failure == null ? e : failure;
        }
      }
      rethrow(failure);
    }

    private static void rethrow(@Nullable RuntimeException failure) {
      if (failure != null) {
        throw failure;
      }
    }
  }
}
