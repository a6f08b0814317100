package io.poolagent.agent.instrumentation;

/**
 * Types the agent never looks at, decided by name alone, so that most classes cost a few string
 * checks at load time. JDK packages are skipped except {@code java.sql.DriverManager} and the
 * {@code jdk.proxyN} packages that hold {@code java.lang.reflect.Proxy} connections; so are the
 * agent itself, build and test tools, language runtimes, logging, and libraries that generate or
 * carry classes that never hold JDBC code. Every class the JVM loads passes through here, so the
 * check branches on the first letter and compares only the prefixes that start with it: that keeps
 * the method small, and cheap for the JIT to compile while the application starts.
 */
final class Ignores {
  private Ignores() {}

  /** True for a class the agent leaves alone; {@code internalName} uses slashes. */
  static boolean ignored(String internalName) {
    if (internalName.isEmpty()) {
      return false;
    }
    String n = internalName;
    return switch (n.charAt(0)) {
      case 'j' -> ignoredUnderJ(n);
      case 's' -> n.startsWith("sun/") || n.startsWith("scala/");
      case 'c' -> n.startsWith("com/sun/") || n.startsWith("ch/qos/logback/")
          || n.startsWith("com/fasterxml/jackson/");
      case 'i' -> n.startsWith("io/poolagent/agent/") || n.startsWith("io/netty/");
      case 'n' -> n.startsWith("net/bytebuddy/");
      case 'k' -> n.startsWith("kotlin/");
      case 'g' -> n.startsWith("groovy/");
      case 'o' -> n.startsWith("org/") && ignoredUnderOrg(n);
      default -> false;
    };
  }

  private static boolean ignoredUnderJ(String n) {
    if (n.startsWith("java/")) {
      return !n.equals(DriverManagerInstrumentation.DRIVER_MANAGER);
    }
    if (n.startsWith("jdk/")) {
      return !n.startsWith("jdk/proxy");
    }
    return n.startsWith("javax/");
  }

  private static boolean ignoredUnderOrg(String n) {
    return n.startsWith("org/junit/") || n.startsWith("org/apache/maven/")
        || n.startsWith("org/gradle/") || n.startsWith("org/slf4j/")
        || n.startsWith("org/apache/logging/log4j/") || n.startsWith("org/springframework/cglib/")
        || n.startsWith("org/mockito/") || n.startsWith("org/hibernate/bytecode/")
        || n.startsWith("org/openjdk/jmh/");
  }
}
