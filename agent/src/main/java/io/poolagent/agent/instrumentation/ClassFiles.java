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
 * class came from, where it usually is: a zip lookup in a jar the class loader holds open anyway.
 * Only when it is not there is the class loader asked ({@code getResourceAsStream}), which costs
 * about ten times more while the JVM starts (URL parsing, the module lookups of every parent loader).
 * A type shadowed by an earlier class path entry would be read from the wrong copy; a type the agent
 * cannot read at all is answered "unknown" by {@link ConnectionTypes} and checked at run time instead.
 */
final class ClassFiles implements AutoCloseable {
  /** No home: the class loader alone answers. */
  private static final Home NO_HOME = new Home(null, false);

  private final @Nullable ClassLoader loader;
  private final @Nullable ProtectionDomain domain;
  private final @Nullable Homes homes;
  /** Where the loading class came from; null until a read needs it (most classes need none). */
  private @Nullable Home home;
  /** True when {@link #home} was made for this reader alone and is closed with it. */
  private final boolean ownsHome;

  private ClassFiles(@Nullable ClassLoader loader, @Nullable ProtectionDomain domain,
      @Nullable Homes homes, @Nullable Home home) {
    this.loader = loader;
    this.domain = domain;
    this.homes = homes;
    this.home = home;
    this.ownsHome = home != null;
  }

  /**
   * Class files as seen by {@code loader}, for a class defined with {@code domain}.
   *
   * @param homes the code sources seen before, each looked at once and kept open while its
   *     protection domain lives
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
    Home where = home;
    if (where == null) {
      where = homes == null || domain == null ? NO_HOME : homes.of(domain);
      home = where;
    }
    byte[] bytes = where.read(resource);
    return bytes != null ? bytes : fromLoader(resource);
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
    Home where = home;
    if (ownsHome && where != null) {
      where.close();
    }
  }

  /** A jar file or class directory; a null path when the code source is not a local file. */
  static final class Home {
    private final @Nullable Path path;
    private final boolean directory;
    private @Nullable ZipFile jar;
    private boolean unreadable;

    private Home(@Nullable Path path, boolean directory) {
      this.path = path;
      this.directory = directory;
    }

    static Home at(Path path) {
      return new Home(path, Files.isDirectory(path));
    }

    /** The resource, or null when it is not here or the home cannot be read. */
    synchronized byte @Nullable [] read(String resource) {
      if (path == null || unreadable) {
        return null;
      }
      try {
        if (directory) {
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
        unreadable = true; // not a zip after all, or gone: the class loader still answers
        close();
        return null;
      }
    }

    synchronized void close() {
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
  }

  /**
   * The home of each protection domain seen, found once: turning a code source URL into a path,
   * asking the file system and opening the jar cost more than the reads they serve. The jar stays
   * open (it shares the class loader's open file) while its protection domain is reachable: weak
   * keys, so an undeployed web application's entry goes with its class loader, and the zip file's
   * cleaner closes it.
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
