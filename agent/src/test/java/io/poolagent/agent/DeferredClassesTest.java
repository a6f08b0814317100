package io.poolagent.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferredClassesTest {
  @TempDir Path dir;

  /** An agent jar holding only a deferred bundle of x.asm.A and x.asm.B extends A. */
  private Path agentJar() throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    classes.put("x.asm.B", emptyClass("x/asm/B", "x/asm/A"));
    classes.put("x.asm.A", emptyClass("x/asm/A", "java/lang/Object"));
    Path jar = dir.resolve("agent.jar");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      zip.putNextEntry(new ZipEntry(BootstrapBundle.DEFERRED_ENTRY));
      zip.write(BootstrapBundleWriter.write(classes));
      zip.closeEntry();
    }
    return jar;
  }

  @Test
  void definesTheDeferredBundleOnceInItsOrder() throws IOException {
    List<String> defined = new ArrayList<>();
    DeferredClasses deferred =
        new DeferredClasses((name, bytes) -> defined.add(name), agentJar().toFile());
    deferred.run();
    deferred.run();
    assertEquals(List.of("x.asm.A", "x.asm.B"), defined);
  }

  @Test
  void afterAFailedDefinitionEveryRunFailsWithTheFirstFailureAndDefinesNothingAgain()
      throws IOException {
    List<String> tried = new ArrayList<>();
    BiConsumer<String, ByteBuffer> failing = (name, bytes) -> {
      tried.add(name);
      throw new LinkageError("duplicate class definition: " + name);
    };
    DeferredClasses deferred = new DeferredClasses(failing, agentJar().toFile());
    IllegalStateException first = assertThrows(IllegalStateException.class, deferred::run);
    assertEquals("ASM could not be defined in the bootstrap class loader:"
        + " java.lang.LinkageError: duplicate class definition: x.asm.A", first.getMessage());
    IllegalStateException again = assertThrows(IllegalStateException.class, deferred::run);
    assertEquals(first.getMessage(), again.getMessage());
    assertEquals(List.of("x.asm.A"), tried);
  }

  @Test
  void aJarWithoutTheBundleIsNamed() throws IOException {
    Path jar = dir.resolve("thin.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.closeEntry();
    }
    DeferredClasses deferred = new DeferredClasses((name, bytes) -> {}, jar.toFile());
    IllegalStateException error = assertThrows(IllegalStateException.class, deferred::run);
    assertTrue(error.getMessage().contains("which is not the shaded pool-agent.jar"),
        error.getMessage());
  }

  private static byte[] emptyClass(String internalName, String superName) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, superName, null);
    writer.visitEnd();
    return writer.toByteArray();
  }
}
