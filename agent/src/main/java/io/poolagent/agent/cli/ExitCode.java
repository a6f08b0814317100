package io.poolagent.agent.cli;

/** The exit codes of {@code java -jar pool-agent.jar}, documented in the README and by {@code help}. */
public enum ExitCode {
  OK(0, "done"),
  UNEXPECTED(1, "unexpected failure (the message says what happened)"),
  USAGE(2, "usage error: unknown command, missing or malformed argument, invalid options"),
  NO_SUCH_JVM(3, "no JVM with that pid on this machine (no such process, or not an attachable JVM)"),
  NOT_PERMITTED(4, "attach refused or not permitted: another user's JVM, attach or dynamic agent"
      + " loading disabled in the target"),
  AGENT_NOT_RUNNING(5, "status: the agent does not run in the target JVM (or runs with jmx=false)");

  private final int number;
  private final String meaning;

  ExitCode(int number, String meaning) {
    this.number = number;
    this.meaning = meaning;
  }

  public int number() {
    return number;
  }

  public String meaning() {
    return meaning;
  }
}
