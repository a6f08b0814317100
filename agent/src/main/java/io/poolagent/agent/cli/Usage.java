package io.poolagent.agent.cli;

import io.poolagent.agent.AgentOptions;
import java.io.PrintStream;

/** What {@code java -jar pool-agent.jar help} prints. */
final class Usage {
  private Usage() {}

  static void print(PrintStream out) {
    out.println("pool-agent: finds JDBC connection leaks in any pool.");
    out.println();
    out.println("Usage: java -javaagent:pool-agent.jar[=key=value,...] -jar your-app.jar");
    out.println("       java -jar pool-agent.jar attach <pid> [key=value,...]");
    out.println("            load the agent into a running JVM (borrows made before are unknown to it);");
    out.println("            a JVM that already runs it gets the new options");
    out.println("       java -jar pool-agent.jar status <pid> [--json]");
    out.println("            the agent's counters and open connections in a running JVM");
    out.println("       java -jar pool-agent.jar list");
    out.println("            the JVMs of this user on this machine, and which run the agent");
    out.println();
    out.println("Options (also -Dpoolagent.<key>=value or POOLAGENT_<KEY>=value):");
    for (AgentOptions.Key key : AgentOptions.Key.values()) {
      out.printf("  %-14s default %-32s %s%n", key.key(), key.defaultText(), key.meaning());
    }
    out.println();
    out.println("Exit codes:");
    for (ExitCode code : ExitCode.values()) {
      out.printf("  %d  %s%n", code.number(), code.meaning());
    }
  }
}
