package io.poolagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.poolagent.agent.bootstrap.AgentBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Records the connection returned by {@code getConnection()} and {@code getConnection(user, password)}
 * of every {@code javax.sql.DataSource} implementation. Known pools get {@link PoolAdvice}; every
 * other source gets {@link PhysicalAdvice}, which lets the bridge skip connections a pool opens for
 * itself.
 */
public final class DataSourceInstrumentation {
  private DataSourceInstrumentation() {}

  static ElementMatcher.Junction<TypeDescription> types() {
    return not(isInterface()).and(hasSuperType(named("javax.sql.DataSource")));
  }

  static ElementMatcher.Junction<MethodDescription> methods() {
    return named("getConnection")
        .and(not(isAbstract()))
        .and(takesArguments(0).or(takesArguments(String.class, String.class)))
        .and(returns(hasSuperType(named("java.sql.Connection"))));
  }

  /** Adds the transformation to {@code builder}. */
  public static AgentBuilder apply(AgentBuilder builder, ClassLoader agentLoader) {
    return builder
        .type(types())
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice((MethodDescription method) -> methods().matches(method)
                    && KnownPools.isPoolEntry(method.getDeclaringType().getTypeName()),
                PoolAdvice.class.getName())
            .advice((MethodDescription method) -> methods().matches(method)
                    && !KnownPools.isPoolEntry(method.getDeclaringType().getTypeName()),
                PhysicalAdvice.class.getName()));
  }

  /** Advice for the getConnection of a known pool. */
  public static final class PoolAdvice {
    private PoolAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int[] enter() {
      return AgentBridge.enterAcquire();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter int[] depth,
        @Advice.This Object source,
        @Advice.Return Object connection,
        @Advice.Origin("#t") String origin) {
      AgentBridge.exitAcquire(depth, source, connection, origin, false);
    }
  }

  /** Advice for any other getConnection: drivers' DataSources, wrappers, unknown pools. */
  public static final class PhysicalAdvice {
    private PhysicalAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int[] enter() {
      return AgentBridge.enterAcquire();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.Enter int[] depth,
        @Advice.This Object source,
        @Advice.Return Object connection,
        @Advice.Origin("#t") String origin) {
      AgentBridge.exitAcquire(depth, source, connection, origin, true);
    }
  }
}
