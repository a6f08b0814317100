package io.poolagent.bench.process;

import java.lang.instrument.Instrumentation;

/**
 * Bar 6's floor: an agent that does nothing. Started with {@code -javaagent:benchmarks.jar}, it
 * measures what the JVM itself adds for any {@code -javaagent}: the {@code java.instrument} module
 * (which turns off the CDS archive's optimized module handling and full module graph, on JDK 17 and
 * 25 alike), the agent jar's manifest and the premain call.
 */
public final class EmptyAgent {
  private EmptyAgent() {}

  public static void premain(String args, Instrumentation inst) {
    // nothing: the cost measured is the JVM's own
  }
}
