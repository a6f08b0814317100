package io.poolagent.agent.instrumentation;

import java.io.ByteArrayOutputStream;
import java.util.BitSet;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Weaves the same bridge calls as {@link AcquireWeaver} and {@link ConnectionInstrumentation.CloseWeaver}
 * without passing the class through ASM: constant pool entries are appended and only the woven
 * methods' Code attributes are rewritten ({@link CodePatch}); every other byte of the class file is
 * copied as it is. While an application starts, a class goes through here in a small fraction of
 * the time an ASM pass takes, as it touches only the woven methods. Class files older than Java 6
 * (no stack map frames) and code shapes {@link CodePatch} does not handle are left to ASM: the
 * weave methods return null for them.
 */
final class DirectWeaver {
  private static final String BRIDGE = AcquireWeaver.BRIDGE;

  private DirectWeaver() {}

  /**
   * The woven class, or null when ASM has to weave it.
   *
   * @param acquire the declared methods to weave as getConnection
   * @param close the declared method to weave as close(), or -1
   * @param origin the class's name, as reports show it
   * @param physical true for sources that open physical connections
   * @throws AcquireWeaver.WritesThis when a getConnection stores into local 0
   */
  static byte @Nullable [] weave(ClassFileSummary type, BitSet acquire, int close, String origin,
      boolean physical) {
    if (type.majorVersion() < 50) {
      return null;
    }
    try {
      PoolAppendix pool = new PoolAppendix(type.poolCount());
      SortedMap<Integer, byte[]> codes = new TreeMap<>(); // Code attribute offset -> replacement
      for (int m = acquire.nextSetBit(0); m >= 0; m = acquire.nextSetBit(m + 1)) {
        codes.put(offsetOf(type, m), CodePatch.patch(type, pool, m, acquire(type, pool, m, origin,
            physical)));
      }
      if (close >= 0) {
        codes.put(offsetOf(type, close), CodePatch.patch(type, pool, close, close(pool)));
      }
      return assemble(type, pool, codes);
    } catch (NotPatchable | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static int offsetOf(ClassFileSummary type, int method) {
    int at = type.codeOffset(method);
    if (at == 0) {
      throw new NotPatchable("no code");
    }
    return at;
  }

  /** See {@link AcquireWeaver}: the same calls, the same new local in the first unused slot. */
  private static CodePatch.Insertions acquire(ClassFileSummary type, PoolAppendix pool, int method,
      String origin, boolean physical) {
    boolean isStatic = (type.methodAccess(method) & ClassFileSummary.ACC_STATIC) != 0;
    int slot = type.maxLocals(method);
    Code prefix = new Code();
    if (isStatic) {
      prefix.op(Instructions.ICONST_1);
    } else {
      prefix.op(Instructions.ALOAD_0).ref(Instructions.INSTANCEOF, pool.classRef("javax/sql/DataSource"));
    }
    prefix.ref(Instructions.INVOKESTATIC,
        pool.methodRef(BRIDGE, AcquireWeaver.ENTER, AcquireWeaver.ENTER_DESCRIPTOR));
    prefix.local(Instructions.ASTORE, slot);

    Code exit = new Code();
    exit.op(Instructions.DUP).op(Instructions.DUP)
        .ref(Instructions.INSTANCEOF, pool.classRef(ConnectionTypes.CONNECTION));
    exit.local(Instructions.ALOAD, slot);
    exit.op(isStatic ? Instructions.ACONST_NULL : Instructions.ALOAD_0);
    exit.ref(Instructions.LDC_W, pool.string(origin));
    exit.op(physical ? Instructions.ICONST_1 : Instructions.ICONST_0);
    exit.ref(Instructions.INVOKESTATIC,
        pool.methodRef(BRIDGE, AcquireWeaver.EXIT, AcquireWeaver.EXIT_DESCRIPTOR));

    Code handler = new Code();
    handler.local(Instructions.ALOAD, slot);
    handler.ref(Instructions.INVOKESTATIC,
        pool.methodRef(BRIDGE, AcquireWeaver.FAILED, AcquireWeaver.FAILED_DESCRIPTOR));
    handler.op(Instructions.ATHROW);
    // the exit call needs six more slots above the returned value; the handler two
    return new CodePatch.Insertions(prefix.aligned(), exit.aligned(), handler.bytes(), slot, 6);
  }

  /** See {@link ConnectionInstrumentation.CloseWeaver}. */
  private static CodePatch.Insertions close(PoolAppendix pool) {
    Code prefix = new Code();
    prefix.op(Instructions.ALOAD_0).op(Instructions.DUP)
        .ref(Instructions.INSTANCEOF, pool.classRef(ConnectionTypes.CONNECTION))
        .ref(Instructions.INVOKESTATIC, pool.methodRef(BRIDGE, ConnectionInstrumentation.RELEASED,
            ConnectionInstrumentation.RELEASED_DESCRIPTOR));
    return new CodePatch.Insertions(prefix.aligned(), null, null, -1, 2);
  }

  /** The class file with the appended constants and the replaced Code attributes. */
  private static byte[] assemble(ClassFileSummary type, PoolAppendix pool,
      SortedMap<Integer, byte[]> codes) {
    byte[] b = type.bytes();
    byte[] added = pool.bytes();
    int growth = added.length;
    for (var code : codes.entrySet()) {
      growth += code.getValue().length - (6 + type.u4(code.getKey() + 2));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + growth);
    out.write(b, 0, 8); // magic and version
    out.write(pool.count() >>> 8);
    out.write(pool.count());
    out.write(b, 10, type.poolEnd() - 10);
    out.write(added, 0, added.length);
    int from = type.poolEnd();
    for (var code : codes.entrySet()) {
      int at = code.getKey();
      out.write(b, from, at - from);
      out.write(code.getValue(), 0, code.getValue().length);
      from = at + 6 + type.u4(at + 2);
    }
    out.write(b, from, b.length - from);
    return out.toByteArray();
  }

  /** A short instruction sequence being written. */
  private static final class Code {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(24);

    Code op(int opcode) {
      out.write(opcode);
      return this;
    }

    /** An instruction with a two-byte constant pool index. */
    Code ref(int opcode, int index) {
      out.write(opcode);
      CodePatch.u2(out, index);
      return this;
    }

    /** aload or astore of a local variable, in its shortest form. */
    Code local(int opcode, int slot) {
      if (slot <= 3) {
        out.write((opcode == Instructions.ALOAD ? Instructions.ALOAD_0 : Instructions.ASTORE_0) + slot);
      } else if (slot <= 0xFF) {
        out.write(opcode);
        out.write(slot);
      } else {
        out.write(Instructions.WIDE);
        ref(opcode, slot);
      }
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    /** The sequence padded with nop to a multiple of four bytes (see {@link CodeMap}). */
    byte[] aligned() {
      while (out.size() % 4 != 0) {
        out.write(Instructions.NOP);
      }
      return out.toByteArray();
    }
  }
}
