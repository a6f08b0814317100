package io.poolagent.agent.instrumentation;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the bridge calls into one getConnection method:
 *
 * <pre>
 *   AgentBridge.enterAcquire(this instanceof DataSource);      // true for static factories
 *   try {
 *     ...original body; before each areturn:
 *     AgentBridge.exitAcquire(result, result instanceof Connection, this,
 *         this instanceof DataSource, "declaring.Type", physical);
 *   } catch (Throwable t) {
 *     AgentBridge.exitAcquireFailed(this instanceof DataSource);
 *     throw t;
 *   }
 * </pre>
 *
 * The type checks are woven in, where the JIT folds them (the bridge cannot name JDBC types), and a
 * call on an object that is no DataSource costs the bridge nothing. The woven code adds no local
 * variable: the handler's stack map frame declares only {@code this}, which every frame of the body
 * holds too, provided the body never stores into local 0 ({@link LocalZeroStores} checks), so the
 * original frames pass through untouched and nothing is computed or loaded while the class loads.
 */
final class AcquireWeaver extends MethodVisitor {
  static final String BRIDGE = "io/poolagent/agent/bootstrap/AgentBridge";
  private static final String[] THROWABLE = {"java/lang/Throwable"};

  private final String owner;
  private final boolean isStatic;
  private final String origin;
  private final boolean physical;
  private final boolean writesFrames;
  private final Label bodyStart = new Label();

  /**
   * @param owner the declaring class's internal name
   * @param origin the declaring type's name, as reports show it
   * @param physical true for sources that open physical connections (see AgentBridge)
   * @param writesFrames false for class files older than Java 6, which carry no stack map frames
   */
  AcquireWeaver(MethodVisitor next, String owner, boolean isStatic, String origin, boolean physical,
      boolean writesFrames) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.isStatic = isStatic;
    this.origin = origin;
    this.physical = physical;
    this.writesFrames = writesFrames;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    pushCounts();
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "enterAcquire", "(Z)V", false);
    super.visitLabel(bodyStart);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == Opcodes.ARETURN) {
      super.visitInsn(Opcodes.DUP);
      super.visitInsn(Opcodes.DUP);
      super.visitTypeInsn(Opcodes.INSTANCEOF, "java/sql/Connection");
      if (isStatic) {
        super.visitInsn(Opcodes.ACONST_NULL);
      } else {
        super.visitVarInsn(Opcodes.ALOAD, 0);
      }
      pushCounts();
      super.visitLdcInsn(origin);
      super.visitInsn(physical ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "exitAcquire",
          "(Ljava/lang/Object;ZLjava/lang/Object;ZLjava/lang/String;Z)V", false);
    }
    super.visitInsn(opcode);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    // Appended last to the exception table, so the body's own handlers still come first.
    Label handler = new Label();
    super.visitTryCatchBlock(bodyStart, handler, handler, null);
    super.visitLabel(handler);
    if (writesFrames) {
      Object[] locals = isStatic ? new Object[0] : new Object[] {owner};
      super.visitFrame(Opcodes.F_FULL, locals.length, locals, 1, THROWABLE);
    }
    pushCounts();
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "exitAcquireFailed", "(Z)V", false);
    super.visitInsn(Opcodes.ATHROW);
    // the exit call needs six more slots above the returned value; the handler two
    super.visitMaxs(maxStack + 6, maxLocals);
  }

  /** Pushes whether this call counts: a call on a DataSource, or a static factory. */
  private void pushCounts() {
    if (isStatic) {
      super.visitInsn(Opcodes.ICONST_1);
    } else {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitTypeInsn(Opcodes.INSTANCEOF, "javax/sql/DataSource");
    }
  }
}
