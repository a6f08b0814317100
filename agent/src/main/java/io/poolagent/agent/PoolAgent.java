package io.poolagent.agent;

import net.bytebuddy.agent.ByteBuddyAgent;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * Starts the agent from inside the application, for tests and apps that cannot change their JVM
 * flags: {@code PoolAgent.install("leakThreshold=5s")} with {@code pool-agent.jar} on the class path.
 * The JVM attaches the jar it was loaded from to itself; connections borrowed before the call are
 * unknown to the agent.
 *
 * <p>Idempotent: when the agent already runs in this JVM (from {@code -javaagent}, an attach or an
 * earlier call) nothing is instrumented again and the options are applied instead.
 */
public final class PoolAgent {
  /** What {@link #install} did. */
  public enum Outcome {
    /** The agent was not running and now is. */
    STARTED,
    /** The agent was already running; the new options now apply. */
    OPTIONS_APPLIED
  }

  private PoolAgent() {}

  /**
   * Starts the agent in this JVM, or applies {@code options} when it already runs.
   *
   * @param options as after {@code -javaagent:pool-agent.jar=}, e.g. {@code leakThreshold=5s}; may
   *     be empty
   * @throws IllegalArgumentException when an option is invalid (unlike the agent flag, which falls
   *     back to defaults: here a program is there to be told)
   * @throws IllegalStateException when the agent cannot be attached or did not start; the message
   *     says why
   */
  public static synchronized Outcome install(String options) {
    AgentOptions parsed = AgentOptions.parse(options, Map.of(), Map.of());
    if (!parsed.problems().isEmpty()) {
      throw new IllegalArgumentException("invalid pool-agent options, agent not installed: "
          + String.join("; ", parsed.strictProblems()));
    }
    boolean wasRunning = running();
    // AgentInstaller is touched only once the agent runs: before that, the leak engine it links to
    // is not yet on the bootstrap class path, and loading it here would make a second copy.
    if (wasRunning && AgentInstaller.applyIfRunning(options)) {
      return Outcome.OPTIONS_APPLIED;
    }
    File jar = agentJar();
    try {
      // Byte Buddy attaches through jdk.attach; a JVM may not attach to itself unless started with
      // -Djdk.attach.allowAttachSelf=true, so it then runs the attach from a short-lived helper JVM.
      ByteBuddyAgent.attach(jar, String.valueOf(ProcessHandle.current().pid()), options);
    } catch (RuntimeException e) {
      throw new IllegalStateException("pool-agent could not attach to this JVM (it needs a JDK with"
          + " the jdk.attach module and a JVM not started with -XX:+DisableAttachMechanism or"
          + " -XX:-EnableDynamicAgentLoading): " + rootCause(e), e);
    }
    if (!running()) {
      throw new IllegalStateException("pool-agent was attached but did not start; the line starting"
          + " with 'poolagent: ' on standard error says why");
    }
    return wasRunning ? Outcome.OPTIONS_APPLIED : Outcome.STARTED;
  }

  /** True when the agent runs in this JVM (from any class loader). */
  public static boolean running() {
    return Boolean.getBoolean(AgentProperties.ACTIVE);
  }

  private static File agentJar() {
    File jar = codeSource();
    if (jar == null || !jar.isFile()) {
      throw new IllegalStateException("PoolAgent.install needs pool-agent.jar on the class path, but"
          + " its classes were loaded from " + jar);
    }
    try (JarFile file = new JarFile(jar)) {
      if (file.getJarEntry(BootstrapInjector.ENGINE_ENTRY) == null) {
        throw new IllegalStateException("PoolAgent.install needs the shaded pool-agent.jar on the"
            + " class path, but its classes were loaded from " + jar);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the agent jar " + jar + ": " + e, e);
    }
    return jar;
  }

  private static @Nullable File codeSource() {
    try {
      var source = PoolAgent.class.getProtectionDomain().getCodeSource();
      return source == null ? null : new File(source.getLocation().toURI());
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String rootCause(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return String.valueOf(cause);
  }
}
