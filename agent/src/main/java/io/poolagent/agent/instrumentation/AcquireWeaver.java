package io.poolagent.agent.instrumentation;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Weaves the bridge calls into one getConnection method:
 *
 * <pre>
 *   AgentBridge.enterAcquire(this);              // null for static factories
 *   try {
 *     ...original body; before each areturn:
 *     AgentBridge.exitAcquire(result, this, "declaring.Type", physical);
 *   } catch (Throwable t) {
 *     AgentBridge.exitAcquireFailed();
 *     throw t;
 *   }
 * </pre>
 *
 * The woven code keeps nothing in local variables: the bridge's per-thread frame stack remembers
 * which calls were DataSource calls. That is what lets the handler's stack map frame declare no
 * locals at all, which every frame of any original body satisfies, so original frames pass through
 * untouched and nothing has to be computed or resolved while the class loads.
 */
final class AcquireWeaver extends MethodVisitor {
  static final String BRIDGE = "io/poolagent/agent/bootstrap/AgentBridge";
  private static final String[] THROWABLE = {"java/lang/Throwable"};

  private final boolean isStatic;
  private final String origin;
  private final boolean physical;
  private final boolean writesFrames;
  private final Label bodyStart = new Label();

  /**
   * @param origin the declaring type's name, as reports show it
   * @param physical true for sources that open physical connections (see AgentBridge)
   * @param writesFrames false for class files older than Java 6, which carry no stack map frames
   */
  AcquireWeaver(MethodVisitor next, boolean isStatic, String origin, boolean physical,
      boolean writesFrames) {
    super(Opcodes.ASM9, next);
    this.isStatic = isStatic;
    this.origin = origin;
    this.physical = physical;
    this.writesFrames = writesFrames;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    loadSource();
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "enterAcquire", "(Ljava/lang/Object;)V", false);
    super.visitLabel(bodyStart);
  }

  @Override
  public void visitInsn(int opcode) {
    if (opcode == Opcodes.ARETURN) {
      super.visitInsn(Opcodes.DUP);
      loadSource();
      super.visitLdcInsn(origin);
      super.visitInsn(physical ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "exitAcquire",
          "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/String;Z)V", false);
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
      super.visitFrame(Opcodes.F_FULL, 0, new Object[0], 1, THROWABLE);
    }
    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "exitAcquireFailed", "()V", false);
    super.visitInsn(Opcodes.ATHROW);
    // the exit call needs four more slots above the returned value; the handler two
    super.visitMaxs(maxStack + 4, maxLocals);
  }

  private void loadSource() {
    if (isStatic) {
      super.visitInsn(Opcodes.ACONST_NULL);
    } else {
      super.visitVarInsn(Opcodes.ALOAD, 0);
    }
  }
}
