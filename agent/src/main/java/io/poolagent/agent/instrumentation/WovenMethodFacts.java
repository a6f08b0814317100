package io.poolagent.agent.instrumentation;

import java.util.BitSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * One read of the methods to weave, before weaving: which of them store into local variable 0
 * ({@code this}), which compilers never do but bytecode tools may (woven code reads {@code this} at
 * every exit, so such methods are left unwoven), and how many local variable slots each uses (woven
 * code keeps its own variable in the first free slot).
 */
final class WovenMethodFacts {
  private final BitSet writeLocalZero = new BitSet();
  private final int[] maxLocals;

  private WovenMethodFacts(int methodCount) {
    maxLocals = new int[methodCount];
  }

  /** Reads {@code methods} (declaration indices) of the class in {@code bytes}. */
  static WovenMethodFacts in(byte[] bytes, BitSet methods, int methodCount) {
    WovenMethodFacts facts = new WovenMethodFacts(methodCount);
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      private int index = -1;

      @Override
      public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor,
          @Nullable String signature, String @Nullable [] exceptions) {
        int method = ++index;
        if (!methods.get(method)) {
          return null;
        }
        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitVarInsn(int opcode, int variable) {
            if (!isStatic && variable == 0 && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
              facts.writeLocalZero.set(method);
            }
          }

          @Override
          public void visitIincInsn(int variable, int increment) {
            if (!isStatic && variable == 0) {
              facts.writeLocalZero.set(method);
            }
          }

          @Override
          public void visitMaxs(int maxStack, int locals) {
            facts.maxLocals[method] = locals;
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return facts;
  }

  /** The methods whose code writes local 0. */
  BitSet writeLocalZero() {
    return writeLocalZero;
  }

  /** The local variable slots the method's own code uses: the first free one is this index. */
  int maxLocals(int method) {
    return maxLocals[method];
  }
}
