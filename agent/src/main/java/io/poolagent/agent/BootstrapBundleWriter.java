package io.poolagent.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Writes the {@link BootstrapBundle}s at build time (agent/pom.xml runs it on the shaded jar's
 * bootstrap classes): {@code java BootstrapBundleWriter <classes directory> <bundle file>
 * <deferred bundle file> <deferred package>}. The deferred bundle holds the classes of the deferred
 * package (the relocated ASM) and every class with a super type among them; the other bundle the
 * rest. Never loaded by the agent itself.
 */
public final class BootstrapBundleWriter {
  private BootstrapBundleWriter() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: BootstrapBundleWriter <classes directory>"
          + " <bundle file> <deferred bundle file> <deferred package, e.g. org.objectweb.asm>");
    }
    Path root = Path.of(args[0]);
    Map<String, byte[]> classes = new TreeMap<>(); // by name: the same bundle from the same classes
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (relative.endsWith(".class")) {
          classes.put(relative.substring(0, relative.length() - 6).replace('/', '.'),
              Files.readAllBytes(file));
        }
      }
    }
    if (classes.isEmpty()) {
      throw new IOException("no class files under " + root);
    }
    Map<String, byte[]> deferred = deferred(classes, args[3]);
    if (deferred.isEmpty()) {
      throw new IOException("no class of package " + args[3] + " under " + root);
    }
    Map<String, byte[]> eager = new TreeMap<>(classes);
    eager.keySet().removeAll(deferred.keySet());
    write(Path.of(args[1]), write(eager));
    write(Path.of(args[2]), write(deferred));
  }

  private static void write(Path file, byte[] bundle) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, bundle);
  }

  /**
   * The classes of {@code deferredPackage} and of its sub-packages, and every class with a super
   * type among them: the classes that cannot be defined before them.
   */
  static Map<String, byte[]> deferred(Map<String, byte[]> classes, String deferredPackage) {
    Map<String, byte[]> deferred = new TreeMap<>();
    for (String name : classes.keySet()) {
      if (isDeferred(name, classes, deferredPackage + ".", new LinkedHashSet<>())) {
        deferred.put(name, classes.get(name));
      }
    }
    return deferred;
  }

  private static boolean isDeferred(String name, Map<String, byte[]> classes, String prefix,
      Set<String> visiting) {
    byte[] classFile = classes.get(name);
    if (classFile == null || !visiting.add(name)) {
      return false; // not ours (a JDK type), or a cycle superTypesFirst names
    }
    if (name.startsWith(prefix)) {
      return true;
    }
    for (String superType : superTypes(classFile)) {
      if (isDeferred(superType, classes, prefix, visiting)) {
        return true;
      }
    }
    return false;
  }

  /** The bundle of {@code classes} (binary name to class file), super types first. */
  static byte[] write(Map<String, byte[]> classes) throws IOException {
    Map<String, byte[]> ordered = superTypesFirst(classes);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(BootstrapBundle.MAGIC);
      out.writeInt(ordered.size());
      for (Map.Entry<String, byte[]> entry : ordered.entrySet()) {
        String name = entry.getKey();
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(name) || name.length() > 0xFFFF) {
          throw new IllegalArgumentException("not an ASCII class name of at most 65535 characters: "
              + name);
        }
        out.writeShort(name.length());
        out.write(name.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(entry.getValue().length);
        out.write(entry.getValue());
      }
    }
    return bytes.toByteArray();
  }

  /**
   * {@code classes} ordered so that each comes after its super class and interfaces among them,
   * otherwise in the given order.
   *
   * @throws IllegalArgumentException when super types among them need each other
   */
  static Map<String, byte[]> superTypesFirst(Map<String, byte[]> classes) {
    Map<String, byte[]> ordered = new LinkedHashMap<>();
    Set<String> visiting = new LinkedHashSet<>(); // the chain, named in order on a cycle
    for (String name : classes.keySet()) {
      add(name, classes, ordered, visiting);
    }
    return ordered;
  }

  private static void add(String name, Map<String, byte[]> classes, Map<String, byte[]> ordered,
      Set<String> visiting) {
    byte[] classFile = classes.get(name);
    if (classFile == null || ordered.containsKey(name)) {
      return; // done, or a super type not among them: the JVM's own, or another jar's
    }
    if (!visiting.add(name)) {
      throw new IllegalArgumentException("super types need each other: " + visiting);
    }
    for (String superType : superTypes(classFile)) {
      add(superType, classes, ordered, visiting);
    }
    visiting.remove(name);
    ordered.put(name, classFile);
  }

  /** The super class and interfaces of a class file, as binary names. */
  private static List<String> superTypes(byte[] classFile) {
    ClassReader reader = new ClassReader(classFile);
    List<String> names = new ArrayList<>();
    if (reader.getSuperName() != null) {
      names.add(reader.getSuperName().replace('/', '.'));
    }
    for (String name : reader.getInterfaces()) {
      names.add(name.replace('/', '.'));
    }
    return names;
  }
}
