package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.AgentBridge;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Installs the agent's class file transformer and rewrites the classes that were loaded before it
 * (an attach, or DriverManager loaded before premain). A class that fails to instrument is counted
 * and skipped; it affects no other class.
 */
public final class Instrumentations {
  private Instrumentations() {}

  /**
   * Installs the transformation.
   *
   * @param onError told once per failing class, with a one-line description
   * @param instrumented collects the names of instrumented types (for JMX)
   * @param markCallSites whether application calls of getConnection get site ids
   *     ({@code stackTrace=sampled} at start)
   */
  public static void install(Instrumentation inst, Consumer<String> onError,
      Set<String> instrumented, boolean markCallSites) {
    JdbcClassTransformer transformer = new JdbcClassTransformer(
        inst, AgentBridge.class.getModule(), onError, instrumented, markCallSites);
    try {
      transformer.warmUp();
    } catch (IOException | RuntimeException e) {
      onError.accept("poolagent: the class transformer failed its warm-up and is not installed: " + e);
      return;
    }
    inst.addTransformer(transformer, true);
    retransform(inst, loadedTargets(inst), onError);
  }

  /**
   * Loaded classes that may need weaving: Connections, DataSources and their super classes (which
   * may declare the inherited getConnection), and DriverManager. The transformer decides from their
   * bytes, exactly as for a class loaded later.
   */
  private static List<Class<?>> loadedTargets(Instrumentation inst) {
    Set<Class<?>> targets = new LinkedHashSet<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (type.getName().equals("java.sql.DriverManager")) {
        targets.add(type);
      } else if (!type.isInterface() && !type.isArray() && !type.isPrimitive()
          && (Connection.class.isAssignableFrom(type) || DataSource.class.isAssignableFrom(type))) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
          if (!Ignores.ignored(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
            targets.add(c);
          }
        }
      }
    }
    return new ArrayList<>(targets);
  }

  private static void retransform(Instrumentation inst, List<Class<?>> targets, Consumer<String> onError) {
    if (targets.isEmpty()) {
      return;
    }
    try {
      inst.retransformClasses(targets.toArray(new Class<?>[0]));
    } catch (Throwable batchFailed) {
      for (Class<?> type : targets) { // one by one, so one bad class costs only itself
        try {
          inst.retransformClasses(type);
        } catch (Throwable t) {
          onError.accept("poolagent: could not instrument loaded class " + type.getName()
              + ", other classes are unaffected: " + t);
        }
      }
    }
  }
}
