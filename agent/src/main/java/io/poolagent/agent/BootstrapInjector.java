package io.poolagent.agent;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Puts the classes that advice calls (package {@code io.poolagent.agent.bootstrap}, including the
 * relocated leak engine) and the transformer with its relocated ASM into the bootstrap class loader,
 * where every class loader sees them: pools in web-app or plugin loaders, the platform loader's
 * {@code java.sql}, and dynamic proxies. Nothing else of ours is made visible there.
 *
 * <p>They are defined there one by one ({@link BootClassDefiner}), not by appending a jar to the
 * bootstrap search path: after that append the JVM no longer shares the platform's and the
 * application's classes from a static CDS archive (the JDK's default one, an AppCDS archive), and
 * prints a warning saying so. Only when defining them fails is the jar appended, with one line
 * saying why.
 */
final class BootstrapInjector {
  static final String BOOTSTRAP_PREFIX = "io/poolagent/agent/bootstrap/";
  private static final String MARKER = "io.poolagent.agent.bootstrap.AgentBridge";
  /** Present only in the shaded agent jar, where the leak engine is relocated under bootstrap. */
  static final String ENGINE_ENTRY = BOOTSTRAP_PREFIX + "leak/LeakTracker.class";
  /** The bootstrap package as one jar, nested in the shaded agent jar at build time (agent/pom.xml). */
  static final String NESTED_JAR = "/META-INF/poolagent/bootstrap.jar";
  /** By name: a class literal would load it here, in the application's loader, as well. */
  private static final String DEFINER = "io.poolagent.agent.BootClassDefiner";
  private static final String DEFINER_ENTRY = DEFINER.replace('.', '/') + ".class";

  private BootstrapInjector() {}

  static void inject(Instrumentation inst) throws IOException {
    if (alreadyOnBootstrap()) {
      return;
    }
    byte[] nestedJar;
    byte @Nullable [] definer;
    File agentJar = agentJar();
    if (agentJar != null && agentJar.isFile()) {
      // straight from the jar the JVM already holds open: a resource lookup through the class
      // loader would first search the module image and parse URLs, which costs start-up time
      try (ZipFile agent = new ZipFile(agentJar)) {
        ZipEntry entry = agent.getEntry(NESTED_JAR.substring(1));
        if (entry == null) {
          throw notShaded(agentJar);
        }
        nestedJar = readAll(agent.getInputStream(entry));
        ZipEntry definerEntry = agent.getEntry(DEFINER_ENTRY);
        definer = definerEntry == null ? null : readAll(agent.getInputStream(definerEntry));
      }
    } else {
      InputStream nested = AgentMain.class.getResourceAsStream(NESTED_JAR);
      if (nested == null) {
        throw notShaded(agentJar);
      }
      nestedJar = readAll(nested);
      InputStream definerClass = AgentMain.class.getResourceAsStream("BootClassDefiner.class");
      definer = definerClass == null ? null : readAll(definerClass);
    }
    try {
      defineInOrder(classesIn(nestedJar), bootClassDefiner(inst, definer));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      System.err.println("poolagent: could not define the agent's bridge classes in the bootstrap"
          + " class loader (" + e + "); appending them to its search path instead, after which the"
          + " JVM no longer shares the application's classes from a static CDS archive");
      appendToSearchPath(inst, nestedJar);
    }
  }

  /**
   * {@link BootClassDefiner}, loaded by a loader of its own and given {@code jdk.internal.misc}:
   * an export to that loader's module, not to the application's class path.
   */
  @SuppressWarnings("unchecked") // BootClassDefiner is a BiConsumer<String, byte[]>
  private static BiConsumer<String, byte[]> bootClassDefiner(Instrumentation inst,
      byte @Nullable [] definerBytes) throws ReflectiveOperationException {
    if (definerBytes == null) {
      throw new IllegalStateException(DEFINER_ENTRY + " is missing from the agent jar");
    }
    Module javaBase = Object.class.getModule();
    if (!inst.isModifiableModule(javaBase)) {
      throw new IllegalStateException("java.base is not modifiable");
    }
    Class<?> definerClass = new DefinerLoader().define(definerBytes);
    inst.redefineModule(javaBase, Set.of(),
        Map.of("jdk.internal.misc", Set.of(definerClass.getModule())), Map.of(), Set.of(), Map.of());
    return (BiConsumer<String, byte[]>) definerClass.getConstructor().newInstance();
  }

  /**
   * Defines every class, each after its super class and interfaces among them: a class whose
   * super type is not defined yet fails with a {@code NoClassDefFoundError} naming it and is
   * tried again in the next round.
   *
   * @throws NoClassDefFoundError when a class needs a type that is neither defined nor among them
   */
  static void defineInOrder(Map<String, byte[]> classes, BiConsumer<String, byte[]> definer) {
    Map<String, byte[]> pending = new LinkedHashMap<>(classes);
    while (!pending.isEmpty()) {
      int before = pending.size();
      for (Iterator<Map.Entry<String, byte[]>> it = pending.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, byte[]> next = it.next();
        try {
          definer.accept(next.getKey(), next.getValue());
          it.remove();
        } catch (NoClassDefFoundError missing) {
          if (!pending.containsKey(String.valueOf(missing.getMessage()).replace('/', '.'))) {
            throw missing;
          }
        }
      }
      if (pending.size() == before) {
        throw new IllegalStateException("no order defines " + pending.keySet());
      }
    }
  }

  /** The classes of the nested jar by binary name, in the jar's order. */
  private static Map<String, byte[]> classesIn(byte[] nestedJar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(nestedJar))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        String name = entry.getName();
        if (name.endsWith(".class")) {
          classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
        }
      }
    }
    return classes;
  }

  private static void appendToSearchPath(Instrumentation inst, byte[] nestedJar)
      throws IOException {
    File bootstrapJar = newBootstrapJarFile();
    bootstrapJar.deleteOnExit();
    try (OutputStream file = new FileOutputStream(bootstrapJar)) {
      file.write(nestedJar);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (InputStream stream = in) {
      return stream.readAllBytes();
    }
  }

  /** A loader of its own for {@link BootClassDefiner}: its module alone gets the JDK's export. */
  private static final class DefinerLoader extends ClassLoader {
    DefinerLoader() {
      super("poolagent-boot-definer", null);
    }

    Class<?> define(byte[] bytes) {
      return defineClass(DEFINER, bytes, 0, bytes.length);
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
