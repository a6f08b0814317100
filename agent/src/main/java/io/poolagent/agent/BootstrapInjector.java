package io.poolagent.agent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
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
 * prints a warning saying so. Only when defining them fails are they written to a jar in the
 * temporary directory and that jar appended, with one line saying why. They come from one entry of
 * the agent jar, {@link BootstrapBundle}.
 */
final class BootstrapInjector {
  static final String BOOTSTRAP_PREFIX = "io/poolagent/agent/bootstrap/";
  private static final String MARKER = "io.poolagent.agent.bootstrap.AgentBridge";
  /** Of the deferred classes ({@link BootstrapBundle#DEFERRED_ENTRY}). */
  private static final String DEFERRED_MARKER =
      "io.poolagent.agent.shaded.bytebuddy.jar.asm.ClassReader";
  /** Present only in the shaded agent jar, where the leak engine is relocated under bootstrap. */
  static final String ENGINE_ENTRY = BOOTSTRAP_PREFIX + "leak/LeakTracker.class";
  /** By name: a class literal would load it here, in the application's loader, as well. */
  private static final String DEFINER = "io.poolagent.agent.BootClassDefiner";
  private static final String DEFINER_ENTRY = DEFINER.replace('.', '/') + ".class";

  private BootstrapInjector() {}

  /**
   * Defines the bridge, the leak engine and the transformer in the bootstrap loader.
   *
   * @return defines ASM and the weavers built on it there at its first run (see
   *     {@link DeferredClasses}); does nothing where they are on the bootstrap path already
   */
  static Runnable inject(Instrumentation inst) throws IOException {
    File agentJar = agentJar();
    if (onBootstrap(MARKER)) { // an earlier start in this JVM (premain, or an attach) defined them
      return onBootstrap(DEFERRED_MARKER) ? DeferredClasses.NONE : deferredOnly(inst, agentJar);
    }
    // straight from the jar the JVM already holds open: a resource lookup through the class loader
    // would first search the module image and parse URLs, which costs start-up time
    try (ZipFile agent = openJar(agentJar)) {
      byte @Nullable [] definerBytes = definerBytes(agent);
      try {
        BiConsumer<String, ByteBuffer> definer = bootClassDefiner(inst, definerBytes);
        defineBundle(agent, agentJar, BootstrapBundle.ENTRY, definer);
        return new DeferredClasses(definer, agentJar);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        System.err.println("poolagent: could not define the agent's bridge classes in the bootstrap"
            + " class loader (" + e + "); appending them to its search path instead, after which"
            + " the JVM no longer shares the application's classes from a static CDS archive");
        appendToSearchPath(inst, agent, agentJar);
        return DeferredClasses.NONE;
      }
    }
  }

  /**
   * For a later start when the deferred classes are not defined yet (no class needed ASM so far): a
   * definer of its own for them, or nothing when it cannot have one (ASM weaving then fails, one
   * line per class, and those classes load unchanged).
   */
  private static Runnable deferredOnly(Instrumentation inst, @Nullable File agentJar) {
    try (ZipFile agent = openJar(agentJar)) {
      return new DeferredClasses(bootClassDefiner(inst, definerBytes(agent)), agentJar);
    } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
      return DeferredClasses.NONE;
    }
  }

  private static byte @Nullable [] definerBytes(@Nullable ZipFile agent) throws IOException {
    InputStream definerClass = open(agent, DEFINER_ENTRY);
    return definerClass == null ? null : readAll(definerClass);
  }

  /** The agent jar, opened, or null when the agent's classes do not come from a jar file. */
  static @Nullable ZipFile openJar(@Nullable File agentJar) throws IOException {
    return agentJar != null && agentJar.isFile() ? new ZipFile(agentJar) : null;
  }

  /**
   * Defines the classes of one bundle of the agent jar, in its order: each after its super types.
   *
   * @param agent the agent jar, or null to read the bundle as a resource of the agent's loader
   * @param agentJar the agent jar's file, for the message when the bundle is missing
   */
  static void defineBundle(@Nullable ZipFile agent, @Nullable File agentJar, String entry,
      BiConsumer<String, ByteBuffer> definer) throws IOException {
    try (BootstrapBundle bundle = openBundle(agent, agentJar, entry)) {
      for (String name = bundle.next(); name != null; name = bundle.next()) {
        definer.accept(name, bundle.classFile());
      }
    }
  }

  private static BootstrapBundle openBundle(@Nullable ZipFile agent, @Nullable File agentJar,
      String entry) throws IOException {
    InputStream bundle = open(agent, entry);
    if (bundle == null) {
      throw notShaded(agentJar);
    }
    try {
      return new BootstrapBundle(bundle);
    } catch (IOException e) { // not a bundle: closed here, as no caller holds it
      bundle.close();
      throw e;
    }
  }

  /** An entry of the agent jar, or null when it has none of that name. */
  private static @Nullable InputStream open(@Nullable ZipFile agent, String entry)
      throws IOException {
    if (agent == null) {
      return AgentMain.class.getResourceAsStream("/" + entry);
    }
    ZipEntry found = agent.getEntry(entry);
    return found == null ? null : agent.getInputStream(found);
  }

  /**
   * {@link BootClassDefiner}, loaded by a loader of its own and given {@code jdk.internal.misc}:
   * an export to that loader's module, not to the application's class path.
   */
  @SuppressWarnings("unchecked") // BootClassDefiner is a BiConsumer<String, ByteBuffer>
  private static BiConsumer<String, ByteBuffer> bootClassDefiner(Instrumentation inst,
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
    return (BiConsumer<String, ByteBuffer>) definerClass.getConstructor().newInstance();
  }

  /**
   * Writes the classes of both bundles to a new jar in the temporary directory and appends that jar
   * to the bootstrap search path.
   */
  private static void appendToSearchPath(Instrumentation inst, @Nullable ZipFile agent,
      @Nullable File agentJar) throws IOException {
    File bootstrapJar = newBootstrapJarFile();
    bootstrapJar.deleteOnExit();
    try (JarOutputStream jar = new JarOutputStream(new FileOutputStream(bootstrapJar))) {
      for (String entry : new String[] {BootstrapBundle.ENTRY, BootstrapBundle.DEFERRED_ENTRY}) {
        try (BootstrapBundle bundle = openBundle(agent, agentJar, entry)) {
          for (String name = bundle.next(); name != null; name = bundle.next()) {
            ByteBuffer classFile = bundle.classFile();
            jar.putNextEntry(new JarEntry(name.replace('.', '/') + ".class"));
            jar.write(classFile.array(), classFile.arrayOffset() + classFile.position(),
                classFile.remaining());
            jar.closeEntry();
          }
        }
      }
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

  /** True when the bootstrap loader has the class: defined by an earlier start, or on an appended jar. */
  private static boolean onBootstrap(String className) {
    try {
      Class.forName(className, false, null);
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
