package io.poolagent.agent.instrumentation;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Releases the record of a connection when the application calls its {@code close()}. Every
 * {@code java.sql.Connection} implementation that declares a concrete {@code close()} is covered,
 * including {@code java.lang.reflect.Proxy} classes (Tomcat JDBC, Vibur) and final close methods
 * inherited from a base class (HikariCP's ProxyConnection), because the call sits in the declaring
 * class and passes the run-time object.
 */
final class ConnectionInstrumentation {
  /** The bridge call woven into close(), by name and descriptor (also {@link DirectWeaver}). */
  static final String RELEASED = "released";
  static final String RELEASED_DESCRIPTOR = "(Ljava/lang/Object;Z)V";

  private ConnectionInstrumentation() {}

  /**
   * The index of the method to weave with {@link CloseWeaver}, or -1: the concrete {@code close()}
   * the class declares when the class is, or may be, a Connection. Super types are looked at only
   * for classes that declare close().
   */
  static int closeToWeave(ClassFileSummary type, ClassFiles files, ConnectionTypes types) {
    int close = type.isInterface() ? -1 : closeMethod(type);
    if (close < 0
        || !types.extendsConnection(type.superName(), type.interfaceNames(), files).possible()) {
      return -1;
    }
    return close;
  }

  /** Index of the concrete close()V the class declares, or -1. */
  private static int closeMethod(ClassFileSummary type) {
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
      // only classes whose super types could not all be read are not known to be Connections
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
