package io.poolagent.agent.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.poolagent.agent.AgentProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * A JVM on this machine reached through the attach mechanism ({@code jdk.attach}), with the checks
 * that turn bad input into one line and an exit code: not a number, no such process, not a JVM,
 * another user's JVM. A pid that is not a known JVM is never attached to: the attach handshake sends
 * SIGQUIT, which would end a non-Java process.
 */
final class TargetJvm implements AutoCloseable {
  static final String ENABLE_DYNAMIC_LOADING = "-XX:+EnableDynamicAgentLoading";
  static final String DISABLE_DYNAMIC_LOADING = "-XX:-EnableDynamicAgentLoading";

  private final long pid;
  private final VirtualMachine vm;
  private final String displayName;

  private TargetJvm(long pid, VirtualMachine vm, String displayName) {
    this.pid = pid;
    this.vm = vm;
    this.displayName = displayName;
  }

  /** Parses a pid argument; anything but a positive number is a usage error. */
  static long parsePid(String text) throws CliFailure {
    try {
      long pid = Long.parseLong(text.trim());
      if (pid > 0) {
        return pid;
      }
    } catch (NumberFormatException e) {
      // fall through to the one-line refusal
    }
    throw new CliFailure(ExitCode.USAGE, "'" + text + "' is not a process id (a positive number;"
        + " java -jar pool-agent.jar list shows the JVMs)");
  }

  /** Attaches to the JVM with {@code pidText}, or explains in one line why not. */
  static TargetJvm attach(String pidText) throws CliFailure {
    long pid = parsePid(pidText);
    if (pid == ProcessHandle.current().pid()) {
      throw new CliFailure(ExitCode.USAGE, "pid " + pid + " is this command's own JVM");
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      throw new CliFailure(ExitCode.NO_SUCH_JVM, "no process with pid " + pid + " on this machine"
          + " (java -jar pool-agent.jar list shows the JVMs)");
    }
    checkSameUser(pid, process.get());
    String displayName = knownJvmName(pid, process.get());
    try {
      return new TargetJvm(pid, VirtualMachine.attach(String.valueOf(pid)), displayName);
    } catch (AttachNotSupportedException e) {
      throw new CliFailure(ExitCode.NOT_PERMITTED, "JVM " + pid + " refused the attach (started"
          + " with -XX:+DisableAttachMechanism?): " + e.getMessage());
    } catch (IOException e) {
      throw new CliFailure(ExitCode.NOT_PERMITTED, "cannot attach to JVM " + pid + ": "
          + e.getMessage());
    }
  }

  /** The attach mechanism only connects JVMs of one user (root aside); say so before trying. */
  private static void checkSameUser(long pid, ProcessHandle process) throws CliFailure {
    String me = System.getProperty("user.name", "");
    Optional<String> owner = process.info().user();
    if (owner.isPresent() && !owner.get().equals(me) && !me.equals("root")) {
      throw new CliFailure(ExitCode.NOT_PERMITTED, "process " + pid + " belongs to user " + owner.get()
          + ", not " + me + "; run this command as " + owner.get()
          + " (a JVM accepts attach only from its own user)");
    }
  }

  /**
   * The display name of {@code pid} when it is a JVM: listed by the attach mechanism, or at least a
   * process whose executable is {@code java}.
   */
  private static String knownJvmName(long pid, ProcessHandle process) throws CliFailure {
    String id = String.valueOf(pid);
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      if (d.id().equals(id)) {
        return mainOnly(d.displayName());
      }
    }
    Optional<String> command = process.info().command();
    if (command.isPresent()) {
      Path file = Path.of(command.get()).getFileName();
      if (file != null && file.toString().equals("java")) {
        return "";
      }
    }
    throw new CliFailure(ExitCode.NO_SUCH_JVM, "process " + pid + " is not a JVM this command can"
        + " attach to (not Java, or started with -XX:-UsePerfData or -XX:+DisableAttachMechanism)"
        + command.map(c -> "; it runs " + c).orElse(""));
  }

  /**
   * The main class or jar of a JVM's display name, without the program arguments, which may hold
   * secrets.
   */
  static String mainOnly(String displayName) {
    int space = displayName.indexOf(' ');
    return space < 0 ? displayName : displayName.substring(0, space);
  }

  long pid() {
    return pid;
  }

  /** The main class or jar, as the JVM reports it; may be empty. */
  String displayName() {
    return displayName;
  }

  Properties systemProperties() throws CliFailure {
    try {
      return vm.getSystemProperties();
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNEXPECTED, "cannot read the system properties of JVM " + pid
          + ": " + e.getMessage());
    }
  }

  /** The target's feature version: 17, 21, 25 (8 for 1.8). */
  int javaVersion() throws CliFailure {
    return featureVersion(systemProperties());
  }

  /** The feature version in a JVM's system properties: 17, 21, 25 (8 for 1.8; 0 if unknown). */
  static int featureVersion(Properties properties) {
    String spec = properties.getProperty("java.specification.version", "");
    String feature = spec.startsWith("1.") ? spec.substring(2) : spec;
    try {
      return Integer.parseInt(feature);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The JVM flags the target was started with (as -XX:... and -D... words). */
  String jvmArgs() throws CliFailure {
    try {
      return vm.getAgentProperties().getProperty("sun.jvm.args", "");
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNEXPECTED, "cannot read the JVM arguments of JVM " + pid
          + ": " + e.getMessage());
    }
  }

  /** True when the agent runs in the target. */
  boolean agentRunning() throws CliFailure {
    return Boolean.parseBoolean(systemProperties().getProperty(AgentProperties.ACTIVE));
  }

  /** The options in force in the target's agent, or null when it does not run there. */
  @Nullable String agentOptions() throws CliFailure {
    // an agent from before the options property still runs: say so rather than "not running"
    return agentRunning()
        ? systemProperties().getProperty(AgentProperties.OPTIONS, "not published by this agent")
        : null;
  }

  VirtualMachine vm() {
    return vm;
  }

  @Override
  public void close() {
    try {
      vm.detach();
    } catch (IOException e) {
      // the target went away; nothing left to release
    }
  }
}
