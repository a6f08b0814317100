package io.poolagent.leak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReportWriterTest {
  private static LeakEvent event(LeakEvent.Kind kind, String id) {
    return new LeakEvent(kind, id, "ds", "main", 1, Instant.EPOCH, 10, 5, List.of());
  }

  /** Records events with the thread that wrote them; the first one blocks until released. */
  private static final class SlowTarget implements LeakListener {
    final List<String> written = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch entered = new CountDownLatch(1);

    @Override
    public void onLeak(LeakEvent event) {
      entered.countDown();
      try {
        release.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.add(event.kind().wireName() + " " + event.connectionId());
      threads.add(Thread.currentThread().getName());
    }

    @Override
    public void onReturned(LeakEvent event) {
      written.add(event.kind().wireName() + " " + event.connectionId());
    }

    @Override
    public void onOpenAtExit(List<LeakEvent> open) {
      written.add("open-at-exit " + open.size());
    }
  }

  @Test
  void aSlowReportDoesNotHoldUpTheCallerAndExitWritesEverythingInOrder() throws Exception {
    SlowTarget target = new SlowTarget();
    ReportWriter writer = new ReportWriter(target, "test-reporter");
    writer.onLeak(event(LeakEvent.Kind.LEAK, "1")); // returns at once although the write blocks
    writer.onReturned(event(LeakEvent.Kind.RETURNED, "1"));
    assertTrue(target.entered.await(5, TimeUnit.SECONDS), "the writer thread took the report");
    assertEquals(List.of(), target.written, "nothing written yet: the writer thread is blocked");
    target.release.countDown();
    writer.onOpenAtExit(List.of(event(LeakEvent.Kind.OPEN_AT_EXIT, "2")));
    assertEquals(List.of("leak 1", "returned 1", "open-at-exit 1"), target.written);
    assertEquals("test-reporter", target.threads.get(0));
    assertNotEquals(Thread.currentThread().getName(), target.threads.get(0));
  }

  @Test
  void aListenerThatThrowsIsCountedAndLaterReportsStillArrive() throws Exception {
    List<String> written = new CopyOnWriteArrayList<>();
    ReportWriter writer = new ReportWriter(new LeakListener() {
      @Override
      public void onLeak(LeakEvent event) {
        if (event.connectionId().equals("bad")) {
          throw new IllegalStateException("disk full");
        }
        written.add(event.connectionId());
      }
    }, "test-reporter-2");
    writer.onLeak(event(LeakEvent.Kind.LEAK, "bad"));
    writer.onLeak(event(LeakEvent.Kind.LEAK, "good"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (written.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    writer.drain();
    assertEquals(List.of("good"), written);
    assertEquals(1, writer.failures());
    assertTrue(writer.failures() > 0);
  }
}
