package io.poolagent.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Reads the class files that a decision about one loading class needs (its super types), without
 * loading or resolving anything. A super type is looked for first in the jar or directory the loading
 * class came from, where it usually is: a plain zip lookup in a jar the class loader already holds
 * open. Only when it is not there is the class loader asked ({@code getResourceAsStream}), which
 * costs about ten times more while the JVM starts (URL parsing, the module lookups of every parent
 * loader). A type shadowed by an earlier class path entry would be read from the wrong copy; a type
 * the agent cannot read at all is answered "unknown" by {@link ConnectionTypes} and checked at run
 * time instead.
 *
 * <p>Used for one loading class and closed after it: no file stays open.
 */
final class ClassFiles implements AutoCloseable {
  /** No home: the class loader alone answers. */
  private static final Home NO_HOME = new Home(null, false);

  private final @Nullable ClassLoader loader;
  private final @Nullable ProtectionDomain domain;
  private final @Nullable Homes homes;
  /** Where the loading class came from; null until a read needs it (most classes need none). */
  private @Nullable Home home;
  private @Nullable ZipFile jar;
  private boolean homeUnreadable;

  private ClassFiles(@Nullable ClassLoader loader, @Nullable ProtectionDomain domain,
      @Nullable Homes homes, @Nullable Home home) {
    this.loader = loader;
    this.domain = domain;
    this.homes = homes;
    this.home = home;
  }

  /**
   * Class files as seen by {@code loader}, for a class defined with {@code domain}.
   *
   * @param homes where the code sources seen before are (they are looked at once each)
   */
  static ClassFiles of(@Nullable ClassLoader loader, @Nullable ProtectionDomain domain, Homes homes) {
    return new ClassFiles(loader, domain, homes, null);
  }

  /** Class files in {@code home} (a jar or directory) first, then as seen by {@code loader}. */
  static ClassFiles in(@Nullable Path home, @Nullable ClassLoader loader) {
    return new ClassFiles(loader, null, null, home == null ? NO_HOME : Home.at(home));
  }

  @Nullable ClassLoader loader() {
    return loader;
  }

  /** The class file of {@code internalName} ({@code a/b/C}), or null when it cannot be read. */
  byte @Nullable [] read(String internalName) {
    String resource = internalName + ".class";
    byte[] bytes = fromHome(resource);
    return bytes != null ? bytes : fromLoader(resource);
  }

  private byte @Nullable [] fromHome(String resource) {
    Home where = home;
    if (where == null) {
      where = homes == null || domain == null ? NO_HOME : homes.of(domain);
      home = where;
    }
    Path path = where.path;
    if (path == null || homeUnreadable) {
      return null;
    }
    try {
      if (where.directory) {
        return Files.readAllBytes(path.resolve(resource));
      }
      ZipFile open = jar;
      if (open == null) {
        open = new ZipFile(path.toFile());
        jar = open;
      }
      ZipEntry entry = open.getEntry(resource);
      if (entry == null) {
        return null;
      }
      try (InputStream in = open.getInputStream(entry)) {
        return in.readAllBytes();
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      homeUnreadable = true; // not a zip after all, or gone: the class loader still answers
      return null;
    }
  }

  private byte @Nullable [] fromLoader(String resource) {
    try (InputStream in = loader == null
        ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    ZipFile open = jar;
    jar = null;
    if (open != null) {
      try {
        open.close();
      } catch (IOException ignored) {
        // read-only; nothing was written
      }
    }
  }

  /** A jar file or class directory; both null/false when the code source is not a local file. */
  static final class Home {
    final @Nullable Path path;
    final boolean directory;

    private Home(@Nullable Path path, boolean directory) {
      this.path = path;
      this.directory = directory;
    }

    static Home at(Path path) {
      return new Home(path, Files.isDirectory(path));
    }
  }

  /**
   * The home of each protection domain seen, found once: turning a code source URL into a path and
   * asking the file system costs more than the read it serves. Weak keys: a domain's entry goes with
   * its class loader.
   */
  static final class Homes {
    private final Map<ProtectionDomain, Home> known = new WeakHashMap<>();

    synchronized Home of(ProtectionDomain domain) {
      Home home = known.get(domain);
      if (home == null) {
        Path path = localHome(domain);
        home = path == null ? NO_HOME : Home.at(path);
        known.put(domain, home);
      }
      return home;
    }
  }

  private static @Nullable Path localHome(ProtectionDomain domain) {
    try {
      CodeSource source = domain.getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location == null || !"file".equals(location.getProtocol())) {
        return null; // nested jars (Spring Boot), remote code: only the class loader can read them
      }
      return Path.of(location.toURI());
    } catch (Exception e) { // URISyntaxException, IllegalArgumentException, SecurityException
      return null;
    }
  }
}
