package io.poolagent.pool;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A borrow/return cycle allocates nothing but the handle (about 48 bytes): no timer task, no stack
 * capture with leak detection off, no iterator or lambda. Measured in bytes, not time, so load on the
 * machine cannot make it flaky.
 */
class HotPathAllocationTest {
  private static final int CYCLES = 200_000;

  private static double bytesPerCycle(RetryingDataSource pool) throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < CYCLES; i++) { // warm up: thread-local slot, adder cells, JIT
      pool.getConnection().close();
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < CYCLES; i++) {
      Connection c = pool.getConnection();
      c.close();
    }
    return (threads.getThreadAllocatedBytes(id) - before) / (double) CYCLES;
  }

  @Test
  void aBorrowAndReturnAllocatesOnlyTheHandle() throws Exception {
    StubDatabase db = StubDatabase.create();
    try (RetryingDataSource pool = new RetryingDataSource(db.config()
        .leakDetectionTimeout(Duration.ZERO).build())) {
      double bytes = bytesPerCycle(pool);
      assertTrue(bytes < 100, "bytes allocated per borrow/return: " + bytes);
    }
  }

  @Test
  void leakDetectionCapturesAStackPerBorrowOnlyWhenOn() throws Exception {
    StubDatabase db = StubDatabase.create();
    try (RetryingDataSource pool = new RetryingDataSource(db.config()
        .leakDetectionTimeout(Duration.ofMinutes(5)).build())) {
      double bytes = bytesPerCycle(pool);
      assertTrue(bytes > 200, "with leak detection on, the stack is captured: " + bytes);
    }
  }
}
