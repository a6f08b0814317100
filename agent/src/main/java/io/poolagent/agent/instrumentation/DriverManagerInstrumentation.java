package io.poolagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.poolagent.agent.bootstrap.AgentBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Records connections from {@code java.sql.DriverManager.getConnection(...)}: unpooled connections
 * leak too. Its public overloads call a private one; the depth counter makes that one borrow.
 */
public final class DriverManagerInstrumentation {
  static final String DRIVER_MANAGER = "java.sql.DriverManager";

  private DriverManagerInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder builder, ClassLoader agentLoader) {
    return builder
        .type(named(DRIVER_MANAGER))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("getConnection").and(isPublic()).and(isStatic()),
                GetConnectionAdvice.class.getName()));
  }

  /** Advice for the static getConnection overloads. */
  public static final class GetConnectionAdvice {
    private GetConnectionAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int[] enter() {
      return AgentBridge.enterAcquire();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter int[] depth,
        @Advice.Return Object connection,
        @Advice.Origin("#t") String origin) {
      AgentBridge.exitAcquire(depth, "DriverManager", connection, origin, true);
    }
  }
}
