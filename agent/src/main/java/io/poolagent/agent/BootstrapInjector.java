package io.poolagent.agent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Puts the classes that advice calls (package {@code io.poolagent.agent.bootstrap}, including the
 * relocated leak engine) on the bootstrap class path, where every class loader sees them: pools in
 * web-app or plugin loaders, the platform loader's {@code java.sql}, and dynamic proxies. Nothing else
 * of ours is made visible there.
 */
final class BootstrapInjector {
  static final String BOOTSTRAP_PREFIX = "io/poolagent/agent/bootstrap/";
  private static final String MARKER = "io.poolagent.agent.bootstrap.AgentBridge";
  /** Present only in the shaded agent jar, where the leak engine is relocated under bootstrap. */
  static final String ENGINE_ENTRY = BOOTSTRAP_PREFIX + "leak/LeakTracker.class";
  /** The bootstrap package as one jar, nested in the shaded agent jar at build time (agent/pom.xml). */
  static final String NESTED_JAR = "/META-INF/poolagent/bootstrap.jar";

  private BootstrapInjector() {}

  static void inject(Instrumentation inst) throws IOException {
    if (alreadyOnBootstrap()) {
      return;
    }
    File bootstrapJar = newBootstrapJarFile();
    bootstrapJar.deleteOnExit();
    File agentJar = agentJar();
    if (agentJar != null && agentJar.isFile()) {
      // straight from the jar the JVM already holds open: a resource lookup through the class
      // loader would first search the module image and parse URLs, which costs start-up time
      try (ZipFile agent = new ZipFile(agentJar)) {
        ZipEntry entry = agent.getEntry(NESTED_JAR.substring(1));
        if (entry == null) {
          throw notShaded(agentJar);
        }
        copy(agent.getInputStream(entry), bootstrapJar);
      }
    } else {
      InputStream nested = AgentMain.class.getResourceAsStream(NESTED_JAR);
      if (nested == null) {
        throw notShaded(agentJar);
      }
      copy(nested, bootstrapJar);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar));
  }

  /** java.io, not NIO channels: those are some forty classes the JVM has not loaded yet. */
  private static void copy(InputStream nested, File bootstrapJar) throws IOException {
    try (InputStream in = nested; OutputStream file = new FileOutputStream(bootstrapJar)) {
      in.transferTo(file);
    }
  }

  private static IOException notShaded(@Nullable File agentJar) {
    return new IOException("the agent classes were loaded from " + agentJar + ", which is not"
        + " the shaded pool-agent.jar (is the agent's thin jar on the application class path?)");
  }

  /**
   * A new, empty file in the temporary directory, named after the clock. Not
   * {@code Files.createTempFile}: its random names seed a {@code SecureRandom}, which alone costs
   * tens of milliseconds of every start-up. {@code createNewFile} creates the file exclusively
   * ({@code O_CREAT|O_EXCL}): it fails on any existing entry, a planted symbolic link included.
   */
  private static File newBootstrapJarFile() throws IOException {
    File dir = new File(System.getProperty("java.io.tmpdir"));
    for (int attempt = 0; ; attempt++) {
      File candidate = new File(dir, "poolagent-bootstrap-" + Long.toHexString(System.nanoTime()) + ".jar");
      if (candidate.createNewFile()) {
        return candidate;
      }
      if (attempt == 100) {
        throw new IOException("could not create a new file in " + dir);
      }
    }
  }

  /** True when an earlier start (premain, or a previous attach) already injected the classes. */
  private static boolean alreadyOnBootstrap() {
    try {
      Class.forName(MARKER, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static @Nullable File agentJar() {
    try {
      var source = AgentMain.class.getProtectionDomain().getCodeSource();
      return source == null ? null : new File(source.getLocation().toURI());
    } catch (URISyntaxException | SecurityException e) {
      return null;
    }
  }
}
