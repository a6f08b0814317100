package io.poolagent.agent.instrumentation;

import static io.poolagent.agent.instrumentation.DirectWeaverTest.finish;
import static io.poolagent.agent.instrumentation.DirectWeaverTest.returnConnection;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The generated getConnection-like methods of {@link DirectWeaverTest}, one code shape each. Every one
 * returns the generated class's static {@code connection}, or throws an SQLException on one path.
 */
final class ShapeMethods {
  private static final String RETURNS = ")Ljava/sql/Connection;";
  private static final String SQL_EXCEPTION = "java/sql/SQLException";

  private ShapeMethods() {}

  /** Counts its argument down, jumping back to the method's first instruction each time. */
  static void loop(ClassWriter writer) {
    MethodVisitor m = method(writer, "loop", "(I");
    Label start = new Label();
    Label done = new Label();
    Label end = new Label();
    m.visitLabel(start);
    m.visitLineNumber(10, start);
    m.visitVarInsn(Opcodes.ILOAD, 1);
    m.visitJumpInsn(Opcodes.IFLE, done);
    m.visitIincInsn(1, -1);
    m.visitJumpInsn(Opcodes.GOTO, start);
    m.visitLabel(done);
    m.visitLineNumber(11, done);
    returnConnection(m);
    m.visitLabel(end);
    m.visitLocalVariable("this", "Lgen/Shapes;", null, start, end, 0);
    m.visitLocalVariable("n", "I", null, start, end, 1);
    finish(m);
  }

  /** {@code pad} nops, then a tableswitch on 0..3: 2 throws, the rest and the default return. */
  static void tableSwitch(ClassWriter writer, int pad) {
    MethodVisitor m = method(writer, "tableSwitch" + pad, "(I");
    padding(m, pad);
    Label[] cases = {new Label(), new Label(), new Label(), new Label()};
    Label otherwise = new Label();
    m.visitVarInsn(Opcodes.ILOAD, 1);
    m.visitTableSwitchInsn(0, 3, otherwise, cases);
    for (int i = 0; i < cases.length; i++) {
      m.visitLabel(cases[i]);
      if (i == 2) {
        throwSqlException(m);
      } else {
        returnConnection(m);
      }
    }
    m.visitLabel(otherwise);
    returnConnection(m);
    finish(m);
  }

  /** {@code pad} nops, then a lookupswitch on 5, 100, 200: 200 throws, the rest return. */
  static void lookupSwitch(ClassWriter writer, int pad) {
    MethodVisitor m = method(writer, "lookupSwitch" + pad, "(I");
    padding(m, pad);
    Label five = new Label();
    Label hundred = new Label();
    Label twoHundred = new Label();
    Label otherwise = new Label();
    m.visitVarInsn(Opcodes.ILOAD, 1);
    m.visitLookupSwitchInsn(otherwise, new int[] {5, 100, 200},
        new Label[] {five, hundred, twoHundred});
    m.visitLabel(five);
    returnConnection(m);
    m.visitLabel(hundred);
    returnConnection(m);
    m.visitLabel(twoHundred);
    throwSqlException(m);
    m.visitLabel(otherwise);
    returnConnection(m);
    finish(m);
  }

  /**
   * {@code new StringBuilder(flag == 0 ? "b" : "a")}: an object under construction on the stack across
   * a branch, which stack map frames name by the offset of its {@code new}.
   */
  static void underConstruction(ClassWriter writer) {
    MethodVisitor m = method(writer, "underConstruction", "(I");
    Label other = new Label();
    Label join = new Label();
    m.visitInsn(Opcodes.NOP); // the new is not at offset 0
    m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
    m.visitInsn(Opcodes.DUP);
    m.visitVarInsn(Opcodes.ILOAD, 1);
    m.visitJumpInsn(Opcodes.IFEQ, other);
    m.visitLdcInsn("a");
    m.visitJumpInsn(Opcodes.GOTO, join);
    m.visitLabel(other);
    m.visitLdcInsn("b");
    m.visitLabel(join);
    m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>",
        "(Ljava/lang/String;)V", false);
    m.visitInsn(Opcodes.POP);
    returnConnection(m);
    finish(m);
  }

  /**
   * A long parameter, a double local and a local in slot 300, live across a branch: the woven local
   * lands in slot 301 and needs the wide forms of aload and astore.
   */
  static void wideLocals(ClassWriter writer) {
    MethodVisitor m = method(writer, "wideLocals", "(J");
    Label notNull = new Label();
    m.visitVarInsn(Opcodes.LLOAD, 1);
    m.visitInsn(Opcodes.LCONST_1);
    m.visitInsn(Opcodes.LADD);
    m.visitVarInsn(Opcodes.LSTORE, 3);
    m.visitInsn(Opcodes.DCONST_1);
    m.visitVarInsn(Opcodes.DSTORE, 5);
    m.visitInsn(Opcodes.ACONST_NULL);
    m.visitVarInsn(Opcodes.ASTORE, 300);
    m.visitVarInsn(Opcodes.ALOAD, 300);
    m.visitJumpInsn(Opcodes.IFNONNULL, notNull);
    returnConnection(m);
    m.visitLabel(notNull);
    m.visitInsn(Opcodes.ACONST_NULL);
    m.visitInsn(Opcodes.ARETURN);
    finish(m);
  }

  /**
   * A handler of its own: 1 throws an IllegalStateException that it catches and then returns; a
   * negative argument throws an SQLException past it; 0 returns.
   */
  static void caught(ClassWriter writer) {
    MethodVisitor m = method(writer, "caught", "(I");
    Label start = new Label();
    Label notOne = new Label();
    Label end = new Label();
    Label handler = new Label();
    m.visitTryCatchBlock(start, end, handler, "java/lang/IllegalStateException");
    m.visitLabel(start);
    m.visitVarInsn(Opcodes.ILOAD, 1);
    m.visitJumpInsn(Opcodes.IFLE, notOne);
    m.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
    m.visitInsn(Opcodes.DUP);
    m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V",
        false);
    m.visitInsn(Opcodes.ATHROW);
    m.visitLabel(notOne);
    m.visitVarInsn(Opcodes.ILOAD, 1);
    Label zero = new Label();
    m.visitJumpInsn(Opcodes.IFGE, zero);
    throwSqlException(m);
    m.visitLabel(zero);
    m.visitLabel(end);
    returnConnection(m);
    m.visitLabel(handler);
    m.visitInsn(Opcodes.POP);
    returnConnection(m);
    finish(m);
  }

  /** A static factory, as DriverManager's getConnection is. */
  static void factory(ClassWriter writer) {
    MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "factory",
        "()Ljava/sql/Connection;", null, null);
    m.visitCode();
    returnConnection(m);
    finish(m);
  }

  private static MethodVisitor method(ClassWriter writer, String name, String parameters) {
    MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC, name, parameters + RETURNS, null,
        new String[] {SQL_EXCEPTION});
    m.visitCode();
    return m;
  }

  private static void padding(MethodVisitor m, int nops) {
    for (int i = 0; i < nops; i++) {
      m.visitInsn(Opcodes.NOP);
    }
  }

  private static void throwSqlException(MethodVisitor m) {
    m.visitTypeInsn(Opcodes.NEW, SQL_EXCEPTION);
    m.visitInsn(Opcodes.DUP);
    m.visitLdcInsn("refused");
    m.visitMethodInsn(Opcodes.INVOKESPECIAL, SQL_EXCEPTION, "<init>", "(Ljava/lang/String;)V",
        false);
    m.visitInsn(Opcodes.ATHROW);
  }
}
