package io.poolagent.agent.instrumentation;

import java.util.Arrays;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the bridge calls into one getConnection method:
 *
 * <pre>
 *   Object frames = AgentBridge.enterAcquire(this instanceof DataSource); // true for static factories
 *   try {
 *     ...original body; before each areturn:
 *     AgentBridge.exitAcquire(result, result instanceof Connection, frames, this, "declaring.Type",
 *         physical);
 *   } catch (Throwable t) {
 *     AgentBridge.exitAcquireFailed(frames);
 *     throw t;
 *   }
 * </pre>
 *
 * The type checks are woven in, where the JIT folds them (the bridge cannot name JDBC types). The
 * thread's acquisition state, null for a call that does not count, travels from entry to exit in a
 * new local variable in the first slot the body does not use; every stack map frame of the body
 * (read expanded) gets that variable appended, so nothing has to be computed or loaded while the
 * class loads. The exits read {@code this} from local 0: a method whose code writes local 0 (which
 * compilers never do, but bytecode tools may) stops the weaving with {@link WritesThis}, and the
 * class is woven again without it.
 */
final class AcquireWeaver extends MethodVisitor {
  static final String BRIDGE = "io/poolagent/agent/bootstrap/AgentBridge";
  /** The bridge calls woven into a getConnection, by name and descriptor (also {@link DirectWeaver}). */
  static final String ENTER = "enterAcquire";
  static final String ENTER_DESCRIPTOR = "(Z)Ljava/lang/Object;";
  static final String EXIT = "exitAcquire";
  static final String EXIT_DESCRIPTOR =
      "(Ljava/lang/Object;ZLjava/lang/Object;Ljava/lang/Object;Ljava/lang/String;Z)V";
  static final String FAILED = "exitAcquireFailed";
  static final String FAILED_DESCRIPTOR = "(Ljava/lang/Object;)V";
  private static final String OBJECT = "java/lang/Object";
  private static final String[] THROWABLE = {"java/lang/Throwable"};

  private final int method;
  private final boolean isStatic;
  private final String origin;
  private final boolean physical;
  private final boolean writesFrames;
  /** The slot of the woven variable: the first one the original code does not use. */
  private final int frameSlot;
  private final Label bodyStart = new Label();

  /**
   * @param method the method's index among the declared methods (for {@link WritesThis})
   * @param origin the declaring type's name, as reports show it
   * @param physical true for sources that open physical connections (see AgentBridge)
   * @param writesFrames false for class files older than Java 6, which carry no stack map frames
   * @param maxLocals the local variable slots the original code uses
   */
  AcquireWeaver(MethodVisitor next, int method, boolean isStatic, String origin, boolean physical,
      boolean writesFrames, int maxLocals) {
    super(Opcodes.ASM9, next);
    this.method = method;
    this.isStatic = isStatic;
    this.origin = origin;
    this.physical = physical;
    this.writesFrames = writesFrames;
    this.frameSlot = maxLocals;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (isStatic) {
      super.visitInsn(Opcodes.ICONST_1);
    } else {
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitTypeInsn(Opcodes.INSTANCEOF, "javax/sql/DataSource");
    }
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, ENTER, ENTER_DESCRIPTOR, false);
    super.visitVarInsn(Opcodes.ASTORE, frameSlot);
    super.visitLabel(bodyStart);
  }

  @Override
  public void visitVarInsn(int opcode, int variable) {
    if (!isStatic && variable == 0 && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
      throw new WritesThis(method);
    }
    super.visitVarInsn(opcode, variable);
  }

  @Override
  public void visitIincInsn(int variable, int increment) {
    if (!isStatic && variable == 0) {
      throw new WritesThis(method);
    }
    super.visitIincInsn(variable, increment);
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    if (type != Opcodes.F_NEW) { // expanded frames only: the class is read with EXPAND_FRAMES
      throw new IllegalStateException("unexpected compressed frame");
    }
    Object[] locals = withFrameSlot(local, numLocal);
    super.visitFrame(type, locals.length, locals, numStack, stack);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == Opcodes.ARETURN) {
      super.visitInsn(Opcodes.DUP);
      super.visitInsn(Opcodes.DUP);
      super.visitTypeInsn(Opcodes.INSTANCEOF, "java/sql/Connection");
      super.visitVarInsn(Opcodes.ALOAD, frameSlot);
      if (isStatic) {
        super.visitInsn(Opcodes.ACONST_NULL);
      } else {
        super.visitVarInsn(Opcodes.ALOAD, 0);
      }
      super.visitLdcInsn(origin);
      super.visitInsn(physical ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, EXIT, EXIT_DESCRIPTOR, false);
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
      Object[] locals = withFrameSlot(new Object[0], 0);
      super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, THROWABLE);
    }
    super.visitVarInsn(Opcodes.ALOAD, frameSlot);
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, FAILED, FAILED_DESCRIPTOR, false);
    super.visitInsn(Opcodes.ATHROW);
    // the exit call needs six more slots above the returned value; the handler two
    super.visitMaxs(maxStack + 6, Math.max(maxLocals, frameSlot + 1));
  }

  /** An expanded frame's locals, padded with TOP up to the woven slot, then the woven variable. */
  private Object[] withFrameSlot(Object[] local, int numLocal) {
    int slots = 0;
    for (int i = 0; i < numLocal; i++) {
      slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
    }
    if (slots > frameSlot) {
      throw new IllegalStateException("a frame uses more locals than the method declares");
    }
    Object[] out = Arrays.copyOf(local, numLocal + (frameSlot - slots) + 1);
    Arrays.fill(out, numLocal, out.length - 1, Opcodes.TOP);
    out[out.length - 1] = OBJECT;
    return out;
  }

  /** Thrown while weaving a method whose code stores into local 0; it is then left unwoven. */
  static final class WritesThis extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int method;

    WritesThis(int method) {
      super(null, null, false, false); // control flow only: no stack, never reported
      this.method = method;
    }

    int method() {
      return method;
    }
  }
}
