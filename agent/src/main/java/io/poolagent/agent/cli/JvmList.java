package io.poolagent.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.poolagent.agent.AgentProperties;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;

/**
 * {@code list}: the JVMs of this user on this machine, their Java version and whether the agent runs
 * in them. It reads each JVM's system properties through the attach mechanism, which loads nothing
 * into it.
 */
final class JvmList {
  private final PrintStream out;

  JvmList(PrintStream out) {
    this.out = out;
  }

  void run(List<String> args) throws CliFailure {
    if (!args.isEmpty()) {
      throw new CliFailure(ExitCode.USAGE, "usage: java -jar pool-agent.jar list");
    }
    String self = String.valueOf(ProcessHandle.current().pid());
    TextTable table = new TextTable("PID", "JAVA", "AGENT", "MAIN", "OPTIONS");
    int count = 0;
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      if (d.id().equals(self)) {
        continue;
      }
      count++;
      String java = "?";
      String agent = "?";
      String options = "";
      try {
        VirtualMachine vm = VirtualMachine.attach(d);
        try {
          Properties properties = vm.getSystemProperties();
          java = String.valueOf(TargetJvm.featureVersion(properties));
          boolean running = Boolean.parseBoolean(properties.getProperty(AgentProperties.ACTIVE));
          agent = running ? "yes" : "no";
          options = running ? properties.getProperty(AgentProperties.OPTIONS, "") : "";
        } finally {
          vm.detach();
        }
      } catch (Exception e) {
        options = "cannot attach: " + e.getMessage();
      }
      String main = TargetJvm.mainOnly(d.displayName());
      table.row(d.id(), java, agent, main.isEmpty() ? "-" : main, options);
    }
    if (count == 0) {
      out.println("no other JVMs of this user found on this machine");
      return;
    }
    out.print(table.render(""));
  }
}
