package io.poolagent.leak;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An immutable snapshot of one borrow at the moment something was reported about it.
 *
 * @param kind what happened
 * @param connectionId the borrow's id, the same for every event of one borrow
 * @param dataSource the pool name where the pool has one, else class name and identity
 * @param thread the acquiring thread's name (empty for a virtual thread)
 * @param threadId the acquiring thread's id
 * @param acquiredAt wall-clock time of the acquisition (the event's time less {@code heldMillis})
 * @param heldMillis how long the connection had been held when the event was made; for a borrow
 *     that took its time from the sweeps (see {@link LeakTracker}) up to one sweep period more
 * @param thresholdMillis the leak threshold in force then
 * @param stack acquisition frames, first = the code that called the outermost getConnection; empty
 *     when stack capture was off
 */
public record LeakEvent(
    Kind kind,
    String connectionId,
    String dataSource,
    String thread,
    long threadId,
    Instant acquiredAt,
    long heldMillis,
    long thresholdMillis,
    List<String> stack) {

  /** What an event reports; {@link #wireName()} is the name used in reports. */
  public enum Kind {
    LEAK("leak"),
    RETURNED("returned"),
    GC_UNCLOSED("gc-unclosed"),
    OPEN_AT_EXIT("open-at-exit");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  public LeakEvent {
    Objects.requireNonNull(kind, "kind");
    stack = List.copyOf(stack);
  }

  /** The acquisition site: the first frame of the stack, or "unknown site" without one. */
  public String site() {
    return stack.isEmpty() ? "unknown site (stackTrace=false)" : stack.get(0);
  }
}
