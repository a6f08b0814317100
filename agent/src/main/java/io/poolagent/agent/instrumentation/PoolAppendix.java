package io.poolagent.agent.instrumentation;

import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Constant pool entries added after the last one of a class file, for the code that {@link
 * CodePatch} weaves in. The original entries keep their indices, so nothing else in the class file
 * changes; an entry asked for twice is added once.
 */
final class PoolAppendix {
  private static final int UTF8 = 1;
  private static final int CLASS = 7;
  private static final int STRING = 8;
  private static final int METHOD_REF = 10;
  private static final int NAME_AND_TYPE = 12;
  private static final int MAX_COUNT = 0xFFFF;

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
  private final Map<String, Integer> added = new HashMap<>();
  private int count;

  /** @param originalCount the constant_pool_count of the class file being extended */
  PoolAppendix(int originalCount) {
    this.count = originalCount;
  }

  /** The constant_pool_count with the added entries. */
  int count() {
    return count;
  }

  /** The added entries, in order. */
  byte[] bytes() {
    return bytes.toByteArray();
  }

  int classRef(String internalName) {
    return entry("C" + internalName, CLASS, utf8(internalName), -1);
  }

  int string(String value) {
    return entry("S" + value, STRING, utf8(value), -1);
  }

  /** A CONSTANT_Methodref to a method of a class (not an interface). */
  int methodRef(String owner, String name, String descriptor) {
    int nameAndType = entry("N" + name + ' ' + descriptor, NAME_AND_TYPE, utf8(name), utf8(descriptor));
    return entry("M" + owner + '.' + name + descriptor, METHOD_REF, classRef(owner), nameAndType);
  }

  int utf8(String value) {
    Integer known = added.get("U" + value);
    if (known != null) {
      return known;
    }
    byte[] encoded = modifiedUtf8(value);
    if (encoded.length > 0xFFFF) {
      throw new NotPatchable("constant too long");
    }
    int index = next();
    bytes.write(UTF8);
    CodePatch.u2(bytes, encoded.length);
    bytes.write(encoded, 0, encoded.length);
    added.put("U" + value, index);
    return index;
  }

  private int entry(String key, int tag, int first, int second) {
    Integer known = added.get(key);
    if (known != null) {
      return known;
    }
    int index = next();
    bytes.write(tag);
    CodePatch.u2(bytes, first);
    if (second >= 0) {
      CodePatch.u2(bytes, second);
    }
    added.put(key, index);
    return index;
  }

  private int next() {
    if (count >= MAX_COUNT) {
      throw new NotPatchable("constant pool full");
    }
    return count++;
  }

  /** The class file's string encoding: NUL and supplementary characters take the long forms. */
  static byte[] modifiedUtf8(String value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x01 && c <= 0x7F) {
        out.write(c);
      } else if (c <= 0x7FF) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    return out.toByteArray();
  }
}
