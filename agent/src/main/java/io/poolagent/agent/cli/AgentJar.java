package io.poolagent.agent.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The pool-agent.jar this command runs from: the jar it loads into other JVMs. */
final class AgentJar {
  private AgentJar() {}

  static Path locate() throws CliFailure {
    try {
      var source = AgentJar.class.getProtectionDomain().getCodeSource();
      if (source != null) {
        Path jar = Path.of(source.getLocation().toURI());
        if (Files.isRegularFile(jar) && jar.toString().endsWith(".jar")) {
          return jar.toAbsolutePath();
        }
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // reported below
    }
    throw new CliFailure(ExitCode.UNEXPECTED, "cannot find the agent jar to load; run this command"
        + " as java -jar pool-agent.jar");
  }
}
