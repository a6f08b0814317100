package io.poolagent.it.agent.apps;

import java.sql.Connection;
import java.sql.DriverManager;
import javax.sql.DataSource;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A child-JVM application whose DataSource is a Java 5 class file, which the agent's direct weaver
 * leaves to ASM. Arguments: JDBC URL, user, password. Says whether the agent's ASM is in the
 * bootstrap class loader before the class loads and after, borrows one connection through the
 * class and leaves it open at exit.
 */
public final class OldClassFileApp {
  static final String ASM = "io.poolagent.agent.shaded.bytebuddy.jar.asm.ClassReader";
  private static String url;
  private static String user;
  private static String password;

  private OldClassFileApp() {}

  public static void main(String[] args) throws Exception {
    url = args[0];
    user = args[1];
    password = args[2];
    System.out.println("asm on the bootstrap path before: " + onBootstrapPath(ASM));
    Class<?> type = new OneClassLoader().define("gen.OldSource", oldDataSource());
    DataSource source = (DataSource) type.getConstructor().newInstance();
    System.out.println("asm on the bootstrap path after: " + onBootstrapPath(ASM));
    Connection connection = borrow(source);
    System.out.println("borrowed: " + connection.isValid(5));
    System.out.println("app finished normally");
  }

  private static Connection borrow(DataSource source) throws Exception {
    return source.getConnection(); // left open: the agent reports it at exit
  }

  /** What gen.OldSource.getConnection() returns. */
  public static Connection physical() throws Exception {
    return DriverManager.getConnection(url, user, password);
  }

  private static boolean onBootstrapPath(String name) {
    try {
      Class.forName(name, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * {@code public class gen.OldSource implements DataSource}, class file version 49 (Java 5), whose
   * getConnection() returns {@link #physical()}; its other methods are left abstract-free and unused.
   */
  private static byte[] oldDataSource() {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    writer.visit(Opcodes.V1_5, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "gen/OldSource", null,
        "java/lang/Object", new String[] {"javax/sql/DataSource"});
    MethodVisitor init = writer.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    MethodVisitor get = writer.visitMethod(Opcodes.ACC_PUBLIC, "getConnection",
        "()Ljava/sql/Connection;", null, new String[] {"java/sql/SQLException"});
    get.visitCode();
    get.visitMethodInsn(Opcodes.INVOKESTATIC, OldClassFileApp.class.getName().replace('.', '/'),
        "physical", "()Ljava/sql/Connection;", false);
    get.visitInsn(Opcodes.ARETURN);
    get.visitMaxs(0, 0);
    get.visitEnd();
    writer.visitEnd();
    return writer.toByteArray();
  }

  private static final class OneClassLoader extends ClassLoader {
    OneClassLoader() {
      super(OldClassFileApp.class.getClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
