package io.poolagent.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a separate JVM with this test's class path, optionally with the agent. */
public final class ChildJvm {
  /** What the child did. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private ChildJvm() {}

  /** The shaded agent jar built by the agent module. */
  public static Path agentJar() {
    String jar = System.getProperty("poolagent.agentJar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("poolagent.agentJar does not name the built agent jar: " + jar
          + " (run mvn verify from the root so the agent module is packaged first)");
    }
    return Path.of(jar);
  }

  /**
   * Runs {@code mainClass} with {@code jvmArgs} (for example a -javaagent flag) and program
   * {@code args}; waits at most {@code timeout}.
   */
  public static Result run(List<String> jvmArgs, Class<?> mainClass, List<String> args,
      Duration timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    return run(command, timeout);
  }

  /** {@code java -jar pool-agent.jar args...}: the agent's command-line tool, on this test's JDK. */
  public static Result agentCommand(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", agentJar().toString()));
    command.addAll(List.of(args));
    return run(command, Duration.ofSeconds(90));
  }

  /** The java launcher of the JDK that runs this test. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs {@code command} to its end, at most {@code timeout}. */
  public static Result run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, java.util.Map.of(), timeout);
  }

  /** The same with extra environment variables. */
  public static Result run(List<String> command, java.util.Map<String, String> environment,
      Duration timeout) throws IOException, InterruptedException {
    Path out = Files.createTempFile("child-out", ".txt");
    Path err = Files.createTempFile("child-err", ".txt");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("child JVM did not finish within " + timeout + ": "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
