package io.poolagent.agent.instrumentation;

import java.util.BitSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Records the connection returned by {@code getConnection()} and {@code getConnection(user, password)}
 * of every class that declares one, DataSource or not: the method is often inherited from a base class
 * that is not itself a DataSource (PostgreSQL's BaseDataSource, Tomcat JDBC's DataSourceProxy). At run
 * time the bridge counts only calls on a {@code javax.sql.DataSource} that return a
 * {@code java.sql.Connection}, so statements and metadata objects that merely expose their connection
 * never count. Known pools are woven as pool sources; every other source as a physical one, which
 * lets the bridge skip connections a pool opens for itself.
 */
final class DataSourceInstrumentation {
  private static final String NO_ARGS = "()L";
  private static final String USER_PASSWORD = "(Ljava/lang/String;Ljava/lang/String;)L";

  private DataSourceInstrumentation() {}

  /**
   * JDBC objects that hand out the connection they belong to, never a new one: classes that
   * implement one of these directly are not woven (the bridge would ignore them anyway, as they are
   * no DataSource, but weaving them costs start-up time).
   */
  private static final Set<String> EXPOSERS = Set.of(
      "java/sql/Statement", "java/sql/PreparedStatement", "java/sql/CallableStatement",
      "java/sql/ResultSet", "java/sql/DatabaseMetaData", "java/sql/Array", "java/sql/Connection",
      "javax/sql/PooledConnection", "javax/sql/XAConnection");

  /** The declared methods to weave with {@link AcquireWeaver}; empty when none. */
  static BitSet methods(ClassFileSummary type, ClassFiles files, ConnectionTypes types) {
    BitSet methods = new BitSet();
    if (type.isInterface() || !type.declaresMethodNamed("getConnection")) {
      return methods;
    }
    for (String implemented : type.interfaceNames()) {
      if (EXPOSERS.contains(implemented)) {
        return methods;
      }
    }
    for (int i = 0; i < type.methodCount(); i++) {
      if (!type.methodNamed(i, "getConnection")
          || !ConnectionInstrumentation.isConcreteInstanceMethod(type.methodAccess(i))) {
        continue;
      }
      String returned = returnedType(type.methodDescriptor(i));
      if (returned != null && types.isConnection(returned, files).possible()) {
        methods.set(i);
      }
    }
    return methods;
  }

  /** The internal name an accepted descriptor returns, or null for other shapes. */
  static @Nullable String returnedType(String descriptor) {
    String prefix = descriptor.startsWith(NO_ARGS) ? NO_ARGS
        : descriptor.startsWith(USER_PASSWORD) ? USER_PASSWORD : null;
    if (prefix == null || !descriptor.endsWith(";")) {
      return null;
    }
    return descriptor.substring(prefix.length(), descriptor.length() - 1);
  }
}
