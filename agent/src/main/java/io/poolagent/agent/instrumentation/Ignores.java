package io.poolagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Types the agent never looks at, decided by name alone so that most classes cost one string check at
 * start-up. JDK packages are skipped except {@code java.sql.DriverManager} and the
 * {@code jdk.proxyN} packages that hold {@code java.lang.reflect.Proxy} connections.
 */
final class Ignores {
  private Ignores() {}

  static ElementMatcher.Junction<TypeDescription> matcher() {
    return nameStartsWith("java.").and(not(named(DriverManagerInstrumentation.DRIVER_MANAGER)))
        .or(nameStartsWith("jdk.").and(not(nameStartsWith("jdk.proxy"))))
        .or(nameStartsWith("javax."))
        .or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."))
        .or(nameStartsWith("io.poolagent.agent."))
        .or(nameStartsWith("net.bytebuddy."))
        .or(nameStartsWith("org.junit."))
        .or(nameStartsWith("org.apache.maven."))
        .or(nameStartsWith("org.gradle."))
        .or(nameStartsWith("kotlin."))
        .or(nameStartsWith("scala."))
        .or(nameStartsWith("groovy."))
        .or(nameStartsWith("org.slf4j."))
        .or(nameStartsWith("ch.qos.logback."))
        .or(nameStartsWith("org.apache.logging.log4j."))
        .or(nameStartsWith("com.fasterxml.jackson."))
        .or(nameStartsWith("io.netty."))
        .or(nameStartsWith("org.springframework.cglib."))
        .or(nameStartsWith("org.mockito."))
        .or(nameStartsWith("org.hibernate.bytecode."))
        .or(nameStartsWith("org.openjdk.jmh."))
        .or(isSynthetic());
  }
}
