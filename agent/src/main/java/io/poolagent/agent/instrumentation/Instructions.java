package io.poolagent.agent.instrumentation;

/**
 * The JVM instruction set as far as {@link CodePatch} needs it: each instruction's length, which ones
 * branch and by how wide an offset, and which ones store into local variable 0.
 */
final class Instructions {
  static final int NOP = 0x00;
  static final int ACONST_NULL = 0x01;
  static final int ICONST_0 = 0x03;
  static final int ICONST_1 = 0x04;
  static final int LDC_W = 0x13;
  static final int ALOAD = 0x19;
  static final int ALOAD_0 = 0x2a;
  static final int ASTORE = 0x3a;
  static final int ASTORE_0 = 0x4b;
  static final int DUP = 0x59;
  static final int IINC = 0x84;
  static final int TABLESWITCH = 0xaa;
  static final int LOOKUPSWITCH = 0xab;
  static final int ARETURN = 0xb0;
  static final int INVOKESTATIC = 0xb8;
  static final int ATHROW = 0xbf;
  static final int INSTANCEOF = 0xc1;
  static final int WIDE = 0xc4;
  static final int GOTO_W = 0xc8;
  static final int JSR_W = 0xc9;

  /** Instruction lengths by opcode; 0 for opcodes of variable length or not allowed in class files. */
  private static final byte[] LENGTHS = new byte[256];

  static {
    set(0x00, 0x0f, 1); // nop .. dconst_1
    LENGTHS[0x10] = 2; // bipush
    LENGTHS[0x11] = 3; // sipush
    LENGTHS[0x12] = 2; // ldc
    set(0x13, 0x14, 3); // ldc_w, ldc2_w
    set(0x15, 0x19, 2); // iload .. aload
    set(0x1a, 0x35, 1); // iload_0 .. saload
    set(0x36, 0x3a, 2); // istore .. astore
    set(0x3b, 0x83, 1); // istore_0 .. lxor
    LENGTHS[IINC] = 3;
    set(0x85, 0x98, 1); // i2l .. dcmpg
    set(0x99, 0xa8, 3); // ifeq .. jsr
    LENGTHS[0xa9] = 2; // ret
    set(0xac, 0xb1, 1); // ireturn .. return
    set(0xb2, 0xb8, 3); // getstatic .. invokestatic
    set(0xb9, 0xba, 5); // invokeinterface, invokedynamic
    LENGTHS[0xbb] = 3; // new
    LENGTHS[0xbc] = 2; // newarray
    LENGTHS[0xbd] = 3; // anewarray
    set(0xbe, 0xbf, 1); // arraylength, athrow
    set(0xc0, 0xc1, 3); // checkcast, instanceof
    set(0xc2, 0xc3, 1); // monitorenter, monitorexit
    LENGTHS[0xc5] = 4; // multianewarray
    set(0xc6, 0xc7, 3); // ifnull, ifnonnull
    set(GOTO_W, JSR_W, 5);
  }

  private Instructions() {}

  private static void set(int from, int to, int length) {
    for (int op = from; op <= to; op++) {
      LENGTHS[op] = (byte) length;
    }
  }

  /** The length of the instruction at {@code pc}; throws {@link NotPatchable} for unknown opcodes. */
  static int length(byte[] code, int start, int pc) {
    int op = code[start + pc] & 0xFF;
    int fixed = LENGTHS[op];
    if (fixed > 0) {
      return fixed;
    }
    if (op == WIDE) {
      return (code[start + pc + 1] & 0xFF) == IINC ? 6 : 4;
    }
    if (op == TABLESWITCH) {
      int at = switchOperands(pc);
      int low = s4(code, start + at + 4);
      int high = s4(code, start + at + 8);
      return at - pc + 12 + 4 * (high - low + 1);
    }
    if (op == LOOKUPSWITCH) {
      int at = switchOperands(pc);
      return at - pc + 8 + 8 * s4(code, start + at + 4);
    }
    throw new NotPatchable("opcode " + op);
  }

  /** Offset of a switch's first operand (its default), after the padding to a multiple of four. */
  static int switchOperands(int pc) {
    return (pc + 4) & ~3;
  }

  /** True for instructions with a two-byte branch offset: if*, goto, jsr, ifnull, ifnonnull. */
  static boolean branchesShort(int op) {
    return (op >= 0x99 && op <= 0xa8) || op == 0xc6 || op == 0xc7;
  }

  /** True for the subroutine instructions, which the patcher does not handle. */
  static boolean isSubroutine(int op) {
    return op == 0xa8 || op == 0xa9 || op == JSR_W;
  }

  /** True when the instruction at {@code pc} writes local variable 0. */
  static boolean storesLocal0(byte[] code, int start, int pc) {
    int op = code[start + pc] & 0xFF;
    if ((op >= 0x36 && op <= 0x3a) || op == IINC) { // istore .. astore, iinc
      return (code[start + pc + 1] & 0xFF) == 0;
    }
    if (op == WIDE) {
      int wide = code[start + pc + 1] & 0xFF;
      boolean store = (wide >= 0x36 && wide <= 0x3a) || wide == IINC;
      return store && ClassFileSummary.u2(code, start + pc + 2) == 0;
    }
    return op == 0x3b || op == 0x3f || op == 0x43 || op == 0x47 || op == ASTORE_0; // xstore_0
  }

  static int s2(byte[] b, int at) {
    return (short) ClassFileSummary.u2(b, at);
  }

  static int s4(byte[] b, int at) {
    return (ClassFileSummary.u2(b, at) << 16) | ClassFileSummary.u2(b, at + 2);
  }
}
