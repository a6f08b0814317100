package io.poolagent.agent.instrumentation;

import java.util.BitSet;

/**
 * Records connections from {@code java.sql.DriverManager.getConnection(...)}: unpooled connections
 * leak too. Its public overloads call a private one; the bridge's nesting count makes that one borrow.
 */
final class DriverManagerInstrumentation {
  static final String DRIVER_MANAGER = "java/sql/DriverManager";
  private static final int ACC_PUBLIC = 0x0001;

  private DriverManagerInstrumentation() {}

  /** The public static getConnection overloads. */
  static BitSet methods(ClassFileSummary type) {
    BitSet methods = new BitSet();
    for (int i = 0; i < type.methodCount(); i++) {
      int access = type.methodAccess(i);
      if (type.methodNamed(i, "getConnection") && (access & ACC_PUBLIC) != 0
          && (access & ClassFileSummary.ACC_STATIC) != 0) {
        methods.set(i);
      }
    }
    return methods;
  }
}
