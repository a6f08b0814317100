package io.poolagent.agent.instrumentation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is this type a {@code java.sql.Connection}?" for the type a getConnection returns, while
 * a class is being loaded, when nothing may be resolved through the JVM yet. Super types are read as
 * class files ({@link ClassFiles}: the loading class's own jar first, then its loader) and the
 * answers are cached per loader. JDK types are decided by name: apart from
 * {@code java.sql.Connection} itself, none is a Connection (nor is any {@code javax} type:
 * {@code javax.sql}'s pooled and XA connections are not).
 *
 * <p>A type whose class file cannot be read is {@link Answer#UNKNOWN}: the agent then instruments
 * anyway and the bridge checks the returned object's type at run time, so no borrow is ever missed.
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

  /** Whether the named type (internal name) is a Connection. */
  Answer isConnection(String type, ClassFiles files) {
    return isConnection(type, files, 0);
  }

  private Answer extendsConnection(
      String superName, List<String> interfaceNames, ClassFiles files, int depth) {
    Answer result = superName.isEmpty() ? Answer.NO : isConnection(superName, files, depth + 1);
    for (String name : interfaceNames) {
      if (result == Answer.YES) {
        return result;
      }
      Answer answer = isConnection(name, files, depth + 1);
      if (answer != Answer.NO) {
        result = answer;
      }
    }
    return result;
  }

  private Answer isConnection(String type, ClassFiles files, int depth) {
    if (type.equals(CONNECTION)) {
      return Answer.YES;
    }
    if (type.startsWith("java/") || type.startsWith("javax/") || type.startsWith("jdk/")
        || type.startsWith("sun/") || type.startsWith("com/sun/")) {
      return Answer.NO;
    }
    if (depth > MAX_DEPTH) {
      return Answer.UNKNOWN;
    }
    ClassLoader loader = files.loader();
    Answer cached = cached(type, loader);
    if (cached != null) {
      return cached;
    }
    byte[] bytes = files.read(type);
    Answer answer;
    if (bytes == null) {
      answer = Answer.UNKNOWN;
    } else {
      ClassFileSummary summary = ClassFileSummary.of(bytes);
      answer = extendsConnection(summary.superName(), summary.interfaceNames(), files, depth);
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
}
