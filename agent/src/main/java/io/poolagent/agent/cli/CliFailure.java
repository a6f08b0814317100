package io.poolagent.agent.cli;

/** Ends a command with one line for the user and a distinct exit code. */
final class CliFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final ExitCode code;

  CliFailure(ExitCode code, String line) {
    super(line, null, false, false);
    this.code = code;
  }

  ExitCode code() {
    return code;
  }
}
