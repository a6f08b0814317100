package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.AgentBridge;
import io.poolagent.agent.bootstrap.CloseHooks;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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
   * @param agentJar the agent jar, or null when unknown (its classes are then read as resources)
   * @param onError told once per failing class, with a one-line description
   * @param instrumented collects the names of instrumented types (for JMX)
   * @param markCallSites whether application calls of getConnection get site ids
   *     ({@code stackTrace=sampled} at start)
   * @param defineAsm run before ASM is first used, from any thread: defines ASM and the weavers
   *     built on it in the bootstrap loader the first time (most start-ups never need them)
   */
  public static boolean install(Instrumentation inst, @Nullable Path agentJar,
      Consumer<String> onError, Set<String> instrumented, boolean markCallSites,
      Runnable defineAsm) {
    JdbcClassTransformer transformer = new JdbcClassTransformer(
        inst, AgentBridge.class.getModule(), onError, instrumented, markCallSites, defineAsm);
    try {
      transformer.warmUp(agentJar);
    } catch (IOException | RuntimeException e) {
      onError.accept("poolagent: the class transformer failed its warm-up and is not installed: " + e);
      return false;
    }
    CloseHooks.install(new CloseWeaving(inst, transformer, onError));
    inst.addTransformer(transformer, true);
    retransform(inst, loadedTargets(inst), onError);
    return true;
  }

  /**
   * Loaded classes that may need weaving: DataSources and their super classes (which may declare the
   * inherited getConnection), and DriverManager. The transformer decides from their bytes, exactly
   * as for a class loaded later. Connection classes are woven at their first borrow, loaded or not.
   */
  private static List<Class<?>> loadedTargets(Instrumentation inst) {
    Set<Class<?>> targets = new LinkedHashSet<>();
    // looked up, not named: this class may be loaded by the bootstrap loader, which cannot see java.sql
    Class<?> dataSource = platformClass("javax.sql.DataSource");
    if (dataSource == null) {
      return List.of(); // a runtime without the java.sql module has no JDBC classes to weave
    }
    Module sql = dataSource.getModule();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      // names only for java.sql's own classes: computing every loaded class's name costs start-up
      if (type.getModule() == sql && type.getName().equals("java.sql.DriverManager")) {
        targets.add(type);
      } else if (dataSource.isAssignableFrom(type) && !type.isInterface()) {
        // the one native call first: no array or primitive type is a DataSource
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
          if (!Ignores.ignored(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
            targets.add(c);
          }
        }
      }
    }
    return new ArrayList<>(targets);
  }

  private static @Nullable Class<?> platformClass(String name) {
    try {
      return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
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
