package io.poolagent.agent.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent needs to know about a class file before deciding to instrument it, read straight
 * from its bytes: access flags, super types and the declared methods' names and descriptors. Every
 * class the JVM loads passes through here, so it allocates one offset table and decodes a string only
 * when asked; nothing is resolved or loaded.
 */
final class ClassFileSummary {
  static final int ACC_STATIC = 0x0008;
  static final int ACC_NATIVE = 0x0100;
  static final int ACC_INTERFACE = 0x0200;
  static final int ACC_ABSTRACT = 0x0400;
  static final int ACC_SYNTHETIC = 0x1000;

  private static final int UTF8 = 1;
  private static final int NAME_AND_TYPE = 12;
  /** Ints per method in {@link #methods}. */
  private static final int FIELDS = 5;

  private final byte[] bytes;
  /** Offset of each constant pool entry's first byte after its tag; 0 for unused slots. */
  private final int[] entries;
  private final int majorVersion;
  /** Offset of the first byte after the constant pool (the access flags). */
  private final int poolEnd;
  private final int access;
  private final int superClass;
  private final int[] interfaces;
  /**
   * Per declared method: access flags, name index, descriptor index, max_locals of its code, offset
   * of its Code attribute (0 without code).
   */
  private final int[] methods;

  private ClassFileSummary(byte[] bytes) {
    this.bytes = bytes;
    if (u4(0) != 0xCAFEBABE) {
      throw new IllegalArgumentException("not a class file");
    }
    majorVersion = u2(6);
    int count = u2(8);
    entries = new int[count];
    int at = 10;
    for (int i = 1; i < count; i++) {
      int tag = bytes[at] & 0xFF;
      entries[i] = at + 1;
      at += 1 + entrySize(tag, at + 1);
      if (tag == 5 || tag == 6) {
        i++; // long and double take two slots
      }
    }
    poolEnd = at;
    access = u2(at); // then this_class (not needed), super_class, the interfaces
    superClass = u2(at + 4);
    int interfaceCount = u2(at + 6);
    at += 8;
    interfaces = new int[interfaceCount];
    for (int i = 0; i < interfaceCount; i++, at += 2) {
      interfaces[i] = u2(at);
    }
    at = skipMembers(at); // fields
    int methodCount = u2(at);
    at += 2;
    methods = new int[methodCount * FIELDS];
    for (int i = 0; i < methodCount; i++) {
      methods[i * FIELDS] = u2(at);
      methods[i * FIELDS + 1] = u2(at + 2);
      methods[i * FIELDS + 2] = u2(at + 4);
      int attributes = u2(at + 6);
      at += 8;
      for (int a = 0; a < attributes; a++) {
        if (utf8Equals(u2(at), "Code")) {
          methods[i * FIELDS + 3] = u2(at + 8); // after name, length and max_stack
          methods[i * FIELDS + 4] = at;
        }
        at += 6 + u4(at + 2);
      }
    }
  }

  /**
   * True when the class declares a method named {@code getConnection} or, with {@code close}, one
   * named {@code close}; or, with {@code orCalls}, when its constant pool holds the name
   * {@code getConnection} at all (it may call it). Reads the constant pool once, then only the member
   * headers, allocating nothing: most classes the JVM loads stop here.
   */
  static boolean declaresWovenMethod(byte[] bytes, boolean close, boolean orCalls) {
    if (bytes.length < 10) {
      return false;
    }
    int count = u2(bytes, 8);
    int closeName = -1;
    int getConnection = -1;
    int at = 10;
    for (int i = 1; i < count; i++) {
      int tag = bytes[at] & 0xFF;
      if (tag == UTF8) {
        int length = u2(bytes, at + 1);
        if (close && length == 5 && startsWithAt(bytes, at + 3, "close")) {
          closeName = i;
        } else if (length == 13 && startsWithAt(bytes, at + 3, "getConnection")) {
          getConnection = i;
        }
        at += 3 + length;
      } else {
        at += 1 + fixedEntrySize(tag);
        if (tag == 5 || tag == 6) {
          i++;
        }
      }
    }
    if (closeName < 0 && getConnection < 0) {
      return false;
    }
    if (orCalls && getConnection > 0) {
      return true;
    }
    at += 6; // access flags, this_class, super_class
    at += 2 + 2 * u2(bytes, at); // the interfaces
    int fields = u2(bytes, at);
    at += 2;
    for (int i = 0; i < fields; i++) {
      at = skipAttributes(bytes, at + 6);
    }
    int methods = u2(bytes, at);
    at += 2;
    for (int i = 0; i < methods; i++) {
      int name = u2(bytes, at + 2);
      if (name == closeName || name == getConnection) {
        return true;
      }
      at = skipAttributes(bytes, at + 6);
    }
    return false;
  }

  /** The unsigned two-byte big-endian value at {@code at}, as class files store them. */
  static int u2(byte[] bytes, int at) {
    return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
  }

  private static int skipAttributes(byte[] bytes, int at) {
    int count = u2(bytes, at);
    at += 2;
    for (int i = 0; i < count; i++) {
      at += 6 + ((u2(bytes, at + 2) << 16) | u2(bytes, at + 4));
    }
    return at;
  }

  private static boolean startsWithAt(byte[] bytes, int at, String ascii) {
    if (at + ascii.length() > bytes.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (bytes[at + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Size after the tag of a constant pool entry other than UTF8. */
  private static int fixedEntrySize(int tag) {
    return switch (tag) {
      case 7, 8, 16, 19, 20 -> 2; // Class, String, MethodType, Module, Package
      case 15 -> 3; // MethodHandle
      case 3, 4, 9, 10, 11, 12, 17, 18 -> 4;
      case 5, 6 -> 8; // Long, Double
      default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
    };
  }

  /** Reads the summary; throws IllegalArgumentException or an index exception on malformed bytes. */
  static ClassFileSummary of(byte[] bytes) {
    return new ClassFileSummary(bytes);
  }

  int majorVersion() {
    return majorVersion;
  }

  boolean isInterface() {
    return (access & ACC_INTERFACE) != 0;
  }

  boolean isSynthetic() {
    return (access & ACC_SYNTHETIC) != 0;
  }

  /** Internal name of the super class; empty for java/lang/Object and module-info. */
  String superName() {
    return superClass == 0 ? "" : className(superClass);
  }

  List<String> interfaceNames() {
    List<String> names = new ArrayList<>(interfaces.length);
    for (int index : interfaces) {
      names.add(className(index));
    }
    return names;
  }

  int methodCount() {
    return methods.length / FIELDS;
  }

  int methodAccess(int method) {
    return methods[method * FIELDS];
  }

  /** True when the method's name is exactly {@code name} (ASCII), compared without decoding. */
  boolean methodNamed(int method, String name) {
    return utf8Equals(methods[method * FIELDS + 1], name);
  }

  /** True when the class declares a method of this name. */
  boolean declaresMethodNamed(String name) {
    for (int i = 0; i < methodCount(); i++) {
      if (methodNamed(i, name)) {
        return true;
      }
    }
    return false;
  }

  /** True when the constant pool holds a method reference by this name (the class may call it). */
  boolean referencesMethodNamed(String name) {
    for (int i = 1; i < entries.length; i++) {
      int at = entries[i];
      if (at != 0 && (bytes[at - 1] & 0xFF) == NAME_AND_TYPE && utf8Equals(u2(at), name)) {
        return true;
      }
    }
    return false;
  }

  String methodDescriptor(int method) {
    return utf8(methods[method * FIELDS + 2]);
  }

  /** The local variable slots the method's code uses ({@code max_locals}); 0 without code. */
  int maxLocals(int method) {
    return methods[method * FIELDS + 3];
  }

  /** Offset of the method's Code attribute in the class file (at its name index); 0 without code. */
  int codeOffset(int method) {
    return methods[method * FIELDS + 4];
  }

  /** Offset of the first byte after the constant pool. */
  int poolEnd() {
    return poolEnd;
  }

  /** The constant pool's slots as the class file counts them: one more than the last index. */
  int poolCount() {
    return entries.length;
  }

  /** The constant pool index of this class's own CONSTANT_Class. */
  int thisClassIndex() {
    return u2(poolEnd + 2);
  }

  byte[] bytes() {
    return bytes;
  }

  /** True when the constant at {@code index} is the UTF8 {@code ascii}. */
  boolean utf8Equals(int index, String ascii) {
    int at = entries[index];
    return (bytes[at - 1] & 0xFF) == UTF8 && u2(at) == ascii.length()
        && startsWithAt(bytes, at + 2, ascii);
  }

  private String className(int classIndex) {
    return utf8(u2(entries[classIndex]));
  }

  /** Decodes a CONSTANT_Utf8; class and descriptor names in practice never use the modified forms. */
  private String utf8(int index) {
    int at = entries[index];
    return new String(bytes, at + 2, u2(at), StandardCharsets.UTF_8);
  }

  private int entrySize(int tag, int at) {
    return tag == UTF8 ? 2 + u2(at) : fixedEntrySize(tag);
  }

  private int skipMembers(int at) {
    int count = u2(at);
    at += 2;
    for (int i = 0; i < count; i++) {
      at = skipAttributes(bytes, at + 6);
    }
    return at;
  }

  int u2(int at) {
    return u2(bytes, at);
  }

  int u4(int at) {
    return (u2(at) << 16) | u2(at + 2);
  }
}
