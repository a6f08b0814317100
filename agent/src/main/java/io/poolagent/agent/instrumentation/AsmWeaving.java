package io.poolagent.agent.instrumentation;

import java.util.BitSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.jspecify.annotations.Nullable;

/**
 * Weaves a whole class through ASM (the copy inside Byte Buddy): call-site marks, and the code shapes
 * {@link DirectWeaver} leaves. The only class outside the ASM-based weavers that names ASM: under the
 * agent, ASM and those weavers are defined in the bootstrap loader only when first needed (most
 * start-ups never need them), so a caller runs {@link JdbcClassTransformer}'s ASM definer first.
 */
final class AsmWeaving {
  private AsmWeaving() {}

  /**
   * The class with the given methods woven; arguments as for {@link JdbcClassTransformer#weave}.
   */
  static byte[] weave(byte[] bytes, ClassFileSummary type, BitSet acquire, int close,
      boolean marks, String origin, boolean physical) {
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new MethodWeavers(writer, type, acquire, close, marks, origin, physical),
        // a woven getConnection adds a local variable to every stack map frame: frames come expanded
        acquire.isEmpty() ? 0 : ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** Puts the right weaver in front of each method, counted in class file order. */
  private static final class MethodWeavers extends ClassVisitor {
    private final ClassFileSummary type;
    private final BitSet acquire;
    private final int close;
    private final boolean marks;
    private final String origin;
    private final boolean physical;
    private final boolean writesFrames;
    private int index = -1;

    MethodWeavers(ClassVisitor next, ClassFileSummary type, BitSet acquire, int close,
        boolean marks, String origin, boolean physical) {
      super(Opcodes.ASM9, next);
      this.type = type;
      this.acquire = acquire;
      this.close = close;
      this.marks = marks;
      this.origin = origin;
      this.physical = physical;
      this.writesFrames = type.majorVersion() >= 50;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor,
        @Nullable String signature, String @Nullable [] exceptions) {
      index++;
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      if (marks) {
        next = new CallSiteMarker(next);
      }
      if (acquire.get(index)) {
        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
        return new AcquireWeaver(next, index, isStatic, origin, physical, writesFrames,
            type.maxLocals(index));
      }
      if (index == close) {
        return new ConnectionInstrumentation.CloseWeaver(next);
      }
      return next;
    }
  }
}
