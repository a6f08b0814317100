package io.poolagent.agent.instrumentation;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Two tiny classes the transformer weaves once before it is registered, so that every class it needs
 * (its own, and ASM's where call sites are marked) is loaded by then. A transformer that loads its
 * own classes while the JVM asks it about another class runs into itself: a class being defined,
 * requested again, is a duplicate definition.
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

  /** The two classes, by name: they are read as bytes, never loaded (Closing names java.sql). */
  static final List<String> NAMES = List.of(
      "io/poolagent/agent/instrumentation/WarmUpClasses$Source",
      "io/poolagent/agent/instrumentation/WarmUpClasses$Closing");

  /**
   * The class file of one of {@link #NAMES}, from the agent jar (this class may have been loaded
   * by the bootstrap loader, which has no code source).
   */
  static byte[] bytesOf(String internalName, @Nullable Path agentJar) throws IOException {
    try (ClassFiles files = ClassFiles.in(agentJar, WarmUpClasses.class.getClassLoader())) {
      byte[] bytes = files.read(internalName);
      if (bytes == null) {
        throw new IOException("class file not found: " + internalName);
      }
      return bytes;
    }
  }
}
