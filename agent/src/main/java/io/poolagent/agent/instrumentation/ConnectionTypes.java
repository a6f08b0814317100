package io.poolagent.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is this type a {@code java.sql.Connection}?" while a class is being loaded, when nothing
 * may be resolved through the JVM yet. Super types are read as class files from the loader that
 * defines the class (as {@code getResource} returns them) and the answers are cached per loader.
 * JDK types are decided by name: apart from {@code java.sql.Connection} itself, none is a Connection.
 *
 * <p>A type whose class file cannot be read is {@link Answer#UNKNOWN}: the agent then instruments
 * anyway and the bridge checks the object's type at run time, so no close() is ever missed.
 */
final class ConnectionTypes {
  static final String CONNECTION = "java/sql/Connection";
  /** Deeper hierarchies than this are answered UNKNOWN rather than walked further. */
  private static final int MAX_DEPTH = 32;

  enum Answer {
    YES,
    NO,
    UNKNOWN;

    boolean possible() {
      return this != NO;
    }
  }

  private final Map<ClassLoader, Map<String, Answer>> byLoader = new WeakHashMap<>();
  private final Map<String, Answer> bootstrap = new HashMap<>();

  /** Whether a class with these direct super types is a Connection. */
  Answer extendsConnection(String superName, List<String> interfaceNames, @Nullable ClassLoader loader) {
    return extendsConnection(superName, interfaceNames, loader, 0);
  }

  /** Whether the named type (internal name) is a Connection. */
  Answer isConnection(String type, @Nullable ClassLoader loader) {
    return isConnection(type, loader, 0);
  }

  private Answer extendsConnection(
      String superName, List<String> interfaceNames, @Nullable ClassLoader loader, int depth) {
    Answer result = superName.isEmpty() ? Answer.NO : isConnection(superName, loader, depth + 1);
    for (String name : interfaceNames) {
      if (result == Answer.YES) {
        return result;
      }
      Answer answer = isConnection(name, loader, depth + 1);
      if (answer != Answer.NO) {
        result = answer;
      }
    }
    return result;
  }

  private Answer isConnection(String type, @Nullable ClassLoader loader, int depth) {
    if (type.equals(CONNECTION)) {
      return Answer.YES;
    }
    if (type.startsWith("java/") || type.startsWith("jdk/") || type.startsWith("sun/")
        || type.startsWith("com/sun/")) {
      return Answer.NO;
    }
    if (depth > MAX_DEPTH) {
      return Answer.UNKNOWN;
    }
    Answer cached = cached(type, loader);
    if (cached != null) {
      return cached;
    }
    byte[] bytes = read(type, loader);
    Answer answer;
    if (bytes == null) {
      answer = Answer.UNKNOWN;
    } else {
      ClassFileSummary summary = ClassFileSummary.of(bytes);
      answer = extendsConnection(summary.superName(), summary.interfaceNames(), loader, depth);
    }
    if (answer != Answer.UNKNOWN) {
      remember(type, loader, answer);
    }
    return answer;
  }

  private synchronized @Nullable Answer cached(String type, @Nullable ClassLoader loader) {
    Map<String, Answer> answers = loader == null ? bootstrap : byLoader.get(loader);
    return answers == null ? null : answers.get(type);
  }

  private synchronized void remember(String type, @Nullable ClassLoader loader, Answer answer) {
    Map<String, Answer> answers =
        loader == null ? bootstrap : byLoader.computeIfAbsent(loader, l -> new HashMap<>());
    answers.put(type, answer);
  }

  private static byte @Nullable [] read(String type, @Nullable ClassLoader loader) {
    String resource = type + ".class";
    try (InputStream in = loader == null
        ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
