package io.poolagent.agent.instrumentation;

import java.util.BitSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * Finds, among chosen instance methods, those whose code stores into local variable 0 ({@code this}).
 * Compilers do not do that, but bytecode tools may; {@link AcquireWeaver}'s handler frame relies on
 * local 0 holding {@code this} throughout, so such methods are left unwoven.
 */
final class LocalZeroStores {
  private LocalZeroStores() {}

  /** The subset of {@code methods} (declaration indices) that write local 0. */
  static BitSet in(byte[] bytes, BitSet methods) {
    BitSet found = new BitSet();
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      private int index = -1;

      @Override
      public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor,
          @Nullable String signature, String @Nullable [] exceptions) {
        int method = ++index;
        if (!methods.get(method) || (access & Opcodes.ACC_STATIC) != 0) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitVarInsn(int opcode, int variable) {
            if (variable == 0 && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
              found.set(method);
            }
          }

          @Override
          public void visitIincInsn(int variable, int increment) {
            if (variable == 0) {
              found.set(method);
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return found;
  }
}
