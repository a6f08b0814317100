package io.poolagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.poolagent.agent.bootstrap.AgentBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.asm.Advice;

/**
 * Releases the record of a connection when the application calls its {@code close()}. Every
 * {@code java.sql.Connection} implementation is covered, including {@code java.lang.reflect.Proxy}
 * classes (Tomcat JDBC, Vibur) and final close methods inherited from a base class (HikariCP's
 * ProxyConnection), because the advice sits in the declaring class and sees the runtime object.
 */
public final class ConnectionInstrumentation {
  private ConnectionInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder builder, ClassLoader agentLoader) {
    return builder
        // The cheap test first: whether the class itself declares close() needs only its own class
        // file, already in memory; the supertype walk reads every supertype's class file, so it runs
        // only for the few classes that declare close(). A class without its own close() has nothing
        // to instrument: the advice sits in the declaring class.
        .type(not(isInterface()).and(declaresMethod(closeMethod()))
            .and(hasSuperType(named("java.sql.Connection"))))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(closeMethod(), CloseAdvice.class.getName()));
  }

  private static ElementMatcher.Junction<MethodDescription> closeMethod() {
    return named("close").and(takesArguments(0)).and(not(isAbstract()));
  }

  /** Advice for close(): releases on entry, so a close that throws still ends the borrow. */
  public static final class CloseAdvice {
    private CloseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object connection) {
      AgentBridge.released(connection);
    }
  }
}
