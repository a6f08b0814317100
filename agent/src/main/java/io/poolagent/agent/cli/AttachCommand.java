package io.poolagent.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import io.poolagent.agent.AgentOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code attach <pid> [key=value,...]}: loads the agent into a running JVM. The options are checked
 * here first and refused on any problem (the agent itself would fall back to defaults, but a person
 * is there to fix them). A JVM that already runs the agent gets the new options, nothing is
 * instrumented twice.
 */
final class AttachCommand {
  private final PrintStream out;
  private final PrintStream err;

  AttachCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  void run(List<String> args) throws CliFailure {
    if (args.isEmpty() || args.size() > 2) {
      throw new CliFailure(ExitCode.USAGE,
          "usage: java -jar pool-agent.jar attach <pid> [key=value,...]");
    }
    String options = checkedOptions(args.size() == 2 ? args.get(1) : "");
    Path jar = AgentJar.locate();
    try (TargetJvm target = TargetJvm.attach(args.get(0))) {
      boolean wasRunning = target.agentRunning();
      warnAboutDynamicLoading(target);
      load(target, jar, options);
      String now = target.agentOptions();
      if (now == null) {
        throw new CliFailure(ExitCode.UNEXPECTED, "the agent was loaded into JVM " + target.pid()
            + " but did not start; that JVM's standard error has a line starting with"
            + " 'poolagent: ' that says why");
      }
      if (wasRunning) {
        out.println("pool-agent already runs in JVM " + target.pid() + "; nothing was instrumented"
            + " twice. Options now: " + now);
      } else {
        out.println("pool-agent attached to JVM " + target.pid() + name(target) + " with " + now);
        out.println("Connections borrowed before this moment are unknown to the agent; every borrow"
            + " from now on is tracked.");
      }
    }
  }

  /**
   * Validates {@code options} strictly and makes a relative report path absolute, resolved against
   * the directory this command runs in rather than the target's.
   */
  static String checkedOptions(String options) throws CliFailure {
    AgentOptions parsed = AgentOptions.parse(options, Map.of(), Map.of());
    if (!parsed.strictProblems().isEmpty()) {
      throw new CliFailure(ExitCode.USAGE, "invalid options, nothing attached: "
          + String.join("; ", parsed.strictProblems()));
    }
    Path report = parsed.report();
    if (report == null || report.isAbsolute()) {
      return options;
    }
    List<String> pairs = new ArrayList<>();
    for (String pair : options.split(",", -1)) {
      boolean isReport = AgentOptions.Key.REPORT.key().equals(AgentOptions.keyOf(pair));
      pairs.add(isReport ? "report=" + report.toAbsolutePath() : pair); // "report = x" too
    }
    return String.join(",", pairs);
  }

  /** On JDK 21+ the target prints a warning when an agent is loaded into it after start-up. */
  private void warnAboutDynamicLoading(TargetJvm target) throws CliFailure {
    int version = target.javaVersion();
    String jvmArgs = target.jvmArgs();
    if (jvmArgs.contains(TargetJvm.DISABLE_DYNAMIC_LOADING)) {
      throw new CliFailure(ExitCode.NOT_PERMITTED, "JVM " + target.pid() + " was started with "
          + TargetJvm.DISABLE_DYNAMIC_LOADING + ", which forbids loading agents into it; restart it"
          + " with -javaagent:pool-agent.jar instead");
    }
    if (version >= 21 && !jvmArgs.contains(TargetJvm.ENABLE_DYNAMIC_LOADING)) {
      err.println("pool-agent: note: JVM " + target.pid() + " runs Java " + version + " without "
          + TargetJvm.ENABLE_DYNAMIC_LOADING + ", so it prints a WARNING that an agent was loaded"
          + " dynamically; the agent works all the same. Start it with that flag (or with"
          + " -javaagent) to avoid the warning.");
    }
  }

  private static void load(TargetJvm target, Path jar, String options) throws CliFailure {
    try {
      target.vm().loadAgent(jar.toString(), options);
    } catch (AgentLoadException e) {
      throw new CliFailure(ExitCode.NOT_PERMITTED, "JVM " + target.pid() + " refused to load the"
          + " agent: " + e.getMessage());
    } catch (AgentInitializationException e) {
      throw new CliFailure(ExitCode.UNEXPECTED, "the agent failed to start in JVM " + target.pid()
          + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CliFailure(ExitCode.UNEXPECTED, "lost the connection to JVM " + target.pid()
          + " while loading the agent: " + e.getMessage());
    }
  }

  private static String name(TargetJvm target) {
    return target.displayName().isEmpty() ? "" : " (" + target.displayName() + ")";
  }
}
