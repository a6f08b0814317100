package io.poolagent.agent.instrumentation;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites one method's Code attribute in place: a prefix at the start, a sequence before each
 * {@code areturn}, and a catch-all handler appended at the end. Instructions are copied as they are
 * with their branch offsets moved; the exception table, line numbers, local variable tables and stack
 * map frames follow the moved offsets. Nothing else of the class is decoded, which is what makes this
 * cheaper than a pass of ASM over the whole class while the application starts. Code this does not
 * handle (subroutines, type annotations on code, branches that would overflow) throws
 * {@link NotPatchable}.
 */
final class CodePatch {
  /** What to insert into one method. */
  static final class Insertions {
    private final byte[] prefix;
    private final byte @Nullable [] exit;
    private final byte @Nullable [] handler;
    private final int newLocal;
    private final int extraStack;

    /**
     * @param prefix runs first; its length a multiple of four
     * @param exit runs before each areturn (null: nothing); its length a multiple of four
     * @param handler appended after the code and run for any throwable from after the prefix to
     *     the end (null: nothing); it must end the method itself
     * @param newLocal a local variable slot the prefix stores an Object into, added to every stack
     *     map frame after it; -1 for none
     * @param extraStack operand stack slots added to the original max_stack
     */
    Insertions(byte[] prefix, byte @Nullable [] exit, byte @Nullable [] handler, int newLocal,
        int extraStack) {
      this.prefix = prefix;
      this.exit = exit;
      this.handler = handler;
      this.newLocal = newLocal;
      this.extraStack = extraStack;
    }
  }

  private static final int MAX_CODE = 0xFFFF;

  private final ClassFileSummary type;
  private final byte[] b;
  private final PoolAppendix pool;
  private final int method;
  private final Insertions insertions;

  private CodePatch(ClassFileSummary type, PoolAppendix pool, int method, Insertions insertions) {
    this.type = type;
    this.b = type.bytes();
    this.pool = pool;
    this.method = method;
    this.insertions = insertions;
  }

  /**
   * The new Code attribute (name, length and content) of the {@code method}-th declared method.
   *
   * @throws AcquireWeaver.WritesThis when the insertions read {@code this} at the exits and the
   *     method's code stores into local 0
   */
  static byte[] patch(ClassFileSummary type, PoolAppendix pool, int method, Insertions insertions) {
    return new CodePatch(type, pool, method, insertions).patch();
  }

  private byte[] patch() {
    int at = type.codeOffset(method);
    int maxStack = type.u2(at + 6);
    int maxLocals = type.u2(at + 8);
    int codeLength = type.u4(at + 10);
    int code = at + 14;
    CodeMap map = new CodeMap(insertions.prefix.length,
        insertions.exit == null ? 0 : insertions.exit.length,
        scan(code, codeLength), codeLength);

    ByteArrayOutputStream out = new ByteArrayOutputStream(codeLength + 64);
    out.write(insertions.prefix, 0, insertions.prefix.length);
    copyCode(code, codeLength, map, out);
    int handlerPc = out.size();
    if (insertions.handler != null) {
      out.write(insertions.handler, 0, insertions.handler.length);
    }
    if (out.size() > MAX_CODE) {
      throw new NotPatchable("code too long");
    }

    ByteArrayOutputStream attr = new ByteArrayOutputStream(out.size() + 128);
    u2(attr, type.u2(at)); // the name, "Code"
    u4(attr, 0); // the length, set below
    u2(attr, maxStack + insertions.extraStack);
    u2(attr, insertions.newLocal < 0 ? maxLocals : Math.max(maxLocals, insertions.newLocal + 1));
    u4(attr, out.size());
    attr.write(out.toByteArray(), 0, out.size());

    int table = code + codeLength;
    int handlers = type.u2(table);
    u2(attr, handlers + (insertions.handler == null ? 0 : 1));
    for (int i = 0, e = table + 2; i < handlers; i++, e += 8) {
      u2(attr, map.target(type.u2(e)));
      u2(attr, map.target(type.u2(e + 2)));
      u2(attr, map.target(type.u2(e + 4)));
      u2(attr, type.u2(e + 6));
    }
    if (insertions.handler != null) { // last, so the method's own handlers still come first
      u2(attr, map.target(0));
      u2(attr, handlerPc);
      u2(attr, handlerPc);
      u2(attr, 0);
    }
    copyAttributes(table + 2 + 8 * handlers, map, handlerPc, attr);
    byte[] result = attr.toByteArray();
    int length = result.length - 6;
    result[2] = (byte) (length >>> 24);
    result[3] = (byte) (length >>> 16);
    result[4] = (byte) (length >>> 8);
    result[5] = (byte) length;
    return result;
  }

  /** Checks every instruction; returns the offsets of the areturns that get the exit sequence. */
  private int[] scan(int code, int codeLength) {
    boolean checkThis = insertions.exit != null
        && (type.methodAccess(method) & ClassFileSummary.ACC_STATIC) == 0;
    List<Integer> exits = new ArrayList<>();
    for (int pc = 0; pc < codeLength; pc += Instructions.length(b, code, pc)) {
      int op = b[code + pc] & 0xFF;
      if (Instructions.isSubroutine(op)) {
        throw new NotPatchable("subroutine");
      }
      if (checkThis && Instructions.storesLocal0(b, code, pc)) {
        throw new AcquireWeaver.WritesThis(method);
      }
      if (op == Instructions.ARETURN && insertions.exit != null) {
        exits.add(pc);
      }
    }
    int[] offsets = new int[exits.size()];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = exits.get(i);
    }
    return offsets;
  }

  private void copyCode(int code, int codeLength, CodeMap map, ByteArrayOutputStream out) {
    byte[] exit = insertions.exit;
    for (int pc = 0; pc < codeLength; ) {
      int op = b[code + pc] & 0xFF;
      int length = Instructions.length(b, code, pc);
      if (op == Instructions.ARETURN && exit != null) {
        out.write(exit, 0, exit.length);
      }
      int moved = map.instruction(pc);
      if (Instructions.branchesShort(op)) {
        int offset = map.target(pc + Instructions.s2(b, code + pc + 1)) - moved;
        if (offset != (short) offset) {
          throw new NotPatchable("branch out of range");
        }
        out.write(op);
        u2(out, offset);
      } else if (op == Instructions.GOTO_W) {
        out.write(op);
        u4(out, map.target(pc + Instructions.s4(b, code + pc + 1)) - moved);
      } else if (op == Instructions.TABLESWITCH || op == Instructions.LOOKUPSWITCH) {
        copySwitch(code, pc, length, moved, map, out);
      } else {
        out.write(b, code + pc, length);
      }
      pc += length;
    }
  }

  /** Copies a switch with its offsets moved; its padding is unchanged (moves keep alignment). */
  private void copySwitch(int code, int pc, int length, int moved, CodeMap map,
      ByteArrayOutputStream out) {
    int operands = Instructions.switchOperands(pc);
    out.write(b, code + pc, operands - pc); // opcode and padding
    u4(out, map.target(pc + Instructions.s4(b, code + operands)) - moved); // default
    if ((b[code + pc] & 0xFF) == Instructions.TABLESWITCH) {
      out.write(b, code + operands + 4, 8); // low, high
      for (int at = operands + 12; at < pc + length; at += 4) {
        u4(out, map.target(pc + Instructions.s4(b, code + at)) - moved);
      }
    } else {
      out.write(b, code + operands + 4, 4); // npairs
      for (int at = operands + 8; at < pc + length; at += 8) {
        out.write(b, code + at, 4); // match
        u4(out, map.target(pc + Instructions.s4(b, code + at + 4)) - moved);
      }
    }
  }

  private void copyAttributes(int at, CodeMap map, int handlerPc, ByteArrayOutputStream out) {
    int count = type.u2(at);
    at += 2;
    boolean hasFrames = false;
    boolean needsFrames = insertions.handler != null && type.majorVersion() >= 50;
    ByteArrayOutputStream attributes = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      int name = type.u2(at);
      int length = type.u4(at + 2);
      int content = at + 6;
      if (type.utf8Equals(name, "StackMapTable")) {
        hasFrames = true;
        writeAttribute(attributes, name, frames(StackMapFrames.decode(b, content,
            StackMapFrames.initialLocals(type, method, pool)),
            map, handlerPc));
      } else if (type.utf8Equals(name, "LineNumberTable")) {
        writeAttribute(attributes, name, moveEntries(content, 4, map, false));
      } else if (type.utf8Equals(name, "LocalVariableTable")
          || type.utf8Equals(name, "LocalVariableTypeTable")) {
        writeAttribute(attributes, name, moveEntries(content, 10, map, true));
      } else {
        throw new NotPatchable("code attribute with offsets this patcher does not move");
      }
      at = content + length;
    }
    if (needsFrames && !hasFrames) {
      writeAttribute(attributes, pool.utf8("StackMapTable"),
          frames(List.of(), map, handlerPc));
      count++;
    }
    u2(out, count);
    byte[] all = attributes.toByteArray();
    out.write(all, 0, all.length);
  }

  private byte[] frames(List<StackMapFrames.Frame> original, CodeMap map, int handlerPc) {
    int local = insertions.newLocal;
    int object = local < 0 ? 0 : StackMapFrames.object(pool.classRef("java/lang/Object"));
    List<StackMapFrames.Frame> frames = new ArrayList<>(original.size() + 1);
    for (StackMapFrames.Frame frame : original) {
      int[] locals = frame.locals.clone();
      for (int i = 0; i < locals.length; i++) {
        locals[i] = StackMapFrames.moved(locals[i], map);
      }
      int[] stack = frame.stack.clone();
      for (int i = 0; i < stack.length; i++) {
        stack[i] = StackMapFrames.moved(stack[i], map);
      }
      if (local >= 0) {
        locals = StackMapFrames.withLocalAt(locals, local, object);
      }
      frames.add(new StackMapFrames.Frame(map.target(frame.offset), locals, stack));
    }
    if (insertions.handler != null) {
      int[] locals = local < 0 ? new int[0] : StackMapFrames.withLocalAt(new int[0], local, object);
      int[] stack = {StackMapFrames.object(pool.classRef("java/lang/Throwable"))};
      frames.add(new StackMapFrames.Frame(handlerPc, locals, stack));
    }
    return StackMapFrames.encode(frames);
  }

  /**
   * A line number or local variable table with its offsets moved: entries of {@code size} bytes
   * that start with a start_pc, followed by a length when {@code ranges}.
   */
  private byte[] moveEntries(int at, int size, CodeMap map, boolean ranges) {
    int count = type.u2(at);
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + count * size);
    u2(out, count);
    for (int i = 0, e = at + 2; i < count; i++, e += size) {
      int start = type.u2(e);
      int newStart = map.target(start);
      u2(out, newStart);
      int rest = e + 2;
      if (ranges) {
        u2(out, map.target(start + type.u2(e + 2)) - newStart);
        rest += 2;
      }
      out.write(b, rest, e + size - rest);
    }
    return out.toByteArray();
  }

  private static void writeAttribute(ByteArrayOutputStream out, int name, byte[] content) {
    u2(out, name);
    u4(out, content.length);
    out.write(content, 0, content.length);
  }

  /** Writes a class file's unsigned two-byte big-endian value. */
  static void u2(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value);
  }

  static void u4(ByteArrayOutputStream out, int value) {
    u2(out, value >>> 16);
    u2(out, value);
  }
}
