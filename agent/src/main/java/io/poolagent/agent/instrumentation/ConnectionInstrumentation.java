package io.poolagent.agent.instrumentation;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Releases the record of a connection when the application calls its {@code close()}. The close()
 * woven is the one a borrowed connection runs, found at the first borrow of its class
 * ({@link CloseWeaving}): a {@code java.lang.reflect.Proxy} class's (Tomcat JDBC, Vibur), a final
 * close method inherited from a base class (HikariCP's ProxyConnection), or the class's own. The
 * call sits in the declaring class and passes the run-time object.
 */
final class ConnectionInstrumentation {
  /** The bridge call woven into close(), by name and descriptor (also {@link DirectWeaver}). */
  static final String RELEASED = "released";
  static final String RELEASED_DESCRIPTOR = "(Ljava/lang/Object;Z)V";

  private ConnectionInstrumentation() {}

  /** Index of the concrete close()V the class declares, or -1 (always for an interface). */
  static int closeMethod(ClassFileSummary type) {
    if (type.isInterface()) {
      return -1;
    }
    for (int i = 0; i < type.methodCount(); i++) {
      if (type.methodNamed(i, "close") && isConcreteInstanceMethod(type.methodAccess(i))
          && type.methodDescriptor(i).equals("()V")) {
        return i;
      }
    }
    return -1;
  }

  static boolean isConcreteInstanceMethod(int access) {
    return (access & (ClassFileSummary.ACC_STATIC | ClassFileSummary.ACC_ABSTRACT
        | ClassFileSummary.ACC_NATIVE)) == 0;
  }

  /**
   * Adds {@code AgentBridge.released(this, this instanceof Connection)} at the start of close(): a
   * close that throws still ends the borrow.
   */
  static final class CloseWeaver extends MethodVisitor {
    CloseWeaver(MethodVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitInsn(Opcodes.DUP);
      // the declaring class may be a base class that is no Connection itself
      super.visitTypeInsn(Opcodes.INSTANCEOF, "java/sql/Connection");
      super.visitMethodInsn(Opcodes.INVOKESTATIC, AcquireWeaver.BRIDGE, RELEASED,
          RELEASED_DESCRIPTOR, false);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(Math.max(maxStack, 2), maxLocals);
    }
  }
}
