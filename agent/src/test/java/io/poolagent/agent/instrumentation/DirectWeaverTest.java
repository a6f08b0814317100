package io.poolagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.agent.bootstrap.AgentBridge;
import io.poolagent.leak.LeakListeners;
import io.poolagent.leak.LeakTracker;
import io.poolagent.leak.SourceNames;
import io.poolagent.leak.StackCapture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.BitSet;
import java.util.Objects;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weaves generated classes whose code has the shapes that move offsets around (switches with every
 * padding, a jump back to the first instruction, an object under construction across a branch, wide
 * local variables, handlers, throws), by the direct weaver and, for comparison, by ASM; defines each
 * result in a loader of its own, so the JVM verifies it, and checks through the tracker that every
 * path records exactly the borrows it should.
 */
class DirectWeaverTest {
  private static final String OWNER = "gen/Shapes";
  private static final String CLOSER = "gen/Closer";
  private static final String CONNECTION = "Ljava/sql/Connection;";
  private static LeakTracker tracker;

  @BeforeAll
  static void installBridge() {
    CloseHooksForTests.treatEveryCloseAsWoven();
    AgentBridge.install(new LeakTracker(Duration.ofMinutes(5), StackCapture.OFF,
        LeakListeners.none(), SourceNames.defaults()));
    tracker = Objects.requireNonNull(AgentBridge.tracker());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyPathOfEveryShapeRecordsItsBorrowsWhicheverWeaverWove(boolean direct) throws Exception {
    Class<?> shapes = define(OWNER, weave(shapesClass(), direct));
    Object source = shapes.getConstructor().newInstance();

    assertBorrowed(shapes, source, "loop", 3); // jumps back to offset 0 three times
    for (int pad = 0; pad < 4; pad++) {
      assertBorrowed(shapes, source, "tableSwitch" + pad, 1);
      assertBorrowed(shapes, source, "tableSwitch" + pad, 7); // the default
      assertFails(shapes, source, "tableSwitch" + pad, 2);
      assertBorrowed(shapes, source, "lookupSwitch" + pad, 100);
      assertBorrowed(shapes, source, "lookupSwitch" + pad, 5);
      assertFails(shapes, source, "lookupSwitch" + pad, 200);
    }
    assertBorrowed(shapes, source, "underConstruction", 0);
    assertBorrowed(shapes, source, "underConstruction", 1);
    assertBorrowed(shapes, source, "wideLocals", 9);
    assertBorrowed(shapes, source, "caught", 1); // thrown and caught inside, then returned
    assertBorrowed(shapes, source, "caught", 0);
    assertFails(shapes, source, "caught", -1);

    Connection connection = connection();
    shapes.getField("connection").set(null, connection);
    long before = tracker.acquiredCount();
    assertSame(connection, shapes.getMethod("factory").invoke(null)); // static: counts as a borrow
    assertEquals(before + 1, tracker.acquiredCount());
    tracker.release(connection);
  }

  @Test
  void classesBeforeJava6AreLeftToAsm() {
    byte[] old = shapesClass();
    old[6] = 0;
    old[7] = 49;
    ClassFileSummary type = ClassFileSummary.of(old);
    assertNull(DirectWeaver.weave(type, everyShape(type), -1, "gen.Shapes", true));
  }

  @Test
  void aBranchThatWouldOverflowLeavesTheClassToAsmWhichStillWeavesIt() throws Exception {
    ClassWriter writer = newClass(OWNER, "javax/sql/DataSource");
    MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC, "far", "(I)" + CONNECTION, null, null);
    m.visitCode();
    Label end = new Label();
    m.visitVarInsn(Opcodes.ILOAD, 1);
    m.visitJumpInsn(Opcodes.IFEQ, end); // 32,762 bytes ahead, past a return that gets an exit
    returnConnection(m);
    for (int i = 0; i < 32_755; i++) {
      m.visitInsn(Opcodes.NOP);
    }
    m.visitLabel(end);
    returnConnection(m);
    finish(m);
    writer.visitEnd();
    byte[] original = writer.toByteArray();
    ClassFileSummary type = ClassFileSummary.of(original);
    assertNull(DirectWeaver.weave(type, everyShape(type), -1, "gen.Shapes", true));

    Class<?> far = define(OWNER,
        JdbcClassTransformer.weave(original, type, everyShape(type), -1, false, "gen.Shapes", true,
            () -> {}));
    Object source = far.getConstructor().newInstance();
    assertBorrowed(far, source, "far", 0);
    assertBorrowed(far, source, "far", 1);
  }

  @Test
  void aCloseWithBranchesIsWovenInPlaceAndEndsTheBorrow() throws Exception {
    byte[] original = closerClass();
    ClassFileSummary type = ClassFileSummary.of(original);
    int close = -1;
    for (int i = 0; i < type.methodCount(); i++) {
      close = type.methodNamed(i, "close") ? i : close;
    }
    byte[] woven = DirectWeaver.weave(type, new BitSet(), close, "gen.Closer", true);
    assertNotNull(woven);
    Class<?> closer = define(CLOSER, woven);
    Connection connection = (Connection) closer.getConstructor().newInstance();
    Class<?> shapes = define(OWNER, weave(shapesClass(), true));
    shapes.getField("connection").set(null, connection);
    shapes.getMethod("loop", int.class).invoke(shapes.getConstructor().newInstance(), 0);
    assertTrue(tracker.isOpen(connection));

    connection.close();
    assertFalse(tracker.isOpen(connection), "the woven close() ended the borrow");
    assertEquals(3, closer.getField("passes").get(null), "the original body still ran");
  }

  /**
   * A Connection (by its interface; no other method is needed) whose close() jumps back to its first
   * instruction until it has passed three times.
   */
  private static byte[] closerClass() {
    ClassWriter writer = newClass(CLOSER, "java/sql/Connection");
    writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "passes", "I", null, null).visitEnd();
    MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC, "close", "()V", null, null);
    m.visitCode();
    Label start = new Label();
    Label done = new Label();
    m.visitLabel(start);
    m.visitFieldInsn(Opcodes.GETSTATIC, CLOSER, "passes", "I");
    m.visitInsn(Opcodes.ICONST_3);
    m.visitJumpInsn(Opcodes.IF_ICMPGE, done);
    m.visitFieldInsn(Opcodes.GETSTATIC, CLOSER, "passes", "I");
    m.visitInsn(Opcodes.ICONST_1);
    m.visitInsn(Opcodes.IADD);
    m.visitFieldInsn(Opcodes.PUTSTATIC, CLOSER, "passes", "I");
    m.visitJumpInsn(Opcodes.GOTO, start);
    m.visitLabel(done);
    m.visitInsn(Opcodes.RETURN);
    finish(m);
    writer.visitEnd();
    return writer.toByteArray();
  }

  /** Calls {@code name(argument)} and checks that it returned the connection and recorded it once. */
  private static void assertBorrowed(Class<?> shapes, Object source, String name, long argument)
      throws Exception {
    Connection connection = connection();
    shapes.getField("connection").set(null, connection);
    long before = tracker.acquiredCount();
    Object returned = call(shapes, source, name, argument);
    assertSame(connection, returned, name + "(" + argument + ")");
    assertEquals(before + 1, tracker.acquiredCount(), name + "(" + argument + ") is one borrow");
    assertTrue(tracker.isOpen(connection));
    tracker.release(connection);
  }

  /** Calls {@code name(argument)}, expects its SQLException, then checks nesting is balanced. */
  private static void assertFails(Class<?> shapes, Object source, String name, long argument)
      throws Exception {
    InvocationTargetException thrown =
        assertThrows(InvocationTargetException.class, () -> call(shapes, source, name, argument));
    assertInstanceOf(SQLException.class, thrown.getCause());
    assertBorrowed(shapes, source, "loop", 0); // the failed call left no open nesting level
  }

  private static Object call(Class<?> shapes, Object source, String name, long argument)
      throws Exception {
    for (Method method : shapes.getMethods()) {
      if (method.getName().equals(name)) {
        Class<?> parameter = method.getParameterTypes().length == 0 ? null
            : method.getParameterTypes()[0];
        if (parameter == null) {
          return method.invoke(source);
        }
        return method.invoke(source, parameter == long.class ? (Object) argument
            : (Object) (int) argument);
      }
    }
    throw new AssertionError("no method " + name);
  }

  /** Weaves every method that returns a Connection, directly (which must accept it) or by ASM. */
  private static byte[] weave(byte[] original, boolean direct) {
    ClassFileSummary type = ClassFileSummary.of(original);
    BitSet acquire = everyShape(type);
    byte[] woven = direct ? DirectWeaver.weave(type, acquire, -1, "gen.Shapes", true)
        : AsmWeaving.weave(original, type, acquire, -1, false, "gen.Shapes", true);
    assertNotNull(woven, "the direct weaver handles every shape");
    return woven;
  }

  /** Every declared method that returns a Connection. */
  private static BitSet everyShape(ClassFileSummary type) {
    BitSet methods = new BitSet();
    for (int i = 0; i < type.methodCount(); i++) {
      if (type.methodDescriptor(i).endsWith(")" + CONNECTION)) {
        methods.set(i);
      }
    }
    return methods;
  }

  /** Defines the class in a loader of its own (not yet linked: initialising it verifies it). */
  static Class<?> define(String internalName, byte[] bytes) {
    return new ClassLoader(DirectWeaverTest.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(internalName.replace('/', '.'), bytes, 0, bytes.length);
      }
    }.define();
  }

  private static Connection connection() {
    return (Connection) Proxy.newProxyInstance(DirectWeaverTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (p, m, a) -> null);
  }

  /** A DataSource (by its interface; no other method is needed) with one method per shape. */
  private static byte[] shapesClass() {
    ClassWriter writer = newClass(OWNER, "javax/sql/DataSource");
    ShapeMethods.loop(writer);
    for (int pad = 0; pad < 4; pad++) {
      ShapeMethods.tableSwitch(writer, pad);
      ShapeMethods.lookupSwitch(writer, pad);
    }
    ShapeMethods.underConstruction(writer);
    ShapeMethods.wideLocals(writer);
    ShapeMethods.caught(writer);
    ShapeMethods.factory(writer);
    writer.visitEnd();
    return writer.toByteArray();
  }

  static ClassWriter newClass(String owner, String implemented) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
      @Override
      protected String getCommonSuperClass(String first, String second) {
        return "java/lang/Object"; // the generated code never merges two other types
      }
    };
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, owner, null, "java/lang/Object",
        new String[] {implemented});
    writer.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "connection", CONNECTION, null, null)
        .visitEnd();
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    finish(init);
    return writer;
  }

  static void returnConnection(MethodVisitor m) {
    m.visitFieldInsn(Opcodes.GETSTATIC, OWNER, "connection", CONNECTION);
    m.visitInsn(Opcodes.ARETURN);
  }

  static void finish(MethodVisitor m) {
    m.visitMaxs(0, 0);
    m.visitEnd();
  }
}
