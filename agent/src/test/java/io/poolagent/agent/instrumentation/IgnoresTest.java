package io.poolagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IgnoresTest {
  @Test
  void skipsTheJdkToolsRuntimesLoggingAndTheAgentItself() {
    for (String name : new String[] {"java/lang/String", "java/sql/Connection", "jdk/internal/Foo",
        "javax/sql/DataSource", "sun/misc/Unsafe", "com/sun/proxy/X", "io/poolagent/agent/AgentMain",
        "net/bytebuddy/ByteBuddy", "org/junit/Test", "org/apache/maven/Foo", "org/gradle/Foo",
        "kotlin/Unit", "scala/Option", "groovy/lang/Closure", "org/slf4j/Logger",
        "ch/qos/logback/Foo", "org/apache/logging/log4j/Logger", "com/fasterxml/jackson/Foo",
        "io/netty/Foo", "org/springframework/cglib/Foo", "org/mockito/Mockito",
        "org/hibernate/bytecode/Foo", "org/openjdk/jmh/Main"}) {
      assertTrue(Ignores.ignored(name), name);
    }
  }

  @Test
  void looksAtPoolsDriversProxiesDriverManagerAndApplications() {
    for (String name : new String[] {"java/sql/DriverManager", "jdk/proxy1/$Proxy12",
        "com/zaxxer/hikari/HikariDataSource", "org/postgresql/jdbc/PgConnection",
        "org/apache/commons/dbcp2/BasicDataSource", "org/hibernate/internal/SessionImpl",
        "io/poolagent/pool/RetryingDataSource", "io/poolagent/fixtures/BaseConnection",
        "org/springframework/jdbc/Foo", "com/example/App", "Main", "", "javafoo/Bar", "orgx/Y"}) {
      assertFalse(Ignores.ignored(name), name);
    }
  }
}
