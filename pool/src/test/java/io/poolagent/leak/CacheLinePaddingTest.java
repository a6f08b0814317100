package io.poolagent.leak;

import org.junit.jupiter.api.Test;

/**
 * The classes that threads write on every borrow keep their written fields at least a cache line
 * away from both ends of the object, as laid out by the running JVM.
 */
class CacheLinePaddingTest {
  @Test
  void aTrackerSlotIsPaddedOnBothSides() throws Exception {
    PaddingLayout.assertPaddedOnBothSides(Class.forName("io.poolagent.leak.OpenBorrows$Slot"));
  }

  @Test
  void aPooledConnectionIsPaddedOnBothSides() throws Exception {
    PaddingLayout.assertPaddedOnBothSides(Class.forName("io.poolagent.pool.PooledConnection$Padded"));
  }
}
