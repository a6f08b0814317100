package io.poolagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.agent.bootstrap.AgentBridge;
import io.poolagent.fixtures.BaseConnection;
import io.poolagent.fixtures.MiddleConnection;
import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.SourceNames;
import io.poolagent.leak.StackCapture;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weaving a connection class's close() at its first borrow, with the JVM's own retransformation
 * (Byte Buddy's agent attached to the test JVM): the close() found is the one the connection runs,
 * and once woven it ends the connection's record.
 */
class CloseWeavingTest {
  private static LeakTracker tracker;

  @BeforeAll
  static void installBridge() {
    AgentBridge.install(new LeakTracker(Duration.ofMinutes(5), StackCapture.OFF,
        LeakListeners.none(), SourceNames.defaults()));
    tracker = Objects.requireNonNull(AgentBridge.tracker());
  }

  /** Inherits MiddleConnection's close(). */
  abstract static class InheritsClose extends MiddleConnection {}

  /** Declares its own close(), abstract. */
  abstract static class AbstractClose extends BaseConnection {
    @Override
    public abstract void close();
  }

  @Test
  void theCloseFoundIsTheOneTheConnectionRuns() {
    assertSame(MiddleConnection.class, CloseWeaving.declaringClose(InheritsClose.class));
    assertSame(MiddleConnection.class, CloseWeaving.declaringClose(MiddleConnection.class));
    assertNull(CloseWeaving.declaringClose(BaseConnection.class), "none declared: interface only");
    assertNull(CloseWeaving.declaringClose(AbstractClose.class), "abstract");
    Connection proxy = proxyConnection(new AtomicInteger());
    assertSame(proxy.getClass(), CloseWeaving.declaringClose(proxy.getClass()), "a Proxy's own");
  }

  @Test
  void aConnectionsCloseIsWovenWhenAskedAndThenEndsItsRecord() throws Exception {
    Instrumentation inst = ByteBuddyAgent.install();
    List<String> errors = new ArrayList<>();
    Set<String> instrumented = ConcurrentHashMap.newKeySet();
    JdbcClassTransformer transformer = new JdbcClassTransformer(
        inst, AgentBridge.class.getModule(), errors::add, instrumented, false, () -> {});
    inst.addTransformer(transformer, true);
    try {
      CloseWeaving weaving = new CloseWeaving(inst, transformer, errors::add);
      AtomicInteger closes = new AtomicInteger();
      Connection proxy = proxyConnection(closes);
      tracker.track(proxy, "test", "test");
      proxy.close();
      assertTrue(tracker.isOpen(proxy), "not woven yet: close() does not report");

      assertTrue(weaving.weaveClose(proxy.getClass()));
      assertTrue(transformer.closeWoven(proxy.getClass()));
      assertTrue(instrumented.contains(proxy.getClass().getName()), instrumented.toString());
      proxy.close();
      assertFalse(tracker.isOpen(proxy), "the woven close() ended the record");
      assertEquals(2, closes.get(), "the handler still ran each time");

      assertTrue(weaving.weaveClose(InheritsClose.class), "the inherited close() is woven");
      assertTrue(transformer.closeWoven(MiddleConnection.class));
      assertFalse(weaving.weaveClose(AbstractClose.class), "nothing concrete to weave");
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains(AbstractClose.class.getName() + " are not tracked"),
          errors.get(0));
    } finally {
      inst.removeTransformer(transformer);
    }
  }

  private static Connection proxyConnection(AtomicInteger closes) {
    return (Connection) Proxy.newProxyInstance(CloseWeavingTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> {
          if (m.getName().equals("close")) {
            closes.incrementAndGet();
          }
          return null;
        });
  }
}
