package io.poolagent.agent.instrumentation;

import java.util.List;

/**
 * Types the agent never looks at, decided by name alone, so that most classes cost a few string
 * checks at load time. JDK packages are skipped except {@code java.sql.DriverManager} and the
 * {@code jdk.proxyN} packages that hold {@code java.lang.reflect.Proxy} connections.
 */
final class Ignores {
  private static final List<String> PREFIXES = List.of(
      "java/", "jdk/", "javax/", "sun/", "com/sun/",
      "io/poolagent/agent/", "net/bytebuddy/",
      "org/junit/", "org/apache/maven/", "org/gradle/",
      "kotlin/", "scala/", "groovy/",
      "org/slf4j/", "ch/qos/logback/", "org/apache/logging/log4j/",
      "com/fasterxml/jackson/", "io/netty/", "org/springframework/cglib/", "org/mockito/",
      "org/hibernate/bytecode/", "org/openjdk/jmh/");

  private Ignores() {}

  /** True for a class the agent leaves alone; {@code internalName} uses slashes. */
  static boolean ignored(String internalName) {
    if (internalName.startsWith("java/")) {
      return !internalName.equals(DriverManagerInstrumentation.DRIVER_MANAGER);
    }
    if (internalName.startsWith("jdk/")) {
      return !internalName.startsWith("jdk/proxy");
    }
    for (String prefix : PREFIXES) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
