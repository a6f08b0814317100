package io.poolagent.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code status <pid> [--json]}: reads the agent's MBean in a running JVM through the local attach
 * mechanism (which starts that JVM's local-only JMX agent if needed) and prints the counters and the
 * open connections.
 */
final class StatusCommand {
  static final String JSON_FLAG = "--json";
  /** The agent registers its MBean lazily, within about two seconds of starting. */
  private static final long REGISTRATION_WAIT_MILLIS = 10_000;

  private final PrintStream out;

  StatusCommand(PrintStream out) {
    this.out = out;
  }

  void run(List<String> args) throws CliFailure {
    List<String> rest = new ArrayList<>(args);
    boolean json = rest.remove(JSON_FLAG);
    if (rest.size() != 1 || rest.get(0).startsWith("-")) {
      throw new CliFailure(ExitCode.USAGE, "usage: java -jar pool-agent.jar status <pid> [--json]");
    }
    try (TargetJvm target = TargetJvm.attach(rest.get(0))) {
      String options = target.agentOptions();
      if (options == null) {
        throw new CliFailure(ExitCode.AGENT_NOT_RUNNING, "pool-agent does not run in JVM "
            + target.pid() + "; load it with: java -jar pool-agent.jar attach " + target.pid());
      }
      if (java.util.Arrays.asList(options.split(", ")).contains("jmx=false")) {
        throw new CliFailure(ExitCode.AGENT_NOT_RUNNING, "pool-agent runs in JVM " + target.pid()
            + " with jmx=false, so it publishes no status (jmx is fixed when the agent starts)");
      }
      AgentStatus status = read(target, options);
      out.print(json ? StatusJson.render(status) : StatusTable.render(status));
    }
  }

  // The JMX URL is the local-only connector address the target itself returned over the attach
  // socket of a JVM of the same user, not user input.
  @SuppressWarnings("BanJNDI")
  private static AgentStatus read(TargetJvm target, String options) throws CliFailure {
    String url;
    try {
      url = target.vm().startLocalManagementAgent();
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNEXPECTED, "cannot start the local JMX agent of JVM "
          + target.pid() + ": " + e.getMessage());
    }
    try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
      MBeanServerConnection server = connector.getMBeanServerConnection();
      awaitRegistration(target, server);
      return AgentStatus.read(target.pid(), target.displayName(), options, server);
    } catch (IOException | JMException e) {
      throw new CliFailure(ExitCode.UNEXPECTED, "cannot read the agent's MBean in JVM "
          + target.pid() + ": " + e);
    }
  }

  private static void awaitRegistration(TargetJvm target, MBeanServerConnection server)
      throws IOException, JMException, CliFailure {
    ObjectName name = new ObjectName(AgentStatus.OBJECT_NAME);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTRATION_WAIT_MILLIS);
    while (!server.isRegistered(name)) {
      if (System.nanoTime() > deadline) {
        throw new CliFailure(ExitCode.AGENT_NOT_RUNNING, "pool-agent runs in JVM " + target.pid()
            + " but its MBean " + AgentStatus.OBJECT_NAME + " is not registered; that JVM's"
            + " standard error has a line starting with 'poolagent: ' that says why");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliFailure(ExitCode.UNEXPECTED, "interrupted");
      }
    }
  }
}
