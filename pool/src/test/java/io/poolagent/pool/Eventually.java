package io.poolagent.pool;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a generous liveness timeout; fails with a description if it never holds. */
final class Eventually {
  private Eventually() {}

  static void holds(String what, BooleanSupplier condition) {
    holds(what, condition, () -> "");
  }

  static void holds(String what, BooleanSupplier condition, Supplier<String> state) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("never happened within 10 s: " + what + " " + state.get());
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
