package io.poolagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.agent.bootstrap.AgentBridge;
import io.poolagent.fixtures.BaseConnection;
import io.poolagent.fixtures.ClosesButIsNoConnection;
import io.poolagent.fixtures.ConnectionHolder;
import io.poolagent.fixtures.FixtureSource;
import io.poolagent.fixtures.MiddleConnection;
import io.poolagent.leak.Borrow;
import io.poolagent.leak.LeakEvent;
import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.SourceNames;
import io.poolagent.leak.StackCapture;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weaves the fixture classes with the agent's transformer, defines them in a class loader of their
 * own (so the JVM verifies the woven bytes) and calls them through the bridge into a real tracker.
 */
class JdbcClassTransformerTest {
  private static final String FIXTURES = "io.poolagent.fixtures.";
  private static LeakTracker tracker;
  private final List<String> errors = new ArrayList<>();
  private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
  /** How often a transformer asked for ASM to be defined (DeferredClasses under the agent). */
  private final AtomicInteger asmDefinitions = new AtomicInteger();
  private final JdbcClassTransformer transformer = new JdbcClassTransformer(noInstrumentation(),
      AgentBridge.class.getModule(), errors::add, instrumented, false, asmDefinitions::incrementAndGet);

  @BeforeAll
  static void installBridge() {
    CloseHooksForTests.treatEveryCloseAsWoven();
    AgentBridge.install(new LeakTracker(Duration.ofMinutes(5), StackCapture.OFF, LeakListeners.none(),
        SourceNames.defaults()));
    tracker = Objects.requireNonNull(AgentBridge.tracker());
  }

  @Test
  void aWovenDataSourceRecordsEachBorrowOnce() throws Exception {
    DataSource source = newSource(null);
    long before = tracker.acquiredCount();
    Connection connection = source.getConnection();
    assertEquals(before + 1, tracker.acquiredCount());
    assertTrue(tracker.isOpen(connection));
    tracker.release(connection);
    assertTrue(instrumented.contains(FIXTURES + "FixtureSource"), instrumented.toString());
    assertEquals(List.of(), errors);
  }

  @Test
  void aBorrowWhoseCloseCannotBeWovenIsNotRecorded() throws Exception {
    WovenLoader loader = new WovenLoader();
    CloseHooksForTests.refuseClassesOf(loader); // its Proxy connection class, among others
    DataSource source = newSource(loader, null);
    long before = tracker.acquiredCount();
    Connection connection = source.getConnection();
    assertEquals(before, tracker.acquiredCount(), "its close() could never end the record");
    assertFalse(tracker.isOpen(connection));
  }

  @Test
  void aThreadsLatestReportingClassDoesNotAnswerForAnotherClass() throws Exception {
    DataSource reporting = newSource(null);
    long before = tracker.acquiredCount();
    tracker.release(reporting.getConnection()); // this thread now remembers a class that reports
    WovenLoader loader = new WovenLoader();
    CloseHooksForTests.refuseClassesOf(loader);
    Connection refused = newSource(loader, null).getConnection();
    assertEquals(before + 1, tracker.acquiredCount(), "only the reporting class's borrow counts");
    assertFalse(tracker.isOpen(refused));
    tracker.release(reporting.getConnection()); // and the remembered class still reports
    assertEquals(before + 2, tracker.acquiredCount());
  }

  @Test
  void aThrowingGetConnectionPassesItsExceptionOnAndLeavesNestingBalanced() throws Exception {
    DataSource source = newSource(null);
    SQLException thrown = assertThrows(SQLException.class, () -> source.getConnection("", "pw"));
    assertEquals("no user", thrown.getMessage());
    long before = tracker.acquiredCount();
    Connection next = source.getConnection("user", "pw");
    assertEquals(before + 1, tracker.acquiredCount(), "the failed call left no open nesting level");
    tracker.release(next);
  }

  @Test
  void aDataSourceThatDelegatesToAnotherCountsOnce() throws Exception {
    DataSource outer = newSource(newSource(null));
    long before = tracker.acquiredCount();
    tracker.release(outer.getConnection());
    assertEquals(before + 1, tracker.acquiredCount());
  }

  @Test
  void aDataSourceCalledFromAnotherObjectsGetConnectionIsRecorded() throws Exception {
    WovenLoader loader = new WovenLoader();
    Object holder = loader.loadClass(FIXTURES + "ConnectionHolder")
        .getConstructor(DataSource.class).newInstance(newSource(loader, null));
    long before = tracker.acquiredCount();
    Connection connection = (Connection) holder.getClass().getMethod("getConnection").invoke(holder);
    assertEquals(before + 1, tracker.acquiredCount());
    tracker.release(connection);
  }

  @Test
  void aConnectionsCloseIsWovenOnlyWhenItsRetransformationAsksForIt() throws Exception {
    assertNull(transform(MiddleConnection.class), "as it loads, a close() alone is left");
    transformer.wantClose(MiddleConnection.class);
    assertFalse(transformer.closeWoven(MiddleConnection.class));
    String name = MiddleConnection.class.getName();
    byte[] woven = transformer.transform(null, getClass().getClassLoader(), name.replace('.', '/'),
        MiddleConnection.class, null, bytes(MiddleConnection.class));
    assertNotNull(woven, "retransformed with its close() wanted");
    assertTrue(transformer.closeWoven(MiddleConnection.class));
    assertTrue(instrumented.contains(name), instrumented.toString());
    // the woven class loads and verifies (initialising it links it)
    Class<?> loaded = DirectWeaverTest.define(name.replace('.', '/'), woven);
    MethodHandles.privateLookupIn(loaded, MethodHandles.lookup()).ensureInitialized(loaded);
    assertTrue(Connection.class.isAssignableFrom(loaded));
    assertEquals(List.of(), errors);
  }

  @Test
  void classesWhoseLoaderCannotSeeTheBridgeAreLeftUnwovenAndStillRun() throws Exception {
    WovenLoader bundle = new WovenLoader() { // an OSGi bundle without boot delegation of the bridge
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(AgentBridge.class.getPackageName())) {
          throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, resolve);
      }
    };
    DataSource source = newSource(bundle, null);
    long before = tracker.acquiredCount();
    assertNotNull(source.getConnection(), "would throw NoClassDefFoundError had it been woven");
    assertEquals(before, tracker.acquiredCount());
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("cannot see " + AgentBridge.class.getName()), errors.get(0));
    assertTrue(errors.get(0).contains("org.osgi.framework.bootdelegation"), errors.get(0));
    Class.forName(FIXTURES + "ConnectionHolder", true, bundle);
    assertEquals(1, errors.size(), "told once per loader: " + errors);
  }

  @Test
  void classesWithoutAnythingToWeaveAreLeftAlone() throws Exception {
    assertNull(transform(ClosesButIsNoConnection.class), "close() on a non-Connection");
    assertNull(transform(BaseConnection.class), "a Connection that declares no close()");
    byte[] whole = bytes(ConnectionHolder.class);
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
    assertNull(transform(ConnectionHolder.class.getName().replace('.', '/'), truncated),
        "malformed bytes are reported, not thrown");
    assertEquals(1, errors.size(), errors.toString());
    assertNull(transform("java/lang/String", bytes(String.class)), "JDK classes are skipped by name");
  }

  @Test
  void aClassTheDirectWeaverHandlesNeverAsksForAsm() throws Exception {
    DataSource source = newSource(null);
    Connection connection = source.getConnection();
    assertTrue(tracker.isOpen(connection));
    tracker.release(connection);
    assertEquals(0, asmDefinitions.get(), "ASM is defined only for what needs it");
  }

  @Test
  void aKnownPoolsConnectionClassHasItsCloseWovenAsItLoadsAndAgainWhenRetransformed()
      throws Exception {
    Class<?> handle = Class.forName("io.poolagent.pool.ConnectionHandle");
    ClassLoader loader = handle.getClassLoader();
    String name = "io/poolagent/pool/ConnectionHandle";
    byte[] atLoad = transformer.transform(null, loader, name, null, null, bytes(handle));
    assertNotNull(atLoad, "woven as it loads");
    assertTrue(new String(atLoad, StandardCharsets.ISO_8859_1).contains(AcquireWeaver.BRIDGE));
    byte[] retransformed = transformer.transform(null, loader, name, handle, null, bytes(handle));
    assertNotNull(retransformed, "another agent's retransformation keeps the woven close()");
    assertTrue(transformer.closeWoven(handle), "the first borrow needs no retransformation");
    assertTrue(transformer.closeWoven(handle), "asked again");

    Class<?> unlisted = Class.forName(FIXTURES + "BaseConnection");
    assertNull(transformer.transform(null, unlisted.getClassLoader(),
        unlisted.getName().replace('.', '/'), null, null, bytes(unlisted)),
        "other connection classes wait for their first borrow");
    assertFalse(transformer.closeWoven(unlisted));
    assertEquals(List.of(), errors);
  }

  @Test
  void aKnownConnectionClassWovenWithoutItsCloseIsNotTakenAsWoven() throws Exception {
    Class<?> handle = Class.forName("io.poolagent.pool.ConnectionHandle");
    // a class file under that name with getConnection methods but no close(): woven, yet no close()
    byte[] woven = transformer.transform(null, handle.getClassLoader(),
        "io/poolagent/pool/ConnectionHandle", null, null, bytes(FixtureSource.class));
    assertNotNull(woven, "its getConnection methods are woven");
    assertFalse(transformer.closeWoven(handle), "its first borrow must still weave the close()");
  }

  @Test
  void markedCallSitesNameEachBorrowsOwnSite() throws Exception {
    JdbcClassTransformer marking = new JdbcClassTransformer(
        noInstrumentation(), AgentBridge.class.getModule(), errors::add, instrumented, true,
        asmDefinitions::incrementAndGet);
    WovenLoader loader = new WovenLoader(marking);
    Object caller = loader.loadClass(FIXTURES + "SiteCaller").getConstructor(DataSource.class)
        .newInstance(newSource(loader, null));
    StackCapture before = tracker.stackCapture();
    tracker.setStackCapture(StackCapture.SAMPLED);
    try {
      Connection first = borrow(caller, "fromFirstSite");
      Connection again = borrow(caller, "fromFirstSite");
      Connection second = borrow(caller, "fromSecondSite");
      List<String> sites = new ArrayList<>();
      for (Borrow borrow : tracker.openBorrows()) {
        Object connection = borrow.get();
        if (connection == first || connection == again || connection == second) {
          sites.add(tracker.snapshot(borrow, LeakEvent.Kind.LEAK, 0).site());
        }
      }
      assertEquals(3, sites.size(), sites.toString());
      assertEquals(2, sites.stream().filter(s -> s.contains("SiteCaller.fromFirstSite")).count(),
          sites.toString());
      assertEquals(1, sites.stream().filter(s -> s.contains("SiteCaller.fromSecondSite")).count(),
          sites.toString());
      assertTrue(asmDefinitions.get() > 0, "marks are woven by ASM, which is defined first");
      tracker.release(first);
      tracker.release(again);
      tracker.release(second);
    } finally {
      tracker.setStackCapture(before);
    }
    assertEquals(List.of(), errors);
  }

  @Test
  void aMarkOnAGetConnectionThatIsNoBorrowIsNotTakenByTheNextBorrow() throws Exception {
    JdbcClassTransformer marking = new JdbcClassTransformer(
        noInstrumentation(), AgentBridge.class.getModule(), errors::add, instrumented, true,
        asmDefinitions::incrementAndGet);
    WovenLoader loader = new WovenLoader(marking);
    DataSource source = newSource(loader, null);
    Object caller = loader.loadClass(FIXTURES + "SiteCaller").getConstructor(DataSource.class)
        .newInstance(source);
    java.sql.Statement statement = (java.sql.Statement) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {java.sql.Statement.class}, (p, m, a) -> null);
    StackCapture before = tracker.stackCapture();
    tracker.setStackCapture(StackCapture.SAMPLED);
    try {
      java.lang.reflect.Method statementCall =
          caller.getClass().getMethod("connectionOf", java.sql.Statement.class);
      statementCall.invoke(caller, statement);
      Connection here = borrowHere(source); // this test's classes carry no marks
      statementCall.invoke(caller, statement);
      Connection there = borrowThere(source);
      assertTrue(siteOf(here).contains(".borrowHere("), siteOf(here));
      assertTrue(siteOf(there).contains(".borrowThere("),
          "its own site, not one taken from the statement's mark: " + siteOf(there));
      tracker.release(here);
      tracker.release(there);
    } finally {
      tracker.setStackCapture(before);
    }
  }

  @Test
  void aGetConnectionThatOverwritesThisIsLeftUnwovenAndTheOtherOneIsWoven() throws Exception {
    byte[] original = classWithThisOverwritingGetConnection();
    byte[] woven = transform("gen/ThisOverwriter", original);
    assertNotNull(woven, "getConnection(user, password) is still woven");
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("gen.ThisOverwriter.getConnection unwoven"), errors.get(0));
    List<String> entered = new ArrayList<>();
    new ClassReader(woven).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor,
          String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitMethodInsn(int opcode, String owner, String called, String desc,
              boolean isInterface) {
            if (called.equals("enterAcquire")) {
              entered.add(name + descriptor);
            }
          }
        };
      }
    }, 0);
    assertEquals(List.of("getConnection(Ljava/lang/String;Ljava/lang/String;)Ljava/sql/Connection;"),
        entered);
    // and the result is a valid class
    Class<?> defined = new ClassLoader(getClass().getClassLoader()) {
      Class<?> define() {
        return defineClass("gen.ThisOverwriter", woven, 0, woven.length);
      }
    }.define();
    Object instance = defined.getConstructor().newInstance();
    assertNull(defined.getMethod("getConnection").invoke(instance));
    assertNull(defined.getMethod("getConnection", String.class, String.class)
        .invoke(instance, "u", "p"));
  }

  /**
   * A class javac cannot produce: its getConnection() stores into local 0 before returning null;
   * its getConnection(user, password) is ordinary.
   */
  private static byte[] classWithThisOverwritingGetConnection() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/ThisOverwriter", null, "java/lang/Object",
        null);
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    returnNull(writer, "()Ljava/sql/Connection;", true);
    returnNull(writer, "(Ljava/lang/String;Ljava/lang/String;)Ljava/sql/Connection;", false);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** A getConnection that returns null, storing null into local 0 first when {@code overwrite}. */
  private static void returnNull(ClassWriter writer, String descriptor, boolean overwrite) {
    MethodVisitor method =
        writer.visitMethod(Opcodes.ACC_PUBLIC, "getConnection", descriptor, null, null);
    method.visitCode();
    if (overwrite) {
      method.visitInsn(Opcodes.ACONST_NULL);
      method.visitVarInsn(Opcodes.ASTORE, 0);
    }
    method.visitInsn(Opcodes.ACONST_NULL);
    method.visitInsn(Opcodes.ARETURN);
    method.visitMaxs(0, 0);
    method.visitEnd();
  }

  private static Connection borrowHere(DataSource source) throws SQLException {
    return source.getConnection();
  }

  private static Connection borrowThere(DataSource source) throws SQLException {
    return source.getConnection();
  }

  private static String siteOf(Connection connection) {
    for (Borrow borrow : tracker.openBorrows()) {
      if (borrow.get() == connection) {
        return tracker.snapshot(borrow, LeakEvent.Kind.LEAK, 0).site();
      }
    }
    throw new AssertionError("not open: " + connection);
  }

  private static Connection borrow(Object caller, String method) throws Exception {
    return (Connection) caller.getClass().getMethod(method).invoke(caller);
  }

  private DataSource newSource(DataSource delegate) throws Exception {
    return newSource(new WovenLoader(), delegate);
  }

  private DataSource newSource(WovenLoader loader, DataSource delegate) throws Exception {
    try {
      return (DataSource) loader.loadClass(FIXTURES + "FixtureSource")
          .getConstructor(DataSource.class).newInstance(delegate);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  private byte[] transform(Class<?> type) throws IOException {
    return transform(type.getName().replace('.', '/'), bytes(type));
  }

  private byte[] transform(String internalName, byte[] bytes) {
    return transformer.transform(null, getClass().getClassLoader(), internalName, null, null, bytes);
  }

  static byte[] bytes(Class<?> type) throws IOException {
    String resource = "/" + type.getName().replace('.', '/') + ".class";
    try (InputStream in = Objects.requireNonNull(type.getResourceAsStream(resource), resource)) {
      return in.readAllBytes();
    }
  }

  private static Instrumentation noInstrumentation() {
    return (Instrumentation) Proxy.newProxyInstance(JdbcClassTransformerTest.class.getClassLoader(),
        new Class<?>[] {Instrumentation.class}, (p, m, a) -> {
          throw new UnsupportedOperationException(m.getName());
        });
  }

  /** Defines the fixture classes itself, woven; everything else comes from the test's loader. */
  private class WovenLoader extends ClassLoader {
    private final JdbcClassTransformer weaver;

    WovenLoader() {
      this(transformer);
    }

    WovenLoader(JdbcClassTransformer weaver) {
      super(JdbcClassTransformerTest.class.getClassLoader());
      this.weaver = weaver;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(FIXTURES)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        try {
          byte[] original = bytes(Class.forName(name, false, getParent()));
          byte[] woven = weaver.transform(null, this, name.replace('.', '/'), null, null, original);
          byte[] chosen = woven == null ? original : woven;
          return defineClass(name, chosen, 0, chosen.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }
}
