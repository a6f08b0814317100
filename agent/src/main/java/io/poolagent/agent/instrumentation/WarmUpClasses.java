package io.poolagent.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import org.jspecify.annotations.Nullable;

/**
 * Two tiny classes the transformer weaves once before it is registered, so that every class it needs
 * (its own and ASM's) is loaded by then. A transformer that loads its own classes while the JVM asks
 * it about another class runs into itself: a class being defined, requested again, is a duplicate
 * definition.
 */
final class WarmUpClasses {
  private WarmUpClasses() {}

  /** Has a getConnection to weave. */
  static final class Source {
    private @Nullable Connection connection;

    public @Nullable Connection getConnection() {
      return connection; // never called: the class is only woven, never defined
    }
  }

  /** Has a close() to weave. */
  abstract static class Closing implements Connection {
    @Override
    public void close() {}
  }

  static byte[] bytesOf(Class<?> type) throws IOException {
    String resource = type.getName().substring(type.getPackageName().length() + 1) + ".class";
    try (InputStream in = type.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("class file not found: " + resource);
      }
      return in.readAllBytes();
    }
  }
}
