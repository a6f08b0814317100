package io.poolagent.agent;

/**
 * System properties the running agent sets in its JVM. Other JVMs read them through the attach
 * mechanism ({@code java -jar pool-agent.jar list / attach}) without loading anything into the target.
 */
public final class AgentProperties {
  /** {@code "true"} once the agent runs; the bundled pool then leaves leak reporting to the agent. */
  public static final String ACTIVE = "poolagent.agent.active";
  /** The options in force, as the agent prints them. */
  public static final String OPTIONS = "poolagent.agent.options";

  private AgentProperties() {}
}
