package io.poolagent.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar pool-agent.jar <command>}: attach, status, list, help. Every failure is one line
 * on standard error and a distinct exit code ({@link ExitCode}).
 */
public final class AgentCli {
  private AgentCli() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err).number());
  }

  static ExitCode run(String[] args, PrintStream out, PrintStream err) {
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    String command = args.length == 0 ? "help" : args[0];
    try {
      switch (command) {
        case "attach" -> new AttachCommand(out, err).run(rest);
        case "status" -> new StatusCommand(out).run(rest);
        case "list" -> new JvmList(out).run(rest);
        case "help", "--help", "-h" -> Usage.print(out);
        default -> throw new CliFailure(ExitCode.USAGE, "unknown command '" + command
            + "'; the commands are attach, status, list and help");
      }
      return ExitCode.OK;
    } catch (CliFailure failure) {
      err.println("pool-agent: " + failure.getMessage());
      return failure.code();
    } catch (NoClassDefFoundError e) {
      err.println("pool-agent: this Java has no attach support (module jdk.attach); run the command"
          + " with the java of a JDK: " + e.getMessage());
      return ExitCode.UNEXPECTED;
    } catch (RuntimeException e) {
      err.println("pool-agent: unexpected failure: " + e);
      return ExitCode.UNEXPECTED;
    }
  }
}
