package io.poolagent.agent.cli;

import io.poolagent.agent.AgentOptions;
import java.io.PrintStream;

/** {@code java -jar pool-agent.jar}: prints how to use the agent and its options. */
public final class AgentCli {
  private AgentCli() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    out.println("pool-agent: finds JDBC connection leaks in any pool.");
    out.println();
    out.println("Usage: java -javaagent:pool-agent.jar[=key=value,...] -jar your-app.jar");
    out.println();
    out.println("Options (also -Dpoolagent.<key>=value or POOLAGENT_<KEY>=value):");
    for (AgentOptions.Key key : AgentOptions.Key.values()) {
      out.printf("  %-14s default %-32s %s%n", key.key(), key.defaultText(), key.meaning());
    }
  }
}
