package io.poolagent.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point, for {@code -javaagent} (premain) and for attach (agentmain). It never
 * throws and never stops the host: any start-up failure prints one line and the application runs on.
 *
 * <p>This class must not name any bootstrap-bridge type: those are injected into the bootstrap class
 * path first, and naming them here could load a second copy from the agent jar.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean attached) {
    try {
      Runnable defineAsm = BootstrapInjector.inject(inst);
      AgentInstaller.install(args, inst, attached, defineAsm);
    } catch (Throwable t) {
      System.err.println("poolagent: not started, the application runs on without leak detection: "
          + t);
    }
  }
}
