package io.poolagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
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
 * of every {@code javax.sql.DataSource} implementation. The advice checks {@code instanceof
 * DataSource} itself: {@code java.sql} belongs to the platform loader, which bootstrap classes cannot
 * see, while every instrumented class can. Known pools get {@link PoolAdvice}; every
 * other source gets {@link PhysicalAdvice}, which lets the bridge skip connections a pool opens for
 * itself.
 */
public final class DataSourceInstrumentation {
  private DataSourceInstrumentation() {}

  /**
   * Every class that declares a getConnection method, DataSource or not: the method is often
   * inherited from a base class that is not itself a DataSource (PostgreSQL's BaseDataSource, Tomcat
   * JDBC's DataSourceProxy). At run time the bridge counts only calls on a {@code javax.sql.DataSource}.
   */
  static ElementMatcher.Junction<TypeDescription> types() {
    return not(isInterface())
        .and(declaresMethod(methods()))
        // JDBC objects that merely expose their connection are never sources of one
        .and(not(hasSuperType(named("java.sql.Statement"))
            .or(hasSuperType(named("java.sql.DatabaseMetaData")))
            .or(hasSuperType(named("java.sql.Connection")))));
  }

  static ElementMatcher.Junction<MethodDescription> methods() {
    return named("getConnection")
        .and(not(isAbstract()))
        .and(not(isStatic()))
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

    // Advice names only JDK and bootstrap types, so no nullness annotation here: null means "not a
    // DataSource call" and exit() ignores it.
    @SuppressWarnings("NullAway")
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int[] enter(@Advice.This Object source) {
      return source instanceof javax.sql.DataSource ? AgentBridge.enterAcquire() : null;
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

    // Advice names only JDK and bootstrap types, so no nullness annotation here: null means "not a
    // DataSource call" and exit() ignores it.
    @SuppressWarnings("NullAway")
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static int[] enter(@Advice.This Object source) {
      return source instanceof javax.sql.DataSource ? AgentBridge.enterAcquire() : null;
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
