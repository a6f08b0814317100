package io.poolagent.agent.instrumentation;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A method's StackMapTable, decoded into absolute offsets and full lists of locals and stack items,
 * and written back as full frames after {@link CodePatch} moved the code. Each verification type is
 * one int: its tag in the upper half, its constant pool index or code offset in the lower.
 */
final class StackMapFrames {
  static final int TOP = 0;
  static final int INTEGER = 1;
  static final int FLOAT = 2;
  static final int LONG = 4;
  static final int DOUBLE = 3;
  static final int OBJECT = 7;
  static final int UNINITIALIZED = 8;
  private static final int[] NONE = new int[0];

  /** One frame: where it applies and what the locals and the stack hold there. */
  static final class Frame {
    final int offset;
    final int[] locals;
    final int[] stack;

    Frame(int offset, int[] locals, int[] stack) {
      this.offset = offset;
      this.locals = locals;
      this.stack = stack;
    }
  }

  private StackMapFrames() {}

  static int object(int classIndex) {
    return (OBJECT << 16) | classIndex;
  }

  /**
   * Reads the frames of a StackMapTable's content.
   *
   * @param initial the locals of the method's implicit first frame
   */
  static List<Frame> decode(byte[] b, int at, int[] initial) {
    int count = ClassFileSummary.u2(b, at);
    at += 2;
    List<Frame> frames = new ArrayList<>(count);
    int[] locals = initial;
    int offset = -1;
    for (int i = 0; i < count; i++) {
      int type = b[at++] & 0xFF;
      int delta;
      int[] stack = NONE;
      if (type < 64) {
        delta = type;
      } else if (type < 128) {
        delta = type - 64;
        stack = new int[] {0};
        at = readType(b, at, stack, 0);
      } else if (type < 247) {
        throw new NotPatchable("frame type " + type);
      } else {
        delta = ClassFileSummary.u2(b, at);
        at += 2;
        if (type == 247) {
          stack = new int[] {0};
          at = readType(b, at, stack, 0);
        } else if (type < 251) {
          int chopped = 251 - type;
          if (chopped > locals.length) {
            throw new NotPatchable("chop below the first local");
          }
          locals = Arrays.copyOf(locals, locals.length - chopped);
        } else if (type > 251 && type < 255) {
          int[] more = Arrays.copyOf(locals, locals.length + type - 251);
          for (int j = locals.length; j < more.length; j++) {
            at = readType(b, at, more, j);
          }
          locals = more;
        } else if (type == 255) {
          locals = new int[ClassFileSummary.u2(b, at)];
          at += 2;
          for (int j = 0; j < locals.length; j++) {
            at = readType(b, at, locals, j);
          }
          stack = new int[ClassFileSummary.u2(b, at)];
          at += 2;
          for (int j = 0; j < stack.length; j++) {
            at = readType(b, at, stack, j);
          }
        }
      }
      offset += delta + 1;
      frames.add(new Frame(offset, locals, stack));
    }
    return frames;
  }

  /** The locals of the method's implicit first frame: this, then the parameters. */
  static int[] initialLocals(ClassFileSummary type, int method, PoolAppendix pool) {
    List<Integer> locals = new ArrayList<>();
    if ((type.methodAccess(method) & ClassFileSummary.ACC_STATIC) == 0) {
      locals.add(object(type.thisClassIndex()));
    }
    String descriptor = type.methodDescriptor(method);
    for (int i = 1; descriptor.charAt(i) != ')'; i++) {
      int start = i;
      char c = descriptor.charAt(i);
      while (c == '[') {
        c = descriptor.charAt(++i);
      }
      if (c == 'L') {
        i = descriptor.indexOf(';', i);
      }
      if (descriptor.charAt(start) == '[') {
        locals.add(object(pool.classRef(descriptor.substring(start, i + 1))));
      } else if (c == 'L') {
        locals.add(object(pool.classRef(descriptor.substring(start + 1, i))));
      } else {
        int tag = c == 'J' ? LONG : c == 'D' ? DOUBLE
            : c == 'F' ? FLOAT : INTEGER;
        locals.add(tag << 16);
      }
    }
    int[] result = new int[locals.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = locals.get(i);
    }
    return result;
  }

  private static int readType(byte[] b, int at, int[] into, int index) {
    int tag = b[at] & 0xFF;
    if (tag == OBJECT || tag == UNINITIALIZED) {
      into[index] = (tag << 16) | ClassFileSummary.u2(b, at + 1);
      return at + 3;
    }
    if (tag > UNINITIALIZED) {
      throw new NotPatchable("verification type " + tag);
    }
    into[index] = tag << 16;
    return at + 1;
  }

  /** Writes the frames (in increasing offset order) as a StackMapTable's content, all as full frames. */
  static byte[] encode(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + frames.size() * 16);
    CodePatch.u2(out, frames.size());
    int previous = -1;
    for (Frame frame : frames) {
      out.write(255);
      CodePatch.u2(out, frame.offset - previous - 1);
      previous = frame.offset;
      CodePatch.u2(out, frame.locals.length);
      for (int type : frame.locals) {
        writeType(out, type);
      }
      CodePatch.u2(out, frame.stack.length);
      for (int type : frame.stack) {
        writeType(out, type);
      }
    }
    return out.toByteArray();
  }

  private static void writeType(ByteArrayOutputStream out, int type) {
    int tag = type >>> 16;
    out.write(tag);
    if (tag == OBJECT || tag == UNINITIALIZED) {
      CodePatch.u2(out, type & 0xFFFF);
    }
  }

  /**
   * The locals with TOP up to {@code slot} and then {@code added}: long and double take two slots.
   */
  static int[] withLocalAt(int[] locals, int slot, int added) {
    int slots = 0;
    for (int type : locals) {
      int tag = type >>> 16;
      slots += tag == LONG || tag == DOUBLE ? 2 : 1;
    }
    if (slots > slot) {
      throw new NotPatchable("a frame uses more locals than the method declares");
    }
    int[] out = Arrays.copyOf(locals, locals.length + (slot - slots) + 1);
    // the copy's new entries are 0, which is TOP
    out[out.length - 1] = added;
    return out;
  }

  /** The type with a code offset moved, for Uninitialized(offset); other types unchanged. */
  static int moved(int type, CodeMap map) {
    return type >>> 16 == UNINITIALIZED ? (UNINITIALIZED << 16) | map.instruction(type & 0xFFFF) : type;
  }
}
