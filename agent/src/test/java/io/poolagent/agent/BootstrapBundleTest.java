package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapBundleTest {
  interface Marker {}

  static class Base {}

  static class Middle extends Base implements Marker {}

  static final class Leaf extends Middle {}

  private static byte[] classFile(Class<?> type) throws IOException {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = BootstrapBundleTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no class file " + resource);
      }
      return in.readAllBytes();
    }
  }

  private static byte[] bytesOf(ByteBuffer view) {
    return Arrays.copyOfRange(view.array(), view.arrayOffset() + view.position(),
        view.arrayOffset() + view.limit());
  }

  /** Every class of the bundle, in its order. */
  private static Map<String, byte[]> read(byte[] bundle) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (BootstrapBundle reader = new BootstrapBundle(new ByteArrayInputStream(bundle))) {
      for (String name = reader.next(); name != null; name = reader.next()) {
        classes.put(name, bytesOf(reader.classFile()));
      }
    }
    return classes;
  }

  private static Map<String, byte[]> mostDerivedFirst() throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (Class<?> type : List.of(Leaf.class, Middle.class, Marker.class, Base.class)) {
      classes.put(type.getName(), classFile(type));
    }
    return classes;
  }

  @Test
  void readsBackEveryClassAfterItsSuperTypesWithItsExactBytes() throws IOException {
    Map<String, byte[]> given = mostDerivedFirst();
    Map<String, byte[]> read = read(BootstrapBundleWriter.write(given));
    List<String> order = new ArrayList<>(read.keySet());
    assertEquals(4, order.size());
    assertTrue(order.indexOf(Base.class.getName()) < order.indexOf(Middle.class.getName()), order::toString);
    assertTrue(order.indexOf(Marker.class.getName()) < order.indexOf(Middle.class.getName()), order::toString);
    assertEquals(Leaf.class.getName(), order.get(3));
    for (Map.Entry<String, byte[]> entry : given.entrySet()) {
      assertArrayEquals(entry.getValue(), read.get(entry.getKey()), entry.getKey());
    }
  }

  @Test
  void classFilesLargerThanTheReadersBufferComeBackWhole() throws IOException {
    byte[] large = new byte[100_000]; // the reader's buffer starts at 32 KiB and reads 8 KiB at a time
    new Random(7).nextBytes(large);
    byte[] small = {1, 2, 3};
    // by hand, in the documented layout: the writer reads super types, so it needs real class files
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(BootstrapBundle.MAGIC);
      out.writeInt(2);
      writeClass(out, "a.Large", large);
      writeClass(out, "a.Small", small);
    }
    Map<String, byte[]> read = read(bytes.toByteArray());
    assertEquals(List.of("a.Large", "a.Small"), List.copyOf(read.keySet()));
    assertArrayEquals(large, read.get("a.Large"));
    assertArrayEquals(small, read.get("a.Small"));
  }

  private static void writeClass(DataOutputStream out, String name, byte[] classFile)
      throws IOException {
    out.writeShort(name.length());
    out.writeBytes(name);
    out.writeInt(classFile.length);
    out.write(classFile);
  }

  @Test
  void aCorruptLengthIsRefusedBeforeAnythingIsAllocatedForIt() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(BootstrapBundle.MAGIC);
      out.writeInt(1);
      out.writeShort(3);
      out.writeBytes("a.A");
      out.writeInt(Integer.MAX_VALUE);
    }
    IOException error = assertThrows(IOException.class, () -> read(bytes.toByteArray()));
    assertEquals(BootstrapBundle.ENTRY + " gives class a.A the impossible length 2147483647",
        error.getMessage());
  }

  @Test
  void theDeferredBundleHoldsThePackageAndEveryClassBuiltOnIt() {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    classes.put("x.asm.Visitor", emptyClass("x/asm/Visitor", "java/lang/Object"));
    classes.put("x.asm.sub.Reader", emptyClass("x/asm/sub/Reader", "java/lang/Object"));
    classes.put("x.user.Weaver", emptyClass("x/user/Weaver", "x/asm/Visitor"));
    classes.put("x.user.MarkingWeaver", emptyClass("x/user/MarkingWeaver", "x/user/Weaver"));
    classes.put("x.user.Transformer", emptyClass("x/user/Transformer", "java/lang/Object"));
    classes.put("x.asmless.Other", emptyClass("x/asmless/Other", "java/lang/Object"));
    assertEquals(List.of("x.asm.Visitor", "x.asm.sub.Reader", "x.user.MarkingWeaver", "x.user.Weaver"),
        List.copyOf(BootstrapBundleWriter.deferred(classes, "x.asm").keySet()));
  }

  @Test
  void theWriterRejectsSuperTypesThatNeedEachOther() {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    classes.put("a.A", emptyClass("a/A", "a/B"));
    classes.put("a.B", emptyClass("a/B", "a/A"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> BootstrapBundleWriter.write(classes));
    assertEquals("super types need each other: [a.A, a.B]", error.getMessage());
  }

  @Test
  void aTruncatedOrForeignBundleIsRefusedWithWhatIsWrong() throws IOException {
    byte[] bundle = BootstrapBundleWriter.write(mostDerivedFirst());
    IOException cut = assertThrows(IOException.class,
        () -> read(Arrays.copyOf(bundle, bundle.length - 1)));
    assertEquals(BootstrapBundle.ENTRY + " is cut short: it ends inside class 4 of 4",
        cut.getMessage());
    byte[] longer = Arrays.copyOf(bundle, bundle.length + 1);
    assertEquals(BootstrapBundle.ENTRY + " has bytes after its 4 classes",
        assertThrows(IOException.class, () -> read(longer)).getMessage());
    assertEquals(BootstrapBundle.ENTRY + " is not a pool-agent bootstrap bundle",
        assertThrows(IOException.class, () -> read(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}))
            .getMessage());
  }

  @Test
  void theBuildToolSplitsADirectoryOfClassFilesIntoTwoBundles(@TempDir Path dir) throws IOException {
    Map<String, byte[]> classes = mostDerivedFirst();
    classes.put("x.asm.Visitor", emptyClass("x/asm/Visitor", "java/lang/Object"));
    for (Map.Entry<String, byte[]> entry : classes.entrySet()) {
      Path file = dir.resolve("classes").resolve(entry.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, entry.getValue());
    }
    Path bundle = dir.resolve("out/META-INF/bootstrap.classes");
    Path deferred = dir.resolve("out/META-INF/bootstrap-asm.classes");
    BootstrapBundleWriter.main(new String[] {dir.resolve("classes").toString(), bundle.toString(),
        deferred.toString(), "x.asm"});
    assertEquals(mostDerivedFirst().keySet().stream().sorted().toList(),
        read(Files.readAllBytes(bundle)).keySet().stream().sorted().toList());
    assertEquals(List.of("x.asm.Visitor"), List.copyOf(read(Files.readAllBytes(deferred)).keySet()));
  }

  private static byte[] emptyClass(String internalName, String superName) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, superName, null);
    writer.visitEnd();
    return writer.toByteArray();
  }
}
