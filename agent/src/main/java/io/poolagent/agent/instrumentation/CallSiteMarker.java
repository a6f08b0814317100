package io.poolagent.agent.instrumentation;

import io.poolagent.agent.bootstrap.AgentBridge;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * For {@code stackTrace=sampled}: puts {@code AgentBridge.callSite(<id>)} before every call of a
 * {@code getConnection} that returns an object, in application code. Each call instruction gets its
 * own constant id, so the bridge learns a borrow's acquisition site for the price of a thread-local
 * write, with no stack walk; the leak engine keeps one full stack per id.
 */
final class CallSiteMarker extends MethodVisitor {
  private boolean marked;

  CallSiteMarker(MethodVisitor next) {
    super(Opcodes.ASM9, next);
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
      boolean isInterface) {
    if (name.equals("getConnection") && descriptor.endsWith(";") && opcode != Opcodes.INVOKESPECIAL) {
      super.visitLdcInsn(AgentBridge.newCallSite());
      super.visitMethodInsn(Opcodes.INVOKESTATIC, AcquireWeaver.BRIDGE, "callSite", "(I)V", false);
      marked = true;
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    super.visitMaxs(marked ? maxStack + 1 : maxStack, maxLocals);
  }
}
