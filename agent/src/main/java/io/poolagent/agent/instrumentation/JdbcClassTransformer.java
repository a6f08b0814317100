package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.PoolFrames;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The agent's one class file transformer. Each class the JVM loads is first judged by name
 * ({@link Ignores}) and by a summary of its own bytes ({@link ClassFileSummary}); only classes that
 * declare a getConnection of interest are rewritten as they load, and a connection class's close()
 * only when {@link CloseWeaving} retransforms it at the first borrow of one of its connections (the
 * classes of known pools' connections, {@link KnownPools#isPoolConnection}, as they load). Either
 * is woven in place, method by method ({@link DirectWeaver}), or by ASM (the copy inside Byte Buddy,
 * {@link AsmWeaving}, defined at its first use) for call-site marks and the code shapes the direct
 * weaver leaves; either way with no frame computation and no class loading. Anything that goes
 * wrong is counted and reported once per class; the class then loads unchanged.
 */
final class JdbcClassTransformer implements ClassFileTransformer {
  private final Instrumentation inst;
  private final Module bridgeModule;
  private final ConnectionTypes types = new ConnectionTypes();
  private final ClassFiles.Homes homes = new ClassFiles.Homes();
  private final LoaderVisibility visibility = new LoaderVisibility();
  private final Consumer<String> onError;
  private final Set<String> instrumented;
  private final boolean markCallSites;
  private final Runnable defineAsm;
  private final Set<String> failed = ConcurrentHashMap.newKeySet();
  /**
   * Classes whose close() is wanted ({@link CloseWeaving}): false until a transformation wove it.
   * Kept for as long as the class lives, so a later retransformation (another agent's) weaves it again.
   */
  private final Map<Class<?>, Boolean> closeClasses = new WeakHashMap<>();
  /**
   * Known pools' connection classes ({@link KnownPools#isPoolConnection}) whose close() was woven as
   * they loaded, by loader (null: the bootstrap loader): there is no Class object yet to key them by.
   * Guarded by {@link #closeClasses}, into which the first question about one moves it.
   */
  private final Map<@Nullable ClassLoader, Set<String>> closeWovenAtLoad = new WeakHashMap<>();
  /** Set while this thread transforms a class (any transformer of ours: there is one per JVM). */
  private static final ThreadLocal<boolean[]> BUSY = new ThreadLocal<>() { // no lambda: premain
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  };

  /**
   * @param markCallSites whether to mark application calls of getConnection with site ids (for
   *     {@code stackTrace=sampled})
   * @param defineAsm run before ASM is first used, from any thread: defines ASM and the weavers
   *     built on it in the bootstrap loader the first time, and throws when they cannot be
   */
  JdbcClassTransformer(Instrumentation inst, Module bridgeModule, Consumer<String> onError,
      Set<String> instrumented, boolean markCallSites, Runnable defineAsm) {
    this.inst = inst;
    this.markCallSites = markCallSites;
    this.defineAsm = defineAsm;
    this.bridgeModule = bridgeModule;
    this.onError = onError;
    this.instrumented = instrumented;
  }

  /**
   * Weaves {@link WarmUpClasses} without defining them, loading every class weaving needs; call
   * before registering the transformer.
   *
   * @param agentJar the agent jar, where the warm-up class files are read from
   */
  void warmUp(@Nullable Path agentJar) throws IOException {
    Ignores.ignored(WarmUpClasses.class.getName().replace('.', '/'));
    for (String name : WarmUpClasses.NAMES) {
      byte[] bytes = WarmUpClasses.bytesOf(name, agentJar);
      if (instrument(null, null, null, name, bytes, true, null, false) == null) {
        throw new IllegalStateException("warm-up class not woven: " + name);
      }
      if (markCallSites) { // marks are woven by ASM (defined here), which the direct weaver is not
        ClassFileSummary type = ClassFileSummary.of(bytes);
        BitSet acquire = new BitSet();
        for (int i = 0; i < type.methodCount(); i++) {
          acquire.set(i, type.methodNamed(i, "getConnection"));
        }
        weave(bytes, type, acquire, -1, true, name, true, defineAsm);
      }
    }
    instrumented.clear();
  }

  @Override
  public byte @Nullable [] transform(@Nullable Module module, @Nullable ClassLoader loader,
      @Nullable String className, @Nullable Class<?> redefined, @Nullable ProtectionDomain domain,
      byte[] bytes) {
    boolean[] flag = BUSY.get();
    if (flag[0] || className == null || Ignores.ignored(className)) {
      return null; // the first check: a class loaded while this thread transforms another (our own)
    }
    flag[0] = true;
    try {
      Class<?> closeOf = redefined != null && wantsClose(redefined) ? redefined : null;
      boolean closeAtLoad = redefined == null && KnownPools.isPoolConnection(className);
      return instrument(module, loader, domain, className, bytes, closeOf != null || closeAtLoad,
          closeOf, closeAtLoad);
    } catch (Throwable t) {
      if (failed.add(className)) {
        onError.accept("poolagent: could not instrument " + className.replace('/', '.')
            + ", other classes are unaffected: " + t);
      }
      return null;
    } finally {
      flag[0] = false;
    }
  }

  /** Asks the next transformation of {@code type} to weave its close(). */
  void wantClose(Class<?> type) {
    synchronized (closeClasses) {
      closeClasses.putIfAbsent(type, Boolean.FALSE);
    }
  }

  /** Withdraws {@link #wantClose}, after a retransformation failed. */
  void forgetClose(Class<?> type) {
    synchronized (closeClasses) {
      closeClasses.remove(type);
    }
  }

  /** True when a transformation of {@code type} wove its close(), as it loaded or since. */
  boolean closeWoven(Class<?> type) {
    synchronized (closeClasses) {
      Boolean woven = closeClasses.get(type);
      if (woven == null && wovenAtLoad(type, true)) {
        closeClasses.put(type, Boolean.TRUE);
        return true;
      }
      return Boolean.TRUE.equals(woven);
    }
  }

  /** Also true for a class woven as it loaded: a later retransformation must weave it again. */
  private boolean wantsClose(Class<?> type) {
    synchronized (closeClasses) {
      return closeClasses.containsKey(type) || wovenAtLoad(type, false);
    }
  }

  private void closeWovenAtLoad(@Nullable ClassLoader loader, String className) {
    synchronized (closeClasses) {
      Set<String> names = closeWovenAtLoad.get(loader);
      if (names == null) { // not computeIfAbsent: a lambda costs start-up time where this first runs
        names = new HashSet<>();
        closeWovenAtLoad.put(loader, names);
      }
      names.add(className);
    }
  }

  /** Whether {@code type}'s close() was woven as it loaded; {@code forget} drops that record. */
  private boolean wovenAtLoad(Class<?> type, boolean forget) {
    Set<String> names = closeWovenAtLoad.get(type.getClassLoader());
    String name = type.getName().replace('.', '/');
    return names != null && (forget ? names.remove(name) : names.contains(name));
  }

  private void closeWovenInto(Class<?> type) {
    synchronized (closeClasses) {
      closeClasses.replace(type, Boolean.TRUE);
    }
  }

  /**
   * @param weaveClose whether to weave the class's close(): a connection class retransformed by
   *     {@link CloseWeaving}, a known pool's connection class as it loads, or a warm-up class
   * @param closeOf the class being retransformed for its close(), marked once it is woven
   * @param closeAtLoad a known pool's connection class loading: recorded once its close() is woven
   */
  private byte @Nullable [] instrument(@Nullable Module module, @Nullable ClassLoader loader,
      @Nullable ProtectionDomain domain, String className, byte[] bytes, boolean weaveClose,
      @Nullable Class<?> closeOf, boolean closeAtLoad) {
    boolean driverManager = className.equals(DriverManagerInstrumentation.DRIVER_MANAGER);
    if (!driverManager && !ClassFileSummary.declaresWovenMethod(bytes, weaveClose, markCallSites)) {
      return null;
    }
    ClassFileSummary type = ClassFileSummary.of(bytes);
    if (type.isSynthetic()) {
      return null;
    }
    BitSet acquire;
    try (ClassFiles files = ClassFiles.of(loader, domain, homes)) {
      acquire = driverManager ? DriverManagerInstrumentation.methods(type)
          : DataSourceInstrumentation.methods(type, files, types);
    }
    int close = weaveClose && !driverManager ? ConnectionInstrumentation.closeMethod(type) : -1;
    String origin = className.replace('/', '.');
    // a pool's own calls of getConnection are never an application's acquisition site
    boolean marks = markCallSites && !driverManager && !PoolFrames.isPoolClass(origin)
        && type.referencesMethodNamed("getConnection");
    boolean physical = driverManager || !KnownPools.isPoolEntry(origin);
    if (acquire.isEmpty() && close < 0 && !marks) {
      return null;
    }
    String missing = visibility.missing(loader, !acquire.isEmpty());
    if (missing != null) {
      if (failed.add("loader " + System.identityHashCode(loader) + " " + missing)) {
        onError.accept("poolagent: left the JDBC classes of " + loader + " uninstrumented (first: "
            + origin + "): they cannot see " + missing + ". Under OSGi add io.poolagent.agent.bootstrap"
            + " to org.osgi.framework.bootdelegation; under JBoss Modules add it to"
            + " jboss.modules.system.pkgs");
      }
      return null;
    }
    byte[] woven = null;
    while (woven == null) {
      if (acquire.isEmpty() && close < 0 && !marks) {
        return null;
      }
      try {
        woven = weave(bytes, type, acquire, close, marks, origin, physical, defineAsm);
      } catch (AcquireWeaver.WritesThis e) {
        acquire.clear(e.method()); // weave the rest again without it
        if (failed.add(className)) {
          onError.accept("poolagent: left " + origin + ".getConnection"
              + " unwoven: its code reuses the local variable that holds 'this'");
        }
      }
    }
    if (module != null && module.isNamed() && !module.canRead(bridgeModule)) {
      // woven code calls the bridge, which lives in the bootstrap loader's unnamed module
      inst.redefineModule(module, Set.of(bridgeModule), Map.of(), Map.of(), Set.of(), Map.of());
    }
    if (!acquire.isEmpty() || close >= 0) {
      instrumented.add(origin);
    }
    if (close >= 0 && closeOf != null) {
      closeWovenInto(closeOf);
    } else if (close >= 0 && closeAtLoad) {
      closeWovenAtLoad(loader, className);
    }
    return woven;
  }

  /**
   * The class with the given methods woven: directly where it can, else by ASM.
   *
   * @param defineAsm run before ASM is first used: defines it where it is not loaded yet
   */
  static byte[] weave(byte[] bytes, ClassFileSummary type, BitSet acquire, int close,
      boolean marks, String origin, boolean physical, Runnable defineAsm) {
    if (!marks) {
      byte[] patched = DirectWeaver.weave(type, acquire, close, origin, physical);
      if (patched != null) {
        return patched;
      }
    }
    defineAsm.run();
    return AsmWeaving.weave(bytes, type, acquire, close, marks, origin, physical);
  }
}
