package io.poolagent.leak;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Combines listeners, offers the do-nothing listener used when nothing listens, and picks out the
 * listeners that want the per-borrow calls ({@link LeakListener#onAcquire}, {@link
 * LeakListener#onRelease}), so that the tracker skips those calls, and the clock read that
 * {@code onRelease} needs, when no listener implements them.
 */
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
   * The part of {@code listener} that receives {@link LeakListener#onAcquire}: the listener itself, a
   * combination of those of its members that implement the method, or null when none does.
   */
  static @Nullable LeakListener forAcquire(LeakListener listener) {
    return implementing(listener, "onAcquire", Borrow.class);
  }

  /** As {@link #forAcquire}, for {@link LeakListener#onRelease}. */
  static @Nullable LeakListener forRelease(LeakListener listener) {
    return implementing(listener, "onRelease", Borrow.class, long.class);
  }

  private static @Nullable LeakListener implementing(
      LeakListener listener, String method, Class<?>... parameters) {
    List<LeakListener> members = listener instanceof Composite composite
        ? List.of(composite.listeners) : List.of(listener);
    List<LeakListener> wanted = new ArrayList<>();
    for (LeakListener member : members) {
      if (implementsMethod(member, method, parameters)) {
        wanted.add(member);
      }
    }
    return wanted.isEmpty() ? null : of(wanted);
  }

  /** True unless the listener keeps the interface's empty default of {@code method}. */
  private static boolean implementsMethod(
      LeakListener listener, String method, Class<?>... parameters) {
    try {
      return listener.getClass().getMethod(method, parameters).getDeclaringClass()
          != LeakListener.class;
    } catch (NoSuchMethodException | RuntimeException e) {
      return true; // cannot tell: call it, as before
    }
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
