package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.AgentBridge;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * For {@code stackTrace=sampled}: puts {@code AgentBridge.callSite(<id>)} before every call of a
 * {@code getConnection} that returns an object, in application code. Each call instruction gets its
 * own constant id, so the bridge learns a borrow's acquisition site for the price of a thread-local
 * write, with no stack walk; the leak engine keeps one full stack per id. The mark is cleared again
 * after the call returns (not when it throws: a getConnection that is no borrow and throws leaves
 * its mark to the thread's next unmarked borrow).
 */
final class CallSiteMarker extends MethodVisitor {
  private boolean marked;

  CallSiteMarker(MethodVisitor next) {
    super(Opcodes.ASM9, next);
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
      boolean isInterface) {
    boolean mark =
        name.equals("getConnection") && descriptor.endsWith(";") && opcode != Opcodes.INVOKESPECIAL;
    if (mark) {
      super.visitLdcInsn(AgentBridge.newCallSite());
      super.visitMethodInsn(Opcodes.INVOKESTATIC, AcquireWeaver.BRIDGE, "callSite", "(I)V", false);
      marked = true;
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    if (mark) {
      // A borrow takes the mark as it starts; a getConnection that is no borrow (a statement's,
      // say) leaves it, and the thread's next unmarked borrow must not take it: cleared here.
      super.visitInsn(Opcodes.ICONST_0);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, AcquireWeaver.BRIDGE, "callSite", "(I)V", false);
    }
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    super.visitMaxs(marked ? maxStack + 1 : maxStack, maxLocals);
  }
}
