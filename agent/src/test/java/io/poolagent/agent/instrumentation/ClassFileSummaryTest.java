package io.poolagent.agent.instrumentation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.poolagent.fixtures.ConnectionHolder;
import io.poolagent.fixtures.MiddleConnection;
import io.poolagent.fixtures.SiteCaller;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class ClassFileSummaryTest {
  @Test
  void aClassThatDeclaresGetConnectionOrCloseIsACandidateCloseOnlyWhenCloseIsWanted()
      throws Exception {
    byte[] closes = JdbcClassTransformerTest.bytes(MiddleConnection.class);
    assertTrue(ClassFileSummary.declaresWovenMethod(closes, true, false));
    assertFalse(ClassFileSummary.declaresWovenMethod(closes, false, false), "close() alone");
    assertTrue(ClassFileSummary.declaresWovenMethod(
        JdbcClassTransformerTest.bytes(ConnectionHolder.class), false, false));
  }

  @Test
  void aClassThatOnlyCallsGetConnectionIsACandidateOnlyWhenCallsCount() throws Exception {
    byte[] caller = JdbcClassTransformerTest.bytes(SiteCaller.class);
    assertFalse(ClassFileSummary.declaresWovenMethod(caller, true, false));
    assertTrue(ClassFileSummary.declaresWovenMethod(caller, true, true));
  }

  @Test
  void aClassThatOnlyCallsCloseIsNoCandidate() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "gen/Closes", null, "java/lang/Object", null);
    writer.visitField(Opcodes.ACC_PRIVATE, "field", "J", null, null).visitEnd();
    MethodVisitor m = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "shut",
        "(Ljava/lang/AutoCloseable;)V", null, new String[] {"java/lang/Exception"});
    m.visitCode();
    m.visitVarInsn(Opcodes.ALOAD, 0);
    m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/lang/AutoCloseable", "close", "()V", true);
    m.visitInsn(Opcodes.RETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    writer.visitEnd();
    byte[] bytes = writer.toByteArray();
    assertFalse(ClassFileSummary.declaresWovenMethod(bytes, true, false));
    assertFalse(ClassFileSummary.declaresWovenMethod(bytes, true, true));
  }
}
