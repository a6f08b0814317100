package io.poolagent.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that keeps running while a test talks to it: commands go to its standard input one per
 * line, and each answer is the next line of its standard output that starts with {@code ok } or
 * {@code error }. Its standard error is kept in a file for assertion messages.
 */
public final class RunningJvm implements AutoCloseable {
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path stderr;

  private RunningJvm(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readAnswers, "running-jvm-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} with this test's class path plus {@code extraClassPath}, then waits for
   * its {@code ok ready} line.
   */
  public static RunningJvm start(List<String> jvmArgs, List<Path> extraClassPath,
      Class<?> mainClass, List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ChildJvm.java());
    command.addAll(jvmArgs);
    command.add("-cp");
    StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
    for (Path p : extraClassPath) {
      classPath.append(java.io.File.pathSeparator).append(p);
    }
    command.add(classPath.toString());
    command.add(mainClass.getName());
    command.addAll(args);
    Path err = Files.createTempFile("running-jvm-err", ".txt");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    RunningJvm jvm = new RunningJvm(process, err);
    String ready = jvm.answer();
    if (!ready.equals("ok ready")) {
      jvm.close();
      throw new AssertionError("child JVM did not start: " + ready + "\n" + jvm.stderr());
    }
    return jvm;
  }

  public long pid() {
    return process.pid();
  }

  /** Sends one command and returns its answer line. */
  public String send(String command) throws IOException, InterruptedException {
    stdin.write(command + "\n");
    stdin.flush();
    return answer();
  }

  /** Everything the child wrote to standard error so far. */
  public String stderr() {
    try {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read the child's standard error: " + e + ")";
    }
  }

  private String answer() throws InterruptedException {
    String line = answers.poll(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (line == null) {
      throw new AssertionError("no answer from child JVM " + pid() + " within " + ANSWER_TIMEOUT
          + " (alive: " + process.isAlive() + ")\n" + stderr());
    }
    return line;
  }

  private void readAnswers() {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("ok ") || line.startsWith("error ")) {
          answers.add(line);
        }
      }
    } catch (IOException e) {
      answers.add("error reading the child's output: " + e);
    }
    answers.add("error the child's output ended (exit code "
        + (process.isAlive() ? "?" : String.valueOf(process.exitValue())) + ")");
  }

  /** Asks the child to exit, and ends it forcibly if it does not within 30 seconds. */
  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        stdin.write("exit\n");
        stdin.flush();
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr);
  }
}
