package io.poolagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@link ClassFiles} reads a class file from: the loading class's jar or directory, then its loader. */
class ClassFilesTest {
  private static final byte[] IN_HOME = "from the jar".getBytes(StandardCharsets.UTF_8);
  private static final byte[] FROM_LOADER = "from the loader".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  @Test
  void aTypeBesideTheLoadingClassIsReadFromItsJarAndOthersFromTheLoader() throws IOException {
    Path jar = jarWithHere("app.jar");
    ClassLoader loader = loaderOf(Map.of("a/Here.class", FROM_LOADER, "b/Elsewhere.class", FROM_LOADER));
    try (ClassFiles files = ClassFiles.in(jar, loader)) {
      assertArrayEquals(IN_HOME, files.read("a/Here"));
      assertArrayEquals(FROM_LOADER, files.read("b/Elsewhere"));
      assertNull(files.read("c/Nowhere"));
    }
  }

  @Test
  void theHomeIsFoundFromTheLoadingClassesCodeSource() throws IOException {
    Path jar = jarWithHere("lib.jar");
    ProtectionDomain domain = new ProtectionDomain(
        new CodeSource(jar.toUri().toURL(), (Certificate[]) null), null);
    ProtectionDomain remote = new ProtectionDomain(
        new CodeSource(new URL("https://example.org/lib.jar"), (Certificate[]) null), null);
    ClassLoader loader = loaderOf(Map.of("a/Here.class", FROM_LOADER));
    ClassFiles.Homes homes = new ClassFiles.Homes();
    try (ClassFiles files = ClassFiles.of(loader, domain, homes)) {
      assertArrayEquals(IN_HOME, files.read("a/Here"));
    }
    try (ClassFiles files = ClassFiles.of(loader, remote, homes)) {
      assertArrayEquals(FROM_LOADER, files.read("a/Here"), "not a local file: the loader answers");
    }
  }

  @Test
  void aClassDirectoryIsReadLikeAJar() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.write(dir.resolve("a/Here.class"), IN_HOME);
    try (ClassFiles files = ClassFiles.in(dir, loaderOf(Map.of("b/Elsewhere.class", FROM_LOADER)))) {
      assertArrayEquals(IN_HOME, files.read("a/Here"));
      assertArrayEquals(FROM_LOADER, files.read("b/Elsewhere"));
    }
  }

  @Test
  void aHomeThatIsNoZipLeavesTheLoaderToAnswer() throws IOException {
    Path notAJar = dir.resolve("broken.jar");
    Files.write(notAJar, "not a zip".getBytes(StandardCharsets.UTF_8));
    try (ClassFiles files = ClassFiles.in(notAJar, loaderOf(Map.of("a/Here.class", FROM_LOADER)))) {
      assertArrayEquals(FROM_LOADER, files.read("a/Here"));
      assertArrayEquals(FROM_LOADER, files.read("a/Here"), "and again, without retrying the file");
    }
  }

  @Test
  void withoutAHomeOrALoaderTheSystemResourcesAnswer() throws IOException {
    try (ClassFiles files = ClassFiles.of(null, null, new ClassFiles.Homes())) {
      byte[] bytes = files.read("io/poolagent/agent/instrumentation/ClassFilesTest");
      assertArrayEquals(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE},
          java.util.Arrays.copyOf(bytes == null ? new byte[0] : bytes, 4));
    }
  }

  /** A jar in the temporary directory holding {@code a/Here.class} = {@link #IN_HOME}. */
  private Path jarWithHere(String name) throws IOException {
    Path jar = dir.resolve(name);
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new ZipEntry("a/Here.class"));
      out.write(IN_HOME);
      out.closeEntry();
    }
    return jar;
  }

  /** A loader whose only resources are {@code resources}. */
  private static ClassLoader loaderOf(Map<String, byte[]> resources) {
    return new ClassLoader(null) {
      @Override
      public @Nullable InputStream getResourceAsStream(String name) {
        byte[] bytes = resources.get(name);
        return bytes == null ? null : new ByteArrayInputStream(bytes);
      }
    };
  }

}
