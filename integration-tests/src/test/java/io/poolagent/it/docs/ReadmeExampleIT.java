package io.poolagent.it.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.it.support.PostgresExtension;
import io.poolagent.it.support.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool example in README ("Embedding the pool") compiles as printed and runs against the real
 * PostgreSQL, as a newcomer would copy it.
 */
@ExtendWith(PostgresExtension.class)
class ReadmeExampleIT {
  @TempDir
  Path dir;

  static String example(String markdown, String section) {
    int at = markdown.indexOf(section);
    int start = markdown.indexOf("```java\n", at) + "```java\n".length();
    int end = markdown.indexOf("```", start);
    return markdown.substring(start, end);
  }

  @Test
  void theEmbeddingExampleCompilesAndRuns(TestDatabase db) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String source = example(readme, "### 6. Embedding the pool")
        .replace("jdbc:postgresql://127.0.0.1:5432/test", db.jdbcUrl())
        .replace(".user(\"postgres\")", ".user(\"" + db.user() + "\")");
    Path file = dir.resolve("Example.java");
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath = System.getProperty("java.class.path");
    int compiled = javac.run(null, null, null, "-d", dir.toString(), "-cp", classPath, file.toString());
    assertEquals(0, compiled, "README's example does not compile:\n" + source);
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", dir + File.pathSeparator + classPath, "Example")
        .redirectErrorStream(true);
    builder.environment().put("DB_PASSWORD", db.password());
    Process run = builder.start();
    run.getOutputStream().close();
    assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the example did not finish");
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, run.exitValue(), output);
    List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("PostgreSQL")), output);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHY")), output);
  }
}
